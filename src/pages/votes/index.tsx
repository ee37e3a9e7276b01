import { useEffect } from 'react'
import { Text, View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { VOTE_STATUS_LABELS, type VoteStatus } from '../../contracts/votes'
import { governingBody, isVoteManager, isVoteViewer } from '../../contracts/roles'
import { AsyncView } from '../../components/async-view'
import { Btn } from '../../components/btn'
import { Empty } from '../../components/page-state'
import { TabPage } from '../../components/tab-page'
import { useAsync } from '../../hooks/use-async'
import { useCurrentCommunity } from '../../hooks/use-current-community'
import { usePullRefresh } from '../../hooks/use-pull-refresh'
import { request } from '../../services/request'
import { STATUS_BADGE, whenText } from '../../utils/votes'
import { go } from '../../routes'
import './index.scss'

const ORDER: Record<VoteStatus, number> = { open: 0, counting: 1, announced: 2, draft: 3, closed: 4, cancelled: 5 }

/**
 * The 议事 tab: the 小区's votes, open ones first. Owners open one to vote and follow it; the
 * committee (or the office standing in for it) also sees drafts and starts new votes.
 */
export default function VotesPage() {
  const { community, communityId } = useCurrentCommunity()
  const roles = community?.roles ?? []
  const manager = isVoteManager(roles)
  const viewer = isVoteViewer(roles)
  const body = governingBody(community?.governance)

  const votes = useAsync(async () => {
    if (!communityId || !viewer) return []
    const list = await request('listVotes', { communityId })
    return [...list].sort((a, b) => ORDER[a.status] - ORDER[b.status])
  }, { auto: false })

  useEffect(() => {
    void votes.reload({ fresh: true })
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reload() reads the latest loader; the list is read again only when the 小区 or the viewer changes
  }, [communityId, viewer])
  // Back from voting or from creating one: statuses and my ballots may have changed.
  useDidShow(() => {
    void votes.reload()
  })
  usePullRefresh(() => votes.reload())

  const list = votes.data ?? []
  return (
    <TabPage title='议事' className='votes' early>
      {() =>
        !communityId ? null : !viewer ? (
          <Empty
            title='业主大会表决只对业主开放'
            hint={roles.includes('tenant') ? '租户可以在“公告”中看到表决公告和结果。' : '表决公告和结果会在“公告”中发布，您可以在那里查看。'}
          />
        ) : (
          <>
            {manager ? (
              <Btn className='gz-btn gz-btn--primary votes__create' onClick={() => go('voteCreate', { communityId })}>
                发起表决
              </Btn>
            ) : null}
            <AsyncView
              status={votes.status}
              error={votes.error}
              code={votes.code}
              onRetry={() => void votes.reload()}
              empty={list.length === 0}
              emptyTitle='暂无议事表决'
              emptyHint={manager ? '点上面的“发起表决”，向业主发布表决公告。' : `${body}发起表决后，您可以在这里查看并投票。`}
            >
              {list.map((v) => (
                <View key={v.id} className='card votes__card' onClick={() => go('voteDetail', { communityId: v.communityId, voteId: v.id })}>
                  <View className='row'>
                    <Text className={`badge ${STATUS_BADGE[v.status]}`}>{VOTE_STATUS_LABELS[v.status]}</Text>
                    <Text className='muted'>{v.matterCount} 个事项</Text>
                  </View>
                  <Text className='card-title votes__title'>{v.title}</Text>
                  <Text className='line muted'>{whenText(v)}</Text>
                  <Text className='votes__cta'>{v.myPart === 'to_vote' ? '去投票 ›' : v.myPart === 'voted' ? '已投票，查看 ›' : '查看 ›'}</Text>
                </View>
              ))}
            </AsyncView>
          </>
        )
      }
    </TabPage>
  )
}
