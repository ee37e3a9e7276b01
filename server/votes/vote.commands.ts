import { randomUUID } from 'node:crypto'
import { DAY_MS, beijingTime } from '../../src/contracts/time'
import { checkNoticePeriod, checkScope, missingForAnnouncement, noticeDaysOf } from './vote.rules'
import { COUNTING_MAX_DAYS, WINDOW_MAX_DAYS, WINDOW_MIN_DAYS, type VoteDetail } from '../../src/contracts/votes'
import { requireActor, withTx, type Ctx } from '../context'
import { voteRunner } from './vote.policy'
import { AppError } from '../errors'
import { publishSystemNotice } from '../notices/notice.publish'
import { appendVoteAudit, createdPayload } from './vote.audit'
import { advanceVotes, checkElectorateTotals, closingEvent, electorateFromRoster, openDueVote, publishCountedResult } from './vote.clock'
import { assertVoteMove, moveVote } from './vote.lifecycle'
import { announcementText, countingOf } from './vote.notices'
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
export function checkDates(opensAt: Date, closesAt: Date, announceAt: Date, noticeDays: number): void {
  if (Number.isNaN(opensAt.getTime()) || Number.isNaN(closesAt.getTime())) throw new AppError('BadInput', '时间格式不正确')
  checkNoticePeriod(opensAt, announceAt, noticeDays)
  const window = closesAt.getTime() - opensAt.getTime()
  if (window < WINDOW_MIN_DAYS * DAY_MS || window > WINDOW_MAX_DAYS * DAY_MS) {
    throw new AppError('BadInput', `投票期应为 ${WINDOW_MIN_DAYS}–${WINDOW_MAX_DAYS} 天`)
  }
}

export interface CreateVoteRequest {
  communityId: string
  title: string
  description?: string
  scope?: 'whole' | 'buildings'
  buildingIds?: string[]
  opensAt?: string
  closesAt?: string
  matters?: { item: number; title: string; description?: string }[]
  acceptsPaper?: boolean
  countingDays?: number
}

/**
 * What a vote says, checked as far as it goes: a draft may be rough (a title is enough); dates,
 * when given, must keep the notice floor and the window; the scope must fit the matters. Answers
 * the fields to store (a date not yet chosen is stored as '') and the matters.
 */
export async function voteContent(ctx: Ctx, req: CreateVoteRequest, voteId: string, noticeDays: number, announceAt: Date) {
  const scope = req.scope ?? 'whole'
  const inMatters = req.matters ?? []
  checkScope(scope, inMatters)
  const opensAt = req.opensAt ? new Date(req.opensAt) : null
  const closesAt = req.closesAt ? new Date(req.closesAt) : null
  if (opensAt && closesAt) checkDates(opensAt, closesAt, announceAt, noticeDays)
  else if (opensAt) checkNoticePeriod(opensAt, announceAt, noticeDays)
  const buildingIds = scope === 'buildings' ? [...new Set(req.buildingIds ?? [])] : []
  if (buildingIds.length > 0) {
    const found = await repo.buildingsByIds(ctx.db, req.communityId, buildingIds)
    if (found.length !== buildingIds.length) throw new AppError('NotFound', '所选楼栋不属于本小区')
  }
  if (!req.acceptsPaper && req.countingDays !== undefined) throw new AppError('BadInput', '只有接受纸质表决票的表决才有计票期')
  const fields = {
    title: req.title,
    description: req.description ?? '',
    scope,
    opens_at: opensAt ? opensAt.toISOString() : '',
    closes_at: closesAt ? closesAt.toISOString() : '',
    accepts_paper: req.acceptsPaper ? 1 : 0,
    counting_days: req.acceptsPaper ? (req.countingDays ?? COUNTING_MAX_DAYS) : 0,
  }
  // The class is derived from the item here and checked again by the table's constraint.
  const matters: MatterRow[] = inMatters.map((m, i) => ({
    id: randomUUID(),
    community_id: req.communityId,
    vote_id: voteId,
    position: i + 1,
    item: m.item,
    class: matterClass(m.item),
    title: m.title,
    description: m.description ?? '',
  }))
  return { fields, matters, buildingIds }
}

