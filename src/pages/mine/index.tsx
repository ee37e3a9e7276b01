import { Text, View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { formatArea } from '../../contracts/units'
import { FEE_STAFF_ROLES, governingBody, hasAnyRole, isManaging, isOfficer, isResident, roleLabel } from '../../contracts/roles'
import { FUND_COLLECTOR_ROLES } from '../../contracts/fund'
import type { Me } from '../../contracts/identity'
import { Btn } from '../../components/btn'
import { TabPage } from '../../components/tab-page'
import { usePullRefresh } from '../../hooks/use-pull-refresh'
import { useSubmit } from '../../hooks/use-submit'
import { getToken } from '../../services/token'
import { useSessionStore } from '../../stores/session'
import { BINDING_STATUS_LABELS } from '../../utils/labels'
import { formatDate } from '../../utils/time'
import { go, relaunch } from '../../routes'
import './index.scss'

/** 我的: who I am, my 小区 and roles, my units, my binding requests, and the way to each tool. */
export default function MinePage() {
  const refresh = () => useSessionStore.getState().refresh()
  const leaving = useSubmit()

  // Binding outcomes change while the person is elsewhere: read them again on every visit.
  useDidShow(() => {
    if (getToken()) void refresh()
  })
  usePullRefresh(refresh)

  async function logout() {
    const done = await leaving.run(async () => {
      await useSessionStore.getState().logout()
      return true
    }, { confirm: { title: '退出登录', content: '确定要退出登录吗？退出后需要重新登录才能使用。', confirmText: '退出', danger: true } })
    if (done) await relaunch('login')
  }

  return (
    <TabPage title='我的' className='mine' bar={false}>
      {({ me }) =>
        me ? (
          <>
            <View className='mine__hello'>
              <Text className='mine__name'>{me.nickname}</Text>
              <Text className='mine__greeting'>您好，欢迎使用共治</Text>
            </View>
            <Communities me={me} />
            <Units me={me} />
            <View className='card'>
              <Text className='card-title'>隐私与账号</Text>
              <Btn className='gz-btn' onClick={() => go('myData')}>
                个人信息（查看、导出、注销）
              </Btn>
              <Btn className='gz-btn' onClick={() => go('devices')}>
                登录设备
              </Btn>
              <Btn className='gz-btn' onClick={() => go('privacy')}>
                隐私保护指引
              </Btn>
            </View>
            <Btn className='gz-btn gz-btn--danger' loading={leaving.busy} disabled={leaving.busy} onClick={() => void logout()}>
              退出登录
            </Btn>
          </>
        ) : null
      }
    </TabPage>
  )
}

/** My 小区 with my roles there, as that 小区 names them, and the tools of those I help run. */
function Communities({ me }: { me: Me }) {
  return (
    <View className='card'>
      <Text className='card-title'>我的小区</Text>
      {me.communities.length === 0 ? <Text className='line muted'>还没有加入任何小区。绑定房屋后会显示在这里。</Text> : null}
      {me.communities.map((c) => (
        <View key={c.id} className='mine__community'>
          <Text className='mine__community-name'>{c.name}</Text>
          <Text className='line muted'>身份：{c.roles.map((r) => roleLabel(r, c.governance)).join('、')}</Text>
          {isManaging(c.roles) ? (
            <View className='mine__tools'>
              <Text className='mine__tools-title'>{governingBody(c.governance)}工作台</Text>
              <Btn className='gz-btn gz-btn--small' onClick={() => go('bindingRequests', { communityId: c.id })}>
                绑定审核
              </Btn>
              <Btn className='gz-btn gz-btn--small' onClick={() => go('rosterImport', { communityId: c.id })}>
                导入名册
              </Btn>
            </View>
          ) : null}
          {hasAnyRole(c.roles, FEE_STAFF_ROLES) ? (
            <Btn className='gz-btn gz-btn--small mine__fees' onClick={() => go('feeHome', { communityId: c.id })}>
              收费工作台
            </Btn>
          ) : null}
          {c.roles.includes('owner') ? (
            <Btn className='gz-btn gz-btn--small mine__fund' onClick={() => go('fundMine', { communityId: c.id })}>
              维修资金
            </Btn>
          ) : null}
          {hasAnyRole(c.roles, FUND_COLLECTOR_ROLES) ? (
            <Btn className='gz-btn gz-btn--small mine__fund-manage' onClick={() => go('fundManage', { communityId: c.id })}>
              维修资金管理
            </Btn>
          ) : null}
        </View>
      ))}
      {me.communities.some((c) => isOfficer(c.roles)) ? (
        <Btn className='gz-btn' onClick={() => go('officerOverview')}>
          社区工作台
        </Btn>
      ) : null}
      {me.communities.some((c) => isOfficer(c.roles)) ? (
        <Btn className='gz-btn mine__fund-officer' onClick={() => go('fundOfficer')}>
          老旧小区维修资金归集
        </Btn>
      ) : null}
    </View>
  )
}

/**
 * My units and binding requests. Someone who only works in their 小区 (property staff, officers)
 * and has no unit is not asked to bind one or to join as a tenant.
 */
function Units({ me }: { me: Me }) {
  const worksOnly = me.units.length === 0 && me.bindings.length === 0 && me.communities.length > 0 && me.communities.every((c) => !isResident(c.roles))
  if (worksOnly) return null
  const nameOf = (communityId: string) => me.communities.find((c) => c.id === communityId)?.name ?? ''
  return (
    <>
      <View className='card'>
        <Text className='card-title'>我的房屋</Text>
        {me.units.length === 0 ? <Text className='line muted'>还没有绑定房屋。</Text> : null}
        {me.units.map((u) => (
          <View key={`${u.unitId}-${u.relation}`} className='mine__unit'>
            <View className='row'>
              <Text className='mine__unit-label'>{u.label}</Text>
              <Text className={`badge ${u.relation === 'owner' ? 'badge--approved' : 'badge--pending'}`}>{u.relation === 'owner' ? '业主' : '租户'}</Text>
            </View>
            <Text className='line muted'>
              {nameOf(u.communityId)} · {formatArea(u.areaCentiM2)} 平方米
            </Text>
          </View>
        ))}
        <Btn className='gz-btn gz-btn--primary' onClick={() => go('bind')}>
          绑定房屋
        </Btn>
        {me.units.some((u) => u.relation === 'owner') ? (
          <Btn className='gz-btn' onClick={() => go('tenants')}>
            邀请租户
          </Btn>
        ) : null}
        <Btn className='gz-btn' onClick={() => go('bind', { mode: 'tenant' })}>
          我是租户，填写邀请码
        </Btn>
      </View>

      <View className='card'>
        <Text className='card-title'>我的绑定申请</Text>
        {me.bindings.length === 0 ? <Text className='line muted'>没有绑定申请。</Text> : null}
        {me.bindings.map((b) => (
          <View key={b.id} className='mine__binding'>
            <View className='row'>
              <Text className='mine__unit-label'>{b.unitLabel}</Text>
              <Text className={`badge badge--${b.status}`}>{BINDING_STATUS_LABELS[b.status]}</Text>
            </View>
            <Text className='line muted'>
              {b.communityName} · {formatDate(b.createdAt)} 提交
            </Text>
            {b.status === 'pending' ? <Text className='line'>请等待{governingBody(b.governance)}审核，审核后会在这里显示结果。</Text> : null}
            {b.reason ? <Text className='line'>说明：{b.reason}</Text> : null}
          </View>
        ))}
      </View>
    </>
  )
}
