import { Text, View } from '@tarojs/components'
import type { BillShareView } from '../../contracts/fees'
import { Btn } from '../../components/btn'
import { ErrorNote } from '../../components/page-state'
import { useSubmit } from '../../hooks/use-submit'
import { request } from '../../services/request'

/**
 * On the owner's unit card: each tenant of the unit, whether its bills are shared with them, and a
 * button to share or stop sharing (asked first). A shared tenant sees this unit's bills and
 * nothing else of money; stopping takes them away at once.
 */
export function TenantShares({ communityId, tenants, onChanged }: { communityId: string; tenants: BillShareView[]; onChanged: () => void }) {
  if (tenants.length === 0) return null
  return (
    <View className='fees__tenants'>
      <Text className='fee-section'>租户</Text>
      {tenants.map((t) => (
        <TenantShare key={t.tenancyId} communityId={communityId} tenant={t} onChanged={onChanged} />
      ))}
    </View>
  )
}

function TenantShare({ communityId, tenant, onChanged }: { communityId: string; tenant: BillShareView; onChanged: () => void }) {
  const submit = useSubmit()
  const name = tenant.tenantName ?? '租户'
  async function toggle() {
    const shared = !tenant.shared
    const r = await submit.run(() => request('shareBillsWithTenant', { communityId, tenancyId: tenant.tenancyId, shared }), {
      confirm: shared
        ? { title: '共享账单', content: `${name}将能看到这套房屋的物业费账单（只有这套房屋，看不到您的其他房屋和维修资金）。随时可以停止共享。确定共享吗？`, confirmText: '共享' }
        : { title: '停止共享', content: `停止后，${name}立即看不到这套房屋的账单。确定停止吗？`, confirmText: '停止共享' },
      success: shared ? '已共享' : '已停止共享',
    })
    if (r) onChanged()
  }
  return (
    <View className='fee-line fees__tenant'>
      <View className='row'>
        <Text className='fee-item'>{name}</Text>
        <Text className={`badge ${tenant.shared ? 'badge--approved' : 'badge--pending'}`}>{tenant.shared ? '已共享账单' : '未共享账单'}</Text>
      </View>
      <ErrorNote message={submit.error} />
      <Btn className={`gz-btn ${tenant.shared ? '' : 'gz-btn--primary'} fees__share`} loading={submit.busy} disabled={submit.busy} onClick={() => void toggle()}>
        {tenant.shared ? '停止共享账单' : '与租户共享账单'}
      </Btn>
    </View>
  )
}
