import { createHash, randomUUID } from 'node:crypto'
import { FUND_DOCUMENT_LABELS, FUND_DOCUMENT_MAX_BYTES, type FundDocumentData, type FundDocumentKind, type FundDocumentUpload, type FundExpenseDocument } from '../../src/contracts/fund'
import { requireActor, type Ctx } from '../context'
import type { DbOrTx } from '../db/database'
import { AppError } from '../errors'
import { assertSafePdf, cleanImage, storageFor } from '../storage'
import { sniff } from '../storage/sniff'
import { assertCanDecide } from './fund.policy'
import type { FundFileTable } from './fund.table'

/**
 * An expense's documents as files (issue 11: "each expense with … its approval and documents
 * (quote, contract, acceptance photos)"). Uploaded one at a time by those who record expenses,
 * checked by their bytes: a photo is stored without its metadata (cleanImage: no GPS position, the
 * orientation kept), a PDF only when it can run nothing (assertSafePdf); at most 10 MB. Until the
 * expense names it, a file belongs to no expense and only its uploader may attach it; the hourly
 * purge removes the ones never attached. The expense row keeps each file's id, type, size and
 * SHA-256, so the fund's audit chain covers the documents: a file swapped in storage is refused
 * when read.
 */

/** A document as the expense row records it (and the audit log with it). */
export interface StoredDocument {
  kind: FundDocumentKind
  name: string
  fileId?: string
  mime?: string
  sizeBytes?: number
  sha256?: string
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')
const EXT: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'application/pdf': 'pdf' }

/** The file name a document is given when read: its name, with the extension its bytes call for. */
const fileNameOf = (name: string, mime: string) => `${name.replace(/[\\/:*?"<>|\s]+/g, '_').replace(/\.(jpe?g|png|webp|pdf)$/i, '')}.${EXT[mime] ?? 'bin'}`

export async function uploadFundDocument(ctx: Ctx, input: { communityId: string; fileName: string; data: Buffer }): Promise<FundDocumentUpload> {
  const actor = requireActor(ctx)
  await assertCanDecide(ctx.db, input.communityId, actor.roles)
  if (input.data.length > FUND_DOCUMENT_MAX_BYTES) throw new AppError('PayloadTooLarge', '材料文件不能超过 10 MB；照片请压缩，扫描件请降低分辨率后再上传')
  const type = sniff(input.data)
  if (!type) throw new AppError('UnsupportedFile', '材料只能是照片（JPEG、PNG、WebP）或 PDF 文件（按文件内容识别，不看文件名）')
  let data = input.data
  if (type.kind === 'image') data = cleanImage(data).bytes
  else assertSafePdf(data)
  const id = randomUUID()
  const storage = storageFor(ctx.config)
  const ref = await storage.put(`fund/${input.communityId}/${id}.${type.ext}`, data, type.mime)
  const row: FundFileTable = {
    id, community_id: input.communityId, expense_id: null, mime: type.mime, size_bytes: data.length, sha256: sha256(data),
    storage_key: ref, uploaded_by: actor.userId, created_at: ctx.now().toISOString(),
  }
  try {
    await ctx.db.insertInto('fund_files').values(row).execute()
  } catch (err) {
    await storage.delete(ref).catch(() => undefined)
    throw err
  }
  return { id, name: input.fileName.replace(/\.(jpe?g|png|webp|pdf)$/i, ''), mime: row.mime, sizeBytes: row.size_bytes }
}

/**
 * The named uploads of the actor that no expense has used, as the expense row will record them;
 * BadInput when one is not (another's, already used, purged, of another 小区). Called in the
 * expense's transaction before its row is written; attachDocuments then claims them.
 */
export async function documentsFor(db: DbOrTx, a: { communityId: string; userId: string; documents: readonly { kind: FundDocumentKind; name: string; fileId: string }[] }): Promise<StoredDocument[]> {
  const ids = a.documents.map((d) => d.fileId)
  if (ids.length === 0) return []
  if (new Set(ids).size !== ids.length) throw new AppError('BadInput', '同一份材料文件只能登记一次')
  const rows = await db
    .selectFrom('fund_files').select(['id', 'mime', 'size_bytes', 'sha256'])
    .where('community_id', '=', a.communityId).where('uploaded_by', '=', a.userId).where('expense_id', 'is', null).where('id', 'in', ids)
    .execute()
  const byId = new Map(rows.map((r) => [r.id, r]))
  return a.documents.map((d) => {
    const f = byId.get(d.fileId)
    if (!f) throw new AppError('BadInput', `材料“${d.name}”的文件无效或已被使用，请重新上传`)
    return { kind: d.kind, name: d.name, fileId: f.id, mime: f.mime, sizeBytes: Number(f.size_bytes), sha256: f.sha256 }
  })
}

