import { VOTE_STATUS_LABELS } from '../../src/contracts/votes'
import type { Ctx } from '../context'
import { applyTransition, defineLifecycle } from '../lifecycle'
import * as repo from './vote.repository'
import type { VoteRow } from './vote.repository'
import type { VoteStatus } from './vote.table'

/**
 * The life of an owners' assembly vote (domain.md "Owners' assembly votes"):
 * draft → announced (the committee publishes the announcement notice) → open (its opening time
 * has come: the clock, or the committee by hand once it is due, freezes the electorate) → closed
 * (its window has ended: results frozen, the 表决结果 notice published). Nothing goes back, and
 * a vote is never cancelled or deleted: a draft that is never announced simply stays a draft.
 */
export const VOTE_STATUSES = ['draft', 'announced', 'open', 'closed'] as const satisfies readonly VoteStatus[]

export const VOTE_LIFECYCLE = defineLifecycle({
  entity: '这次表决',
  states: VOTE_STATUSES,
  stateLabels: VOTE_STATUS_LABELS,
  transitions: {
    announce: { from: ['draft'], to: 'announced', label: '发布表决公告' },
    open: { from: ['announced'], to: 'open', label: '开始投票', hints: { draft: '请先发布表决公告' } },
    close: { from: ['open'], to: 'closed', label: '结束投票', hints: { draft: '表决尚未开始', announced: '表决尚未开始' } },
  },
})

export type VoteEvent = keyof typeof VOTE_LIFECYCLE.transitions

/** The status a vote in `status` moves to on `event`, or Conflict naming both (see server/lifecycle.ts). */
export function nextVoteStatus(status: VoteStatus, event: VoteEvent): VoteStatus {
  return applyTransition(VOTE_LIFECYCLE, status, event)
}

/** Refuses (Conflict) an event the vote's status does not allow; checked before the work a move needs. */
export function assertVoteMove(status: VoteStatus, event: VoteEvent): void {
  nextVoteStatus(status, event)
}

/**
 * The one way a vote's status changes: checks the move against the table (an illegal one is
 * refused with Conflict), then writes it only if the row is still in the status it was read in.
 * Answers false when another process moved it first (the clock running in two places at once),
 * which callers treat as "nothing to do". Fields to set with the move ride along in `set`.
 */
export async function moveVote(ctx: Ctx, vote: Pick<VoteRow, 'id' | 'community_id' | 'status'>, event: VoteEvent, set: Partial<VoteRow> = {}): Promise<boolean> {
  const to = nextVoteStatus(vote.status, event)
  return repo.transition(ctx.db, vote.community_id, vote.id, vote.status, to, set)
}
