import { useEffect, useState } from 'react'
import { Text, Textarea, View } from '@tarojs/components'
import { Btn } from '../../../../components/btn'
import type { BindingRequest } from '../../../../contracts/rosters'
import { Empty, ErrorNote, ErrorView, Loading } from '../../../../components/page-state'
import { useCommunityParam } from '../../../../hooks/use-community-param'
import { useCursorList, type CursorPage } from '../../../../hooks/use-cursor-list'
import { useSession } from '../../../../hooks/use-session'
import { messageOf, request } from '../../../../services/request'
import { BINDING_STATUS_LABELS } from '../../../../utils/labels'
import { formatFriendly } from '../../../../utils/time'
import { confirmAction, toastSuccess } from '../../../../utils/ui'
import { Page } from '../../../../components/page'
import { switchTo } from '../../../../routes'
import './index.scss'

type Status = BindingRequest['status']

type RequestPage = CursorPage<BindingRequest>

function asPage(data: RequestPage | BindingRequest[]): RequestPage {
  return Array.isArray(data) ? { items: data, nextCursor: null } : { items: data.items ?? [], nextCursor: data.nextCursor ?? null }
}

const PAGE_SIZE = 20

/**
 * Binding requests of one 小区 for the committee: pending ones first, more on reaching the
 * bottom; approve, or reject with a reason the resident will see. Both ask first.
 */
export default function BindingRequestsPage() {
  useSession()
  const { communityId, community } = useCommunityParam()
  const [filter, setFilter] = useState<Status>('pending')
  const { items, setItems, cursor, state, error, loadFirst } = useCursorList<BindingRequest>(async (after) =>
    asPage(await request('listBindingRequests', { communityId, status: filter, ...(after ? { cursor: after } : {}), limit: PAGE_SIZE })),
  )

  useEffect(() => {
    if (communityId) void loadFirst()
    // eslint-disable-next-line react-hooks/exhaustive-deps -- loadFirst() reads the latest fetcher; the list starts over only when the 小区 or the filter changes
  }, [communityId, filter])

  function decided(id: string, approve: boolean, reason: string | null) {
    // A decided request leaves the 待审核 list; in the other lists it changes in place.
    setItems((prev) =>
      filter === 'pending' ? prev.filter((r) => r.id !== id) : prev.map((r) => (r.id === id ? { ...r, status: approve ? 'approved' : 'rejected', reason } : r)),
    )
  }

  if (!communityId) {
    return (
      <Page title='绑定审核'>
        <ErrorView message='没有指定小区，请从“我的”页的工作台进入。' away={{ text: '去“我的”', onClick: () => switchTo('mine') }} />
      </Page>
    )
  }

  return (
    <Page title='绑定审核'>
      {community ? <Text className='page-subtitle'>{community.name}</Text> : null}
      <View className='chips requests__filter'>
        {(['pending', 'approved', 'rejected'] as Status[]).map((s) => (
          <View key={s} className={`chip ${s === filter ? 'chip--active' : ''}`} onClick={() => setFilter(s)}>
            {BINDING_STATUS_LABELS[s]}
          </View>
        ))}
      </View>

      {state === 'loading' ? (
        <Loading />
      ) : state === 'error' ? (
        <ErrorView message={error ?? ''} onRetry={() => void loadFirst()} />
      ) : items.length === 0 ? (
        <Empty title={filter === 'pending' ? '没有待审核的申请' : `没有${BINDING_STATUS_LABELS[filter]}的申请`} hint='居民提交的绑定申请与名册不一致时，会出现在这里等您审核。' />
      ) : (
        <View>
          {items.map((r) => (
            <RequestCard key={r.id} communityId={communityId} item={r} onDecided={decided} />
          ))}
          <Text className='requests__footer muted'>{state === 'more' ? '正在加载更多…' : cursor ? '上滑加载更多' : '没有更多了'}</Text>
        </View>
      )}
    </Page>
  )
}

function RequestCard({ communityId, item, onDecided }: { communityId: string; item: BindingRequest; onDecided: (id: string, approve: boolean, reason: string | null) => void }) {
  const [rejecting, setRejecting] = useState(false)
  const [reason, setReason] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  async function decide(approve: boolean) {
    const trimmed = reason.trim()
    if (!approve && !trimmed) {
      setError('请写明不通过的原因，居民会看到这段话。')
      return
    }
    const ok = await confirmAction(
      approve
        ? { title: '确认通过', content: `确定让「${item.claimedName}」绑定 ${item.unitLabel} 吗？通过后对方就是这套房屋的业主。`, confirmText: '通过' }
        : { title: '确认不通过', content: `确定不通过「${item.claimedName}」对 ${item.unitLabel} 的绑定申请吗？`, confirmText: '不通过', danger: true },
    )
    if (!ok) return
    setBusy(true)
    setError(null)
    try {
      await request('decideBinding', { communityId, bindingId: item.id, approve, ...(approve ? {} : { reason: trimmed }) })
      toastSuccess(approve ? '已通过' : '已处理')
      onDecided(item.id, approve, approve ? null : trimmed)
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <View className='card request'>
      <View className='row'>
        <Text className='request__unit'>{item.unitLabel}</Text>
        <Text className={`badge badge--${item.status}`}>{BINDING_STATUS_LABELS[item.status]}</Text>
      </View>
      <Text className='line'>申请人填写的姓名：{item.claimedName}</Text>
      {item.claimedPhone ? <Text className='line'>申请人填写的手机：{item.claimedPhone}</Text> : null}
      <Text className='line'>名册上的业主：{item.rosterOwners.length > 0 ? item.rosterOwners.join('、') : '（无，未售或未登记）'}</Text>
      <Text className='line muted'>{formatFriendly(item.createdAt)} 提交</Text>
      {item.reason ? <Text className='line'>说明：{item.reason}</Text> : null}
      {item.lockedAt ? <Text className='line'>⚠ 这套房屋或这个账号已多次核对未成功，系统已停止自动核验（可能有人在猜测身份证号），请当面核实房产证和身份证后再通过。</Text> : null}

      {item.status === 'pending' ? (
        <View>
          {rejecting ? (
            <View className='request__reject'>
              <Text className='field-label'>不通过的原因（居民会看到）</Text>
              <Textarea className='gz-textarea' maxlength={200} value={reason} placeholder='例如：姓名与名册不符，请带房产证到业委会办公室核对' onInput={(e) => setReason(e.detail.value)} />
            </View>
          ) : null}
          <ErrorNote message={error} />
          {rejecting ? (
            <View className='request__actions'>
              <Btn className='gz-btn gz-btn--danger-solid' loading={busy} disabled={busy} onClick={() => void decide(false)}>
                确认不通过
              </Btn>
              <Btn className='gz-btn' disabled={busy} onClick={() => { setRejecting(false); setError(null) }}>
                取消
              </Btn>
            </View>
          ) : (
            <View className='request__actions'>
              <Btn className='gz-btn gz-btn--primary' loading={busy} disabled={busy} onClick={() => void decide(true)}>
                通过
              </Btn>
              <Btn className='gz-btn gz-btn--danger' disabled={busy} onClick={() => setRejecting(true)}>
                不通过
              </Btn>
            </View>
          )}
        </View>
      ) : null}
    </View>
  )
}
