import { useEffect, useState } from 'react'
import { Text, View } from '@tarojs/components'
import { periodLabel } from '../../../../contracts/fees'
import { formatBasisPoints, formatFen } from '../../../../contracts/money'
import { AsyncView } from '../../../../components/async-view'
import { Btn } from '../../../../components/btn'
import { ErrorNote } from '../../../../components/page-state'
import { useAsync } from '../../../../hooks/use-async'
import { useSubmit } from '../../../../hooks/use-submit'
import { request } from '../../../../services/request'
import { saveExport } from '../../../../services/vote-files'
import { FeePage, useFeeSetup } from '../../fee-page'
import { RateBar, RateChart } from './rate-chart'
import './index.scss'

/**
 * 收缴情况 for the staff, the committee and the community officer: the rate over the last 12
 * periods (a bar chart; tap a bar to see that period), by building, the units in arrears (masked
 * rooms for everyone but the fee staff), and the same as an .xlsx.
 */
export default function FeeOverviewPage() {
  const { communityId, name, setup } = useFeeSetup()
  const [period, setPeriod] = useState<string | null>(null)
  const overview = useAsync(() => request('collectionOverview', { communityId, ...(period ? { period } : {}) }), { auto: false })
  const arrears = useAsync(() => request('arrearsList', { communityId }), { auto: !!communityId })
  const exporting = useSubmit()
  useEffect(() => {
    if (communityId) void overview.reload()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [period])
  const o = overview.data

  return (
    <FeePage title='收缴情况' className='overview' communityId={communityId} name={name} setup={setup} onRefresh={() => Promise.all([overview.reload(), arrears.reload()])}>
      {() => (
        <AsyncView
          status={overview.status === 'error' && o ? 'ready' : overview.status}
          error={overview.error}
          code={overview.code}
          onRetry={() => void overview.reload()}
          empty={!!o && o.periods.length === 0}
          emptyTitle='还没有账单'
          emptyHint='生成账单后，这里显示每个账期和每栋楼的收缴率。'
        >
          {() =>
            o ? (
              <>
                <View className='card'>
                  <Text className='card-title'>近 {o.periods.length} 个账期收缴率</Text>
                  <RateChart periods={o.periods} chosen={o.period} onPick={setPeriod} />
                  {o.periods
                    .filter((p) => p.period === o.period)
                    .map((p) => (
                      <View key={p.period} className='overview__chosen'>
                        <Text className='fee-total fee-total--clear overview__rate'>{formatBasisPoints(p.rateBp)}</Text>
                        <Text className='line'>
                          {p.label}：应收 {formatFen(p.billedFen)}，实收 {formatFen(p.paidFen)}
                        </Text>
                      </View>
                    ))}
                </View>
                <View className='card'>
                  <Text className='card-title'>{o.period ? `${periodLabel(o.period)}按楼栋` : '按楼栋'}</Text>
                  {o.buildings.map((b) => (
                    <RateBar key={b.buildingId} label={b.buildingName} rateBp={b.rateBp} detail={`应收 ${formatFen(b.billedFen)}，实收 ${formatFen(b.paidFen)}`} />
                  ))}
                </View>
                <View className='card'>
                  <Text className='card-title'>欠费房屋{arrears.data ? `（${arrears.data.units.length} 户）` : ''}</Text>
                  {arrears.data?.masked ? <Text className='line muted'>房号已打码，不显示姓名和金额。</Text> : null}
                  {(arrears.data?.units ?? []).slice(0, 10).map((u) => (
                    <View key={u.unitLabel} className='row fee-money'>
                      <Text className='fee-money__label'>{u.unitLabel}</Text>
                      <Text className='fee-money__value'>{u.owedFen !== null ? formatFen(u.owedFen) : `${u.billCount} 张`}</Text>
                    </View>
                  ))}
                  {(arrears.data?.units.length ?? 0) > 10 ? <Text className='line muted'>完整名单见导出的表格。</Text> : null}
                </View>
                <ErrorNote message={exporting.error} />
                <Btn
                  className='gz-btn gz-btn--primary overview__export'
                  loading={exporting.busy}
                  disabled={exporting.busy}
                  onClick={() => void exporting.run(async () => saveExport(await request('exportCollection', { communityId })), { success: '已导出' })}
                >
                  导出 Excel 表格
                </Btn>
              </>
            ) : null
          }
        </AsyncView>
      )}
    </FeePage>
  )
}
