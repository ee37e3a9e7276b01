import { useState } from 'react'
import { Image, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { NoticeDetail, NoticeFileInfo } from '../../contracts/notices'
import { fileSrc } from '../../services/notice-files'
import { formatDate, formatDateTime } from '../../utils/time'
import { KIND_SLUG, formatSize } from './kinds'
import './index.scss'

/** What a resident sees of a notice. The detail page passes the server's notice; the compose page its draft. */
export type NoticeViewModel = Pick<
  NoticeDetail,
  'kind' | 'title' | 'body' | 'publisherName' | 'publishAt' | 'postingEndsAt' | 'expiresAt' | 'pinned' | 'attachments' | 'version' | 'corrects' | 'correctedBy' | 'revisions'
> & { images: Pick<NoticeFileInfo, 'id' | 'url'>[] }

export interface NoticeViewProps {
  notice: NoticeViewModel
  /** Opens another notice (the correction, or the corrected one). Absent in the compose preview. */
  onOpenNotice?: (id: string) => void
  onOpenAttachment?: (file: NoticeFileInfo) => void
}

/** Paragraphs as the publisher typed them: a blank line or a line break starts a new one. */
function paragraphs(body: string): string[] {
  return body
    .split(/\n+/)
    .map((p) => p.trim())
    .filter(Boolean)
}

/**
 * One notice, exactly as residents read it: kind, title, who published it and when, the posting
 * period of a 公示, the text in paragraphs, images that open full screen, PDF attachments, the
 * correction links, and the edit history when it was edited.
 */
export function NoticeView({ notice, onOpenNotice, onOpenAttachment }: NoticeViewProps) {
  const [showHistory, setShowHistory] = useState(false)
  const srcs = notice.images.map((f) => fileSrc(f.url))
  const edited = notice.revisions.length > 1

  function preview(i: number) {
    void Promise.resolve(Taro.previewImage({ current: srcs[i], urls: srcs })).catch(() => undefined)
  }

  return (
    <View className='notice-view'>
      {notice.correctedBy ? (
        <View className='notice-view__corrected' onClick={() => onOpenNotice?.(notice.correctedBy!.id)}>
          <Text className='notice-view__corrected-title'>此{notice.kind}已被更正</Text>
          <Text className='notice-view__corrected-text'>
            {formatDate(notice.correctedBy.publishAt)} 发布了更正：《{notice.correctedBy.title}》，请以更正内容为准。
          </Text>
          {onOpenNotice ? <Text className='notice-view__link'>查看更正 ›</Text> : null}
        </View>
      ) : null}

      <View className='notice-view__tags'>
        <Text className={`kind-tag kind-tag--${KIND_SLUG[notice.kind]}`}>{notice.kind}</Text>
        {notice.pinned ? <Text className='kind-tag kind-tag--pinned'>置顶</Text> : null}
        {notice.corrects ? <Text className='kind-tag kind-tag--correction'>更正</Text> : null}
      </View>
      <Text className='notice-view__title' userSelect>
        {notice.title}
      </Text>
      <Text className='notice-view__meta'>
        {notice.publisherName} · {formatDateTime(notice.publishAt)} 发布
      </Text>

      {notice.corrects ? (
        <View className='notice-view__corrects' onClick={() => onOpenNotice?.(notice.corrects!.id)}>
          <Text>这是对《{notice.corrects.title}》的更正。</Text>
          {onOpenNotice ? <Text className='notice-view__link'>查看原{notice.kind} ›</Text> : null}
        </View>
      ) : null}

      {notice.postingEndsAt ? (
        <View className='notice-view__period'>
          <Text>
            公示期：{formatDate(notice.publishAt)} 至 {formatDate(notice.postingEndsAt)}
          </Text>
        </View>
      ) : null}

      <View className='notice-view__body'>
        {paragraphs(notice.body).map((p, i) => (
          <Text key={i} className='notice-view__para' userSelect>
            {p}
          </Text>
        ))}
      </View>

      {srcs.length > 0 ? (
        <View className={`notice-view__images notice-view__images--${srcs.length === 1 ? 'one' : 'grid'}`}>
          {srcs.map((src, i) => (
            <View key={notice.images[i].id} className='notice-view__image-box' onClick={() => preview(i)}>
              <Image className='notice-view__image' src={src} mode={srcs.length === 1 ? 'widthFix' : 'aspectFill'} lazyLoad />
            </View>
          ))}
        </View>
      ) : null}

      {notice.attachments.length > 0 ? (
        <View className='notice-view__files'>
          <Text className='notice-view__files-title'>附件</Text>
          {notice.attachments.map((f) => (
            <View key={f.id} className='notice-view__file' onClick={() => onOpenAttachment?.(f)}>
              <Text className='notice-view__file-name'>PDF · {f.fileName}</Text>
              <Text className='notice-view__file-size'>{formatSize(f.sizeBytes)}</Text>
            </View>
          ))}
        </View>
      ) : null}

      {notice.expiresAt ? <Text className='notice-view__expires'>有效期至 {formatDateTime(notice.expiresAt)}</Text> : null}

      {edited ? (
        <View className='notice-view__history'>
          <View className='row' onClick={() => setShowHistory(!showHistory)}>
            <Text className='notice-view__history-title'>
              已修改 {notice.revisions.length - 1} 次，最后修改于 {formatDateTime(notice.revisions[notice.revisions.length - 1].editedAt)}
            </Text>
            <Text className='notice-view__link'>{showHistory ? '收起' : '查看修改记录'}</Text>
          </View>
          {showHistory
            ? [...notice.revisions].reverse().map((r) => (
                <View key={r.version} className='notice-view__revision'>
                  <Text className='notice-view__revision-head'>
                    第 {r.version} 版 · {formatDateTime(r.editedAt)}
                    {r.version === 1 ? '（首次发布）' : ''}
                  </Text>
                  <Text className='notice-view__revision-title'>{r.title}</Text>
                  {paragraphs(r.body).map((p, i) => (
                    <Text key={i} className='notice-view__revision-para'>
                      {p}
                    </Text>
                  ))}
                  {r.files.length > 0 ? <Text className='notice-view__revision-files'>附图/附件 {r.files.length} 个</Text> : null}
                </View>
              ))
            : null}
        </View>
      ) : null}
    </View>
  )
}
