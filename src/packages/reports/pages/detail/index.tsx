import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import type { ReportDetail } from '../../../../contracts/reports'
import { AsyncView } from '../../../../components/async-view'
import { Btn } from '../../../../components/btn'
import { Page } from '../../../../components/page'
import { useAsync } from '../../../../hooks/use-async'
import { usePullRefresh } from '../../../../hooks/use-pull-refresh'
import { request } from '../../../../services/request'
import { go } from '../../../../routes'
import { REPORT_STATUS_BADGE, dueText } from '../../../../utils/reports'
import { formatDateTime } from '../../../../utils/time'
import { PhotoList } from '../../photos'
import { HandlerActions, Reassign, ReporterActions } from './actions'
import { Timeline } from './timeline'
import '../../reports.scss'

/**
 * One report: what, where, its photos, who handles it and by when, the timeline; and what the
 * reader may do now (the server says which: `actions`): the reporter confirms with a rating or
 * asks again, the handler accepts, starts, resolves or replies, an officer reassigns.
 */
export default function ReportDetailPage() {
  const { params } = useRouter()
  const communityId = params?.communityId ?? ''
  const reportId = params?.reportId ?? ''
  const [updated, setUpdated] = useState<ReportDetail | null>(null)
  const state = useAsync(async () => {
    const r = await request('getReport', { communityId, reportId })
    setUpdated(null)
    return r
  })
  usePullRefresh(() => state.reload())
  const r = updated ?? state.data

  return (
    <Page title='报事详情' className='report-detail'>
      <AsyncView status={r ? 'ready' : state.status} error={state.error} code={state.code} onRetry={() => void state.reload()}>
        {() =>
          r ? (
            <>
              <View className='card'>
                <View className='row'>
                  <Text className={`badge ${REPORT_STATUS_BADGE[r.status]} report-detail__status`}>{r.statusLabel}</Text>
                  <Text className='muted'>
                    {r.categoryLabel}
                    {r.urgency === 'urgent' ? ' · 紧急' : ''}
                  </Text>
                </View>
                <Text className='line report-detail__description'>{r.description}</Text>
                <PhotoList communityId={r.communityId} photos={r.photos} />
                <Text className='line muted'>地点：{r.place.label}</Text>
                <Text className='line muted'>提交时间：{formatDateTime(r.createdAt)}</Text>
                <Text className='line muted'>处理单位：{r.handlerLabel}</Text>
                {r.reporter ? (
                  <Text className='line muted'>
                    报事人：{r.reporter.name}
                    {r.reporter.unitLabel ? `（${r.reporter.unitLabel}）` : ''}
                    {r.reporter.phone ? ` ${r.reporter.phone}` : ''}
                  </Text>
                ) : null}
                {r.anonymous ? <Text className='line muted'>{r.mine ? '您选择了匿名：物业和业委会看不到您是谁。' : '匿名报事'}</Text> : null}
                {['submitted', 'reopened', 'escalated'].includes(r.status) && dueText(r) ? (
                  <Text className={`line ${r.overdue ? 'report-overdue' : 'muted'}`}>{dueText(r)}（时限为本应用默认设置）</Text>
                ) : null}
                {r.rating ? (
                  <Text className='line report-detail__rating'>
                    评分：<Text className='report-rating'>{'★'.repeat(r.rating)}</Text> {r.rating} 星{r.ratingComment ? `，${r.ratingComment}` : ''}
                  </Text>
                ) : null}
              </View>
              {r.actions.includes('confirm') || r.actions.includes('reopen') ? <ReporterActions report={r} onDone={setUpdated} /> : null}
              {['accept', 'start', 'resolve', 'reply'].some((a) => r.actions.includes(a)) ? <HandlerActions report={r} onDone={setUpdated} /> : null}
              {r.actions.includes('reassign') ? <Reassign report={r} onDone={setUpdated} /> : null}
              <Timeline report={r} />
              {r.mine ? (
                <Btn className='gz-btn' onClick={() => go('reportContact', { communityId: r.communityId })}>
                  联系物业、业委会或社区
                </Btn>
              ) : null}
            </>
          ) : null
        }
      </AsyncView>
    </Page>
  )
}
