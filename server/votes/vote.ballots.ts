import { randomUUID } from 'node:crypto'
import { beijingTime } from '../../src/contracts/time'
import type { BallotChoice, MyBallot, PaperBallotResult } from '../../src/contracts/votes'
import { OWNER_ROLES } from '../../src/contracts/roles'
import { requireActor, withTx, type Ctx } from '../context'
import { AppError } from '../errors'
import { asVoter, voteRunner } from './vote.policy'
import { appendVoteAudit, ballotPayload } from './vote.audit'
import { checkEvidence } from './vote.evidence'
import { loadVote } from './vote.policy'
import { makeReceipt } from './vote.receipts'
import * as repo from './vote.repository'
import type { BallotRow, MatterRow, VoteRow } from './vote.repository'

/**
 * Casting: an owner's ballot paper online, and the committee entering a signed paper ballot.
 * One choice per matter, final once cast; every ballot is written with its audit entry.
 */

type Choices = { matterId: string; choice: BallotChoice }[]

function checkChoices(matters: MatterRow[], choices: Choices): Choices {
  const ids = new Set(matters.map((m) => m.id))
  // A matter of another vote (or another 小区) is not one of this vote's: nothing to choose there.
  if (choices.some((c) => !ids.has(c.matterId))) throw new AppError('NotFound', '找不到所选的表决事项，请刷新后重新选择')
  if (choices.length !== matters.length || new Set(choices.map((c) => c.matterId)).size !== choices.length) {
    throw new AppError('BadInput', `请为全部 ${matters.length} 个事项各选择一项（同意、反对或弃权）`)
  }
  const position = new Map(matters.map((m) => [m.id, m.position]))
  return [...choices].sort((a, b) => position.get(a.matterId)! - position.get(b.matterId)!)
}

function notOpen(vote: VoteRow, nowIso: string): AppError {
  if (vote.status === 'draft' || vote.status === 'announced' || vote.opens_at > nowIso) return new AppError('VoteClosed', `表决尚未开始，${beijingTime(vote.opens_at)}（北京时间）开始投票`)
  return new AppError('VoteClosed', '表决已经结束，不能再投票')
}

const alreadyVoted = (receiptCode?: string) =>
  new AppError('AlreadyVoted', '您已经投过票了，投票提交后不能更改', receiptCode ? { receiptCode } : undefined)

/**
 * One ballot per voter key across channels: the first recorded counts; a later one through the
 * other channel is refused and logged as a conflict (its row and an audit entry, committed), then
 * the caller answers the refusal. Both channels take the vote's row lock first, so the check and
 * the insert cannot interleave with the other channel's.
 */
async function logConflict(ctx: Ctx, req: { communityId: string; voteId: string }, voterKey: string, channel: 'online' | 'paper', counted: BallotRow, by: string, nowIso: string, evidence: string | null): Promise<void> {
  await repo.insertConflict(ctx.db, { id: randomUUID(), community_id: req.communityId, vote_id: req.voteId, voter_key: voterKey, channel, counted_receipt: counted.receipt_code, attempted_by: by, attempted_at: nowIso, evidence_file: evidence })
  await appendVoteAudit(ctx, { communityId: req.communityId, voteId: req.voteId, at: nowIso, actor: by, action: 'ballot.conflict', payload: { voterKey, refusedChannel: channel, countedReceipt: counted.receipt_code, evidenceFile: evidence } })
}

/** Answered after the conflict is committed. */
class Refused {
  constructor(readonly error: AppError) {}
}

/** A ballot paper as its voter sees it: receipt, channel, time and choices. */
export function ballotOf(rows: BallotRow[], counted: boolean): MyBallot | null {
  if (rows.length === 0) return null
  return {
    receiptCode: rows[0].receipt_code,
    channel: rows[0].channel,
    castAt: rows[0].cast_at,
    choices: rows.map((b) => ({ matterId: b.matter_id, choice: b.choice })),
    counted,
  }
}

function ballotRows(vote: { communityId: string; voteId: string }, paper: Omit<BallotRow, 'id' | 'community_id' | 'vote_id' | 'matter_id' | 'choice'>, choices: Choices): BallotRow[] {
  return choices.map((c) => ({ id: randomUUID(), community_id: vote.communityId, vote_id: vote.voteId, matter_id: c.matterId, choice: c.choice, ...paper }))
}

export interface CastRequest {
  communityId: string
  voteId: string
  voterKey?: string
  choices: Choices
}

/**
 * An owner's ballot paper: one choice per matter, for every unit the voter key covers. Final once
 * cast. Concurrent or repeated submissions leave exactly one ballot: the rows take the vote's
 * lock and are checked, and the unique constraint (vote, matter, voter, channel) refuses any
 * second row whatever the timing.
 *
 * Who may cast is checked here (the castBallot action is open to any logged-in user): whoever holds
 * a voter key on the vote's frozen electorate; anyone else is checked as asVoter checks a voter,
 * so a stranger is refused exactly as the registry refuses a non-member, before anything about the
 * vote is said. The caller's keys are read first: for a voter, that read is the whole check.
 */
