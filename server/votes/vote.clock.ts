import { withTx, type Ctx } from '../context'
import { checkpointAudit, currentHead } from '../audit/checkpoints'
import { publishSystemNotice } from '../notices/notice.publish'
import { enqueueOutbox } from '../outbox/outbox'
import { freezeElectorate, sameOwners } from './electorate'
import { ownerDecisions } from '../rosters/roster.repository'
import { appendVoteAudit, electorateDigest, noticeDigest, resultPayload } from './vote.audit'
import { conflictsOf, countedBallots, figuresOf, toResultRow } from './vote.counting'
import { canTransition } from '../lifecycle'
import { VOTE_LIFECYCLE, moveVote } from './vote.lifecycle'
import { resultText, systemPublisherName } from './vote.notices'
import { receiptsOf } from './vote.receipts'
import * as repo from './vote.repository'
import type { BallotRow, ElectorateRow, VoteRow } from './vote.repository'
import { DAY_MS } from '../../src/contracts/time'
import { AppError } from '../errors'
import { tallyMatter } from './tally'

/**
 * The vote clock: what happens to a vote because its time has come, with nobody asking. The
 * system does it (ctx.actor is null for the job; the audit entries name no actor), through
 * advanceVotes, which the job runner calls on a schedule. The committee's buttons (vote.commands)
 * take the same steps once they are due.
 */

/**
 * The electorate as the roster says now (one owner, one headcount), with its totals. Frozen when
 * the vote opens; shown as a forecast in the announcement.
 */
export async function electorateFromRoster(ctx: Ctx, vote: Pick<VoteRow, 'community_id' | 'id' | 'scope'>) {
  const units = await repo.rosterUnitsInScope(ctx.db, vote.community_id, vote.id, vote.scope)
  // The committee's same-owner decisions (roster import warnings: merged or kept apart) apply here.
  const ownerOf = sameOwners(await repo.ownerIdentities(ctx.db, vote.community_id), await ownerDecisions(ctx.db, vote.community_id))
  const frozen = freezeElectorate(units, await repo.developerPersonIds(ctx.db, vote.community_id), ownerOf)
  const t = tallyMatter({ item: 9, electorate: frozen.entries, ballots: [] })
  return { frozen, totals: { units: frozen.entries.length, areaCentiM2: t.totalAreaCentiM2, headcount: t.totalHeadcount } }
}

/** An electorate of zero area or zero headcount cannot be voted on: nothing could ever be "passed" by it. */
export function checkElectorateTotals(totals: { areaCentiM2: number; headcount: number }): void {
  if (totals.areaCentiM2 <= 0 || totals.headcount <= 0) {
    throw new AppError('Conflict', '表决范围内没有登记的专有部分（总面积或业主人数为 0），不能表决：请先导入业主名册或调整表决范围')
  }
}

/**
 * Opens an announced vote whose opening time has come: freezes the electorate (every unit in scope
 * with its area and voter key, and who may cast each key) from the roster as it is now. Later
 * roster changes do not touch it. Answers false when the vote was not due or someone else opened it.
 */
export async function openDueVote(ctx: Ctx, ref: { communityId: string; voteId: string }): Promise<boolean> {
  const { communityId, voteId } = ref
  return withTx(ctx, async (ctx) => {
    const nowIso = ctx.now().toISOString()
    const vote = await repo.findVote(ctx.db, communityId, voteId)
    if (!vote || !canTransition(VOTE_LIFECYCLE, vote.status, 'open') || vote.opens_at > nowIso) return false
    if (!(await moveVote(ctx, vote, 'open', { opened_at: nowIso }))) return false
    // One owner, one headcount: roster persons that are the same owner share one voter key.
    const { frozen, totals: counted } = await electorateFromRoster(ctx, vote)
    // Refused (the transaction rolls back, the vote stays announced), never "passed" over nobody.
    checkElectorateTotals(counted)
    const entries: ElectorateRow[] = frozen.entries.map((e) => ({ community_id: communityId, vote_id: voteId, unit_id: e.unitId, voter_key: e.voterKey, area_centi_m2: e.areaCentiM2, unit_label: e.unitLabel }))
    const voters = frozen.voters.map((v) => ({ community_id: communityId, vote_id: voteId, voter_key: v.voterKey, person_id: v.personId }))
    await repo.insertElectorate(ctx.db, entries)
    await repo.insertVoters(ctx.db, voters)
    const totals = tallyMatter({ item: 9, electorate: frozen.entries, ballots: [] })
    await appendVoteAudit(ctx, {
      communityId,
      voteId,
      at: nowIso,
      actor: null,
      action: 'vote.opened',
      payload: { openedAt: nowIso, units: entries.length, headcount: totals.totalHeadcount, totalAreaCentiM2: totals.totalAreaCentiM2, electorateDigest: electorateDigest(entries, voters) },
    })
    // Announced to the world (owners reminded to vote) from the outbox, only if this commits.
    await enqueueOutbox(ctx, { communityId, topic: 'vote.opened', payload: { voteId, title: vote.title, opensAt: vote.opens_at, closesAt: vote.closes_at } })
    return true
  })
}

