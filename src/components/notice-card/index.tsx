import { Text, View } from '@tarojs/components'
import type { NoticeSummary } from '../../contracts/notices'
import { formatDateTime, formatFriendly } from '../../utils/time'
import { KIND_SLUG } from '../notice-view/kinds'
import '../notice-view/index.scss'
import './index.scss'

export interface NoticeCardProps {
  notice: NoticeSummary
  /** Read here or on the server. */
  read: boolean
  onOpen: (notice: NoticeSummary) => void
}

/**
 * One row of the 公告 feed: kind, unread mark, title, the first words, who and when. A notice not
 * yet published (the publishers' 待发布 list) says when it will be, and nobody can have read it yet.
 */
export function NoticeCard({ notice, read, onOpen }: NoticeCardProps) {
  const scheduled = new Date(notice.publishAt).getTime() > Date.now()
  const unread = !read && !scheduled
  return (
    <View className={`notice-card ${unread ? 'notice-card--unread' : ''}`} onClick={() => onOpen(notice)}>
      <View className='notice-card__tags'>
        <Text className={`kind-tag kind-tag--${KIND_SLUG[notice.kind]}`}>{notice.kind}</Text>
        {notice.pinned ? <Text className='kind-tag kind-tag--pinned'>置顶</Text> : null}
        {notice.isCorrection ? <Text className='kind-tag kind-tag--correction'>更正</Text> : null}
        {notice.corrected ? <Text className='kind-tag kind-tag--arrears'>已更正</Text> : null}
        {scheduled ? <Text className='kind-tag'>定时发布</Text> : null}
        {unread ? <Text className='kind-tag kind-tag--unread'>未读</Text> : null}
      </View>
      <Text className='notice-card__title'>{notice.title}</Text>
      {notice.excerpt ? <Text className='notice-card__excerpt'>{notice.excerpt}</Text> : null}
      <Text className='notice-card__meta'>
        {notice.publisherName} · {scheduled ? `将于 ${formatDateTime(notice.publishAt)} 发布` : formatFriendly(notice.publishAt)}
        {notice.imageCount > 0 ? ` · ${notice.imageCount} 张图` : ''}
      </Text>
    </View>
  )
}
