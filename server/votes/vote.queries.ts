import {
  ART278_ITEMS,
  DEFAULT_NOTICE_DAYS,
  type ConflictInfo,
  type ElectorateVoter,
  type MatterInfo,
  type MyBallot,
  type MyVoteStatus,
  type VoteDetail,
  type VoteProgress,
  type VoteResultSheet,
  type VoteSetup,
  type VoteSummary,
} from '../../src/contracts/votes'
import { requireActor, type Actor, type Ctx } from '../context'
import { AppError } from '../errors'
import { voterKind } from './electorate'
import { ballotOf } from './vote.ballots'
import { conflictsOf, countedBallots, resultToFigures, toProgress, unitsByKey } from './vote.counting'
import { systemPublisherName } from './vote.notices'
import { laxFilingWarnings, mayRunVotes, missingForAnnouncement, noticeDaysOf } from './vote.rules'
import { loadVisibleVote, loadVote, mayManageVotes, maySeeConflictUnits, requireVoteManager } from './vote.policy'
import { receiptsOf } from './vote.receipts'
import { progressOf } from './vote.progress'
import * as repo from './vote.repository'
import type { MatterRow, VoteRow } from './vote.repository'
import type { VoteStatus } from './vote.table'

/** What people read about votes: lists, one vote, their own part, progress, the committee's lists, the result. */

type VoteRef = { communityId: string; voteId: string }

function toMatter(m: MatterRow): MatterInfo {
  return { id: m.id, position: m.position, item: m.item, itemLabel: ART278_ITEMS[m.item], class: m.class, title: m.title, description: m.description }
}

function toSummary(v: VoteRow, matterCount: number): Omit<VoteSummary, 'myPart'> {
  return {
    id: v.id,
    communityId: v.community_id,
    title: v.title,
    status: v.status,
    scope: v.scope,
    announceAt: v.announce_at,
    opensAt: v.opens_at,
    closesAt: v.closes_at,
    matterCount,
  }
}

/** What the create form needs: the 小区's notice period and its buildings. */
export async function voteSetup(ctx: Ctx, input: { communityId: string }): Promise<VoteSetup> {
  requireVoteManager(requireActor(ctx))
  const community = await repo.communityForVotes(ctx.db, input.communityId)
  if (!community) throw new AppError('NotFound', '小区不存在')
  return { noticeDays: noticeDaysOf(community), buildings: await repo.buildingsOfCommunity(ctx.db, input.communityId) }
}

export async function listVotes(ctx: Ctx, input: { communityId: string; status?: VoteStatus }): Promise<VoteSummary[]> {
  const actor = requireActor(ctx)
  const rows = await repo.listVotes(ctx.db, input.communityId, input.status)
  // Drafts are the committee's working papers; owners see a vote once it is announced.
  const visible = rows.filter((r) => r.status !== 'draft' || mayManageVotes(actor))
  return Promise.all(
    visible.map(async (r) => ({ ...toSummary(r, r.matter_count), myPart: r.status === 'open' ? await myPart(ctx, actor, { communityId: input.communityId, voteId: r.id }) : null })),
  )
}

/** Whether the caller still has a ballot to cast in an open vote (so the list says 去投票 only then). */
async function myPart(ctx: Ctx, actor: Actor, { communityId, voteId }: VoteRef): Promise<VoteSummary['myPart']> {
  const keys = [...new Set((await repo.voterKeysOfUser(ctx.db, communityId, voteId, actor.userId)).map((k) => k.voter_key))]
  if (keys.length === 0) return 'not_eligible'
  for (const key of keys) if ((await repo.ballotsOfVoter(ctx.db, communityId, voteId, key)).length === 0) return 'to_vote'
  return 'voted'
}