/** How an open vote's window ends: into counting when it accepts paper ballots, else closed at once. */
export function closingEvent(vote: Pick<VoteRow, 'accepts_paper'>): 'count' | 'close' {
  return Number(vote.accepts_paper) === 1 ? 'count' : 'close'
}

/**
 * Ends an open vote whose window has ended. A vote without paper closes at once: its result is
 * published (publishResult). A vote that accepts paper ballots moves into counting (计票) until
 * closes_at + its counting days, in which the committee enters the papers signed before the close;
 * its result is published when counting ends (publishCountedResult). Answers false when the vote
 * was not due or someone else ended it.
 */
export async function closeDueVote(ctx: Ctx, ref: { communityId: string; voteId: string }): Promise<boolean> {
  const { communityId, voteId } = ref
  const closed = await withTx(ctx, async (ctx) => {
    const nowIso = ctx.now().toISOString()
    const vote = await repo.findVote(ctx.db, communityId, voteId)
    const event = vote && closingEvent(vote)
    if (!vote || !event || !canTransition(VOTE_LIFECYCLE, vote.status, event) || vote.closes_at > nowIso) return false
    if (event === 'count') {
      const countingEndsAt = new Date(new Date(vote.closes_at).getTime() + Number(vote.counting_days) * DAY_MS).toISOString()
      // Taking the row first: ballots in flight commit before this or see the window closed.
      if (!(await moveVote(ctx, vote, 'count', { closed_at: nowIso, counting_ends_at: countingEndsAt }))) return false
      await appendVoteAudit(ctx, { communityId, voteId, at: nowIso, actor: null, action: 'vote.counting', payload: { closedAt: nowIso, countingEndsAt } })
      return 'counting' as const
    }
    if (!(await moveVote(ctx, vote, 'close', { closed_at: nowIso }))) return false
    await publishResult(ctx, vote, nowIso, null)
    return true
  })
  if (closed === true) await checkpointAfter(ctx, communityId, voteId)
  return closed !== false
}

/**
 * Ends counting: by the committee (`by`, its 结束计票) at any time in counting, or by the clock
 * (`by` null) once the counting period has ended. Publishes the result as a vote without paper
 * does at its close. Answers false when it was not due or someone else ended it.
 */
export async function publishCountedResult(ctx: Ctx, ref: { communityId: string; voteId: string }, opts: { by: string | null }): Promise<boolean> {
  const { communityId, voteId } = ref
  const done = await withTx(ctx, async (ctx) => {
    const nowIso = ctx.now().toISOString()
    const vote = await repo.findVote(ctx.db, communityId, voteId)
    if (!vote || !canTransition(VOTE_LIFECYCLE, vote.status, 'finishCounting')) return false
    if (opts.by === null && (vote.counting_ends_at ?? '') > nowIso) return false
    if (!(await moveVote(ctx, vote, 'finishCounting'))) return false
    await publishResult(ctx, vote, nowIso, opts.by)
    return true
  })
  if (done) await checkpointAfter(ctx, communityId, voteId)
  return done
}

/**
 * Computes every matter with tallyMatter, freezes the results, and publishes the 表决结果 notice,
 * in the caller's transaction (the vote's row already moved to closed). The notice prints the
 * frozen electorate's digest and the 小区's audit chain head with the opening and every ballot;
 * the closing entry (results, the notice's digest, the head printed) comes right after it (the
 * result anchors the log: `npm run audit-verify -- --head <seq>:<hash>` checks a photo of the
 * notice later).
 */
