import { Text, View } from '@tarojs/components'
import { CommunityBar } from '../../components/community-bar'
import { Empty, ErrorView, Loading } from '../../components/page-state'
import { useSession } from '../../hooks/use-session'

/** The 公告 tab: a placeholder until its feature lands; it already knows who is signed in. */
export default function NoticesPage() {
  const { status, error, refresh } = useSession()
  return (
    <View className='page'>
      <Text className='page-title'>公告</Text>
      {status === 'error' ? (
        <ErrorView message={error ?? ''} onRetry={() => void refresh()} />
      ) : status !== 'ready' ? (
        <Loading />
      ) : (
        <>
          <CommunityBar />
          <Empty title='暂无公告' hint='业委会、物业或社区发布的公告会显示在这里。' />
        </>
      )}
    </View>
  )
}