/** A draft: the committee's working paper, seen only by those who run votes until it is announced. A title is enough. */
export async function createVote(ctx: Ctx, req: CreateVoteRequest): Promise<VoteDetail> {
  const now = ctx.now()
  const { actor, community } = await voteRunner(ctx, req.communityId)
  const id = randomUUID()
  const { fields, matters, buildingIds } = await voteContent(ctx, req, id, noticeDaysOf(community), now)
  const nowIso = now.toISOString()
  const row: VoteRow = {
    id,
    community_id: req.communityId,
    ...fields,
    status: 'draft',
    announce_at: null,
    opened_at: null,
    closed_at: null,
    announce_notice_id: null,
    result_notice_id: null,
    created_by: actor.userId,
    created_at: nowIso,
    counting_ends_at: null,
    cancelled_at: null,
    cancel_notice_id: null,
    correction_notice_id: null,
  }
  await withTx(ctx, async (ctx) => {
    await repo.insertVote(ctx.db, row)
    if (matters.length > 0) await repo.insertMatters(ctx.db, matters)
    await repo.insertScopeBuildings(ctx.db, req.communityId, id, buildingIds)
    await appendVoteAudit(ctx, { communityId: req.communityId, voteId: id, at: nowIso, actor: actor.userId, action: 'vote.created', payload: createdPayload(row, buildingIds, matters) })
  })
  return getVote(ctx, { communityId: req.communityId, voteId: id })
}

/** Publishes the announcement (a 公示 posted until the vote closes) and moves the draft to announced. */
export async function announceVote(ctx: Ctx, req: VoteRef & { opensAt?: string; closesAt?: string }): Promise<VoteDetail> {
  const { actor, community } = await voteRunner(ctx, req.communityId)
  const now = ctx.now()
  const nowIso = now.toISOString()
  await withTx(ctx, async (ctx) => {
    const vote = await loadVote(ctx, req)
    assertVoteMove(vote.status, 'announce')
    const matters = await repo.mattersOf(ctx.db, req.communityId, req.voteId)
    const buildings = await repo.scopeBuildingsOf(ctx.db, req.communityId, req.voteId)
    const missing = missingForAnnouncement({ ...vote, opens_at: req.opensAt ?? vote.opens_at, closes_at: req.closesAt ?? vote.closes_at }, matters.length, buildings.length)
    if (missing.length > 0) throw new AppError('BadInput', `草稿还缺少：${missing.join('、')}，补全后才能发布表决公告`)
    const opensAt = new Date(req.opensAt ?? vote.opens_at)
    const closesAt = new Date(req.closesAt ?? vote.closes_at)
    checkDates(opensAt, closesAt, now, noticeDaysOf(community))
    checkScope(vote.scope, matters)
    // The electorate as the roster stands (frozen at opening): its totals are published; an empty one is refused now.
    const { totals } = await electorateFromRoster(ctx, vote)
    checkElectorateTotals(totals)
    const publisher = announcingBody(actor, community)
    const text = announcementText(vote, matters, buildings, opensAt, closesAt, totals, countingOf(vote))
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
  await voteRunner(ctx, ref.communityId)
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
  await voteRunner(ctx, ref.communityId)
  const vote = await loadVote(ctx, ref)
  // Already closed (or counting): a second tap changes nothing. A vote not yet open is refused by the table.
  if (vote.status === 'closed' || vote.status === 'counting') return getVote(ctx, ref)
  assertVoteMove(vote.status, closingEvent(vote))
  if (vote.closes_at > ctx.now().toISOString()) throw new AppError('Conflict', `投票期到 ${beijingTime(vote.closes_at)}（北京时间）才结束，不能提前结束`)
  await advanceVotes(ctx, { communityId: ref.communityId })
  return getVote(ctx, ref)
}

/**
 * The committee ends counting (action finishCounting): the paper ballots are all entered, the
 * result is published now rather than when the counting period ends. Refused before the window
 * has closed into counting; a vote already closed is answered as it is.
 */
export async function finishCounting(ctx: Ctx, ref: VoteRef): Promise<VoteDetail> {
  await voteRunner(ctx, ref.communityId)
  const vote = await loadVote(ctx, ref)
  if (vote.status === 'closed') return getVote(ctx, ref)
  assertVoteMove(vote.status, 'finishCounting')
  await publishCountedResult(ctx, ref, { by: requireActor(ctx).userId })
  return getVote(ctx, ref)
}
