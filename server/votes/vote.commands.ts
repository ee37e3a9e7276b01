import { randomUUID } from 'node:crypto'
import { DAY_MS, beijingTime } from '../../src/contracts/time'
import { checkNoticePeriod, checkScope, noticeDaysOf, requireVoteRunner } from './vote.rules'
import { WINDOW_MAX_DAYS, WINDOW_MIN_DAYS, type VoteDetail } from '../../src/contracts/votes'
import { requireActor, withTx, type Ctx } from '../context'
import { AppError } from '../errors'
import { publishSystemNotice } from '../notices/notice.publish'
import { appendVoteAudit, createdPayload } from './vote.audit'
import { advanceVotes, checkElectorateTotals, electorateFromRoster, openDueVote } from './vote.clock'
import { assertVoteMove, moveVote } from './vote.lifecycle'
import { announcementText } from './vote.notices'
import { announcingBody, loadVote } from './vote.policy'
import { getVote } from './vote.queries'
import * as repo from './vote.repository'
import type { MatterRow, VoteRow } from './vote.repository'
import { matterClass } from './tally'

/**
 * What the committee (or the office standing in for it) does to a vote: draft it, announce it,
 * and open or close it by hand once its time has come. Every change is written with its audit
 * entry in one transaction; every status change goes through the vote's lifecycle.
 */

type VoteRef = { communityId: string; voteId: string }

/**
 * Notice period: the vote opens no earlier than 00:00 Beijing time on the day after `noticeDays`
 * whole calendar days following the announcement day (物业管理条例 art. 14; Civil Code arts. 201,
 * 203; vote.rules). Window: 5 to 60 days (Hangzhou art. 20).
 */
function checkDates(opensAt: Date, closesAt: Date, announceAt: Date, noticeDays: number): void {
  if (Number.isNaN(opensAt.getTime()) || Number.isNaN(closesAt.getTime())) throw new AppError('BadInput', '时间格式不正确')
  checkNoticePeriod(opensAt, announceAt, noticeDays)
  const window = closesAt.getTime() - opensAt.getTime()
  if (window < WINDOW_MIN_DAYS * DAY_MS || window > WINDOW_MAX_DAYS * DAY_MS) {
    throw new AppError('BadInput', `投票期应为 ${WINDOW_MIN_DAYS}–${WINDOW_MAX_DAYS} 天`)
  }
}

async function communityOf(ctx: Ctx, communityId: string) {
  const community = await repo.communityForVotes(ctx.db, communityId)
  if (!community) throw new AppError('NotFound', '小区不存在')
  return community
}

export interface CreateVoteRequest {
  communityId: string
  title: string
  description: string
  scope: 'whole' | 'buildings'
  buildingIds: string[]
  opensAt: string
  closesAt: string
  matters: { item: number; title: string; description: string }[]
}

/** A draft: the committee's working paper, seen only by those who run votes until it is announced. */
export async function createVote(ctx: Ctx, req: CreateVoteRequest): Promise<VoteDetail> {
  const actor = requireActor(ctx)
  const now = ctx.now()
  const community = await communityOf(ctx, req.communityId)
  requireVoteRunner(actor, community)
  checkScope(req.scope, req.matters)
  checkDates(new Date(req.opensAt), new Date(req.closesAt), now, noticeDaysOf(community))
  const buildingIds = req.scope === 'buildings' ? [...new Set(req.buildingIds)] : []
  if (req.scope === 'buildings') {
    const found = await repo.buildingsByIds(ctx.db, req.communityId, buildingIds)
    if (found.length !== buildingIds.length) throw new AppError('NotFound', '所选楼栋不属于本小区')
  }
  const id = randomUUID()
  const nowIso = now.toISOString()
  const row: VoteRow = {
    id,
    community_id: req.communityId,
    title: req.title,
    description: req.description,
    status: 'draft',
    scope: req.scope,
    announce_at: null,
    opens_at: new Date(req.opensAt).toISOString(),
    closes_at: new Date(req.closesAt).toISOString(),
    opened_at: null,
    closed_at: null,
    announce_notice_id: null,
    result_notice_id: null,
    created_by: actor.userId,
    created_at: nowIso,
  }
  // The class is derived from the item here and checked again by the table's constraint.
  const matters: MatterRow[] = req.matters.map((m, i) => ({
    id: randomUUID(),
    community_id: req.communityId,
    vote_id: id,
    position: i + 1,
    item: m.item,
    class: matterClass(m.item),
    title: m.title,
    description: m.description,
  }))
  await withTx(ctx, async (ctx) => {
    await repo.insertVote(ctx.db, row)
    await repo.insertMatters(ctx.db, matters)
    await repo.insertScopeBuildings(ctx.db, req.communityId, id, buildingIds)
    await appendVoteAudit(ctx, { communityId: req.communityId, voteId: id, at: nowIso, actor: actor.userId, action: 'vote.created', payload: createdPayload(row, buildingIds, matters) })
  })
  return getVote(ctx, { communityId: req.communityId, voteId: id })
}

