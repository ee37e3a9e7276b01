import { useEffect, useState } from 'react'
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { isCommitteeMember, isOfficer } from '../../../../contracts/roles'
import { AsyncView } from '../../../../components/async-view'
import { Btn } from '../../../../components/btn'
import { Chips } from '../../../../components/chips'
import { Field } from '../../../../components/field'
import { Page } from '../../../../components/page'
import { Empty, ErrorNote, Loading } from '../../../../components/page-state'
import { useAsync } from '../../../../hooks/use-async'
import { usePullRefresh } from '../../../../hooks/use-pull-refresh'
import { useSession } from '../../../../hooks/use-session'
import { useSubmit } from '../../../../hooks/use-submit'
import { request } from '../../../../services/request'
import { saveExport } from '../../../../services/vote-files'
import { minutesText } from '../../../../utils/reports'
import { Bars } from './bars'
import { periodChoices } from './periods'
import './index.scss'

function Figure({ label, value, late }: { label: string; value: string; late?: boolean }) {
  return (
    <View className='dash-figure'>
      <Text>{label}</Text>
      <Text className={`dash-figure__value ${late ? 'dash-figure__value--late' : ''}`}>{value}</Text>
    </View>
  )
}

/**
 * 报事统计 of one 小区 for a month, a quarter or a year: counts by category and by status as bars,
 * the median time to accept and to resolve, how many went past their target, and the average
 * rating; exported as .xlsx (without reporters) for the quarterly assessment. For officers and
 * the 小区's committee.
 */
export default function ReportDashboardPage() {
  const { me, status, error, refresh } = useSession()
  const { params } = useRouter()
  const communities = (me?.communities ?? []).filter((c) => isOfficer(c.roles) || isCommitteeMember(c.roles))
  const [communityId, setCommunityId] = useState(params?.communityId ?? '')
  const chosen = communities.find((c) => c.id === communityId) ?? communities[0]
  const periods = periodChoices(Date.now())
  const [period, setPeriod] = useState(periods[2].value)
  const dash = useAsync(() => request('reportDashboard', { communityId: chosen?.id ?? '', period }), { auto: false })
  const exporting = useSubmit([chosen?.id, period])
  usePullRefresh(() => dash.reload())
  useEffect(() => {
    if (chosen) void dash.reload({ fresh: true })
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reload() reads the latest 小区 and period
  }, [chosen?.id, period])

  if (!me) return <Page title='报事统计'>{status === 'error' ? <ErrorNote message={error} /> : <Loading />}</Page>
  if (!chosen) return <Page title='报事统计'><Empty title='没有可以查看的小区' hint='社区工作人员和业委会（物管会）可以查看报事统计。' /></Page>
  const d = dash.data
  return (
    <Page title='报事统计' className='report-dashboard'>
      {communities.length > 1 ? (
        <Field label='小区'>
          <Chips options={communities.map((c) => ({ value: c.id, label: c.name }))} value={chosen.id} onChange={setCommunityId} />
        </Field>
      ) : (
        <Text className='page-subtitle'>{chosen.name}</Text>
      )}
      <Field label='统计期'>
        <Chips options={periods} value={period} onChange={setPeriod} />
      </Field>
      <AsyncView status={dash.status} error={dash.error} code={dash.code} onRetry={() => void (refresh(), dash.reload())}>
        {() =>
          d ? (
            <>
              <View className='card'>
                <Text className='card-title'>
                  {d.communityName} · {d.period}
                </Text>
                <Figure label='报事总数' value={`${d.total} 条`} />
                <Figure label='受理用时（中位数）' value={minutesText(d.medianAcceptMinutes)} />
                <Figure label='办结用时（中位数）' value={minutesText(d.medianResolveMinutes)} />
                <Figure label='超过响应时限' value={`${d.overdueCount} 条`} late={d.overdueCount > 0} />
                <Figure label='平均评分' value={d.averageRatingX100 === null ? '暂无评分' : `${(d.averageRatingX100 / 100).toFixed(1)} 分（${d.ratedCount} 人评）`} />
                <Text className='line muted'>响应时限为本应用的默认设置（政策未规定），小区可调整。</Text>
              </View>
              <View className='card'>
                <Text className='card-title'>按类别</Text>
                <Bars className='dash-bars--category' items={d.byCategory.map((c) => ({ key: c.category, label: c.label, count: c.count }))} />
              </View>
              <View className='card'>
                <Text className='card-title'>按状态</Text>
                <Bars className='dash-bars--status' items={d.byStatus.map((s) => ({ key: s.status, label: s.label, count: s.count }))} />
              </View>
              <ErrorNote message={exporting.error} />
              <Btn
                className='gz-btn report-dashboard__export'
                loading={exporting.busy}
                disabled={exporting.busy}
                onClick={() => void exporting.run(async () => saveExport(await request('exportReportDashboard', { communityId: chosen.id, period })), { success: '已导出' })}
              >
                导出 Excel（季度考核用）
              </Btn>
            </>
          ) : null
        }
      </AsyncView>
    </Page>
  )
}
