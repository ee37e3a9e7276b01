import { Text, View } from '@tarojs/components'

/**
 * A bar chart drawn with Views: one row per item, its bar as long as its share of the largest.
 * No chart library: none is installed, and the mobile ones (ECharts for WeChat, F2) weigh more than
 * this subpackage's whole budget or need a canvas adapter per platform, for a handful of counts.
 */
export function Bars({ items, className }: { items: { key: string; label: string; count: number }[]; className?: string }) {
  const max = Math.max(1, ...items.map((i) => i.count))
  return (
    <View className={`dash-bars ${className ?? ''}`}>
      {items.map((i) => (
        <View key={i.key} className='dash-bars__row'>
          <Text className='dash-bars__label'>{i.label}</Text>
          <View className='dash-bars__track'>
            <View className='dash-bars__fill' style={{ width: `${(i.count / max) * 100}%` }} />
          </View>
          <Text className='dash-bars__count'>{i.count}</Text>
        </View>
      ))}
    </View>
  )
}