/** Publishes the announcement (a 公示 posted until the vote closes) and moves the draft to announced. */
export async function announceVote(ctx: Ctx, req: VoteRef & { opensAt?: string; closesAt?: string }): Promise<VoteDetail> {
  const actor = requireActor(ctx)
  const community = await communityOf(ctx, req.communityId)
  requireVoteRunner(actor, community)
  const now = ctx.now()
  const nowIso = now.toISOString()
  await withTx(ctx, async (ctx) => {
    const vote = await loadVote(ctx, req)
    assertVoteMove(vote.status, 'announce')
    const opensAt = new Date(req.opensAt ?? vote.opens_at)
    const closesAt = new Date(req.closesAt ?? vote.closes_at)
    checkDates(opensAt, closesAt, now, noticeDaysOf(community))
    const matters = await repo.mattersOf(ctx.db, req.communityId, req.voteId)
    const buildings = await repo.scopeBuildingsOf(ctx.db, req.communityId, req.voteId)
    checkScope(vote.scope, matters)
    // The electorate as the roster stands (frozen at opening): its totals are published; an empty one is refused now.
    const { totals } = await electorateFromRoster(ctx, vote)
    checkElectorateTotals(totals)
    const publisher = announcingBody(actor, community)
    const text = announcementText(vote, matters, buildings, opensAt, closesAt, totals)
    const notice = await publishSystemNotice(ctx, {
      communityId: req.communityId,
      kind: '公示',
      title: text.title,
      body: text.body,
      publisherRole: publisher.role,
      publisherName: publisher.name,
      publishedBy: actor.userId,
      postingEndsAt: new Date(Math.max(closesAt.getTime(), now.getTime() + 7 * DAY_MS)),
      sourceKey: `vote:${vote.id}:announce`,
    })
    const dates = { announce_at: nowIso, opens_at: opensAt.toISOString(), closes_at: closesAt.toISOString() }
    // Another request announced it in the meantime (PostgreSQL): refused as announcing an announced vote.
    if (!(await moveVote(ctx, vote, 'announce', { ...dates, announce_notice_id: notice.id }))) assertVoteMove('announced', 'announce')
    await appendVoteAudit(ctx, {
      communityId: req.communityId,
      voteId: vote.id,
      at: nowIso,
      actor: actor.userId,
      action: 'vote.announced',
      payload: { announceAt: nowIso, opensAt: dates.opens_at, closesAt: dates.closes_at, noticeId: notice.id },
    })
  })
  return getVote(ctx, req)
}

/**
 * The committee opens a vote by hand (action openVote): the same step as the clock, once the
 * announced opening time has come; refused before it (the notice period cannot be cut short).
 * A vote already open or closed is answered as it is.
 */
export async function openVoteByHand(ctx: Ctx, ref: VoteRef): Promise<VoteDetail> {
  requireVoteRunner(requireActor(ctx), await communityOf(ctx, ref.communityId))
  const vote = await loadVote(ctx, ref)
  // Already open (or closed): a second tap changes nothing. A draft is refused by the table.
  if (vote.status === 'open' || vote.status === 'closed') return getVote(ctx, ref)
  assertVoteMove(vote.status, 'open')
  if (vote.opens_at > ctx.now().toISOString()) throw new AppError('Conflict', `公告期未满，${beijingTime(vote.opens_at)}（北京时间）才能开始投票`)
  // Directly, so a refusal (an empty electorate) reaches the committee; then any other due step.
  await openDueVote(ctx, ref)
  await advanceVotes(ctx, { communityId: ref.communityId })
  return getVote(ctx, ref)
}

/**
 * The committee closes a vote by hand (action closeVote): the same step as the clock, once the
 * window has ended; refused before it (the window cannot be cut short). A closed vote is answered
 * as it is.
 */
export async function closeVoteByHand(ctx: Ctx, ref: VoteRef): Promise<VoteDetail> {
  requireVoteRunner(requireActor(ctx), await communityOf(ctx, ref.communityId))
  const vote = await loadVote(ctx, ref)
  // Already closed: a second tap changes nothing. A vote not yet open is refused by the table.
  if (vote.status === 'closed') return getVote(ctx, ref)
  assertVoteMove(vote.status, 'close')
  if (vote.closes_at > ctx.now().toISOString()) throw new AppError('Conflict', `投票期到 ${beijingTime(vote.closes_at)}（北京时间）才结束，不能提前结束`)
  await advanceVotes(ctx, { communityId: ref.communityId })
  return getVote(ctx, ref)
}
