import { randomUUID } from 'node:crypto'
import { REPORT_PHOTO_MAX_BYTES, type ReportPhoto, type ReportPhotoData } from '../../src/contracts/reports'
import { requireActor, type Ctx } from '../context'
import type { DbOrTx } from '../db/database'
import { AppError } from '../errors'
import { cleanImage, storageFor } from '../storage'
import { sniff } from '../storage/sniff'
import type { ReportFileTable } from './report.table'

/**
 * Photos of reports and of their steps. Uploaded first (one action per photo, so the page shows
 * progress), checked by their bytes (JPEG, PNG or WebP, at most 5 MB) and stored without their
 * metadata (cleanImage: residents' phones write where a photo was taken), then named by id when the
 * report or the step is submitted. Until then a photo belongs to nobody's report: a refused
 * submission deletes the photos it named, and the housekeeping job purges the forgotten ones.
 */
export async function storeReportPhoto(ctx: Ctx, input: { communityId: string; data: Buffer }): Promise<ReportPhoto> {
  const actor = requireActor(ctx)
  const type = sniff(input.data)
  if (input.data.length === 0) throw new AppError('BadInput', '照片为空')
  if (!type || type.kind !== 'image') throw new AppError('UnsupportedFile', '照片只能是 JPEG、PNG 或 WebP 图片（按文件内容识别，不看文件名）')
  if (input.data.length > REPORT_PHOTO_MAX_BYTES) throw new AppError('PayloadTooLarge', '照片不能超过 5 MB')
  const data = cleanImage(input.data).bytes
  const id = randomUUID()
  const storage = storageFor(ctx.config)
  const ref = await storage.put(`reports/${input.communityId}/${id}.${type.ext}`, data, type.mime)
  const row: ReportFileTable = {
    id, community_id: input.communityId, report_id: null, event_id: null, mime: type.mime, size_bytes: data.length,
    storage_key: ref, uploaded_by: actor.userId, created_at: ctx.now().toISOString(),
  }
  try {
    await ctx.db.insertInto('report_files').values(row).execute()
  } catch (err) {
    await storage.delete(ref).catch(() => undefined)
    throw err
  }
  return { id, mime: row.mime, sizeBytes: row.size_bytes }
}

/** Attaches photos the actor uploaded (and nobody has used) to a report and, for a step, its event. */
export async function attachPhotos(db: DbOrTx, a: { communityId: string; userId: string; reportId: string; eventId: string | null; photoIds: readonly string[] }): Promise<void> {
  const ids = [...new Set(a.photoIds)]
  if (ids.length === 0) return
  const res = await db
    .updateTable('report_files')
    .set({ report_id: a.reportId, event_id: a.eventId })
    .where('community_id', '=', a.communityId)
    .where('uploaded_by', '=', a.userId)
    .where('report_id', 'is', null)
    .where('id', 'in', ids)
    .executeTakeFirst()
  if (Number(res.numUpdatedRows) !== ids.length) throw new AppError('BadInput', '照片无效或已被使用，请重新上传')
}

/** Deletes photos a refused submission named (only the actor's own, never attached ones). */
export async function discardPhotos(ctx: Ctx, communityId: string, photoIds: readonly string[] | undefined): Promise<void> {
  if (!photoIds?.length || !ctx.actor) return
  const rows = await ctx.db
    .selectFrom('report_files').select(['id', 'storage_key'])
    .where('community_id', '=', communityId).where('uploaded_by', '=', ctx.actor.userId).where('report_id', 'is', null).where('id', 'in', [...new Set(photoIds)])
    .execute()
  await removeFiles(ctx, rows)
}

async function removeFiles(ctx: Pick<Ctx, 'db' | 'config'>, rows: readonly { id: string; storage_key: string }[]): Promise<void> {
  const storage = storageFor(ctx.config)
  for (const f of rows) {
    await storage.delete(f.storage_key).catch(() => undefined)
    await ctx.db.deleteFrom('report_files').where('id', '=', f.id).execute()
  }
}

/** Removes photos uploaded before `before` and never attached; answers how many. */
export async function purgeUnattachedReportPhotos(ctx: Pick<Ctx, 'db' | 'config'>, before: Date): Promise<number> {
  const rows = await ctx.db.selectFrom('report_files').select(['id', 'storage_key']).where('report_id', 'is', null).where('created_at', '<', before.toISOString()).limit(500).execute()
  await removeFiles(ctx, rows)
  return rows.length
}

/** The photos of a report, by the event they came with (null: the report's own). */
export async function photosOf(db: DbOrTx, communityId: string, reportId: string): Promise<(ReportPhoto & { eventId: string | null })[]> {
  const rows = await db.selectFrom('report_files').select(['id', 'mime', 'size_bytes', 'event_id']).where('community_id', '=', communityId).where('report_id', '=', reportId).orderBy('created_at').orderBy('id').execute()
  return rows.map((r) => ({ id: r.id, mime: r.mime, sizeBytes: r.size_bytes, eventId: r.event_id }))
}

/** The file row of a photo in a 小区 (attached or the caller's own pending one), or NotFound. */
export async function photoRow(db: DbOrTx, communityId: string, photoId: string): Promise<ReportFileTable> {
  const row = await db.selectFrom('report_files').selectAll().where('community_id', '=', communityId).where('id', '=', photoId).executeTakeFirst()
  if (!row) throw new AppError('NotFound', '照片不存在')
  return row
}

export async function photoData(ctx: Ctx, row: ReportFileTable): Promise<ReportPhotoData> {
  const data = await storageFor(ctx.config).get(row.storage_key)
  if (!data) throw new AppError('NotFound', '照片不存在')
  return { id: row.id, mime: row.mime, base64: data.toString('base64') }
}
