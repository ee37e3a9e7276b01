import { createHash, randomUUID } from 'node:crypto'
import type { ExpressionBuilder } from 'kysely'
import { requireActor, type Ctx } from '../context'
import type { Database } from '../db/database'
import { AppError } from '../errors'
import { storageFor } from '../storage'
import { purgeUploads } from '../storage/purge'
import { cleanImage } from '../storage/image'
import { assertSafePdf } from '../storage/pdf'
import { sniff } from '../storage/sniff'
import { readUploadedFile } from '../uploads/uploaded-file'
import { loadVisibleVote } from './vote.policy'

/**
 * Paper-ballot evidence: the photo (or PDF scan) of a signed paper ballot, stored under the vote
 * before the committee enters the ballot. The reference carries the photo's SHA-256 into the
 * ballot and the audit log, so the photo cannot be swapped unnoticed; one photo backs one ballot.
 *
 * Every upload is recorded in ballot_evidence (migration 023); a paper ballot's entry marks its
 * photo checked before the ballot is written (checkEvidence), and the hourly `ballotEvidencePurge`
 * job removes, from storage and table, the photos no ballot and no logged conflict names a day
 * after their upload and their last check (a photo taken again, an entry given up).
 */

export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')
const GONE = '找不到这张纸质表决票的照片，请重新拍摄上传'

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
  const id = randomUUID()
  const storage = storageFor(ctx.config)
  const ref = await storage.put(`votes/${input.communityId}/${vote.id}/${id}.${kind.ext}`, stored, kind.mime)
  const evidenceRef = `${ref}#sha256=${digest}`
  const row = { id, community_id: input.communityId, vote_id: vote.id, evidence_ref: evidenceRef, sha256: digest, uploaded_by: requireActor(ctx).userId, uploaded_at: ctx.now().toISOString(), checked_at: null }
  try {
    await ctx.db.insertInto('ballot_evidence').values(row).execute()
  } catch (err) {
    await storage.delete(ref).catch(() => undefined)
    throw err
  }
  return { evidenceRef, sha256: digest }
}

/**
 * The storage reference of an evidence photo, checked to be one uploadBallotEvidence made for
 * this vote of this 小区: `<ref>#sha256=<hex>`, where the ref ends in
 * `votes/<communityId>/<voteId>/<uuid>.<ext>` (the key itself on disk; a cloud fileID ends with it).
 * Anything else (a made-up reference, a photo of another vote or 小区) is not found.
 */
export function parseEvidenceRef(communityId: string, voteId: string, evidenceRef: string): { ref: string; sha256: string; id: string } {
  const m = /^(.+)#sha256=([0-9a-f]{64})$/.exec(evidenceRef)
  const key = m && /(?:^|\/)(votes\/[^/]+\/[^/]+\/([0-9a-f-]{36})\.[a-z0-9]{2,5})$/.exec(m[1])
  if (!m || !key || key[1].split('/')[1] !== communityId || key[1].split('/')[2] !== voteId) {
    throw new AppError('NotFound', GONE)
  }
  return { ref: m[1], sha256: m[2], id: key[2] }
}

/**
 * The photo must be one uploaded for this vote, still stored, with the digest it was uploaded with.
 * Called by a paper ballot's entry before its transaction: the photo's row is marked checked
 * first, committed, which waits for a purge holding that row (the photo is then found gone) and
 * otherwise keeps the photo from the purge for another day, so the ballot written next never
 * names a purged photo. A tracked photo is named exactly as it was uploaded (the purge matches
 * ballots by that reference); one uploaded before migration 023 has no row and is checked by its
 * bytes alone.
 */
export async function checkEvidence(ctx: Ctx, input: { communityId: string; voteId: string; evidenceRef: string }): Promise<void> {
  const evidence = parseEvidenceRef(input.communityId, input.voteId, input.evidenceRef)
  await ctx.db
    .updateTable('ballot_evidence')
    .set({ checked_at: ctx.now().toISOString() })
    .where('id', '=', evidence.id)
    .where('community_id', '=', input.communityId)
    .where('vote_id', '=', input.voteId)
    .execute()
  const row = await ctx.db.selectFrom('ballot_evidence').select('evidence_ref').where('id', '=', evidence.id).executeTakeFirst()
  if (row && row.evidence_ref.slice(0, row.evidence_ref.lastIndexOf('#')) !== evidence.ref) throw new AppError('NotFound', GONE)
  const data = await storageFor(ctx.config).get(evidence.ref)
  if (!data) throw new AppError('NotFound', GONE)
  if (sha256(data) !== evidence.sha256) throw new AppError('Conflict', '照片与上传时不一致，请重新拍摄上传')
}

/** Photos abandoned before their ballot was entered: the uploads no ballot used within a day. */
const UNUSED_AFTER_MS = 24 * 3600_000

/**
 * Uploaded and last checked before the cutoff, and named (exactly, `#sha256=` included) by no
 * ballot and no logged conflict of its vote.
 */
const unusedSince = (eb: ExpressionBuilder<Database, 'ballot_evidence'>, cutoff: string) =>
  eb.and([
    eb('ballot_evidence.uploaded_at', '<', cutoff),
    eb.or([eb('ballot_evidence.checked_at', 'is', null), eb('ballot_evidence.checked_at', '<', cutoff)]),
    eb.not(eb.exists(eb.selectFrom('ballots').select('ballots.id')
      .whereRef('ballots.community_id', '=', 'ballot_evidence.community_id')
      .whereRef('ballots.vote_id', '=', 'ballot_evidence.vote_id')
      .whereRef('ballots.evidence_file', '=', 'ballot_evidence.evidence_ref'))),
    eb.not(eb.exists(eb.selectFrom('vote_conflicts').select('vote_conflicts.id')
      .whereRef('vote_conflicts.community_id', '=', 'ballot_evidence.community_id')
      .whereRef('vote_conflicts.vote_id', '=', 'ballot_evidence.vote_id')
      .whereRef('vote_conflicts.evidence_file', '=', 'ballot_evidence.evidence_ref'))),
  ])

/**
 * Removes the evidence photos uploaded, and last checked, before `before` that no ballot and no
 * logged conflict names, from storage and table; answers how many. Each in its own transaction
 * holding the row while the file goes, so a paper ballot's entry checking that photo meanwhile
 * waits and then finds it gone (or, marking it first, keeps it). A photo a ballot or conflict
 * names is never removed, however old; one without a row (uploaded before migration 023) neither.
 */
export async function purgeUnusedBallotEvidence(ctx: Pick<Ctx, 'db' | 'config'>, before: Date): Promise<number> {
  const cutoff = before.toISOString()
  const rows = await ctx.db
    .selectFrom('ballot_evidence')
    .select(['id', 'evidence_ref'])
    .where((eb) => unusedSince(eb, cutoff))
    .orderBy('uploaded_at')
    .limit(500)
    .execute()
  return purgeUploads(
    ctx,
    rows,
    async (trx, f) => (await trx.deleteFrom('ballot_evidence').where('id', '=', f.id).where((eb) => unusedSince(eb, cutoff)).executeTakeFirst()).numDeletedRows,
    (f) => f.evidence_ref.slice(0, f.evidence_ref.lastIndexOf('#')),
  )
}

/** The `ballotEvidencePurge` job (server/jobs/registry.ts): hourly. */
export async function purgeBallotEvidence(ctx: Pick<Ctx, 'db' | 'config' | 'now'>): Promise<{ purged: number }> {
  return { purged: await purgeUnusedBallotEvidence(ctx, new Date(ctx.now().getTime() - UNUSED_AFTER_MS)) }
}
