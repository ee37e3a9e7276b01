import { useEffect, useState } from 'react'
import { Input, Text, View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { NOTICE_KINDS, type NoticeKind, type NoticePage, type NoticeSummary } from '../../contracts/notices'
import { governingBody, isNoticePublisher } from '../../contracts/roles'
import { AsyncView } from '../../components/async-view'
import { Btn } from '../../components/btn'
import { Chips } from '../../components/chips'
import { NoticeCard } from '../../components/notice-card'
import { TabPage } from '../../components/tab-page'
import { useCurrentCommunity } from '../../hooks/use-current-community'
import { useCursorList } from '../../hooks/use-cursor-list'
import { request } from '../../services/request'
import { useNoticeStore } from '../../stores/notices'
import { go } from '../../routes'
import './index.scss'

type View_ = 'feed' | 'archive' | 'scheduled'
const VIEW_LABELS: Record<View_, string> = { feed: '最新', archive: '已过期', scheduled: '待发布' }
const PAGE_SIZE = 20
const ALL = '全部'

/**
 * The 公告 tab: pinned notices first, then the newest; filter by kind, search the titles, pull to
 * refresh, more on reaching the bottom (by cursor). Publishers also get 发布公告 and the list of
 * scheduled notices. The tab badge counts what I have not opened.
 */
export default function NoticesPage() {
  const { community, communityId } = useCurrentCommunity()
  const publisher = !!community && isNoticePublisher(community.roles)
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

  const { items, cursor, state, error, code, loadFirst } = useCursorList<NoticeSummary, NoticePage>(
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
    // eslint-disable-next-line react-hooks/exhaustive-deps -- loadFirst() reads the latest fetcher; the feed starts over only when the 小区 or a filter changes
  }, [communityId, view, kind, query])

  // Back from a notice or from publishing: the badge and the read marks may have changed.
  useDidShow(() => {
    if (communityId) void refreshUnread(communityId)
  })

  const open = (n: NoticeSummary) => go('noticeDetail', { id: n.id, communityId: n.communityId })
  const views: View_[] = publisher ? ['feed', 'archive', 'scheduled'] : ['feed', 'archive']
  const body = governingBody(community?.governance)
  const emptyHint = query ? '换个字词试试。' : view === 'feed' ? (body === '社区代管' ? '社区或物业发布的公告会显示在这里。' : `${body}、物业或社区发布的公告会显示在这里。`) : undefined

  return (
    <TabPage title='公告' className='notices' early>
      {() =>
        communityId ? (
          <>
            {publisher ? (
              <Btn className='gz-btn gz-btn--primary notices__compose' onClick={() => go('noticeCompose', { communityId })}>
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

            <Chips className='notices__views' options={views.map((v) => ({ value: v, label: VIEW_LABELS[v] }))} value={view} onChange={setView} />
            <Chips
              className='notices__kinds'
              chipClassName='notices__kind-chip'
              options={[ALL, ...NOTICE_KINDS]}
              value={kind ?? ALL}
              onChange={(k) => setKind(k === ALL ? null : (k as NoticeKind))}
            />

            <AsyncView
              status={state}
              error={error}
              code={code}
              onRetry={() => void loadFirst()}
              away={null}
              empty={pinned.length === 0 && items.length === 0}
              emptyTitle={query ? '没有找到相关公告' : view === 'archive' ? '没有过期的公告' : view === 'scheduled' ? '没有待发布的公告' : '暂无公告'}
              emptyHint={emptyHint}
            >
              <View>
                {[...pinned, ...items].map((n) => (
                  <NoticeCard key={n.id} notice={n} read={n.read || !!opened[n.id]} onOpen={open} />
                ))}
                <Text className='notices__footer muted'>{state === 'more' ? '正在加载更多…' : cursor ? '上滑加载更多' : '没有更多了'}</Text>
              </View>
            </AsyncView>
          </>
        ) : null
      }
    </TabPage>
  )
}
