import { createHash, randomUUID } from 'node:crypto'
import {
  AnnounceVoteInput,
  CastBallotInput,
  CommunityOnly,
  CreateVoteInput,
  EnterPaperBallotInput,
  ListVotesInput,
  LookupReceiptInput,
  UploadEvidenceInput,
  VOTE_MANAGER_ROLES,
  VOTE_VIEWER_ROLES,
  VoteRef,
  type ConflictInfo,
  type ElectorateVoter,
  type ExportFile,
  type MyBallot,
  type MyVoteStatus,
  type PaperBallotResult,
  type ReceiptLookup,
  type VoteDetail,
  type VoteProgress,
  type VoteResultSheet,
  type VoteSetup,
  type VoteSummary,
} from '../../src/contracts/votes'
import { requireCaller, type Ctx } from '../context'
import { AppError } from '../errors'
import { action } from '../registry'
import { storageFor } from '../storage'
import { sniff } from '../storage/sniff'
import { readUploadedFile } from '../uploads/uploaded-file'
import * as votes from './vote.service'
import { resultHtml, resultXlsx } from './vote.export'

const actor = (ctx: Ctx): votes.Actor => ({ userId: requireCaller(ctx).userId, roles: ctx.roles })

/** The committee (or the community office standing in for it) runs votes. */
const MANAGERS = { roles: VOTE_MANAGER_ROLES }
/** Owners and those who run or oversee the 小区 follow votes; tenants do not vote. */
const VIEWERS = { roles: VOTE_VIEWER_ROLES }
const OWNERS = { roles: ['owner'] as const }

/**
 * Runs the vote clock for this 小区 before answering, so a vote whose time has come is opened or
 * closed (and its result published) even between timer ticks. A failure is logged, not shown:
 * the reader still gets an answer, and the timer retries.
 */
async function tick(ctx: Ctx, communityId: string): Promise<void> {
  try {
    const r = await votes.advanceVotes(ctx.db, ctx.now(), { communityId })
    for (const f of r.failed) ctx.log.error({ voteId: f.voteId, error: f.error }, 'vote tick failed')
  } catch (err) {
    ctx.log.error({ err, communityId }, 'vote tick failed')
  }
}

const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

