import { useEffect, useState } from 'react'
import { Input, Text, View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { NOTICE_KINDS, PUBLISHER_ROLES, type NoticeKind, type NoticePage, type NoticeSummary } from '../../contracts/notices'
import { Btn } from '../../components/btn'
import { CommunityBar } from '../../components/community-bar'
import { NoticeCard } from '../../components/notice-card'
import { Empty, ErrorView, Loading } from '../../components/page-state'
import { useCursorList } from '../../hooks/use-cursor-list'
import { useSession } from '../../hooks/use-session'
import { request } from '../../services/request'
import { useNoticeStore } from '../../stores/notices'
import { currentCommunity, useSessionStore } from '../../stores/session'
import { go } from '../../utils/ui'
import './index.scss'

type View_ = 'feed' | 'archive' | 'scheduled'
const VIEW_LABELS: Record<View_, string> = { feed: '最新', archive: '已过期', scheduled: '待发布' }
const PAGE_SIZE = 20

/**
 * The 公告 tab: pinned notices first, then the newest; filter by kind, search the titles, pull to
 * refresh, more on reaching the bottom (by cursor). Publishers also get 发布公告 and the list of
 * scheduled notices. The tab badge counts what I have not opened.
 */
export default function NoticesPage() {
  const { status: sessionStatus, error: sessionError, refresh: refreshSession } = useSession()
  const communityId = useSessionStore((s) => s.communityId)
  const community = useSessionStore((s) => currentCommunity(s))
  const publisher = !!community?.roles.some((r) => (PUBLISHER_ROLES as readonly string[]).includes(r))
  const opened = useNoticeStore((s) => s.opened)
  const refreshUnread = useNoticeStore((s) => s.refreshUnread)

  const [view, setView] = useState<View_>('feed')
  const [kind, setKind] = useState<NoticeKind | null>(null)
  const [draftQuery, setDraftQuery] = useState('')
  const [query, setQuery] = useState('')
  const [pinned, setPinned] = useState<NoticeSummary[]>([])

  function filters() {
    // Only called once a 小区 is chosen (`enabled` below).
    return { communityId: communityId ?? '', view, limit: PAGE_SIZE, ...(kind ? { kind } : {}), ...(query ? { q: query } : {}) }
  }

  const { items, cursor, state, error, loadFirst } = useCursorList<NoticeSummary, NoticePage>(
    (after) => request('listNotices', after ? { ...filters(), cursor: after } : filters()),
    {
      enabled: !!communityId,
      keepShown: true,
      onFirstPage: (page) => setPinned(page.pinned),
      onFirstSettled: () => void refreshUnread(communityId!),
    },
  )

  useEffect(() => {
    void loadFirst()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [communityId, view, kind, query])

  // Back from a notice or from publishing: the badge and the read marks may have changed.
  useDidShow(() => {
    if (communityId) void refreshUnread(communityId)
  })

  function open(n: NoticeSummary) {
    go('/pages/notice-detail/index', { id: n.id, communityId: n.communityId })
  }

  const views: View_[] = publisher ? ['feed', 'archive', 'scheduled'] : ['feed', 'archive']
  const empty = pinned.length === 0 && items.length === 0

  return (
    <View className='page notices'>
      <Text className='page-title'>公告</Text>
      {sessionStatus === 'error' ? (
        <ErrorView message={sessionError ?? ''} onRetry={() => void refreshSession()} />
      ) : sessionStatus !== 'ready' && !communityId ? (
        <Loading />
      ) : (
        <>
          <CommunityBar />
          {communityId ? (
            <>
              {publisher ? (
                <Btn className='gz-btn gz-btn--primary notices__compose' onClick={() => go('/packages/committee/pages/notice-compose/index', { communityId })}>
                  发布公告
                </Btn>
              ) : null}

              <View className='notices__search'>
                <Input
                  className='gz-input notices__search-input'
                  value={draftQuery}
                  placeholder='搜索标题中的字词'
                  confirmType='search'
                  maxlength={30}
                  onInput={(e) => setDraftQuery(e.detail.value)}
                  onConfirm={(e) => setQuery(e.detail.value.trim())}
                />
                <Btn className='gz-btn gz-btn--small notices__search-btn' onClick={() => setQuery(draftQuery.trim())}>
                  搜索
                </Btn>
              </View>
              {query ? (
                <View className='notices__query row'>
                  <Text>“{query}”的搜索结果</Text>
                  <Text
                    className='notices__clear'
                    onClick={() => {
                      setDraftQuery('')
                      setQuery('')
                    }}
                  >
                    清除
                  </Text>
                </View>
              ) : null}

              <View className='chips notices__views'>
                {views.map((v) => (
                  <View key={v} className={`chip ${v === view ? 'chip--active' : ''}`} onClick={() => setView(v)}>
                    {VIEW_LABELS[v]}
                  </View>
                ))}
              </View>
              <View className='chips notices__kinds'>
                <View className={`chip notices__kind-chip ${kind === null ? 'chip--active' : ''}`} onClick={() => setKind(null)}>
                  全部
                </View>
                {NOTICE_KINDS.map((k) => (
                  <View key={k} className={`chip notices__kind-chip ${k === kind ? 'chip--active' : ''}`} onClick={() => setKind(k)}>
                    {k}
                  </View>
                ))}
              </View>

              {state === 'loading' ? (
                <Loading />
              ) : state === 'error' ? (
                <ErrorView message={error ?? ''} onRetry={() => void loadFirst()} />
              ) : empty ? (
                <Empty
                  title={query ? '没有找到相关公告' : view === 'archive' ? '没有过期的公告' : view === 'scheduled' ? '没有待发布的公告' : '暂无公告'}
                  hint={query ? '换个字词试试。' : view === 'feed' ? '业委会、物业或社区发布的公告会显示在这里。' : undefined}
                />
              ) : (
                <View>
                  {pinned.map((n) => (
                    <NoticeCard key={n.id} notice={n} read={n.read || !!opened[n.id]} onOpen={open} />
                  ))}
                  {items.map((n) => (
                    <NoticeCard key={n.id} notice={n} read={n.read || !!opened[n.id]} onOpen={open} />
                  ))}
                  <Text className='notices__footer muted'>{state === 'more' ? '正在加载更多…' : cursor ? '上滑加载更多' : '没有更多了'}</Text>
                </View>
              )}
            </>
          ) : null}
        </>
      )}
    </View>
  )
}
