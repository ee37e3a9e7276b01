import { Text, View } from '@tarojs/components'
import { Btn } from '../../components/btn'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { formatArea } from '../../contracts/units'
import { CommunityBar } from '../../components/community-bar'
import { Empty, ErrorView, Loading } from '../../components/page-state'
import { useSession } from '../../hooks/use-session'
import { useSessionStore } from '../../stores/session'
import { go } from '../../utils/ui'
import './index.scss'

/**
 * The 缴费 tab. Fee notices are a later feature, so it says so honestly and lists the units the
 * person owns in the chosen 小区 (the ones notices will be for). Tenants are told fees are for
 * owners only.
 */
export default function FeesPage() {
  const { me, status, error, refresh } = useSession()
  const chosen = useSessionStore((s) => s.communityId)

  usePullDownRefresh(() => {
    void refresh().finally(() => Taro.stopPullDownRefresh())
  })

  if (status === 'error') {
    return (
      <View className='page fees'>
        <Text className='page-title'>缴费</Text>
        <ErrorView message={error ?? ''} onRetry={() => void refresh()} />
      </View>
    )
  }
  if (status !== 'ready' || !me) {
    return (
      <View className='page fees'>
        <Text className='page-title'>缴费</Text>
        <Loading />
      </View>
    )
  }

  // The 小区 the bar above shows (the same fallback as CommunityBar): only its units belong here.
  const current = me.communities.find((c) => c.id === chosen) ?? me.communities[0] ?? null
  const here = current ? me.units.filter((u) => u.communityId === current.id) : me.units
  const owned = here.filter((u) => u.relation === 'owner')
  const rented = here.filter((u) => u.relation === 'tenant')

  return (
    <View className='page fees'>
      <Text className='page-title'>缴费</Text>
      <CommunityBar />
      {owned.length > 0 ? (
        <>
          <Empty title='暂无缴费通知' hint='物业发出缴费通知后，会按房屋显示在这里。' />
          <View className='card'>
            <Text className='card-title'>我名下的房屋</Text>
            {owned.map((u) => (
              <View key={u.unitId} className='fees__unit'>
                <Text className='fees__unit-label'>{u.label}</Text>
                <Text className='fees__unit-area muted'>{formatArea(u.areaCentiM2)} 平方米</Text>
              </View>
            ))}
          </View>
        </>
      ) : rented.length > 0 ? (
        <Empty title='缴费信息只对业主开放' hint='您是租户。物业费等缴费信息只有房屋业主可以查看，如需了解请联系房东。' />
      ) : (
        <Empty title='暂无缴费通知' hint='绑定房屋后，您名下房屋的缴费通知会显示在这里。'>
          {/* Without any 小区 the bar above already offers the same button. */}
          {me.communities.length > 0 ? (
            <Btn className='gz-btn gz-btn--primary' onClick={() => go('/pages/bind/index')}>
              绑定房屋
            </Btn>
          ) : null}
        </Empty>
      )}
    </View>
  )
}