export const voteActions = {
  /** The create form's facts: the notice period and the buildings to choose a scope from. */
  voteSetup: action({
    input: CommunityOnly,
    access: MANAGERS,
    handler: async (input, ctx): Promise<VoteSetup> => votes.voteSetup(ctx.db, actor(ctx), input.communityId),
  }),

  createVote: action({
    input: CreateVoteInput,
    access: MANAGERS,
    handler: async (input, ctx): Promise<VoteDetail> => votes.createVote(ctx.db, actor(ctx), input, ctx.now()),
  }),

  /** Publishes the announcement notice; the vote then opens by itself at opensAt. */
  announceVote: action({
    input: AnnounceVoteInput,
    access: MANAGERS,
    handler: async (input, ctx): Promise<VoteDetail> => votes.announceVote(ctx.db, actor(ctx), input, ctx.now()),
  }),

  /** Opens now if the opening time has come (the clock does this by itself too). */
  openVote: action({
    input: VoteRef,
    access: MANAGERS,
    handler: async (input, ctx): Promise<VoteDetail> => votes.openVoteNow(ctx.db, actor(ctx), input.communityId, input.voteId, ctx.now()),
  }),

  /** Closes now if the window has ended (the clock does this by itself too). */
  closeVote: action({
    input: VoteRef,
    access: MANAGERS,
    handler: async (input, ctx): Promise<VoteDetail> => votes.closeVoteNow(ctx.db, actor(ctx), input.communityId, input.voteId, ctx.now()),
  }),

  listVotes: action({
    input: ListVotesInput,
    access: VIEWERS,
    handler: async (input, ctx): Promise<VoteSummary[]> => {
      await tick(ctx, input.communityId)
      return votes.listVotes(ctx.db, actor(ctx), input.communityId, input.status)
    },
  }),

  getVote: action({
    input: VoteRef,
    access: VIEWERS,
    handler: async (input, ctx): Promise<VoteDetail> => {
      await tick(ctx, input.communityId)
      return votes.getVote(ctx.db, actor(ctx), input.communityId, input.voteId)
    },
  }),

  /** The caller's voters (units, area) and their ballots and receipts. */
  myVote: action({
    input: VoteRef,
    access: VIEWERS,
    handler: async (input, ctx): Promise<MyVoteStatus> => {
      await tick(ctx, input.communityId)
      return votes.myVote(ctx.db, actor(ctx), input.communityId, input.voteId)
    },
  }),

  /** One ballot paper, final; answers the receipt. */
  castBallot: action({
    input: CastBallotInput,
    access: OWNERS,
    handler: async (input, ctx): Promise<MyBallot> => {
      await tick(ctx, input.communityId)
      return votes.castBallot(ctx.db, actor(ctx), input, ctx.now())
    },
  }),

  lookupReceipt: action({
    input: LookupReceiptInput,
    access: VIEWERS,
    handler: async (input, ctx): Promise<ReceiptLookup> => {
      await tick(ctx, input.communityId)
      return votes.lookupReceipt(ctx.db, actor(ctx), input.communityId, input.voteId, input.receiptCode)
    },
  }),

  /** Participation against the 2/3 quorum and agreement against the pass line, by area and by headcount. */
  voteProgress: action({
    input: VoteRef,
    access: VIEWERS,
    handler: async (input, ctx): Promise<VoteProgress> => {
      await tick(ctx, input.communityId)
      return votes.progress(ctx.db, input.communityId, input.voteId, ctx.now(), actor(ctx))
    },
  }),

  /** The frozen electorate by voter, with who has voted (not how), for paper ballots and reminders. */
  voteElectorate: action({
    input: VoteRef,
    access: MANAGERS,
    handler: async (input, ctx): Promise<ElectorateVoter[]> => {
      await tick(ctx, input.communityId)
      return votes.electorateList(ctx.db, actor(ctx), input.communityId, input.voteId)
    },
  }),

  voteConflicts: action({
    input: VoteRef,
    access: MANAGERS,
    handler: async (input, ctx): Promise<ConflictInfo[]> => votes.conflicts(ctx.db, actor(ctx), input.communityId, input.voteId),
  }),

  /** Stores the photo of a signed paper ballot; answers the reference enterPaperBallot takes. */
  uploadBallotEvidence: action({
    input: UploadEvidenceInput,
    access: MANAGERS,
    handler: async (input, ctx): Promise<{ evidenceRef: string; sha256: string }> => {
      const data = await readUploadedFile(ctx, { base64: input.dataBase64, cloudFileId: input.cloudFileId })
      if (data.length > MAX_EVIDENCE_BYTES) throw new AppError('PayloadTooLarge', '文件不能超过 10 MB')
      const kind = sniff(data)
      if (!kind) throw new AppError('UnsupportedFile', '请上传纸质表决票的照片（JPEG、PNG、WebP）或 PDF 扫描件')
      const vote = await votes.getVote(ctx.db, actor(ctx), input.communityId, input.voteId)
      const sha256 = createHash('sha256').update(data).digest('hex')
      const ref = await storageFor(ctx.config).put(`votes/${input.communityId}/${vote.id}/${randomUUID()}.${kind.ext}`, data, kind.mime)
      // The digest travels with the reference into the ballot and the audit log: the photo cannot be swapped unnoticed.
      return { evidenceRef: `${ref}#sha256=${sha256}`, sha256 }
    },
  }),

  enterPaperBallot: action({
    input: EnterPaperBallotInput,
    access: MANAGERS,
    handler: async (input, ctx): Promise<PaperBallotResult> => {
      await tick(ctx, input.communityId)
      // The photo must be one uploaded for this vote, still stored, with the digest it was uploaded with.
      const evidence = votes.parseEvidenceRef(input.communityId, input.voteId, input.evidenceRef)
      const data = await storageFor(ctx.config).get(evidence.ref)
      if (!data) throw new AppError('NotFound', '找不到这张纸质表决票的照片，请重新拍摄上传')
      if (createHash('sha256').update(data).digest('hex') !== evidence.sha256) throw new AppError('Conflict', '照片与上传时不一致，请重新拍摄上传')
      return votes.enterPaperBallot(ctx.db, actor(ctx), input, ctx.now())
    },
  }),

  /** The printable result for the notice board (structured data and a self-contained HTML page). */
  voteResult: action({
    input: VoteRef,
    access: VIEWERS,
    handler: async (input, ctx): Promise<VoteResultSheet> => {
      await tick(ctx, input.communityId)
      const data = await votes.resultData(ctx.db, actor(ctx), input.communityId, input.voteId, ctx.now())
      return { ...data, html: resultHtml(data) }
    },
  }),

  /** The result as .xlsx (base64). */
  exportVoteResult: action({
    input: VoteRef,
    access: MANAGERS,
    handler: async (input, ctx): Promise<ExportFile> => {
      await tick(ctx, input.communityId)
      return resultXlsx(await votes.resultData(ctx.db, actor(ctx), input.communityId, input.voteId, ctx.now()))
    },
  }),
}
