import { Text, View } from '@tarojs/components'
import type { CollectionOverview } from '../../../../contracts/fees'
import { formatBasisPoints } from '../../../../contracts/money'

/** The short name of a period under its bar: 1月, Q1, 2026. */
function short(period: string): string {
  if (period.length === 4) return period
  if (period[5] === 'Q') return `${period.slice(2, 4)}Q${period[6]}`
  return `${Number(period.slice(5, 7))}月`
}

/**
 * The collection rate over the last 12 periods as bars drawn with Views (no chart library: the
 * mini-program's budget). The bar's height is the rate itself (formatBasisPoints gives "87.50%").
 */
export function RateChart({ periods, chosen, onPick }: { periods: CollectionOverview['periods']; chosen: string | null; onPick: (period: string) => void }) {
  return (
    <View className='rate-chart'>
      <View className='rate-chart__bars'>
        {periods.map((p) => (
          <View key={p.period} className={`rate-chart__col ${p.period === chosen ? 'rate-chart__col--chosen' : ''}`} onClick={() => onPick(p.period)}>
            <Text className='rate-chart__value'>{formatBasisPoints(p.rateBp).replace(/\.\d+%$/, '%')}</Text>
            <View className='rate-chart__track'>
              <View className='rate-chart__fill' style={{ height: formatBasisPoints(p.rateBp) }} />
            </View>
            <Text className='rate-chart__label'>{short(p.period)}</Text>
          </View>
        ))}
      </View>
    </View>
  )
}

/** One building's rate as a horizontal bar. */
export function RateBar({ label, rateBp, detail }: { label: string; rateBp: number; detail: string }) {
  return (
    <View className='rate-bar'>
      <View className='row'>
        <Text className='fee-item'>{label}</Text>
        <Text className='fee-item'>{formatBasisPoints(rateBp)}</Text>
      </View>
      <View className='rate-bar__track'>
        <View className='rate-bar__fill' style={{ width: formatBasisPoints(rateBp) }} />
      </View>
      <Text className='line muted'>{detail}</Text>
    </View>
  )
}
