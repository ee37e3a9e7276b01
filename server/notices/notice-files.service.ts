import { randomUUID } from 'node:crypto'
import { MAX_IMAGE_BYTES, MAX_PDF_BYTES, type NoticeFileInfo } from '../../src/contracts/notices'
import { rolesInCommunity } from '../communities/membership.repository'
import { requireActor, type Ctx } from '../context'
import { AppError } from '../errors'
import { assertSafePdf, cleanImage, storageFor } from '../storage'
import { EXTENSIONS, sniff } from '../storage/sniff'
import { isPublisher, requirePublisher } from './notice.policy'
import { fileUrlOf, toFileInfo, type FileUrl } from './notice.queries'
import * as repo from './notice.repository'

/** Megabytes for people, rounded up so a file just over the limit never reads as equal to it. */
const mb = (bytes: number) => `${(Math.ceil((bytes / 1024 / 1024) * 10) / 10).toFixed(1).replace(/\.0$/, '')} MB`

/** Keeps a display name harmless: no path, no control characters. */
function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name
  const harmless = [...base].filter((c) => c !== '"' && c.charCodeAt(0) > 0x1f && c.charCodeAt(0) !== 0x7f).join('')
  return harmless.trim().slice(0, 120) || 'file'
}

export interface UploadRequest {
  communityId: string
  purpose: 'image' | 'attachment'
  fileName: string
  /** The file's bytes, already read from base64 or a cloud upload (server/uploads). */
  data: Buffer
}

/**
 * Accepts an image or PDF for a notice being composed. The type comes from the bytes, not the
 * name; a name claiming another type is refused too, so what residents download is what it says.
 * Checked entirely before anything is written; if the database write fails the stored file is
 * removed again, so a refused or failed upload leaves nothing behind.
 */
export async function uploadNoticeFile(ctx: Ctx, req: UploadRequest, fileUrl: FileUrl = fileUrlOf(ctx)): Promise<NoticeFileInfo> {
  const actor = requireActor(ctx)
  requirePublisher(actor, '只有发布者可以上传公告附件')
  const storage = storageFor(ctx.config)
  let data = req.data
  if (data.length === 0) throw new AppError('BadInput', '文件为空')

  const type = sniff(data)
  const fileName = cleanName(req.fileName)
  if (!type) throw new AppError('UnsupportedFile', '不支持的文件类型：图片只能是 JPEG、PNG 或 WebP，附件只能是 PDF（按文件内容识别，不看文件名）')
  if (req.purpose === 'image' && type.kind !== 'image') throw new AppError('UnsupportedFile', `这是${type.label}，不是图片；图片只能是 JPEG、PNG 或 WebP`)
  if (req.purpose === 'attachment' && type.kind !== 'pdf') throw new AppError('UnsupportedFile', `这是${type.label}，不是 PDF；附件只能是 PDF 文件`)
  const ext = fileName.includes('.') ? fileName.split('.').pop()!.toLowerCase() : ''
  if (ext && !EXTENSIONS[type.ext].includes(ext)) {
    throw new AppError('UnsupportedFile', `文件名是 .${ext}，但内容是${type.label}；请检查后重新选择文件`)
  }
  const limit = type.kind === 'image' ? MAX_IMAGE_BYTES : MAX_PDF_BYTES
  if (data.length > limit) {
    throw new AppError('PayloadTooLarge', `${type.kind === 'image' ? '图片' : 'PDF 文件'}不能超过 ${mb(limit)}（这个文件 ${mb(data.length)}）`)
  }

  // Photos are stored without their metadata (EXIF carries where they were taken) and refused
  // above 40 megapixels; PDFs that could run anything are refused.
  if (type.kind === 'image') data = cleanImage(data).bytes
  else assertSafePdf(data)

  const id = randomUUID()
  const ref = await storage.put(`notices/${req.communityId}/${id}.${type.ext}`, data, type.mime)
  const row: repo.NoticeFileRow = {
    id,
    community_id: req.communityId,
    notice_id: null,
    kind: type.kind,
    mime: type.mime,
    size_bytes: data.length,
    storage_key: ref,
    file_name: ext ? fileName : `${fileName}.${type.ext}`,
    position: 0,
    uploaded_by: actor.userId,
    removed_at: null,
    created_at: ctx.now().toISOString(),
  }
  try {
    await repo.insertFile(ctx.db, row)
  } catch (err) {
    await storage.delete(ref).catch(() => undefined)
    throw err
  }
  return toFileInfo(row, await fileUrl(row))
}

/**
 * Whether this user may download this file: a member of its 小区 when its notice is published;
 * otherwise (composing, scheduled, withdrawn) only the 小区's publishers. Answers the file row
 * with the reason when refused, so the route can choose 403 or 404.
 */
export async function fileForReader(
  ctx: Ctx,
  req: { fileId: string },
): Promise<{ ok: true; file: repo.NoticeFileRow } | { ok: false; code: 'NotFound' | 'Forbidden'; message: string }> {
  const { userId } = requireActor(ctx)
  const file = await repo.findFile(ctx.db, req.fileId)
  if (!file) return { ok: false, code: 'NotFound', message: '文件不存在' }
  // The file names its 小区; the reader's roles are those they hold there.
  const roles = await rolesInCommunity(ctx.db, userId, file.community_id)
  if (roles.length === 0) return { ok: false, code: 'Forbidden', message: '您不是该小区的成员' }
  const notice = file.notice_id ? await repo.findNotice(ctx.db, file.community_id, file.notice_id) : undefined
  const live = notice && !notice.withdrawn_at && notice.publish_at <= ctx.now().toISOString()
  if (!live && !isPublisher(roles)) return { ok: false, code: 'NotFound', message: '文件不存在' }
  return { ok: true, file }
}

/**
 * The file a signed link names, while it may still be served: a link signed for a notice's file
 * stops working when the notice is withdrawn or the file removed from it (an hour is long).
 * Unattached uploads (only their publisher was given links) keep working until purged.
 */
export async function fileForSignedLink(ctx: Pick<Ctx, 'db'>, fileId: string): Promise<repo.NoticeFileRow | null> {
  const file = await repo.findFile(ctx.db, fileId)
  if (!file || file.removed_at) return null
  if (file.notice_id) {
    const notice = await repo.findNotice(ctx.db, file.community_id, file.notice_id)
    if (!notice || notice.withdrawn_at) return null
  }
  return file
}

/** Removes uploads abandoned in the compose page (never attached) older than `before`; answers how many. */
export async function purgeUnattachedFiles(ctx: Pick<Ctx, 'db' | 'config'>, req: { before: Date }): Promise<number> {
  const storage = storageFor(ctx.config)
  const rows = await repo.unattachedFilesBefore(ctx.db, req.before.toISOString())
  for (const f of rows) {
    await storage.delete(f.storage_key)
    await repo.deleteFileRow(ctx.db, f.id)
  }
  return rows.length
}
