import { VOTE_STATUS_LABELS } from '../../src/contracts/votes'
import type { Ctx } from '../context'
import { applyTransition, defineLifecycle } from '../lifecycle'
import * as repo from './vote.repository'
import type { VoteRow } from './vote.repository'
import type { VoteStatus } from './vote.table'

/**
 * The life of an owners' assembly vote (domain.md "Owners' assembly votes"):
 * draft (edited or deleted at will) → announced (the committee publishes the announcement notice;
 * it may correct it, which restarts the notice period, or cancel it with a 撤销公告) → open (its
 * opening time has come: the clock, or the committee by hand once it is due, freezes the
 * electorate) → closed (its window has ended: results frozen, the 表决结果 notice published).
 * A vote that accepts paper ballots closes into counting (计票) instead, for at most 3 days, in
 * which the committee enters papers signed before the close; the result is published when
 * counting ends (the committee's 结束计票, or the clock). Nothing goes back; an announced vote is
 * never deleted, only cancelled (its notices and audit entries stay).
 */
export const VOTE_STATUSES = ['draft', 'announced', 'open', 'counting', 'closed', 'cancelled'] as const satisfies readonly VoteStatus[]

export const VOTE_LIFECYCLE = defineLifecycle({
  entity: '这次表决',
  states: VOTE_STATUSES,
  stateLabels: VOTE_STATUS_LABELS,
  transitions: {
    /** Edits and deletion of the working paper: it stays (or leaves as) a draft. */
    edit: { from: ['draft'], to: 'draft', label: '修改草稿', hints: { announced: '已公告的表决只能更正（重新计算公告期）或撤销' } },
    remove: { from: ['draft'], to: 'draft', label: '删除草稿', hints: { announced: '已公告的表决只能撤销，不能删除' } },
    announce: { from: ['draft'], to: 'announced', label: '发布表决公告' },
    correct: { from: ['announced'], to: 'announced', label: '更正表决公告', hints: { draft: '草稿可以直接修改' } },
    cancel: { from: ['announced'], to: 'cancelled', label: '撤销表决', hints: { draft: '草稿可以直接删除' } },
    open: { from: ['announced'], to: 'open', label: '开始投票', hints: { draft: '请先发布表决公告' } },
    close: { from: ['open'], to: 'closed', label: '结束投票', hints: { draft: '表决尚未开始', announced: '表决尚未开始' } },
    count: { from: ['open'], to: 'counting', label: '结束投票并开始计票', hints: { draft: '表决尚未开始', announced: '表决尚未开始' } },
    finishCounting: { from: ['counting'], to: 'closed', label: '结束计票并公布结果', hints: { open: '投票期结束后才能计票' } },
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
