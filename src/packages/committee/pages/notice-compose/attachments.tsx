import { Image, Text, View } from '@tarojs/components'
import { MAX_ATTACHMENTS, MAX_IMAGES, type NoticeFileInfo } from '../../../../contracts/notices'
import { Btn } from '../../../../components/btn'
import { Field } from '../../../../components/field'
import { fileSrc, pickImages, pickPdf, uploadNoticeFile } from '../../../../services/notice-files'
import { messageOf } from '../../../../services/request'

export interface AttachmentsProps {
  communityId: string
  images: NoticeFileInfo[]
  attachments: NoticeFileInfo[]
  onImages: (update: (images: NoticeFileInfo[]) => NoticeFileInfo[]) => void
  onAttachments: (update: (files: NoticeFileInfo[]) => NoticeFileInfo[]) => void
  /** Says what is being uploaded ("正在上传第 2 / 3 张图片…"), null when done; the page waits meanwhile. */
  onUploading: (what: string | null) => void
  onError: (message: string) => void
  uploading: boolean
}

/** Up to 9 photos (thumbnails, each removable) and PDF attachments, uploaded one by one with a count of how far it got. */
export function Attachments({ communityId, images, attachments, onImages, onAttachments, onUploading, onError, uploading }: AttachmentsProps) {
  async function upload(run: () => Promise<void>) {
    try {
      await run()
    } catch (err) {
      onError(messageOf(err))
    } finally {
      onUploading(null)
    }
  }

  const addImages = () =>
    upload(async () => {
      const picked = await pickImages(MAX_IMAGES - images.length)
      for (const [i, f] of picked.entries()) {
        onUploading(`正在上传第 ${i + 1} / ${picked.length} 张图片…`)
        const info = await uploadNoticeFile(communityId, 'image', f)
        onImages((list) => [...list, info].slice(0, MAX_IMAGES))
      }
    })

  const addPdf = () =>
    upload(async () => {
      const picked = await pickPdf()
      if (!picked) return
      onUploading('正在上传 PDF…')
      const info = await uploadNoticeFile(communityId, 'attachment', picked)
      onAttachments((list) => [...list, info])
    })

  return (
    <>
      <Field label={`图片（${images.length} / ${MAX_IMAGES}）`} hint='JPEG、PNG 或 WebP，每张不超过 5 MB'>
        <View className='compose__images'>
          {images.map((f) => (
            <View key={f.id} className='compose__thumb'>
              <Image className='compose__thumb-img' src={fileSrc(f.url)} mode='aspectFill' />
              <Text className='compose__thumb-remove' onClick={() => onImages((list) => list.filter((x) => x.id !== f.id))}>
                删除
              </Text>
            </View>
          ))}
        </View>
        {images.length < MAX_IMAGES ? (
          <Btn className='gz-btn' disabled={uploading} onClick={() => void addImages()}>
            添加图片
          </Btn>
        ) : null}
      </Field>

      <Field label={`PDF 附件（${attachments.length} / ${MAX_ATTACHMENTS}）`} hint='PDF 文件，不超过 20 MB'>
        {attachments.map((f) => (
          <View key={f.id} className='row compose__file'>
            <Text className='compose__file-name'>{f.fileName}</Text>
            <Text className='compose__thumb-remove' onClick={() => onAttachments((list) => list.filter((x) => x.id !== f.id))}>
              删除
            </Text>
          </View>
        ))}
        {attachments.length < MAX_ATTACHMENTS ? (
          <Btn className='gz-btn' disabled={uploading} onClick={() => void addPdf()}>
            添加 PDF
          </Btn>
        ) : null}
      </Field>
    </>
  )
}
