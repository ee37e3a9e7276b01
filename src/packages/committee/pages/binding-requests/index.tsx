import { useEffect, useState } from 'react'
import { Text, Textarea, View } from '@tarojs/components'
import { Btn } from '../../../../components/btn'
import type { BindingRequest } from '../../../../contracts/rosters'
import { Empty, ErrorNote, ErrorView, Loading } from '../../../../components/page-state'
import { useCommunityParam } from '../../../../hooks/use-community-param'
import { useCursorList, type CursorPage } from '../../../../hooks/use-cursor-list'
import { useSession } from '../../../../hooks/use-session'
import { pickImages } from '../../../../services/notice-files'
import { messageOf, request } from '../../../../services/request'
import { requestWithFile } from '../../../../services/upload'
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
 * bottom; approve, or reject with a reason the resident will see. A request whose typed details
 * match the roster says 与名册一致 and is approved in one tap; an approval that would add an owner
 * the roster does not list, or sell an unsold unit, first asks for a photo of the 不动产权证 or
 * purchase contract. Other decisions ask first.
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
      <Page title='绑定审核' className='requests'>
        <ErrorView message='没有指定小区，请从“我的”页的工作台进入。' away={{ text: '去“我的”', onClick: () => switchTo('mine') }} />
      </Page>
    )
  }

  return (
    <Page title='绑定审核' className='requests'>
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
        <Empty title={filter === 'pending' ? '没有待审核的申请' : `没有${BINDING_STATUS_LABELS[filter]}的申请`} hint='居民手动填写的绑定申请会出现在这里：与名册一致的，点一下“通过”即可；不一致的请核实后再处理。' />
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
  const [proof, setProof] = useState<{ ref: string; name: string } | null>(null)

  /** Takes or picks the photo of the 不动产权证 or purchase contract and stores it for this request. */
  async function attachProof(): Promise<string | null> {
    setError(null)
    try {
      const [photo] = await pickImages(1)
      if (!photo) return null
      setBusy(true)
      const res = await requestWithFile('uploadBindingProof', { communityId, bindingId: item.id, fileName: photo.name }, photo, 'dataBase64')
      setProof({ ref: res.proofRef, name: photo.name })
      return res.proofRef
    } catch (err) {
      setError(messageOf(err))
      return null
    } finally {
      setBusy(false)
    }
  }

  async function decide(approve: boolean) {
    const trimmed = reason.trim()
    if (!approve && !trimmed) {
      setError('请写明不通过的原因，居民会看到这段话。')
      return
    }
    // An approval that changes who owns the unit rests on a photo of the proof: asked for first.
    const proofRef = approve && item.needsProof ? (proof?.ref ?? (await attachProof())) : null
    if (approve && item.needsProof && !proofRef) return
    // A request that matches the roster is approved in one tap; every other decision asks first.
    const oneTap = approve && item.rosterMatch && !item.needsProof
    const ok =
      oneTap ||
      (await confirmAction(
        approve
          ? { title: '确认通过', content: `确定让「${item.claimedName}」绑定 ${item.unitLabel} 吗？通过后对方就是这套房屋的业主。`, confirmText: '通过' }
          : { title: '确认不通过', content: `确定不通过「${item.claimedName}」对 ${item.unitLabel} 的绑定申请吗？`, confirmText: '不通过', danger: true },
      ))
    if (!ok) return
    setBusy(true)
    setError(null)
    try {
      await request('decideBinding', { communityId, bindingId: item.id, approve, ...(approve ? {} : { reason: trimmed }), ...(proofRef ? { proofRef } : {}) })
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
      {item.rosterMatch ? <Text className='request__match'>✓ 与名册一致</Text> : null}
      <Text className='line'>申请人填写的姓名：{item.claimedName}</Text>
      {item.claimedPhone ? <Text className='line'>申请人填写的手机：{item.claimedPhone}</Text> : null}
      <Text className='line'>名册上的业主：{item.rosterOwners.length > 0 ? item.rosterOwners.join('、') : '（无，未售或未登记）'}</Text>
      <Text className='line muted'>{formatFriendly(item.createdAt)} 提交</Text>
      {item.reason ? <Text className='line'>说明：{item.reason}</Text> : null}
      {item.lockedAt ? <Text className='line'>⚠ 这套房屋或这个账号已多次核对未成功，系统已停止自动核验（可能有人在猜测身份证号），请当面核实房产证和身份证后再通过。</Text> : null}
      {item.rosterMatch ? <Text className='line muted'>申请人手动填写的姓名和手机号（或身份证后四位）与名册上的业主一致。</Text> : null}
      {item.status === 'pending' && item.needsProof ? (
        <View className='request__proof'>
          <Text className='line'>名册上这套房屋的业主里没有“{item.claimedName}”。通过就会增加一位业主（未售房屋改为已售），所以要先拍照上传不动产权证或购房合同作为依据，并记入审计日志。</Text>
          {proof ? <Text className='line'>已上传证明：{proof.name}</Text> : null}
          <Btn className='gz-btn' disabled={busy} onClick={() => void attachProof()}>
            {proof ? '重新拍照上传' : '拍照上传房产证或购房合同'}
          </Btn>
        </View>
      ) : null}

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
                {item.rosterMatch && !item.needsProof ? '与名册一致，通过' : '通过'}
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
