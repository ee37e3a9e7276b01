import { useEffect, useRef, useState } from 'react'
import { Text, View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { REPORT_CATEGORIES, REPORT_CATEGORY_LABELS, REPORT_STATUS_LABELS, type ReportCategory, type ReportInboxInput, type ReportSummary } from '../../../../contracts/reports'
import { AsyncView } from '../../../../components/async-view'
import { Btn } from '../../../../components/btn'
import { Chips } from '../../../../components/chips'
import { Field } from '../../../../components/field'
import { Page } from '../../../../components/page'
import { ErrorNote } from '../../../../components/page-state'
import { useAsync } from '../../../../hooks/use-async'
import { useCommunityParam } from '../../../../hooks/use-community-param'
import { useCursorList } from '../../../../hooks/use-cursor-list'
import { useSubmit } from '../../../../hooks/use-submit'
import { request } from '../../../../services/request'
import { go } from '../../../../routes'
import { REPORT_STATUS_BADGE, dueText, reportWhere } from '../../../../utils/reports'
import '../../reports.scss'

type StatusFilter = NonNullable<ReportInboxInput['status']> | 'all'
const STATUS_CHOICES: { value: StatusFilter; label: string }[] = [
  { value: 'open', label: '未办结' },
  ...(['submitted', 'accepted', 'in_progress', 'resolved', 'reopened', 'escalated', 'confirmed'] as const).map((value) => ({ value, label: REPORT_STATUS_LABELS[value] })),
  { value: 'all', label: '全部' },
]
const ACCEPTABLE = ['submitted', 'reopened', 'escalated']

/**
 * The handlers' inbox of a 小区 (property staff, the committee, the community office): overdue
 * first, filtered by status, category, overdue and building; several waiting reports can be
 * accepted at once.
 */
export default function ReportInboxPage() {
  const { communityId, community } = useCommunityParam()
  const [status, setStatus] = useState<StatusFilter>('open')
  const [category, setCategory] = useState<ReportCategory | 'all'>('all')
  const [overdue, setOverdue] = useState(false)
  const [buildingId, setBuildingId] = useState('all')
  const [chosen, setChosen] = useState<string[]>([])
  const bulk = useSubmit([chosen])
  const [refused, setRefused] = useState<string[]>([])
  // The buildings to filter by, from the fee setup (the same people may read it); no filter when it cannot be read.
  const buildings = useAsync(() => request('feeSetup', { communityId }).then((s) => s.buildings))

  const list = useCursorList<ReportSummary>(
    (cursor) =>
      request('reportInbox', {
        communityId,
        status: status === 'all' ? undefined : status,
        category: category === 'all' ? undefined : category,
        overdue: overdue || undefined,
        buildingId: buildingId === 'all' ? undefined : buildingId,
        cursor: cursor ?? undefined,
      }),
    { enabled: !!communityId, keepShown: true },
  )
  useEffect(() => {
    setChosen([])
    void list.loadFirst()
    // eslint-disable-next-line react-hooks/exhaustive-deps -- loadFirst reads the latest filters; reload when they change
  }, [communityId, status, category, overdue, buildingId])
  // Back from a report: its status may have changed (the first show is the load above).
  const shown = useRef(false)
  useDidShow(() => {
    if (shown.current) void list.loadFirst()
    shown.current = true
  })

  const toggle = (id: string) => setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]))
  async function acceptChosen() {
    const out = await bulk.run(() => request('bulkAcceptReports', { communityId, reportIds: chosen }), {
      confirm: { title: '批量受理', content: `受理选中的 ${chosen.length} 条报事？报事人会看到“已受理”。`, confirmText: '受理' },
    })
    if (!out) return
    setRefused(out.refused.map((r) => r.message))
    bulk.clear()
    setChosen([])
    void list.loadFirst()
  }

  return (
    <Page title='报事处理' subtitle={community?.name} className='report-inbox'>
      <Field label='状态'>
        <Chips options={STATUS_CHOICES} value={status} onChange={setStatus} />
      </Field>
      <Field label='类别'>
        <Chips options={[{ value: 'all' as const, label: '全部' }, ...REPORT_CATEGORIES.map((c) => ({ value: c, label: REPORT_CATEGORY_LABELS[c] }))]} value={category} onChange={setCategory} />
      </Field>
      {buildings.data && buildings.data.length > 0 ? (
        <Field label='楼栋'>
          <Chips options={[{ value: 'all', label: '全部' }, ...buildings.data.map((b) => ({ value: b.id, label: b.name }))]} value={buildingId} onChange={setBuildingId} />
        </Field>
      ) : null}
      <Chips options={[{ value: false, label: '全部时限' }, { value: true, label: '只看超时' }]} value={overdue} onChange={setOverdue} />
      {chosen.length > 0 ? (
        <Btn className='gz-btn gz-btn--primary report-inbox__bulk' loading={bulk.busy} disabled={bulk.busy} onClick={() => void acceptChosen()}>
          受理选中的 {chosen.length} 条
        </Btn>
      ) : null}
      <ErrorNote message={bulk.error} />
      {refused.map((m, i) => (
        <ErrorNote key={i} message={`未受理：${m}`} />
      ))}
      <AsyncView
        status={list.state}
        error={list.error}
        code={list.code}
        onRetry={() => void list.loadFirst()}
        empty={list.items.length === 0}
        emptyTitle='没有符合条件的报事'
        emptyHint='换一个筛选条件看看。'
      >
        {list.items.map((r) => (
          <View key={r.id} className='card report-select'>
            {ACCEPTABLE.includes(r.status) ? (
              <View className={`report-select__box ${chosen.includes(r.id) ? 'report-select__box--on' : ''}`} onClick={() => toggle(r.id)}>
                {chosen.includes(r.id) ? '✓' : ''}
              </View>
            ) : null}
            <View className='report-select__body report-inbox__card' onClick={() => go('reportDetail', { communityId, reportId: r.id })}>
              <View className='row'>
                <Text className={`badge ${REPORT_STATUS_BADGE[r.status]}`}>{r.statusLabel}</Text>
                <Text className='muted'>
                  {r.categoryLabel}
                  {r.urgency === 'urgent' ? ' · 紧急' : ''}
                </Text>
              </View>
              <Text className='report-card__title'>{r.excerpt}</Text>
              <Text className='line muted'>{reportWhere(r)}</Text>
              <Text className='line muted'>{r.reporter ? `报事人：${r.reporter.name}${r.reporter.unitLabel ? `（${r.reporter.unitLabel}）` : ''}` : r.anonymous ? '匿名报事' : ''}</Text>
              {r.overdue ? <Text className='line report-overdue'>{dueText(r)}</Text> : null}
            </View>
          </View>
        ))}
        {list.state === 'more' ? <Text className='line muted'>正在加载更多…</Text> : null}
        {!list.cursor && list.items.length > 0 ? <Text className='line muted'>没有更多了</Text> : null}
      </AsyncView>
    </Page>
  )
}
