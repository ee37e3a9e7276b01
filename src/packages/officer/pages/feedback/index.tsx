import { useEffect, useRef, useState } from 'react'
import { Text, View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import type { Jurisdiction } from '../../../../contracts/communities'
import type { ReportSummary } from '../../../../contracts/reports'
import { AsyncView } from '../../../../components/async-view'
import { Btn } from '../../../../components/btn'
import { Chips } from '../../../../components/chips'
import { Page } from '../../../../components/page'
import { useAsync } from '../../../../hooks/use-async'
import { useCursorList } from '../../../../hooks/use-cursor-list'
import { useSession } from '../../../../hooks/use-session'
import { request } from '../../../../services/request'
import { go } from '../../../../routes'
import { REPORT_STATUS_BADGE, dueText, reportWhere } from '../../../../utils/reports'
import './index.scss'

const placeOf = (j: Jurisdiction) => (j.level === 'office' ? { officeId: j.id } : j.level === 'street' ? { streetId: j.id } : { districtId: j.id })
type Filter = 'open' | 'overdue' | 'all'

/**
 * The officers' feedback inbox: every report of every 小区 under one of their posts (an office, a
 * street, the district), overdue first, a page at a time; each opens to its detail, where the
 * officer can reassign it. Anonymous reporters are shown to officers (and only to them).
 */
export default function ReportFeedbackPage() {
  useSession()
  const posts = useAsync(() => request('myJurisdictions'))
  const [postId, setPostId] = useState('')
  const post = posts.data?.find((p) => p.id === postId) ?? posts.data?.[0]
  const [filter, setFilter] = useState<Filter>('open')
  const list = useCursorList<ReportSummary>(
    (cursor) =>
      request('officerReportInbox', {
        ...(post ? placeOf(post) : {}),
        status: filter === 'all' ? undefined : 'open',
        overdue: filter === 'overdue' || undefined,
        cursor: cursor ?? undefined,
      }),
    { enabled: !!post, keepShown: true },
  )
  useEffect(() => {
    if (post) void list.loadFirst()
    // eslint-disable-next-line react-hooks/exhaustive-deps -- loadFirst reads the latest post and filter
  }, [post?.id, filter])
  const shown = useRef(false)
  useDidShow(() => {
    if (shown.current && post) void list.loadFirst()
    shown.current = true
  })

  return (
    <Page title='辖区反馈收件箱' className='report-feedback'>
      <AsyncView status={posts.status} error={posts.error} code={posts.code} onRetry={() => void posts.reload()} empty={!!posts.data && posts.data.length === 0} emptyTitle='您没有社区、街道或区级的职务'>
        {() => (
          <>
            {(posts.data?.length ?? 0) > 1 ? <Chips options={(posts.data ?? []).map((p) => ({ value: p.id, label: p.name }))} value={post?.id ?? ''} onChange={setPostId} /> : null}
            <Chips
              options={[{ value: 'open' as const, label: '未办结' }, { value: 'overdue' as const, label: '超时未响应' }, { value: 'all' as const, label: '全部' }]}
              value={filter}
              onChange={setFilter}
            />
            <Btn className='gz-btn report-feedback__dashboard' onClick={() => go('reportDashboard')}>
              各小区报事统计
            </Btn>
            <AsyncView
              status={list.state}
              error={list.error}
              code={list.code}
              onRetry={() => void list.loadFirst()}
              empty={list.items.length === 0}
              emptyTitle={filter === 'overdue' ? '没有超时的报事' : '暂无报事'}
            >
              {list.items.map((r) => (
                <View key={r.id} className={`card report-feedback__card ${r.overdue ? 'report-feedback__card--late' : ''}`} onClick={() => go('reportDetail', { communityId: r.communityId, reportId: r.id })}>
                  <View className='row'>
                    <Text className={`badge ${REPORT_STATUS_BADGE[r.status]}`}>{r.statusLabel}</Text>
                    <Text className='muted'>{r.communityName}</Text>
                  </View>
                  <Text className='report-feedback__excerpt'>
                    【{r.categoryLabel}】{r.excerpt}
                  </Text>
                  <Text className='line muted'>{reportWhere(r)}</Text>
                  <Text className='line muted'>
                    处理单位：{r.handlerLabel}
                    {r.reporter ? ` · 报事人：${r.reporter.name}${r.anonymous ? '（匿名，仅社区可见）' : ''}` : ''}
                  </Text>
                  {r.overdue ? <Text className='line report-feedback__late'>{dueText(r)}</Text> : null}
                </View>
              ))}
              {list.state === 'more' ? <Text className='line muted'>正在加载更多…</Text> : null}
              {!list.cursor && list.items.length > 0 ? <Text className='line muted'>没有更多了</Text> : null}
            </AsyncView>
          </>
        )}
      </AsyncView>
    </Page>
  )
}
