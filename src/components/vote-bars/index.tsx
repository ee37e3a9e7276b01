import { Text, View } from '@tarojs/components'
import { formatArea } from '../../contracts/units'
import type { Bar, MatterProgress } from '../../contracts/votes'
import './index.scss'

/** Width of a bar as a CSS percentage; for drawing only (every rule is decided on the server in integers). */
const width = (value: number, total: number) => `${total > 0 ? Math.min(100, (value / total) * 100) : 0}%`

function BarRow({ label, bar, unit, lineLabel }: { label: string; bar: Bar; unit: 'area' | 'head'; lineLabel: string }) {
  const show = (n: number) => (unit === 'area' ? `${formatArea(n)} ㎡` : `${n} 人`)
  return (
    <View className='vote-bar'>
      <View className='row'>
        <Text className='vote-bar__label'>{label}</Text>
        <Text className={`badge ${bar.met ? 'badge--approved' : 'badge--pending'}`}>{bar.met ? '已达到' : '未达到'}</Text>
      </View>
      <View className='vote-bar__track'>
        <View className={`vote-bar__fill ${bar.met ? 'vote-bar__fill--met' : ''}`} style={{ width: width(bar.value, bar.total) }} />
        <View className='vote-bar__line' style={{ left: width(bar.needed, bar.total) }} />
      </View>
      <Text className='vote-bar__text'>
        {show(bar.value)} / {show(bar.total)}，{lineLabel}需 {show(bar.needed)}
      </Text>
    </View>
  )
}

/**
 * One matter's progress as four bars: participation by area and by headcount against the 2/3
 * quorum, and agreement by area and by headcount against the pass line (of the participants).
 */
export function MatterBars({ m, final }: { m: MatterProgress; final: boolean }) {
  const pass = m.class === 'special' ? '四分之三' : '过半数'
  return (
    <View className='vote-bars'>
      <View className='row'>
        <Text className='vote-bars__title'>
          {m.position}. {m.title}
        </Text>
        {final ? <Text className={`badge vote-bars__outcome ${m.passed ? 'badge--approved' : 'badge--rejected'}`}>{m.passed ? '通过' : '未通过'}</Text> : null}
      </View>
      <Text className='line muted'>{m.class === 'special' ? '特别事项：同意须达参与表决的四分之三以上' : '一般事项：同意须过参与表决的半数'}</Text>
      <BarRow label='参与表决面积' bar={m.bars.quorumArea} unit='area' lineLabel='三分之二' />
      <BarRow label='参与表决人数' bar={m.bars.quorumHeadcount} unit='head' lineLabel='三分之二' />
      <BarRow label='同意面积（占参与）' bar={m.bars.passArea} unit='area' lineLabel={pass} />
      <BarRow label='同意人数（占参与）' bar={m.bars.passHeadcount} unit='head' lineLabel={pass} />
      <Text className='line muted'>
        反对 {m.opposeHeadcount} 人（{formatArea(m.opposeAreaCentiM2)} ㎡），弃权 {m.abstainHeadcount} 人（{formatArea(m.abstainAreaCentiM2)} ㎡）
      </Text>
    </View>
  )
}
