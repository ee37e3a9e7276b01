import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { Btn } from '../../components/btn'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { ROLE_LABELS } from '../../contracts/common'
import { formatArea } from '../../contracts/units'
import { ErrorView, Loading } from '../../components/page-state'
import { useSession } from '../../hooks/use-session'
import { getToken } from '../../services/token'
import { isManaging, isOfficer, useSessionStore } from '../../stores/session'
import { BINDING_STATUS_LABELS } from '../../utils/labels'
import { formatDate } from '../../utils/time'
import { confirmAction, go } from '../../utils/ui'
import './index.scss'

/** 我的: who I am, my 小区 and roles, my units, my binding requests, and the way to each tool. */
export default function MinePage() {
  const { me, status, error, refresh } = useSession()
  const [leaving, setLeaving] = useState(false)

  // Binding outcomes change while the person is elsewhere: read them again on every visit.
  useDidShow(() => {
    if (getToken()) void refresh()
  })
  usePullDownRefresh(() => {
    void refresh().finally(() => Taro.stopPullDownRefresh())
  })

  async function logout() {
    const ok = await confirmAction({ title: '退出登录', content: '确定要退出登录吗？退出后需要重新登录才能使用。', confirmText: '退出', danger: true })
    if (!ok) return
    setLeaving(true)
    await useSessionStore.getState().logout()
    setLeaving(false)
    await Taro.reLaunch({ url: '/pages/login/index' })
  }

  if (!me) {
    return (
      <View className='page'>
        <Text className='page-title'>我的</Text>
        {status === 'error' ? <ErrorView message={error ?? ''} onRetry={() => void refresh()} /> : <Loading />}
      </View>
    )
  }

  const ownedUnits = me.units.filter((u) => u.relation === 'owner')
  const officer = me.communities.some((c) => isOfficer(c.roles))
  const nameOf = (communityId: string) => me.communities.find((c) => c.id === communityId)?.name ?? ''

  return (
    <View className='page mine'>
      <View className='mine__hello'>
        <Text className='mine__name'>{me.nickname}</Text>
        <Text className='mine__greeting'>您好，欢迎使用共治</Text>
      </View>

      {status === 'error' ? <View className='error-note'>{error}（下拉可以重新加载）</View> : null}

      <View className='card'>
        <Text className='card-title'>我的小区</Text>
        {me.communities.length === 0 ? <Text className='line muted'>还没有加入任何小区。绑定房屋后会显示在这里。</Text> : null}
        {me.communities.map((c) => (
          <View key={c.id} className='mine__community'>
            <Text className='mine__community-name'>{c.name}</Text>
            <Text className='line muted'>身份：{c.roles.map((r) => ROLE_LABELS[r]).join('、')}</Text>
            {isManaging(c.roles) ? (
              <View className='mine__tools'>
                <Text className='mine__tools-title'>业委会工作台</Text>
                <Btn className='gz-btn gz-btn--small' onClick={() => go('/packages/committee/pages/binding-requests/index', { communityId: c.id })}>
                  绑定审核
                </Btn>
                <Btn className='gz-btn gz-btn--small' onClick={() => go('/packages/committee/pages/roster-import/index', { communityId: c.id })}>
                  导入名册
                </Btn>
              </View>
            ) : null}
          </View>
        ))}
        {officer ? (
          <Btn className='gz-btn' onClick={() => go('/packages/officer/pages/overview/index')}>
            社区工作台
          </Btn>
        ) : null}
      </View>

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
        <Btn className='gz-btn gz-btn--primary' onClick={() => go('/pages/bind/index')}>
          绑定房屋
        </Btn>
        {ownedUnits.length > 0 ? (
          <Btn className='gz-btn' onClick={() => go('/packages/owner/pages/tenants/index')}>
            邀请租户
          </Btn>
        ) : null}
        <Btn className='gz-btn' onClick={() => go('/pages/bind/index', { mode: 'tenant' })}>
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
            {b.status === 'pending' ? <Text className='line'>请等待业委会审核，审核后会在这里显示结果。</Text> : null}
            {b.reason ? <Text className='line'>说明：{b.reason}</Text> : null}
          </View>
        ))}
      </View>

      <Btn className='gz-btn gz-btn--danger' loading={leaving} disabled={leaving} onClick={() => void logout()}>
        退出登录
      </Btn>
    </View>
  )
}
