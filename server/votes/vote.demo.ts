import type { Api } from '../../src/contracts/api'
import { registry } from '../actions'
import { systemCtx, type AppDeps } from '../context'
import { dispatch } from '../registry'
import { advanceVotes } from './vote.clock'

/**
 * The votes of the demo (issue 8 item 12), run through the real actions with the clock moved
 * back, so the 15-day notice floor and every audit entry are as in real life:
 * - an open vote of the whole 小区, announced 20 days ago, that the bound demo owners can cast now;
 * - a closed vote, announced 50 days ago, with ballots cast and its 表决结果 (figures, receipts,
 *   the electorate digest and the audit chain head) published;
 * - a vote that accepts paper ballots, whose window ended yesterday evening: it is in counting
 *   (计票中) for 3 days, so the committee can enter paper ballots and proxies and finish counting.
 * Called by the demo seed once per 小区, after the owners have bound their units.
 */

const DAY = 86_400_000

async function callAt<K extends keyof Api>(deps: AppDeps, at: Date, userId: string, action: K, input: Api[K]['input']): Promise<Api[K]['output']> {
  const res = await dispatch(registry, action, input, { ...deps, now: () => at }, { caller: async () => ({ userId, openid: `seed:${userId}` }) })
  if (!res.ok) throw new Error(`votes demo: ${action} failed: ${res.error.code} ${res.error.message}`)
  return res.data as Api[K]['output']
}

/** 08:00 Beijing time (00:00 UTC) `days` from the day of `now`, so the demo shows plain times. */
const morning = (now: Date, days: number) => new Date(Math.floor(now.getTime() / DAY) * DAY + days * DAY)

export interface VotesDemo {
  communityId: string
  committeeUserId: string
  /** Bound owners who cast in the closed vote (the open one is left for the visitor). */
  closedVoters?: { userId: string; choices: ('agree' | 'oppose' | 'abstain')[] }[]
  open: { title: string; description: string; matters: { item: number; title: string }[] }
  closed?: { title: string; description: string; matters: { item: number; title: string }[] }
  /** A vote taking paper ballots, now in its counting stage, with these owners' online ballots. */
  counting?: { title: string; description: string; matters: { item: number; title: string }[]; voters: { userId: string; choices: ('agree' | 'oppose' | 'abstain')[] }[] }
}

export async function seedVotesDemo(deps: AppDeps, d: VotesDemo): Promise<{ openVoteId: string; closedVoteId: string | null; countingVoteId: string | null }> {
  const now = deps.now()
  let closedVoteId: string | null = null
  if (d.closed) {
    const announced = morning(now, -50)
    const opensAt = morning(now, -34)
    const closesAt = morning(now, -20)
    const vote = await callAt(deps, announced, d.committeeUserId, 'createVote', { communityId: d.communityId, scope: 'whole', opensAt: opensAt.toISOString(), closesAt: closesAt.toISOString(), ...d.closed })
    await callAt(deps, announced, d.committeeUserId, 'announceVote', { communityId: d.communityId, voteId: vote.id })
    await advanceVotes({ ...systemCtx(deps), now: () => opensAt }, { communityId: d.communityId })
    for (const [i, v] of (d.closedVoters ?? []).entries()) {
      const at = new Date(opensAt.getTime() + (i + 1) * 3600_000)
      const choices = vote.matters.map((m, j) => ({ matterId: m.id, choice: v.choices[j] ?? 'agree' }))
      await callAt(deps, at, v.userId, 'castBallot', { communityId: d.communityId, voteId: vote.id, choices, confirmed: true })
    }
    await advanceVotes({ ...systemCtx(deps), now: () => new Date(closesAt.getTime() + 1000) }, { communityId: d.communityId })
    closedVoteId = vote.id
  }
  const announced = morning(now, -20)
  const opensAt = morning(now, -4)
  const closesAt = new Date(morning(now, 10).getTime() + 12 * 3600_000) // 20:00 Beijing time
  const vote = await callAt(deps, announced, d.committeeUserId, 'createVote', { communityId: d.communityId, scope: 'whole', opensAt: opensAt.toISOString(), closesAt: closesAt.toISOString(), ...d.open })
  await callAt(deps, announced, d.committeeUserId, 'announceVote', { communityId: d.communityId, voteId: vote.id })
  await advanceVotes({ ...systemCtx(deps), now: () => new Date(opensAt.getTime() + 1000) }, { communityId: d.communityId })
  const countingVoteId = d.counting ? await seedCountingVote(deps, d.communityId, d.committeeUserId, d.counting) : null
  return { openVoteId: vote.id, closedVoteId, countingVoteId }
}

/** Announced 40 days ago, open from 24 days ago to yesterday 20:00 Beijing, 3 days of counting from then. */
async function seedCountingVote(deps: AppDeps, communityId: string, committeeUserId: string, c: NonNullable<VotesDemo['counting']>): Promise<string> {
  const now = deps.now()
  const announced = morning(now, -40)
  const opensAt = morning(now, -24)
  const closesAt = new Date(morning(now, -1).getTime() + 12 * 3600_000)
  const { voters, ...fields } = c
  const vote = await callAt(deps, announced, committeeUserId, 'createVote', { communityId, scope: 'whole', opensAt: opensAt.toISOString(), closesAt: closesAt.toISOString(), acceptsPaper: true, countingDays: 3, ...fields })
  await callAt(deps, announced, committeeUserId, 'announceVote', { communityId, voteId: vote.id })
  await advanceVotes({ ...systemCtx(deps), now: () => opensAt }, { communityId })
  for (const [i, v] of voters.entries()) {
    const at = new Date(opensAt.getTime() + (i + 1) * 3600_000)
    const choices = vote.matters.map((m, j) => ({ matterId: m.id, choice: v.choices[j] ?? 'agree' }))
    await callAt(deps, at, v.userId, 'castBallot', { communityId, voteId: vote.id, choices, confirmed: true })
  }
  await advanceVotes({ ...systemCtx(deps), now: () => new Date(closesAt.getTime() + 1000) }, { communityId })
  return vote.id
}
