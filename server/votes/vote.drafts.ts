import { randomUUID } from 'node:crypto'
import type { VoteDetail } from '../../src/contracts/votes'
import { DAY_MS, beijingTime } from '../../src/contracts/time'
import { withTx, type Ctx } from '../context'
import { AppError } from '../errors'
import { voteRunner } from './vote.policy'
import { publishSystemNotice } from '../notices/notice.publish'
import { appendVoteAudit, createdPayload } from './vote.audit'
import { checkElectorateTotals, electorateFromRoster } from './vote.clock'
import { voteContent, type CreateVoteRequest } from './vote.commands'
import { assertVoteMove, moveVote } from './vote.lifecycle'
import { announcementText, clip, countingOf } from './vote.notices'
import { announcingBody, loadVote } from './vote.policy'
import { getVote } from './vote.queries'
import { missingForAnnouncement, noticeDaysOf } from './vote.rules'
import * as repo from './vote.repository'
import { BODY_MAX, TITLE_MAX } from '../../src/contracts/notices'

/**
 * Drafts and corrections (issue 8 item 10). A draft is the committee's working paper: rough (a
 * title is enough), edited and deleted at will, every change in the audit log. An announced vote
 * is public: it is never deleted, only cancelled with a published 撤销公告, or corrected with a
 * published 更正公告, which restarts the statutory notice period from the correction (the 15-day
 * floor counted as vote.rules counts it: the correction day not counted).
 */

type VoteRef = { communityId: string; voteId: string }

/** Rewrites a draft as a whole (the edit form sends everything it shows). */
export async function updateDraft(ctx: Ctx, req: CreateVoteRequest & { voteId: string }): Promise<VoteDetail> {
  const { actor, community } = await voteRunner(ctx, req.communityId)
  const now = ctx.now()
  const nowIso = now.toISOString()
  await withTx(ctx, async (ctx) => {
    const vote = await loadVote(ctx, req)
    assertVoteMove(vote.status, 'edit')
    const { fields, matters, buildingIds } = await voteContent(ctx, req, vote.id, noticeDaysOf(community), now)
    // Only while it is still a draft: a concurrent announcement wins, and this edit is refused.
    if (!(await moveVote(ctx, vote, 'edit', fields))) assertVoteMove('announced', 'edit')
    await repo.replaceDraftContent(ctx.db, req.communityId, vote.id, {}, matters, buildingIds)
    await appendVoteAudit(ctx, { communityId: req.communityId, voteId: vote.id, at: nowIso, actor: actor.userId, action: 'vote.edited', payload: createdPayload({ ...vote, ...fields }, buildingIds, matters) })
  })
  return getVote(ctx, req)
}

/** Deletes a draft: owners never saw it. The audit log keeps its creation, edits and deletion. */
export async function deleteDraft(ctx: Ctx, ref: VoteRef): Promise<{ deleted: true }> {
  const { actor } = await voteRunner(ctx, ref.communityId)
  const nowIso = ctx.now().toISOString()
  await withTx(ctx, async (ctx) => {
    const vote = await loadVote(ctx, ref)
    assertVoteMove(vote.status, 'remove')
    if (!(await repo.deleteDraft(ctx.db, ref.communityId, ref.voteId))) assertVoteMove('announced', 'remove')
    await appendVoteAudit(ctx, { communityId: ref.communityId, voteId: ref.voteId, at: nowIso, actor: actor.userId, action: 'vote.deleted', payload: { title: vote.title, deletedAt: nowIso } })
  })
  return { deleted: true }
}

/** The notice a correction or a cancellation links to: the latest of the vote's announcement chain. */
const latestAnnouncement = (vote: { announce_notice_id: string | null; correction_notice_id: string | null }) => vote.correction_notice_id ?? vote.announce_notice_id ?? undefined

/**
 * Corrects an announced vote: the whole vote again (title, matters, scope, dates, paper), with the
 * reason. The notice period restarts from now (the 15-day floor, the correction day not counted),
 * so the new opening must be at least that far; a 更正公告 (a 公示 linked to the announcement it
 * supersedes) is published with the electorate's totals as the roster stands.
 */
