import { advanceVotes } from '../votes/vote.clock'
import type { JobCtx } from './job'

/**
 * The vote clock: opens announced votes whose time has come, closes those whose window ended and
 * publishes their results. Answers counts; logs the ids and any vote that could not advance.
 */
export async function runVoteClock(ctx: JobCtx): Promise<{ opened: number; closed: number; failed: number }> {
  const r = await advanceVotes(ctx)
  if (r.opened.length || r.closed.length) ctx.log.info({ opened: r.opened, closed: r.closed }, 'vote clock')
  for (const f of r.failed) ctx.log.error({ voteId: f.voteId, error: f.error }, 'vote clock: a vote could not advance')
  return { opened: r.opened.length, closed: r.closed.length, failed: r.failed.length }
}
