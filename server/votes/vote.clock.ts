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
import type { ElectorateRow, VoteRow } from './vote.repository'
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

/**
 * Closes an open vote whose window has ended: computes every matter with tallyMatter, freezes
 * the results, and publishes the 表决结果 notice, all in one transaction. The notice prints the
 * frozen electorate's digest and the 小区's audit chain head with the opening and every ballot;
 * the closing entry (results, the notice's digest, the head printed) comes right after it (the
 * result anchors the log: `npm run audit-verify -- --head <seq>:<hash>` checks a photo of the
 * notice later); after the commit the new head is checkpointed outside the database. Answers false
 * when the vote was not due or someone else closed it.
 */
export async function closeDueVote(ctx: Ctx, ref: { communityId: string; voteId: string }): Promise<boolean> {
  const { communityId, voteId } = ref
  const closed = await withTx(ctx, async (ctx) => {
    const nowIso = ctx.now().toISOString()
    const vote = await repo.findVote(ctx.db, communityId, voteId)
    if (!vote || !canTransition(VOTE_LIFECYCLE, vote.status, 'close') || vote.closes_at > nowIso) return false
    // Taking the row first: ballots in flight commit before this (and are counted) or see it closed.
    if (!(await moveVote(ctx, vote, 'close', { closed_at: nowIso }))) return false
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
    const text = resultText(vote, matters, figures, receipts, conflicts.length, buildings, { electorateDigest: digest, auditHead: head.text })
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
      actor: null,
      action: 'vote.closed',
      payload: {
        closedAt: nowIso,
        resultNoticeId: notice.id,
        resultNoticeSha256: published ? noticeDigest(published) : null,
        results: results.map(resultPayload),
        countedReceipts: receipts.map((r) => r.receiptCode),
        electorateDigest: digest,
        auditHead: head.text,
      },
    })
    await enqueueOutbox(ctx, { communityId, topic: 'vote.resultPublished', payload: { voteId, title: vote.title, noticeId: notice.id } })
    return true
  })
  // Outside any transaction only (a checkpoint of a head that could still roll back would read as a
  // rewritten log); the periodic auditCheckpoint job writes it otherwise, and if this write fails.
  if (closed && !ctx.db.isTransaction) {
    try {
      await checkpointAudit(ctx, [communityId])
    } catch (err) {
      ctx.log.error({ voteId, error: err instanceof Error ? err.message : String(err) }, 'vote closed: the audit checkpoint could not be written now')
    }
  }
  return closed
}

export interface TickReport {
  opened: string[]
  closed: string[]
  failed: { voteId: string; error: string }[]
}

/**
 * Opens announced votes whose opening time has come and closes open votes whose window has ended
 * (publishing the result), at ctx.now(), in every 小区 or the one named. Idempotent and safe to
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
  return report
}