async function publishResult(ctx: Ctx, vote: VoteRow, nowIso: string, by: string | null): Promise<void> {
  const communityId = vote.community_id
  const voteId = vote.id
  const community = await repo.communityForVotes(ctx.db, communityId)
  // One statement at a time: a transaction is one connection.
  const matters = await repo.mattersOf(ctx.db, communityId, voteId)
  const electorate = await repo.electorateOf(ctx.db, communityId, voteId)
  const voters = await repo.votersOf(ctx.db, communityId, voteId)
  const ballots = await repo.ballotsOf(ctx.db, communityId, voteId)
  const buildings = await repo.scopeBuildingsOf(ctx.db, communityId, voteId)
  const { counted, superseded } = countedBallots(ballots)
  const figures = matters.map((m) => figuresOf(m, electorate, counted.get(m.id) ?? []))
  const results = matters.map((m, i) => toResultRow(m, figures[i], nowIso))
  await repo.insertResults(ctx.db, results)
  const receipts = receiptsOf(matters, ballots, superseded)
  const conflicts = conflictsOf(ballots, electorate, await repo.conflictRowsOf(ctx.db, communityId, voteId))
  const digest = electorateDigest(electorate, voters)
  // The head with this transaction's view: the vote's opening, every ballot and conflict entry.
  const head = await currentHead(ctx, communityId)
  const text = resultText(vote, matters, figures, receipts, conflicts.length, buildings, { electorateDigest: digest, auditHead: head.text }, paperCounts(ballots, superseded))
  const notice = await publishSystemNotice(ctx, {
    communityId,
    kind: '表决结果',
    title: text.title,
    body: text.body,
    publisherRole: 'system',
    publisherName: community ? systemPublisherName(community) : '业主大会',
    publishedBy: null,
    sourceKey: `vote:${voteId}:result`,
  })
  await repo.setVoteFields(ctx.db, communityId, voteId, { result_notice_id: notice.id })
  // The notice as stored, so verification can tell a changed or removed result notice.
  const published = await repo.resultNotice(ctx.db, communityId, notice.id)
  // The entry right after the printed head: the results and the notice that prints the head.
  await appendVoteAudit(ctx, {
    communityId,
    voteId,
    at: nowIso,
    actor: by,
    action: 'vote.closed',
    payload: {
      closedAt: vote.closed_at ?? nowIso,
      ...(vote.status === 'counting' ? { countingEndedAt: nowIso, countingEndedBy: by ? 'committee' : 'clock' } : {}),
      resultNoticeId: notice.id,
      resultNoticeSha256: published ? noticeDigest(published) : null,
      results: results.map(resultPayload),
      countedReceipts: receipts.map((r) => r.receiptCode),
      electorateDigest: digest,
      auditHead: head.text,
    },
  })
  await enqueueOutbox(ctx, { communityId, topic: 'vote.resultPublished', payload: { voteId, title: vote.title, noticeId: notice.id } })
}

/** Paper ballots counted, by kind, for the result notice: signed ballots, written proxies, invalid papers. */
function paperCounts(ballots: BallotRow[], superseded: Set<string>): { ballots: number; proxies: number; invalid: number } {
  const papers = new Map<string, BallotRow[]>()
  for (const b of ballots) if (b.channel === 'paper' && !superseded.has(b.id)) papers.set(b.receipt_code, [...(papers.get(b.receipt_code) ?? []), b])
  let proxies = 0
  let invalid = 0
  for (const rows of papers.values()) {
    if (rows[0].kind === 'proxy') proxies++
    if (rows.every((r) => r.choice === 'invalid')) invalid++
  }
  return { ballots: papers.size - proxies, proxies, invalid }
}

/**
 * After the commit, the new head is checkpointed outside the database. Outside any transaction
 * only (a checkpoint of a head that could still roll back would read as a rewritten log); the
 * periodic auditCheckpoint job writes it otherwise, and if this write fails.
 */
async function checkpointAfter(ctx: Ctx, communityId: string, voteId: string): Promise<void> {
  if (ctx.db.isTransaction) return
  try {
    await checkpointAudit(ctx, [communityId])
  } catch (err) {
    ctx.log.error({ voteId, error: err instanceof Error ? err.message : String(err) }, 'vote closed: the audit checkpoint could not be written now')
  }
}

export interface TickReport {
  opened: string[]
  /** Votes whose window ended (closed, or moved into counting) and votes whose counting ended. */
  closed: string[]
  failed: { voteId: string; error: string }[]
}

/**
 * Opens announced votes whose opening time has come, closes open votes whose window has ended
 * (publishing the result, or moving into counting when they accept paper), and publishes the
 * result of votes whose counting period has ended, at ctx.now(), in every 小区 or the one named. Idempotent and safe to
 * run from several processes at once. One failing vote does not stop the others; failures are
 * answered (and logged by the caller).
 */
export async function advanceVotes(ctx: Ctx, opts: { communityId?: string } = {}): Promise<TickReport> {
  const report: TickReport = { opened: [], closed: [], failed: [] }
  const step = async (v: { id: string; community_id: string }, run: typeof openDueVote, done: string[]) => {
    try {
      if (await run(ctx, { communityId: v.community_id, voteId: v.id })) done.push(v.id)
    } catch (err) {
      report.failed.push({ voteId: v.id, error: err instanceof Error ? err.message : String(err) })
    }
  }
  const nowIso = ctx.now().toISOString()
  for (const v of await repo.votesDue(ctx.db, nowIso, opts.communityId)) {
    if (v.status === 'announced') await step(v, openDueVote, report.opened)
  }
  // Asked again: a vote opened just now may also be past its end (the server was down all window).
  for (const v of await repo.votesDue(ctx.db, nowIso, opts.communityId)) {
    if (v.status === 'open') await step(v, closeDueVote, report.closed)
  }
  // Counting periods that have ended (also one that began just now, after a long outage).
  const byClock = (c: Ctx, ref: { communityId: string; voteId: string }) => publishCountedResult(c, ref, { by: null })
  for (const v of await repo.votesDue(ctx.db, nowIso, opts.communityId)) {
    if (v.status === 'counting') await step(v, byClock, report.closed)
  }
  return report
}
