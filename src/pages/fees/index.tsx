import { useEffect, useRef } from 'react'
import { useDidShow } from '@tarojs/taro'
import { Btn } from '../../components/btn'
import { FEE_STAFF_ROLES, hasAnyRole, isResident } from '../../contracts/roles'
import { Empty } from '../../components/page-state'
import { TabPage } from '../../components/tab-page'
import { useAsync } from '../../hooks/use-async'
import { useCurrentCommunity } from '../../hooks/use-current-community'
import { usePullRefresh } from '../../hooks/use-pull-refresh'
import { request } from '../../services/request'
import { useSessionStore } from '../../stores/session'
import { go } from '../../routes'
import { MyBillsView } from './my-bills'
import './index.scss'

/**
 * The 缴费 tab: for an owner, each owned unit's unpaid bills first with the total owed, then the
 * paid history, the written 催缴 notices with their deadlines, and sharing the bills with the unit's
 * tenant. Co-owners each see the unit's bills. A tenant sees the bills the owner shares, else is
 * told bills are the owner's; staff and officers are sent to their 收费工作台.
 */
export default function FeesPage() {
  const { me, community } = useCurrentCommunity()
  const communityId = community?.id ?? null
  const owns = !!communityId && !!me?.units.some((u) => u.communityId === communityId && u.relation === 'owner')
  const rents = !owns && !!communityId && !!me?.units.some((u) => u.communityId === communityId && u.relation === 'tenant')
  const reads = owns || rents
  const bills = useAsync(() => request('myBills', { communityId: communityId as string }), { auto: false })
  const loaded = useRef(false)

  useEffect(() => {
    if (!reads) return
    loaded.current = true
    void bills.reload({ fresh: true })
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reload() is stable and reads the latest loader; bills are read again only when the 小区 or ownership changes
  }, [reads, communityId])
  // A payment recorded at the counter shows when the person comes back to the tab.
  const shown = useRef(false)
  useDidShow(() => {
    if (shown.current && reads && loaded.current) void bills.reload()
    shown.current = true
  })
  usePullRefresh(() => Promise.all([useSessionStore.getState().refresh(), reads ? bills.reload() : null]))

  return (
    <TabPage title='缴费' className='fees'>
      {({ me: person, community: here }) => {
        if (!person) return null
        const units = here ? person.units.filter((u) => u.communityId === here.id) : person.units
        if (here && owns) return <MyBillsView communityId={here.id} state={bills} />
        if (here && rents) return <MyBillsView communityId={here.id} state={bills} emptyTitle='缴费信息只对业主开放' />
        if (units.some((u) => u.relation === 'tenant')) {
          return <Empty title='缴费信息只对业主开放' hint='您是租户。物业费账单只向房屋业主显示，如需了解请联系房东（业主）。' />
        }
        if (here && hasAnyRole(here.roles, FEE_STAFF_ROLES)) {
          return (
            <Empty title='这里显示业主本人的账单' hint='您在本小区负责收费或监督。生成账单、登记收款、催缴和收缴情况在收费工作台。'>
              <Btn className='gz-btn gz-btn--primary fees__desk' onClick={() => go('feeHome', { communityId: here.id })}>
                进入收费工作台
              </Btn>
            </Empty>
          )
        }
        if (here && !isResident(here.roles)) return <Empty title='暂无缴费信息' hint='缴费账单按房屋发给业主。' />
        return (
          <Empty title='暂无缴费信息' hint='绑定房屋后，您名下房屋的物业费账单会显示在这里。'>
            {/* Without any 小区 the bar above already offers the same button. */}
            {here ? (
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

