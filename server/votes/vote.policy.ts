import { COMMITTEE_ROLES, hasAnyRole, isVoteManager, rolesInSet, type RoleSet } from '../../src/contracts/roles'
import { rolesAt } from '../communities/scope.repository'
import { requireActor, type Actor, type Ctx } from '../context'
import { AppError } from '../errors'
import * as repo from './vote.repository'
import type { VoteRow } from './vote.repository'
import { requireVoteRunner } from './vote.rules'

/**
 * Who may do what with a vote, beyond the registry's coarse check (which already let only the
 * 小区's members with a vote role through; role sets live in src/contracts/roles.ts):
 * - the committee, or the community office standing in for it, runs votes (VOTE_MANAGER_ROLES);
 * - a draft is their working paper: to everyone else it does not exist (NotFound, not Forbidden,
 *   so an owner cannot even learn that one is being prepared);
 * - who entered a paper ballot, and for which flat, is for them only: owners see the count.
 */

/** Whether this person runs votes in the 小区 (committee or community office). */
export const mayManageVotes = (actor: Actor): boolean => isVoteManager(actor.roles)

export function requireVoteManager(actor: Actor): void {
  if (!mayManageVotes(actor)) throw new AppError('Forbidden', '只有业委会（物管会）委员或社区工作人员可以组织表决')
}

/** Whether the person may see the vote at all: drafts only to those who run votes. */
export const maySeeVote = (actor: Actor, vote: Pick<VoteRow, 'status'>): boolean => vote.status !== 'draft' || mayManageVotes(actor)

/**
 * The frozen electorate is honoured (issue 8 item 5): whoever was on it when the vote opened may
 * follow and cast it, even if a re-import since removed their owner role. Answers the ctx with the
 * caller's roles in the 小区 (plus owner, when they are on this vote's electorate); refuses anyone
 * else exactly as the registry refuses a non-member, so no vote id is confirmed to a stranger.
 */
export async function asVoter(ctx: Ctx, ref: { communityId: string; voteId: string }, roles: RoleSet): Promise<Ctx> {
  const actor = requireActor(ctx)
  const held = await rolesAt(ctx.db, actor.userId, 'community', ref.communityId)
  if (hasAnyRole(held, roles)) return { ...ctx, actor: { ...actor, roles: held } }
  const onElectorate = (await repo.voterKeysOfUser(ctx.db, ref.communityId, ref.voteId, actor.userId)).length > 0
  if (onElectorate) return { ...ctx, actor: { ...actor, roles: [...held, 'owner'] } }
  if (held.length === 0) throw new AppError('Forbidden', '您不是该小区的成员')
  throw new AppError('Forbidden', '您在该小区没有进行此操作的权限')
}

/** Units beside a paper receipt tie that paper's choices to a flat: only for those who entered it. */
export const maySeeConflictUnits = (actor: Actor): boolean => mayManageVotes(actor)

/** The vote of this 小区, or NotFound (an id of another 小区 leads nowhere). */
export async function loadVote(ctx: Ctx, ref: { communityId: string; voteId: string }): Promise<VoteRow> {
  const v = await repo.findVote(ctx.db, ref.communityId, ref.voteId)
  if (!v) throw new AppError('NotFound', '找不到这次表决')
  return v
}

/** The vote if the acting person may see it; NotFound otherwise (a draft to an owner). */
export async function loadVisibleVote(ctx: Ctx, ref: { communityId: string; voteId: string }): Promise<VoteRow> {
  const vote = await loadVote(ctx, ref)
  if (!maySeeVote(requireActor(ctx), vote)) throw new AppError('NotFound', '找不到这次表决')
  return vote
}

type CommunityForVotes = NonNullable<Awaited<ReturnType<typeof repo.communityForVotes>>>

/**
 * Who speaks in the announcement a person publishes: the committee when they sit on it (the
 * chair first), otherwise the community office they act for.
 */
export function announcingBody(actor: Actor, community: CommunityForVotes): { role: string; name: string } {
  const [committeeRole] = rolesInSet(actor.roles, COMMITTEE_ROLES)
  if (committeeRole) return { role: committeeRole, name: community.committee_name }
  return { role: 'community_officer', name: community.office_name }
}

/** The 小区 a vote action names, for the rules about who runs votes there. */
export async function communityOf(ctx: Ctx, communityId: string) {
  const community = await repo.communityForVotes(ctx.db, communityId)
  if (!community) throw new AppError('NotFound', '小区不存在')
  return community
}

/** The caller, who must run votes in this 小区 (its committee, or the office in stand-in mode), and the 小区. */
export async function voteRunner(ctx: Ctx, communityId: string): Promise<{ actor: Actor; community: Awaited<ReturnType<typeof communityOf>> }> {
  const actor = requireActor(ctx)
  const community = await communityOf(ctx, communityId)
  requireVoteRunner(actor, community)
  return { actor, community }
}
