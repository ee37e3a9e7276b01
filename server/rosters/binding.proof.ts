/**
 * The proof behind a binding approval that changes who owns a unit (issue 8 item 9): a photo of
 * the 不动产权证 or the purchase contract. It goes through the same cleaning every kept photo goes
 * through (server/storage cleanImage: no EXIF or GPS, no oversized pictures), is stored under the
 * request, and its reference carries the SHA-256 of the stored bytes into the binding and the
 * audit log, so the photo cannot be swapped unnoticed.
 *
 * Every upload is recorded in binding_proofs (migration 021); the approval that rests on a photo
 * marks it used in its own transaction (checkProof), and the hourly `bindingProofsPurge` job
 * removes, from storage and table, the photos no approval used within a day (a request rejected,
 * a photo taken again).
 */
import { createHash, randomUUID } from 'node:crypto'
import { BINDING_PROOF_MAX_BYTES, type BindingProof } from '../../src/contracts/rosters'
import { requireActor, type Ctx } from '../context'
import { AppError } from '../errors'
import { cleanImage, storageFor } from '../storage'
import { purgeUploads } from '../storage/purge'
import { readUploadedFile } from '../uploads/uploaded-file'
import * as bindings from './binding.repository'

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')
const EXT = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' } as const
const GONE = '找不到这张房产证或购房合同的照片，请重新拍摄上传'

/** Stores the cleaned photo for a pending request of this 小区; answers the reference decideBinding takes. */
export async function uploadBindingProof(
  ctx: Ctx,
  input: { communityId: string; bindingId: string; dataBase64?: string; cloudFileId?: string },
): Promise<BindingProof> {
  const data = await readUploadedFile(ctx, { base64: input.dataBase64, cloudFileId: input.cloudFileId })
  if (data.length > BINDING_PROOF_MAX_BYTES) throw new AppError('PayloadTooLarge', '照片不能超过 10 MB')
  const binding = await bindings.getBinding(ctx.db, input.communityId, input.bindingId)
  if (!binding) throw new AppError('NotFound', '找不到该绑定申请')
  if (binding.status !== 'pending') throw new AppError('Conflict', '该申请已经处理过了，不需要再上传证明')
  const image = cleanImage(data)
  const digest = sha256(image.bytes)
  const id = randomUUID()
  const storage = storageFor(ctx.config)
  const ref = await storage.put(`bindings/${input.communityId}/${binding.id}/${id}.${EXT[image.mime]}`, image.bytes, image.mime)
  const row = { id, community_id: input.communityId, binding_id: binding.id, storage_key: ref, sha256: digest, uploaded_by: requireActor(ctx).userId, created_at: ctx.now().toISOString(), used_at: null }
  try {
    await ctx.db.insertInto('binding_proofs').values(row).execute()
  } catch (err) {
    await storage.delete(ref).catch(() => undefined)
    throw err
  }
  return { proofRef: `${ref}#sha256=${digest}`, sha256: digest }
}

/**
 * The proof reference, checked to be one uploadBindingProof made for this request of this 小区,
 * still stored with the digest it was uploaded with. Anything else is not found. Called in the
 * approval's transaction: the photo's row is marked used first (which waits for, or makes wait, a
 * purge of that row), so a photo the purge is removing is not found and a used one is never purged.
 * A photo uploaded before migration 021 has no row and is checked by its bytes alone.
 */
export async function checkProof(ctx: Ctx, communityId: string, bindingId: string, proofRef: string): Promise<{ ref: string; sha256: string }> {
  const m = /^(.+)#sha256=([0-9a-f]{64})$/.exec(proofRef)
  const key = m && /(?:^|\/)bindings\/([^/]+)\/([^/]+)\/[0-9a-f-]{36}\.(?:jpg|png|webp)$/.exec(m[1])
  if (!m || !key || key[1] !== communityId || key[2] !== bindingId) throw new AppError('NotFound', GONE)
  await ctx.db
    .updateTable('binding_proofs')
    .set({ used_at: ctx.now().toISOString() })
    .where('community_id', '=', communityId)
    .where('binding_id', '=', bindingId)
    .where('storage_key', '=', m[1])
    .where('used_at', 'is', null)
    .execute()
  const data = await storageFor(ctx.config).get(m[1])
  if (!data) throw new AppError('NotFound', GONE)
  if (sha256(data) !== m[2]) throw new AppError('Conflict', '照片与上传时不一致，请重新拍摄上传')
  return { ref: m[1], sha256: m[2] }
}

/** Photos abandoned in the approval: the uploads no approval used within a day. */
const UNUSED_AFTER_MS = 24 * 3600_000

/**
 * Removes the proof photos uploaded before `before` that no approval used (none marked used, none
 * named by a binding's proof_file), from storage and table; answers how many. Each in its own
 * transaction holding the row while the file goes, so an approval marking it used meanwhile waits
 * and then finds it gone (or, marking it first, keeps it).
 */
export async function purgeUnusedBindingProofs(ctx: Pick<Ctx, 'db' | 'config'>, before: Date): Promise<number> {
  const rows = await ctx.db
    .selectFrom('binding_proofs')
    .select(['id', 'storage_key', 'sha256'])
    .where('used_at', 'is', null)
    .where('created_at', '<', before.toISOString())
    .orderBy('created_at')
    .limit(500)
    .execute()
  return purgeUploads(
    ctx,
    rows,
    async (trx, f) => (await trx
      .deleteFrom('binding_proofs')
      .where('id', '=', f.id)
      .where('used_at', 'is', null)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('bindings').select('id').where('proof_file', '=', `${f.storage_key}#sha256=${f.sha256}`))))
      .executeTakeFirst()).numDeletedRows,
    (f) => f.storage_key,
  )
}

/** The `bindingProofsPurge` job (server/jobs/registry.ts): hourly. */
export async function purgeBindingProofs(ctx: Pick<Ctx, 'db' | 'config' | 'now'>): Promise<{ purged: number }> {
  return { purged: await purgeUnusedBindingProofs(ctx, new Date(ctx.now().getTime() - UNUSED_AFTER_MS)) }
}
