import { Text, View } from '@tarojs/components'
import { Btn } from '../../../../components/btn'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { ROLE_LABELS } from '../../../../contracts/common'
import { Empty, ErrorView, Loading } from '../../../../components/page-state'
import { useSession } from '../../../../hooks/use-session'
import { isOfficer } from '../../../../stores/session'
import { go } from '../../../../routes'
import { Page } from '../../../../components/page'
import './index.scss'

/** The 小区 an officer oversees (from `me`), each with the committee tools for that 小区. */
export default function OfficerOverviewPage() {
  const { me, status, error, refresh } = useSession()

  usePullDownRefresh(() => {
    void refresh().finally(() => Taro.stopPullDownRefresh())
  })

  if (!me) {
    return (
      <Page title='社区工作台'>
        {status === 'error' ? <ErrorView message={error ?? ''} onRetry={() => void refresh()} /> : <Loading />}
      </Page>
    )
  }

  const overseen = me.communities.filter((c) => isOfficer(c.roles))

  return (
    <Page title='社区工作台'>
      <Text className='page-subtitle'>您负责的小区共 {overseen.length} 个</Text>
      {overseen.length > 0 ? (
        <Btn className='gz-btn gz-btn--primary officer__feedback' onClick={() => go('reportFeedback')}>
          辖区反馈收件箱（居民报事）
        </Btn>
      ) : null}
      {overseen.length === 0 ? (
        <Empty title='没有负责的小区' hint='社区、街道或区级工作人员才能使用社区工作台。' />
      ) : (
        overseen.map((c) => (
          <View key={c.id} className='card officer__community'>
            <Text className='card-title'>{c.name}</Text>
            {c.isOld ? <Text className='line muted'>老旧小区（2005 年前建成）</Text> : null}
            <Text className='line muted'>我的身份：{c.roles.map((r) => ROLE_LABELS[r]).join('、')}</Text>
            <Btn className='gz-btn' onClick={() => go('bindingRequests', { communityId: c.id })}>
              绑定审核
            </Btn>
            <Btn className='gz-btn' onClick={() => go('rosterImport', { communityId: c.id })}>
              导入名册
            </Btn>
          </View>
        ))
      )}
    </Page>
  )
}