export async function getVote(ctx: Ctx, ref: VoteRef): Promise<VoteDetail> {
  const actor = requireActor(ctx)
  const { communityId, voteId } = ref
  const vote = await loadVisibleVote(ctx, ref)
  const [matters, buildings, community] = await Promise.all([
    repo.mattersOf(ctx.db, communityId, voteId),
    repo.scopeBuildingsOf(ctx.db, communityId, voteId),
    repo.communityForVotes(ctx.db, communityId),
  ])
  return {
    ...toSummary(vote, matters.length),
    myPart: vote.status === 'open' ? await myPart(ctx, actor, ref) : null,
    description: vote.description,
    matters: matters.map(toMatter),
    buildings,
    noticeDays: community ? noticeDaysOf(community) : DEFAULT_NOTICE_DAYS,
    announceNoticeId: vote.announce_notice_id,
    resultNoticeId: vote.result_notice_id,
    openedAt: vote.opened_at,
    closedAt: vote.closed_at,
    canManage: community ? mayRunVotes(actor, community) : false,
    // Before announcement, to those who run it: a matter filed under a laxer item than its words say.
    warnings: vote.status === 'draft' && mayManageVotes(actor) ? laxFilingWarnings(matters) : [],
    acceptsPaper: Number(vote.accepts_paper) === 1,
    countingDays: Number(vote.counting_days),
    countingEndsAt: vote.counting_ends_at,
    cancelledAt: vote.cancelled_at,
    cancelNoticeId: vote.cancel_notice_id,
    correctionNoticeId: vote.correction_notice_id,
    ...(vote.status === 'draft' ? { missing: missingForAnnouncement(vote, matters.length, buildings.length) } : {}),
  }
}

/** The caller's voters in this vote (frozen at opening), their units and their ballot if cast. */
export async function myVote(ctx: Ctx, ref: VoteRef): Promise<MyVoteStatus> {
  const actor = requireActor(ctx)
  const { communityId, voteId } = ref
  const vote = await loadVisibleVote(ctx, ref)
  if (vote.status === 'draft' || vote.status === 'announced' || vote.status === 'cancelled') return { voteId, status: vote.status, voters: [] }
  const keys = [...new Set((await repo.voterKeysOfUser(ctx.db, communityId, voteId, actor.userId)).map((k) => k.voter_key))]
  if (keys.length === 0) return { voteId, status: vote.status, voters: [] }
  const electorate = unitsByKey(await repo.electorateOf(ctx.db, communityId, voteId))
  const voters = []
  for (const key of keys) {
    const units = electorate.get(key) ?? []
    const ballots = await repo.ballotsOfVoter(ctx.db, communityId, voteId, key)
    const online = ballots.filter((b) => b.channel === 'online')
    const paper = ballots.filter((b) => b.channel === 'paper')
    const kind = voterKind(key)
    voters.push({
      voterKey: key,
      kind: kind === 'unknown' ? ('sole' as const) : kind,
      units: units.map((u) => ({ unitId: u.unit_id, label: u.unit_label, areaCentiM2: u.area_centi_m2 })),
      areaCentiM2: units.reduce((s, u) => s + u.area_centi_m2, 0),
      ballot: withCaster(ballotOf(online, true) ?? ballotOf(paper, true), online.length ? online : paper, actor.userId),
    })
  }
  return { voteId, status: vote.status, voters }
}

/** Whether the caller cast the ballot: a co-owner sees that the unit has voted, and when, but not as their own. */
function withCaster(ballot: MyBallot | null, rows: { cast_by: string }[], userId: string): MyBallot | null {
  return ballot ? { ...ballot, castByMe: rows[0]?.cast_by === userId } : null
}

/** Participation against the 2/3 quorum and agreement against the pass line; frozen once closed. */
export async function voteProgress(ctx: Ctx, ref: VoteRef): Promise<VoteProgress> {
  const { communityId, voteId } = ref
  const nowIso = ctx.now().toISOString()
  const vote = await loadVisibleVote(ctx, ref)
  if (vote.status === 'draft' || vote.status === 'announced' || vote.status === 'cancelled') {
    return { voteId, status: vote.status, asOf: nowIso, final: false, matters: [], conflicts: 0 }
  }
  // One statement after the vote: its matters with their counters (open) or their frozen results
  // (closed), and the conflict count (vote.progress.ts).
  const closed = vote.status === 'closed'
  const { matters, conflicts, live, results } = await progressOf(ctx.db, communityId, voteId, closed ? 'results' : 'counters')
  return {
    voteId,
    status: vote.status,
    // Closed: the frozen result, exactly as published; never recomputed. Open: the counters kept
    // as ballots are stored, decided by tally.ts: a dozen rows read per call, never every ballot.
    asOf: closed ? (vote.closed_at ?? nowIso) : nowIso,
    final: closed,
    matters: matters.map((m) => toProgress(m, closed ? resultToFigures(results.get(m.id)!) : live.get(m.id)!)),
    conflicts,
  }
}

