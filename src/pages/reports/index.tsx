import { Text, View } from '@tarojs/components'
import { CommunityBar } from '../../components/community-bar'
import { Empty, ErrorView, Loading } from '../../components/page-state'
import { useSession } from '../../hooks/use-session'

/** The 报事 tab: a placeholder until its feature lands; it already knows who is signed in. */
export default function ReportsPage() {
  const { status, error, refresh } = useSession()
  return (
    <View className='page reports'>
      <Text className='page-title'>报事</Text>
      {status === 'error' ? (
        <ErrorView message={error ?? ''} onRetry={() => void refresh()} />
      ) : status !== 'ready' ? (
        <Loading />
      ) : (
        <>
          <CommunityBar />
          <Empty title='报事功能即将上线' hint='以后可以在这里报修、投诉或提建议。' />
        </>
      )}
    </View>
  )
}
