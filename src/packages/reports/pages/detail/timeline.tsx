import { Text, View } from '@tarojs/components'
import type { ReportDetail } from '../../../../contracts/reports'
import { formatDateTime } from '../../../../utils/time'
import { PhotoList } from '../../photos'

/** Every step of the report, oldest first: what happened, who did it, when, their words and photos. */
export function Timeline({ report }: { report: ReportDetail }) {
  return (
    <View className='card report-timeline'>
      <Text className='card-title'>处理进度</Text>
      {report.timeline.map((e, i) => (
        <View key={`${e.at}-${i}`} className='report-timeline__item'>
          <Text className='line report-timeline__head'>{e.label}</Text>
          <Text className='line muted'>
            {e.actor} · {formatDateTime(e.at)}
          </Text>
          {e.message ? <Text className='line'>{e.message}</Text> : null}
          <PhotoList communityId={report.communityId} photos={e.photos} />
        </View>
      ))}
    </View>
  )
}
