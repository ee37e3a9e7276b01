import { Text, View } from '@tarojs/components'
import { Btn } from '../../components/btn'
import { formatArea } from '../../contracts/units'
import { isResident } from '../../contracts/roles'
import { Empty } from '../../components/page-state'
import { TabPage } from '../../components/tab-page'
import { usePullRefresh } from '../../hooks/use-pull-refresh'
import { useSessionStore } from '../../stores/session'
import { go } from '../../routes'
import './index.scss'

/**
 * The 缴费 tab. Fee notices are a later feature, so it says so honestly and lists the units the
 * person owns in the chosen 小区 (the ones notices will be for). Tenants are told fees are for
 * owners only; staff and officers, who live elsewhere, are never asked to bind a unit.
 */
export default function FeesPage() {
  usePullRefresh(() => useSessionStore.getState().refresh())
  return (
    <TabPage title='缴费' className='fees'>
      {({ me, community }) => {
        if (!me) return null
        const here = community ? me.units.filter((u) => u.communityId === community.id) : me.units
        const owned = here.filter((u) => u.relation === 'owner')
        const rented = here.filter((u) => u.relation === 'tenant')
        if (owned.length > 0) {
          return (
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
          )
        }
        if (rented.length > 0) return <Empty title='缴费信息只对业主开放' hint='您是租户。物业费等缴费信息只有房屋业主可以查看，如需了解请联系房东。' />
        if (community && !isResident(community.roles)) return <Empty title='暂无缴费通知' hint='缴费通知按房屋发给业主；业主的缴费情况会在缴费功能上线后显示在这里。' />
        return (
          <Empty title='暂无缴费通知' hint='绑定房屋后，您名下房屋的缴费通知会显示在这里。'>
            {/* Without any 小区 the bar above already offers the same button. */}
            {community ? (
              <Btn className='gz-btn gz-btn--primary' onClick={() => go('bind')}>
                绑定房屋
              </Btn>
            ) : null}
          </Empty>
        )
      }}
    </TabPage>
  )
}