export async function castBallot(ctx: Ctx, req: CastRequest): Promise<MyBallot> {
  const actor = requireActor(ctx)
  const nowIso = ctx.now().toISOString()
  let out: MyBallot | Refused
  try {
    out = await withTx(ctx, async (ctx): Promise<MyBallot | Refused> => {
      const mine = await repo.castingKeysOfUser(ctx.db, req.communityId, req.voteId, actor.userId)
      if (mine.length === 0) await asVoter(ctx, req, OWNER_ROLES)
      // The vote's lock answers the vote when it is open; only a refusal reads it to say why.
      if (!(await repo.lockOpenVote(ctx.db, req.communityId, req.voteId, nowIso))) {
        const vote = await loadVote(ctx, req)
        if (vote.status === 'draft') throw new AppError('NotFound', '找不到这次表决')
        throw notOpen(vote, nowIso)
      }
      const keys = [...new Set(mine.map((k) => k.voter_key))]
      if (keys.length === 0) throw new AppError('Forbidden', '您在本次表决范围内没有登记的房屋，不能投票')
      let key: string
      if (req.voterKey !== undefined) {
        if (!keys.includes(req.voterKey)) throw new AppError('Forbidden', '您不能代表这户投票')
        key = req.voterKey
      } else if (keys.length === 1) {
        key = keys[0]
      } else {
        throw new AppError('BadInput', '您可以代表多户投票，请选择本次代表哪一户')
      }
      const matters = await repo.mattersOf(ctx.db, req.communityId, req.voteId)
      // Online ballots choose; only a paper can be blank or spoiled.
      if (req.choices.some((c) => c.choice === 'invalid')) throw new AppError('BadInput', '请为每个事项选择同意、反对或弃权')
      const choices = checkChoices(matters, req.choices)
      const existing = await repo.ballotsOfVoter(ctx.db, req.communityId, req.voteId, key)
      const online = existing.find((b) => b.channel === 'online')
      if (online) throw alreadyVoted(online.receipt_code)
      if (existing.length > 0) {
        // A signed paper ballot was recorded first: it counts; this one is refused and logged.
        await logConflict(ctx, req, key, 'online', existing[0], actor.userId, nowIso, null)
        return new Refused(new AppError('AlreadyVoted', `这一户的纸质表决票已于 ${beijingTime(existing[0].cast_at)}（北京时间）录入，以最先收到的一张为准；本次线上投票不计入，已登记为重复投票`))
      }
      const voter = mine.find((k) => k.voter_key === key)!
      const receiptCode = makeReceipt({ voteId: req.voteId, voterKey: key, channel: 'online', castAt: nowIso, choices })
      const paper = { voter_key: key, channel: 'online' as const, receipt_code: receiptCode, cast_by: actor.userId, person_id: voter.person_id, cast_at: nowIso, evidence_file: null, kind: 'ballot' as const, proxy_name: null, signed_at: null }
      const rows = ballotRows(req, paper, choices)
      await repo.insertBallots(ctx.db, rows, { units: voter.units, area: voter.area, others: existing })
      await appendVoteAudit(ctx, { communityId: req.communityId, voteId: req.voteId, at: nowIso, actor: actor.userId, action: 'ballot.cast', payload: ballotPayload(rows) })
      return ballotOf(rows, true)!
    })
  } catch (err) {
    if (repo.isUniqueViolation(err)) throw alreadyVoted()
    throw err
  }
  if (out instanceof Refused) throw out.error
  return out
}

export interface PaperBallotRequest {
  communityId: string
  voteId: string
  voterKey: string
  choices: Choices
  evidenceRef: string
  kind?: 'ballot' | 'proxy'
  proxyName?: string
  signedAt?: string
}

/**
 * When the paper was signed, checked against the vote: while open it defaults to now; in counting
 * it must be given (the date written on the paper) and before the close, so a paper signed after
 * the window ended is refused. Never in the future.
 */
function signedAtOf(vote: VoteRow, req: PaperBallotRequest, nowIso: string): string {
  if (!req.signedAt) {
    if (vote.status === 'counting') throw new AppError('BadInput', '计票期录入纸质票，请填写纸质票上的签署时间')
    return nowIso
  }
  const signed = new Date(req.signedAt).toISOString()
  if (signed > nowIso) throw new AppError('BadInput', '签署时间不能晚于现在，请核对纸质票上的日期')
  if (signed >= vote.closes_at) throw new AppError('VoteClosed', `这张纸质票签署于投票结束（${beijingTime(vote.closes_at)}，北京时间）之后，不能计入`)
  return signed
}

