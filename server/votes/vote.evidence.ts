import { createHash, randomUUID } from 'node:crypto'
import type { Ctx } from '../context'
import { AppError } from '../errors'
import { storageFor } from '../storage'
import { cleanImage } from '../storage/image'
import { assertSafePdf } from '../storage/pdf'
import { sniff } from '../storage/sniff'
import { readUploadedFile } from '../uploads/uploaded-file'
import { loadVisibleVote } from './vote.policy'

/**
 * Paper-ballot evidence: the photo (or PDF scan) of a signed paper ballot, stored under the vote
 * before the committee enters the ballot. The reference carries the photo's SHA-256 into the
 * ballot and the audit log, so the photo cannot be swapped unnoticed; one photo backs one ballot.
 */

export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')

/** Stores the photo of a signed paper ballot; answers the reference enterPaperBallot takes. */
export async function uploadBallotEvidence(
  ctx: Ctx,
  input: { communityId: string; voteId: string; dataBase64?: string; cloudFileId?: string },
): Promise<{ evidenceRef: string; sha256: string }> {
  const data = await readUploadedFile(ctx, { base64: input.dataBase64, cloudFileId: input.cloudFileId })
  if (data.length > MAX_EVIDENCE_BYTES) throw new AppError('PayloadTooLarge', '文件不能超过 10 MB')
  // Checked by its bytes, not its name.
  const kind = sniff(data)
  if (!kind) throw new AppError('UnsupportedFile', '请上传纸质表决票的照片（JPEG、PNG、WebP）或 PDF 扫描件')
  const vote = await loadVisibleVote(ctx, input)
  // Paper ballots are entered while the vote is open or counting: a photo arriving after the result backs nothing.
  if (vote.status === 'closed' || vote.status === 'cancelled') throw new AppError('VoteClosed', vote.status === 'cancelled' ? '表决已撤销，不能上传纸质表决票的照片' : '表决已经结束，不能再上传纸质表决票的照片')
  // Stored as every photo is: without its location and camera metadata (a phone's photo of a
  // ballot carries where it was taken); a PDF only if it holds no scripts or embedded files.
  const stored = kind.kind === 'image' ? cleanImage(data).bytes : (assertSafePdf(data), data)
  const digest = sha256(stored)
  const ref = await storageFor(ctx.config).put(`votes/${input.communityId}/${vote.id}/${randomUUID()}.${kind.ext}`, stored, kind.mime)
  return { evidenceRef: `${ref}#sha256=${digest}`, sha256: digest }
}

/**
 * The storage reference of an evidence photo, checked to be one uploadBallotEvidence made for
 * this vote of this 小区: `<ref>#sha256=<hex>`, where the ref ends in
 * `votes/<communityId>/<voteId>/<uuid>.<ext>` (the key itself on disk; a cloud fileID ends with it).
 * Anything else (a made-up reference, a photo of another vote or 小区) is not found.
 */
export function parseEvidenceRef(communityId: string, voteId: string, evidenceRef: string): { ref: string; sha256: string } {
  const m = /^(.+)#sha256=([0-9a-f]{64})$/.exec(evidenceRef)
  const key = m && /(?:^|\/)(votes\/[^/]+\/[^/]+\/[0-9a-f-]{36}\.[a-z0-9]{2,5})$/.exec(m[1])
  if (!m || !key || key[1].split('/')[1] !== communityId || key[1].split('/')[2] !== voteId) {
    throw new AppError('NotFound', '找不到这张纸质表决票的照片，请重新拍摄上传')
  }
  return { ref: m[1], sha256: m[2] }
}

/** The photo must be one uploaded for this vote, still stored, with the digest it was uploaded with. */
export async function checkEvidence(ctx: Ctx, input: { communityId: string; voteId: string; evidenceRef: string }): Promise<void> {
  const evidence = parseEvidenceRef(input.communityId, input.voteId, input.evidenceRef)
  const data = await storageFor(ctx.config).get(evidence.ref)
  if (!data) throw new AppError('NotFound', '找不到这张纸质表决票的照片，请重新拍摄上传')
  if (sha256(data) !== evidence.sha256) throw new AppError('Conflict', '照片与上传时不一致，请重新拍摄上传')
}
