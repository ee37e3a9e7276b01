/**
 * The proof behind a binding approval that changes who owns a unit (issue 8 item 9): a photo of
 * the 不动产权证 or the purchase contract. It goes through the same cleaning every kept photo goes
 * through (server/storage cleanImage: no EXIF or GPS, no oversized pictures), is stored under the
 * request, and its reference carries the SHA-256 of the stored bytes into the binding and the
 * audit log, so the photo cannot be swapped unnoticed.
 */
import { createHash, randomUUID } from 'node:crypto'
import { BINDING_PROOF_MAX_BYTES, type BindingProof } from '../../src/contracts/rosters'
import type { Ctx } from '../context'
import { AppError } from '../errors'
import { cleanImage, storageFor } from '../storage'
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
  const ref = await storageFor(ctx.config).put(`bindings/${input.communityId}/${binding.id}/${randomUUID()}.${EXT[image.mime]}`, image.bytes, image.mime)
  return { proofRef: `${ref}#sha256=${digest}`, sha256: digest }
}

/**
 * The proof reference, checked to be one uploadBindingProof made for this request of this 小区,
 * still stored with the digest it was uploaded with. Anything else is not found.
 */
export async function checkProof(ctx: Ctx, communityId: string, bindingId: string, proofRef: string): Promise<{ ref: string; sha256: string }> {
  const m = /^(.+)#sha256=([0-9a-f]{64})$/.exec(proofRef)
  const key = m && /(?:^|\/)bindings\/([^/]+)\/([^/]+)\/[0-9a-f-]{36}\.(?:jpg|png|webp)$/.exec(m[1])
  if (!m || !key || key[1] !== communityId || key[2] !== bindingId) throw new AppError('NotFound', GONE)
  const data = await storageFor(ctx.config).get(m[1])
  if (!data) throw new AppError('NotFound', GONE)
  if (sha256(data) !== m[2]) throw new AppError('Conflict', '照片与上传时不一致，请重新拍摄上传')
  return { ref: m[1], sha256: m[2] }
}
