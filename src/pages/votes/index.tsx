import { Text, View } from '@tarojs/components'
import { CommunityBar } from '../../components/community-bar'
import { Empty, ErrorView, Loading } from '../../components/page-state'
import { useSession } from '../../hooks/use-session'

/** The 议事 tab: a placeholder until its feature lands; it already knows who is signed in. */
export default function VotesPage() {
  const { status, error, refresh } = useSession()
  return (
    <View className='page'>
      <Text className='page-title'>议事</Text>
      {status === 'error' ? (
        <ErrorView message={error ?? ''} onRetry={() => void refresh()} />
      ) : status !== 'ready' ? (
        <Loading />
      ) : (
        <>
          <CommunityBar />
          <Empty title='暂无议事表决' hint='业委会发起表决后，您可以在这里查看并投票。' />
        </>
      )}
    </View>
  )
}
