import { useEffect, useState } from 'react'
import { Image, Text, View } from '@tarojs/components'
import { REPORT_PHOTOS_MAX, type ReportPhoto } from '../../contracts/reports'
import { Btn } from '../../components/btn'
import { Field } from '../../components/field'
import { pickImages } from '../../services/notice-files'
import { messageOf } from '../../services/errors'
import { request } from '../../services/request'
import { requestWithFile } from '../../services/upload'

// Photos already read, by id: a timeline shows the same photo again after every action.
const cache = new Map<string, string>()

/** One photo of a report, read through the reportPhoto action (only members of the 小区 may). */
export function PhotoThumb({ communityId, photo, onRemove }: { communityId: string; photo: ReportPhoto; onRemove?: () => void }) {
  const [src, setSrc] = useState<string | null>(cache.get(photo.id) ?? null)
  const [failed, setFailed] = useState(false)
  useEffect(() => {
    if (src) return
    let live = true
    request('reportPhoto', { communityId, photoId: photo.id })
      .then((p) => {
        const url = `data:${p.mime};base64,${p.base64}`
        cache.set(photo.id, url)
        if (live) setSrc(url)
      })
      .catch(() => live && setFailed(true))
    return () => {
      live = false
    }
  }, [communityId, photo.id, src])
  return (
    <View className='report-photo'>
      {src ? <Image className='report-photo__img' src={src} mode='aspectFill' /> : <Text className='report-photo__wait'>{failed ? '照片加载失败' : '加载中…'}</Text>}
      {onRemove ? (
        <Text className='report-photo__remove' onClick={onRemove}>
          删除
        </Text>
      ) : null}
    </View>
  )
}

export function PhotoList({ communityId, photos }: { communityId: string; photos: ReportPhoto[] }) {
  if (photos.length === 0) return null
  return (
    <View className='report-photos'>
      {photos.map((p) => (
        <PhotoThumb key={p.id} communityId={communityId} photo={p} />
      ))}
    </View>
  )
}

export interface PhotoPickerProps {
  communityId: string
  photos: ReportPhoto[]
  onChange: (update: (photos: ReportPhoto[]) => ReportPhoto[]) => void
  /** What is being uploaded ("正在上传第 2 / 3 张照片…"), null when done: the form waits meanwhile. */
  progress: string | null
  onProgress: (what: string | null) => void
  onError: (message: string) => void
  label?: string
}

/**
 * Up to 6 photos, picked from the album or the camera (through the privacy authorization, see
 * services/privacy.ts) and uploaded one by one with a count of how far it got; the server checks
 * each by its bytes. Each thumbnail can be removed before sending.
 */
export function PhotoPicker({ communityId, photos, onChange, progress, onProgress, onError, label = '照片' }: PhotoPickerProps) {
  async function add() {
    try {
      const picked = await pickImages(REPORT_PHOTOS_MAX - photos.length)
      for (const [i, f] of picked.entries()) {
        onProgress(`正在上传第 ${i + 1} / ${picked.length} 张照片…`)
        const photo = await requestWithFile('uploadReportPhoto', { communityId, fileName: f.name }, f, 'dataBase64')
        onChange((list) => [...list, photo].slice(0, REPORT_PHOTOS_MAX))
      }
    } catch (err) {
      onError(messageOf(err))
    } finally {
      onProgress(null)
    }
  }
  return (
    <Field label={`${label}（${photos.length} / ${REPORT_PHOTOS_MAX}，可不传）`} hint='拍清楚问题所在，每张不超过 5 MB'>
      <View className='report-photos'>
        {photos.map((p) => (
          <PhotoThumb key={p.id} communityId={communityId} photo={p} onRemove={() => onChange((list) => list.filter((x) => x.id !== p.id))} />
        ))}
      </View>
      {progress ? <Text className='line report-progress'>{progress}</Text> : null}
      {photos.length < REPORT_PHOTOS_MAX ? (
        <Btn className='gz-btn report-photos__add' disabled={!!progress} onClick={() => void add()}>
          添加照片
        </Btn>
      ) : null}
    </Field>
  )
}