/** The frozen electorate by voter, for the committee matching paper ballots and following turnout. */
export async function voteElectorate(ctx: Ctx, ref: VoteRef): Promise<ElectorateVoter[]> {
  requireVoteManager(requireActor(ctx))
  const { communityId, voteId } = ref
  const vote = await loadVote(ctx, ref)
  if (vote.status === 'draft' || vote.status === 'announced' || vote.status === 'cancelled') return []
  const [electorate, voters, ballots] = await Promise.all([repo.electorateOf(ctx.db, communityId, voteId), repo.votersOf(ctx.db, communityId, voteId), repo.ballotsOf(ctx.db, communityId, voteId)])
  const names = new Map<string, string[]>()
  for (const v of voters) names.set(v.voter_key, [...(names.get(v.voter_key) ?? []), v.name])
  const online = new Set(ballots.filter((b) => b.channel === 'online').map((b) => b.voter_key))
  const paper = new Set(ballots.filter((b) => b.channel === 'paper').map((b) => b.voter_key))
  return [...unitsByKey(electorate)]
    .map(([voterKey, units]) => ({
      voterKey,
      kind: voterKind(voterKey),
      units: units.map((u) => u.unit_label),
      areaCentiM2: units.reduce((s, u) => s + u.area_centi_m2, 0),
      names: names.get(voterKey) ?? [],
      online: online.has(voterKey),
      paper: paper.has(voterKey),
    }))
    .sort((a, b) => a.units[0].localeCompare(b.units[0], 'zh'))
}

/** Ballots refused as a voter's second (and, before the rule, voters with both a paper and an online ballot), with units: for the committee only. */
export async function voteConflicts(ctx: Ctx, ref: VoteRef): Promise<ConflictInfo[]> {
  requireVoteManager(requireActor(ctx))
  await loadVote(ctx, ref)
  const [electorate, ballots] = await Promise.all([repo.electorateOf(ctx.db, ref.communityId, ref.voteId), repo.ballotsOf(ctx.db, ref.communityId, ref.voteId)])
  return conflictsOf(ballots, electorate, await repo.conflictRowsOf(ctx.db, ref.communityId, ref.voteId))
}

/** Everything the printable result and the .xlsx show; only for closed votes. */
export async function resultData(ctx: Ctx, ref: VoteRef): Promise<Omit<VoteResultSheet, 'html'>> {
  const actor = requireActor(ctx)
  const { communityId, voteId } = ref
  const vote = await loadVote(ctx, ref)
  if (vote.status !== 'closed') throw new AppError('Conflict', '表决结束后才有结果')
  const [detail, progress, community, matters, ballots, electorate] = await Promise.all([
    getVote(ctx, ref),
    voteProgress(ctx, ref),
    repo.communityForVotes(ctx.db, communityId),
    repo.mattersOf(ctx.db, communityId, voteId),
    repo.ballotsOf(ctx.db, communityId, voteId),
    repo.electorateOf(ctx.db, communityId, voteId),
  ])
  const { superseded } = countedBallots(ballots)
  return {
    vote: detail,
    communityName: community?.name ?? '',
    committeeName: community ? systemPublisherName(community) : '',
    progress,
    receipts: receiptsOf(matters, ballots, superseded),
    // Units beside a paper receipt tie that paper's choices to a flat: only for those who run the
    // vote (who entered the paper anyway). Owners get the count, in progress.conflicts.
    conflicts: maySeeConflictUnits(actor) ? conflictsOf(ballots, electorate, await repo.conflictRowsOf(ctx.db, communityId, voteId)) : [],
  }
}