/** Claims the documents for the expense just written (same transaction); a file claimed meanwhile fails the expense. */
export async function attachDocuments(db: DbOrTx, a: { communityId: string; userId: string; expenseId: string; documents: readonly StoredDocument[] }): Promise<void> {
  const ids = a.documents.flatMap((d) => (d.fileId ? [d.fileId] : []))
  if (ids.length === 0) return
  const res = await db
    .updateTable('fund_files').set({ expense_id: a.expenseId })
    .where('community_id', '=', a.communityId).where('uploaded_by', '=', a.userId).where('expense_id', 'is', null).where('id', 'in', ids)
    .executeTakeFirst()
  if (Number(res.numUpdatedRows) !== ids.length) throw new AppError('Conflict', '材料文件已被另一笔支出使用，请重新上传')
}

/** How an expense view shows its documents: the kind's label, and the file when there is one. */
export function documentViews(json: string): FundExpenseDocument[] {
  return (JSON.parse(json) as StoredDocument[]).map((d) => ({
    kind: FUND_DOCUMENT_LABELS[d.kind] ?? d.kind,
    name: d.name,
    fileId: d.fileId ?? null,
    mime: d.mime ?? null,
    sizeBytes: d.sizeBytes ?? null,
  }))
}

/**
 * A document of an expense, for those who may read the 小区's ledger (the registry's roles); only
 * files attached to that expense, and only when the bytes are still the ones recorded.
 */
export async function fundDocument(ctx: Ctx, input: { communityId: string; expenseId: string; fileId: string }): Promise<FundDocumentData> {
  const expense = await ctx.db.selectFrom('fund_expenses').select('documents').where('community_id', '=', input.communityId).where('id', '=', input.expenseId).executeTakeFirst()
  const doc = expense && (JSON.parse(expense.documents) as StoredDocument[]).find((d) => d.fileId === input.fileId)
  const row = doc && (await ctx.db.selectFrom('fund_files').selectAll().where('community_id', '=', input.communityId).where('expense_id', '=', input.expenseId).where('id', '=', input.fileId).executeTakeFirst())
  if (!doc || !row) throw new AppError('NotFound', '找不到这份材料')
  const data = await storageFor(ctx.config).get(row.storage_key)
  if (!data) throw new AppError('NotFound', '材料文件已不在存储中，请联系业委会')
  if (sha256(data) !== doc.sha256) throw new AppError('Conflict', '材料文件与登记时不一致（可能被替换），请联系业委会核实')
  return { fileName: fileNameOf(doc.name, row.mime), mime: row.mime, base64: data.toString('base64') }
}

/** Removes documents uploaded before `before` and never attached to an expense; answers how many. */
export async function purgeUnattachedFundDocuments(ctx: Pick<Ctx, 'db' | 'config'>, before: Date): Promise<number> {
  const rows = await ctx.db.selectFrom('fund_files').select(['id', 'storage_key']).where('expense_id', 'is', null).where('created_at', '<', before.toISOString()).limit(500).execute()
  const storage = storageFor(ctx.config)
  let purged = 0
  for (const f of rows) {
    // The row first, and only while still unattached: an expense claiming it this instant keeps its file.
    const res = await ctx.db.deleteFrom('fund_files').where('id', '=', f.id).where('expense_id', 'is', null).executeTakeFirst()
    if (Number(res.numDeletedRows) !== 1) continue
    await storage.delete(f.storage_key).catch(() => undefined)
    purged++
  }
  return purged
}

/** Documents abandoned in the expense form: the uploads no expense named within a day. */
const ABANDONED_AFTER_MS = 24 * 3600_000

/** The `fundUploadsPurge` job (server/jobs/registry.ts): hourly. */
export async function purgeFundUploads(ctx: Pick<Ctx, 'db' | 'config' | 'now'>): Promise<{ purged: number }> {
  return { purged: await purgeUnattachedFundDocuments(ctx, new Date(ctx.now().getTime() - ABANDONED_AFTER_MS)) }
}