function paperNotOpen(vote: VoteRow, nowIso: string): AppError {
  if (vote.status === 'closed' || (vote.status === 'counting' && (vote.counting_ends_at ?? '') <= nowIso)) return new AppError('VoteClosed', '计票已经结束，不能再录入纸质表决票')
  if (vote.status === 'open' && Number(vote.accepts_paper) === 1) return new AppError('VoteClosed', '投票期已结束，正在进入计票：请刷新后在计票期内录入')
  return notOpen(vote, nowIso)
}

/**
 * The committee enters a signed paper ballot with a photo of it as evidence (checked first: one
 * uploaded for this vote, unchanged): while the vote is open, or in its counting stage for papers
 * signed before the close. A written proxy (委托书) is entered the same way with the proxy's name;
 * a blank or spoiled paper with 'invalid' choices. The entry records who entered it, when, and
 * when the paper was signed, in the ballot rows and the audit log. A voter has at most one paper ballot; if they also voted
 * online first, that ballot counts: this paper is refused and logged as a conflict with its photo.
 */
export async function enterPaperBallot(ctx: Ctx, req: PaperBallotRequest): Promise<PaperBallotResult> {
  const actor = requireActor(ctx)
  const kind = req.kind ?? 'ballot'
  if (kind === 'proxy' && !req.proxyName?.trim()) throw new AppError('BadInput', '录入委托书请填写受托人姓名')
  if (kind === 'ballot' && req.proxyName) throw new AppError('BadInput', '只有委托书需要填写受托人姓名')
  await checkEvidence(ctx, req)
  await voteRunner(ctx, req.communityId)
  const nowIso = ctx.now().toISOString()
  let out: PaperBallotResult | Refused
  try {
    out = await withTx(ctx, async (ctx): Promise<PaperBallotResult | Refused> => {
      const vote = await loadVote(ctx, req)
      if (!(await repo.lockPaperVote(ctx.db, req.communityId, req.voteId, nowIso))) throw paperNotOpen(vote, nowIso)
      const signedAt = signedAtOf(vote, req, nowIso)
      const units = (await repo.electorateOf(ctx.db, req.communityId, req.voteId)).filter((e) => e.voter_key === req.voterKey)
      if (units.length === 0) throw new AppError('NotFound', '该投票人不在本次表决的业主名单中')
      const matters = await repo.mattersOf(ctx.db, req.communityId, req.voteId)
      const choices = checkChoices(matters, req.choices)
      const ballots = await repo.ballotsOfVoter(ctx.db, req.communityId, req.voteId, req.voterKey)
      if (ballots.some((b) => b.channel === 'paper')) throw new AppError('AlreadyVoted', '这一户的纸质表决票已经录入过了')
      const online = ballots.find((b) => b.channel === 'online')
      if (online) {
        // The voter voted online first: that ballot counts; this paper is refused and logged with its photo.
        await logConflict(ctx, req, req.voterKey, 'paper', online, actor.userId, nowIso, req.evidenceRef)
        return new Refused(new AppError('AlreadyVoted', `这一户已于 ${beijingTime(online.cast_at)}（北京时间）在线投票，以最先收到的一张为准；这张纸质票不计入，已登记为重复投票`))
      }
      // One photo is the evidence of one signed ballot paper, never of two voters' papers.
      if (await repo.paperBallotWithEvidence(ctx.db, req.communityId, req.voteId, req.evidenceRef)) {
        throw new AppError('Conflict', '这张照片已经作为另一户纸质表决票的凭证，请拍摄这一户签字的表决票')
      }
      const receiptCode = makeReceipt({ voteId: req.voteId, voterKey: req.voterKey, channel: 'paper', castAt: nowIso, choices })
      const paper = { voter_key: req.voterKey, channel: 'paper' as const, receipt_code: receiptCode, cast_by: actor.userId, person_id: null, cast_at: nowIso, evidence_file: req.evidenceRef, kind, proxy_name: kind === 'proxy' ? req.proxyName!.trim() : null, signed_at: signedAt }
      const rows = ballotRows(req, paper, choices)
      await repo.insertBallots(ctx.db, rows, { units: units.length, area: units.reduce((sum, u) => sum + u.area_centi_m2, 0), others: ballots })
      await appendVoteAudit(ctx, { communityId: req.communityId, voteId: req.voteId, at: nowIso, actor: actor.userId, action: 'ballot.paper', payload: ballotPayload(rows) })
      return { receiptCode, conflict: false }
    })
  } catch (err) {
    if (repo.isUniqueViolation(err)) throw new AppError('AlreadyVoted', '这一户的纸质表决票已经录入过了')
    throw err
  }
  if (out instanceof Refused) throw out.error
  return out
}
