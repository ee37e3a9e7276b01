import Taro from '@tarojs/taro'
import type { NoticeFileInfo } from '../contracts/notices'
import { MAX_IMAGE_BYTES, MAX_PDF_BYTES } from '../contracts/notices'
import { ApiError } from './errors'
import { isPrivacyDenied, privacyDeclined } from './privacy'
import { isCancel, pickFromChat, pickInBrowser, readBrowserFile, type PickedFile } from './pick-file'
import { requestWithFile } from './upload'

/**
 * Where an <Image> or a download loads a notice file from. The server answers either a cloud
 * temporary link (cloud transport), used as is, or a link to its own `/api/files/<id>` route that
 * it signed for this reader (an <img> cannot send headers); that one needs the API's base URL.
 */
export function fileSrc(url: string): string {
  if (!url.startsWith('/api/files/')) return url
  const base = typeof TARO_APP_API_BASE_URL !== 'undefined' ? TARO_APP_API_BASE_URL : ''
  return `${base}${url}`
}

/** A picked file on its way to the server (services/upload.ts decides how it travels). */
export type PickedUpload = PickedFile

/**
 * Lets the publisher pick up to `max` photos (album or camera), compressed by WeChat. A photo over
 * 5 MB is refused here already; the server checks again, by content.
 */
export async function pickImages(max: number): Promise<PickedUpload[]> {
  if (max <= 0) return []
  let res: Taro.chooseImage.SuccessCallbackResult
  try {
    res = await Taro.chooseImage({ count: max, sizeType: ['compressed'], sourceType: ['album', 'camera'] })
  } catch (err) {
    if (isCancel(err)) return []
    if (isPrivacyDenied(err)) throw privacyDeclined('选择照片', '可以不带照片继续；想加照片时再点一次并选择同意。')
    throw new ApiError('UnsupportedFile', '无法打开相册，请稍后再试')
  }
  const out: PickedUpload[] = []
  for (const f of res.tempFiles ?? []) {
    const original = (f as { originalFileObj?: File }).originalFileObj
    const name = original?.name ?? f.path.split('/').pop() ?? 'photo.jpg'
    if (f.size > MAX_IMAGE_BYTES) throw new ApiError('PayloadTooLarge', `图片“${name}”超过 5 MB，请换一张或裁剪后再选`)
    if (original) out.push({ name, size: f.size, base64: await readBrowserFile(original) })
    else if (process.env.TARO_ENV === 'h5') out.push({ name, size: f.size, base64: await readBrowserFile(await (await fetch(f.path)).blob()) })
    else out.push({ name, size: f.size, path: f.path })
  }
  return out
}

function checkPdf(_name: string, size: number): void {
  if (size > MAX_PDF_BYTES) throw new ApiError('PayloadTooLarge', 'PDF 文件不能超过 20 MB')
}

/** Lets the publisher pick one PDF: from a WeChat chat in the mini-program, from disk in the browser. */
export async function pickPdf(): Promise<PickedUpload | null> {
  if (process.env.TARO_ENV === 'h5') return pickInBrowser('application/pdf,.pdf', 'notice-pdf-input', checkPdf)
  return pickFromChat(['pdf'], '无法打开文件，请从微信聊天中选择 PDF 文件', checkPdf)
}

/** Sends a picked file to the server, which checks it by content and answers its id. */
export function uploadNoticeFile(communityId: string, purpose: 'image' | 'attachment', file: PickedUpload): Promise<NoticeFileInfo> {
  return requestWithFile('uploadNoticeFile', { communityId, purpose, fileName: file.name }, file, 'dataBase64')
}

/** Opens a PDF attachment: a new tab in the browser; downloaded and opened by WeChat in the mini-program. */
export async function openAttachment(file: NoticeFileInfo): Promise<void> {
  const src = fileSrc(file.url)
  if (process.env.TARO_ENV === 'h5') {
    window.open(src, '_blank', 'noopener')
    return
  }
  const res = await Taro.downloadFile({ url: src })
  if (res.statusCode !== 200) throw new ApiError('NotFound', '附件下载失败，请稍后再试')
  await Taro.openDocument({ filePath: res.tempFilePath, fileType: 'pdf', showMenu: true })
}