export async function correctVote(ctx: Ctx, req: CreateVoteRequest & { voteId: string; opensAt: string; closesAt: string; reason: string }): Promise<VoteDetail> {
  const { actor, community } = await voteRunner(ctx, req.communityId)
  const now = ctx.now()
  const nowIso = now.toISOString()
  await withTx(ctx, async (ctx) => {
    const vote = await loadVote(ctx, req)
    assertVoteMove(vote.status, 'correct')
    // The notice period counted from this correction: a correction cannot keep the old opening if it is now too close.
    const { fields, matters, buildingIds } = await voteContent(ctx, req, vote.id, noticeDaysOf(community), now)
    const missing = missingForAnnouncement(fields, matters.length, buildingIds.length)
    if (missing.length > 0) throw new AppError('BadInput', `更正后的表决还缺少：${missing.join('、')}`)
    const corrected = { ...vote, ...fields }
    const { totals } = await electorateFromRoster(ctx, corrected)
    const buildings = await repo.buildingsByIds(ctx.db, req.communityId, buildingIds)
    checkElectorateTotals(totals)
    const opensAt = new Date(fields.opens_at)
    const closesAt = new Date(fields.closes_at)
    const text = announcementText(corrected, matters, buildings, opensAt, closesAt, totals, countingOf(corrected))
    const publisher = announcingBody(actor, community)
    const notice = await publishSystemNotice(ctx, {
      communityId: req.communityId,
      kind: '公示',
      title: clip(`更正公告：${text.title}`, TITLE_MAX),
      body: clip(`更正原因：${req.reason}\n原表决公告作废，以本公告为准；公告期自本公告发布次日重新计算，表决于 ${beijingTime(opensAt)}（北京时间）开始。\n\n${text.body}`, BODY_MAX),
      publisherRole: publisher.role,
      publisherName: publisher.name,
      publishedBy: actor.userId,
      postingEndsAt: new Date(Math.max(closesAt.getTime(), now.getTime() + 7 * DAY_MS)),
      correctsNoticeId: latestAnnouncement(vote),
      sourceKey: `vote:${vote.id}:correct:${randomUUID()}`,
    })
    const set = { ...fields, announce_at: nowIso, correction_notice_id: notice.id }
    if (!(await moveVote(ctx, vote, 'correct', set))) assertVoteMove('open', 'correct')
    await repo.replaceDraftContent(ctx.db, req.communityId, vote.id, {}, matters, buildingIds)
    await appendVoteAudit(ctx, {
      communityId: req.communityId,
      voteId: vote.id,
      at: nowIso,
      actor: actor.userId,
      action: 'vote.corrected',
      payload: { ...createdPayload(corrected, buildingIds, matters), announceAt: nowIso, noticeId: notice.id, reason: req.reason },
    })
  })
  return getVote(ctx, req)
}

/**
 * Cancels an announced vote with a published 撤销公告 (linked to the announcement it withdraws),
 * before it opens. It stays listed as 已撤销 with its notices; nothing is deleted.
 */
export async function cancelVote(ctx: Ctx, req: VoteRef & { reason: string }): Promise<VoteDetail> {
  const { actor, community } = await voteRunner(ctx, req.communityId)
  const nowIso = ctx.now().toISOString()
  await withTx(ctx, async (ctx) => {
    const vote = await loadVote(ctx, req)
    assertVoteMove(vote.status, 'cancel')
    const publisher = announcingBody(actor, community)
    const notice = await publishSystemNotice(ctx, {
      communityId: req.communityId,
      kind: '公告',
      title: clip(`撤销公告：业主大会表决「${vote.title}」`, TITLE_MAX),
      body: clip(`原定于 ${beijingTime(vote.opens_at)}（北京时间）开始的业主大会表决「${vote.title}」撤销，不再进行投票。\n撤销原因：${req.reason}`, BODY_MAX),
      publisherRole: publisher.role,
      publisherName: publisher.name,
      publishedBy: actor.userId,
      correctsNoticeId: latestAnnouncement(vote),
      sourceKey: `vote:${vote.id}:cancel`,
    })
    if (!(await moveVote(ctx, vote, 'cancel', { cancelled_at: nowIso, cancel_notice_id: notice.id }))) assertVoteMove('open', 'cancel')
    await appendVoteAudit(ctx, { communityId: req.communityId, voteId: vote.id, at: nowIso, actor: actor.userId, action: 'vote.cancelled', payload: { cancelledAt: nowIso, noticeId: notice.id, reason: req.reason } })
  })
  return getVote(ctx, req)
}
