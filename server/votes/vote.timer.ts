import type { AppDeps } from '../context'
import { advanceVotes } from './vote.service'

/**
 * Runs the vote clock every `intervalMs` (default 20 s) so votes open and close on time, and a
 * result is published within the minute its window ends, even when nobody is looking. Ticks never
 * overlap; a failing tick is logged and the next one retries. Returns a stop function.
 */
export function startVoteTimer(deps: Pick<AppDeps, 'db' | 'now' | 'log'>, intervalMs = 20_000): () => void {
  let running = false
  const run = async () => {
    if (running) return
    running = true
    try {
      const r = await advanceVotes(deps.db, deps.now())
      if (r.opened.length || r.closed.length) deps.log.info({ opened: r.opened, closed: r.closed }, 'vote clock')
      for (const f of r.failed) deps.log.error({ voteId: f.voteId, error: f.error }, 'vote clock: a vote could not advance')
    } catch (err) {
      deps.log.error({ err }, 'vote clock failed')
    } finally {
      running = false
    }
  }
  const timer = setInterval(run, intervalMs)
  timer.unref?.()
  void run()
  return () => clearInterval(timer)
}
