import { Text, View } from '@tarojs/components'
import type { MySession } from '../../../../contracts/privacy'
import { AsyncView } from '../../../../components/async-view'
import { Btn } from '../../../../components/btn'
import { Page } from '../../../../components/page'
import { ErrorNote } from '../../../../components/page-state'
import { useAsync } from '../../../../hooks/use-async'
import { useSubmit } from '../../../../hooks/use-submit'
import { relaunch } from '../../../../routes'
import { request } from '../../../../services/request'
import { useSessionStore } from '../../../../stores/session'
import { formatDateTime } from '../../../../utils/time'

/** 我的 → 登录设备: where my account is logged in, and ending any of them. */
export default function DevicesPage() {
  const list = useAsync(() => request('mySessions'))
  const submit = useSubmit()

  async function end(s: MySession) {
    if (s.current) {
      const done = await submit.run(async () => {
        await useSessionStore.getState().logout()
        return true
      }, { confirm: { title: '退出本机', content: '退出后需要重新登录才能使用。', confirmText: '退出', danger: true } })
      if (done) await relaunch('login')
      return
    }
    const done = await submit.run(() => request('endMySession', { id: s.id }), {
      confirm: { title: '退出该设备', content: `让“${s.device}”退出登录？该设备需要重新登录才能使用。`, confirmText: '退出', danger: true },
      success: '已退出该设备',
    })
    if (done) await list.reload()
  }

  return (
    <Page title='登录设备' subtitle='您的账号在这些设备上登录着' className='devices'>
      <ErrorNote message={submit.error} />
      <AsyncView
        status={list.status}
        error={list.error}
        code={list.code}
        onRetry={() => void list.reload()}
        empty={(list.data ?? []).length === 0}
        emptyTitle='没有登录设备记录'
        emptyHint='在微信小程序里由微信确认您的身份，不需要登录设备记录。'
      >
        {() =>
          list.data!.map((s) => (
            <View key={s.id} className='card'>
              <Text className='card-title'>
                {s.device}
                {s.current ? '（本机）' : ''}
              </Text>
              <Text className='line'>登录于 {formatDateTime(s.createdAt)}</Text>
              <Text className='line muted'>最近使用 {s.lastUsedAt ? formatDateTime(s.lastUsedAt) : '未知'}</Text>
              <Btn className='gz-btn gz-btn--danger' disabled={submit.busy} onClick={() => void end(s)}>
                {s.current ? '退出本机' : '让它退出'}
              </Btn>
            </View>
          ))
        }
      </AsyncView>
    </Page>
  )
}
