import { useEffect, useRef, useState, type MutableRefObject } from 'react'
import { Text, View } from '@tarojs/components'
import { Btn } from '../../../../components/btn'
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { INVITE_VALID_DAYS, type Tenancy } from '../../../../contracts/rosters'
import { Empty, ErrorNote, ErrorView, Loading } from '../../../../components/page-state'
import { useAsync } from '../../../../hooks/use-async'
import { useSession } from '../../../../hooks/use-session'
import { messageOf, request } from '../../../../services/request'
import { INVITE_EXPIRED_LABEL, TENANCY_STATUS_LABELS } from '../../../../utils/labels'
import { formatDate, formatDateTime } from '../../../../utils/time'
import { confirmAction, toastSuccess } from '../../../../utils/ui'
import { Page } from '../../../../components/page'
import './index.scss'

/**
 * An owner lets a tenant in: a one-time 8-character code for one unit, shown large with a copy
 * button; the tenant types it on their phone. The owner can revoke any invitation or tenancy.
 */
export default function TenantsPage() {
  const { me, status, error: sessionError, refresh } = useSession()
  const router = useRouter()
  const owned = (me?.units ?? []).filter((u) => u.relation === 'owner')
  const [unitId, setUnitId] = useState<string>(router.params?.unitId ?? '')
  const unit = owned.find((u) => u.unitId === unitId) ?? owned[0] ?? null

  useEffect(() => {
    if (unit && unit.unitId !== unitId) setUnitId(unit.unitId)
  }, [unit, unitId])

  // Pull down to see whether the tenant has accepted meanwhile (and whether I still own the units).
  const reloadList = useRef<(() => Promise<unknown>) | null>(null)
  usePullDownRefresh(() => {
    void Promise.all([refresh(), reloadList.current?.()]).finally(() => Taro.stopPullDownRefresh())
  })

  if (!me) {
    return (
      <Page title='邀请租户'>
        {status === 'error' ? <ErrorView message={sessionError ?? ''} onRetry={() => void refresh()} /> : <Loading />}
      </Page>
    )
  }
  if (!unit) {
    return (
      <Page title='邀请租户'>
        <Empty title='您名下还没有房屋' hint='只有业主可以邀请租户。请先在“我的 → 绑定房屋”中绑定房屋。' />
      </Page>
    )
  }

  return (
    <Page title='邀请租户'>
      {owned.length > 1 ? (
        <View className='card'>
          <Text className='field-label'>选择房屋</Text>
          <View className='chips'>
            {owned.map((u) => (
              <View key={u.unitId} className={`chip ${u.unitId === unit.unitId ? 'chip--active' : ''}`} onClick={() => setUnitId(u.unitId)}>
                {u.label}
              </View>
            ))}
          </View>
        </View>
      ) : (
        <Text className='page-subtitle'>{unit.label}</Text>
      )}
      <UnitTenancies key={unit.unitId} communityId={unit.communityId} unitId={unit.unitId} unitLabel={unit.label} reloadRef={reloadList} />
    </Page>
  )
}

function UnitTenancies({
  communityId,
  unitId,
  unitLabel,
  reloadRef,
}: {
  communityId: string
  unitId: string
  unitLabel: string
  reloadRef: MutableRefObject<(() => Promise<unknown>) | null>
}) {
  const list = useAsync(() => request('listTenancies', { communityId, unitId }))
  reloadRef.current = list.reload
  const [fresh, setFresh] = useState<Tenancy | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)

  async function invite() {
    setBusy('invite')
    setError(null)
    try {
      const t = await request('inviteTenant', { communityId, unitId })
      setFresh(t)
      void list.reload()
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setBusy(null)
    }
  }

  async function revoke(t: Tenancy) {
    const who = t.tenantName ? `租户「${t.tenantName}」` : `邀请码 ${t.code}`
    const ok = await confirmAction({
      title: '确认撤销',
      content: `撤销后，${who}将不能再查看 ${unitLabel} 的信息，此操作不能恢复。确定撤销吗？`,
      confirmText: '撤销',
      danger: true,
    })
    if (!ok) return
    setBusy(t.id)
    setError(null)
    try {
      await request('revokeTenancy', { communityId, tenancyId: t.id })
      toastSuccess('已撤销')
      if (fresh?.id === t.id) setFresh(null)
      await list.reload()
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setBusy(null)
    }
  }

  function copy(code: string) {
    void Taro.setClipboardData({ data: code })
  }

  const tenancies = list.data ?? []

  return (
    <View>
      {fresh ? (
        <View className='card tenants__code-card'>
          <Text className='line'>请把这个邀请码告诉租户：</Text>
          <Text className='tenants__code' userSelect>
            {fresh.code}
          </Text>
          <Text className='line muted'>租户在“我的 → 我是租户，填写邀请码”中输入，即可加入 {unitLabel}。</Text>
          {fresh.expiresAt ? <Text className='line'>{`邀请码 ${INVITE_VALID_DAYS} 天内有效，${formatDateTime(fresh.expiresAt)} 后失效。`}</Text> : null}
          <Btn className='gz-btn gz-btn--primary' onClick={() => copy(fresh.code)}>
            复制邀请码
          </Btn>
        </View>
      ) : null}

      <ErrorNote message={error} />

      <Btn className={`gz-btn ${fresh ? '' : 'gz-btn--primary'}`} loading={busy === 'invite'} disabled={!!busy} onClick={() => void invite()}>
        生成邀请码
      </Btn>

      <View className='card tenants__list'>
        <Text className='card-title'>租户与邀请</Text>
        {list.status === 'loading' ? (
          <Loading />
        ) : list.status === 'error' ? (
          <ErrorView message={list.error ?? ''} onRetry={() => void list.reload()} />
        ) : tenancies.length === 0 ? (
          <Text className='line muted'>还没有邀请过租户。</Text>
        ) : (
          tenancies.map((t) => (
            <View key={t.id} className='tenants__item'>
              <View className='row'>
                <Text className='tenants__name'>{t.tenantName ?? '尚未有人接受'}</Text>
                <Text className={`badge ${t.status === 'active' ? 'badge--approved' : t.status === 'invited' && !t.expired ? 'badge--pending' : 'badge--rejected'}`}>
                  {t.expired ? INVITE_EXPIRED_LABEL : TENANCY_STATUS_LABELS[t.status]}
                </Text>
              </View>
              {t.status === 'invited' && t.expired ? (
                <Text className='line'>{`邀请码已过期（${INVITE_VALID_DAYS} 天内未被接受），如需要请重新生成`}</Text>
              ) : t.status === 'invited' ? (
                <View>
                  <Text className='line'>邀请码：{t.code}</Text>
                  {t.expiresAt ? <Text className='line muted'>{`${formatDateTime(t.expiresAt)} 前有效`}</Text> : null}
                </View>
              ) : null}
              <Text className='line muted'>{formatDate(t.createdAt)} 邀请</Text>
              {t.status !== 'revoked' && !t.expired ? (
                <Btn className='gz-btn gz-btn--danger gz-btn--small' loading={busy === t.id} disabled={!!busy} onClick={() => void revoke(t)}>
                  撤销
                </Btn>
              ) : null}
            </View>
          ))
        )}
      </View>
    </View>
  )
}
