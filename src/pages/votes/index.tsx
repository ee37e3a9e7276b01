import { useEffect, useRef, useState } from 'react'
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { VOTE_MANAGER_ROLES, VOTE_STATUS_LABELS, VOTE_VIEWER_ROLES, type VoteStatus, type VoteSummary } from '../../contracts/votes'
import { Btn } from '../../components/btn'
import { CommunityBar } from '../../components/community-bar'
import { Empty, ErrorView, Loading } from '../../components/page-state'
import { useSession } from '../../hooks/use-session'
import { messageOf, request } from '../../services/request'
import { currentCommunity, useSessionStore } from '../../stores/session'
import { STATUS_BADGE, whenText } from '../../utils/votes'
import { go } from '../../utils/ui'
import './index.scss'

/**
 * The 议事 tab: the 小区's votes, open ones first. Owners open one to vote and follow it; the
 * committee (or the office standing in for it) also sees drafts and starts new votes.
 */
export default function VotesPage() {
  const { status: sessionStatus, error: sessionError, refresh: refreshSession } = useSession()
  const communityId = useSessionStore((s) => s.communityId)
  const community = useSessionStore((s) => currentCommunity(s))
  const roles = community?.roles ?? []
  const manager = roles.some((r) => (VOTE_MANAGER_ROLES as readonly string[]).includes(r))
  const viewer = roles.some((r) => (VOTE_VIEWER_ROLES as readonly string[]).includes(r))

  const [votes, setVotes] = useState<VoteSummary[]>([])
  const [state, setState] = useState<'loading' | 'ready' | 'error'>('loading')
  const [error, setError] = useState<string | null>(null)
  const seq = useRef(0)

  async function load() {
    if (!communityId || !viewer) return
    const mine = ++seq.current
    setError(null)
    try {
      const list = await request('listVotes', { communityId })
      if (mine !== seq.current) return
      const order: Record<VoteStatus, number> = { open: 0, announced: 1, draft: 2, closed: 3 }
      setVotes([...list].sort((a, b) => order[a.status] - order[b.status]))
      setState('ready')
    } catch (err) {
      if (mine !== seq.current) return
      setError(messageOf(err))
      setState('error')
    }
  }

  useEffect(() => {
    setState('loading')
    void load()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [communityId, viewer])
  // Back from voting or from creating one: statuses and my ballots may have changed.
  useDidShow(() => {
    void load()
  })
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh())
  })

  return (
    <View className='page votes'>
      <Text className='page-title'>议事</Text>
      {sessionStatus === 'error' ? (
        <ErrorView message={sessionError ?? ''} onRetry={() => void refreshSession()} />
      ) : sessionStatus !== 'ready' && !communityId ? (
        <Loading />
      ) : (
        <>
          <CommunityBar />
          {!communityId ? null : !viewer ? (
            <Empty title='业主大会表决只对业主开放' hint='租户可以在“公告”中看到表决公告和结果。' />
          ) : (
            <>
              {manager ? (
                <Btn className='gz-btn gz-btn--primary votes__create' onClick={() => go('/packages/committee/pages/vote-create/index', { communityId })}>
                  发起表决
                </Btn>
              ) : null}
              {state === 'loading' ? (
                <Loading />
              ) : state === 'error' ? (
                <ErrorView message={error ?? ''} onRetry={() => void load()} />
              ) : votes.length === 0 ? (
                <Empty title='暂无议事表决' hint='业委会发起表决后，您可以在这里查看并投票。' />
              ) : (
                votes.map((v) => (
                  <View key={v.id} className='card votes__card' onClick={() => go('/pages/vote-detail/index', { communityId: v.communityId, voteId: v.id })}>
                    <View className='row'>
                      <Text className={`badge ${STATUS_BADGE[v.status]}`}>{VOTE_STATUS_LABELS[v.status]}</Text>
                      <Text className='muted'>{v.matterCount} 个事项</Text>
                    </View>
                    <Text className='card-title votes__title'>{v.title}</Text>
                    <Text className='line muted'>{whenText(v)}</Text>
                    <Text className='votes__cta'>{v.myPart === 'to_vote' ? '去投票 ›' : v.myPart === 'voted' ? '已投票，查看 ›' : '查看 ›'}</Text>
                  </View>
                ))
              )}
            </>
          )}
        </>
      )}
    </View>
  )
}
