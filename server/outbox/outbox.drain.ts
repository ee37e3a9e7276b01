import type { Ctx, Logger } from '../context'
import type { OutboxTopic, OutboxTopics } from './topics'

/** One outbox row as a deliverer sees it. `id` is stable across retries: use it as an idempotency key. */
export type OutboxMessage = {
  [T in OutboxTopic]: { id: string; communityId: string; topic: T; payload: OutboxTopics[T]; createdAt: string; attempt: number }
}[OutboxTopic]

/**
 * Sends an outbox message to the world (today a log line; WeChat subscribe messages with the
 * messages feature). Resolving means delivered; throwing means "try again later".
 */
export interface OutboxDeliverer {
  deliver(message: OutboxMessage): Promise<void>
}

/** The deliverer until the messages feature brings one: writes each event to the log. */
export function loggerDeliverer(log: Logger): OutboxDeliverer {
  return {
    deliver: async (m) => log.info({ outboxId: m.id, communityId: m.communityId, topic: m.topic, payload: m.payload }, 'outbox event'),
  }
}

/** How long a drain holds a row it is delivering; a drain that died mid-delivery loses the row after it. */
export const OUTBOX_HOLD_MS = 5 * 60_000
/** After this many failed attempts a row is given up (it stays, with its last error). */
export const OUTBOX_MAX_ATTEMPTS = 12
const FIRST_RETRY_MS = 30_000
const MAX_RETRY_MS = 6 * 3600_000

/** The wait after the n-th failed attempt: 30 s, 1 min, 2 min, … doubling, at most 6 hours. */
export function retryDelayMs(failedAttempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, failedAttempts - 1), MAX_RETRY_MS)
}

export interface DrainReport {
  delivered: number
  retried: number
  gaveUp: number
}

/**
 * Delivers the outbox rows that are due, oldest first, one at a time. Each row is first claimed
 * with one conditional UPDATE (compare-and-set on next_attempt_at, which the claim moves to the end
 * of the hold), so when several drains run at once on one database each row goes to one of them;
 * a delivered row is marked delivered and never picked again. A failure schedules a retry with
 * exponential backoff. Delivery is at least once only if a drain dies between delivering and
 * recording it: deliverers key on the message id.
 */
export async function drainOutbox(ctx: Pick<Ctx, 'db' | 'now' | 'log'>, deliverer: OutboxDeliverer, opts: { limit?: number } = {}): Promise<DrainReport> {
  const report: DrainReport = { delivered: 0, retried: 0, gaveUp: 0 }
  const now = ctx.now()
  const rows = await ctx.db
    .selectFrom('outbox')
    .selectAll()
    .where('delivered_at', 'is', null)
    .where('next_attempt_at', 'is not', null)
    .where('next_attempt_at', '<=', now.toISOString())
    .orderBy('next_attempt_at')
    .orderBy('created_at')
    .limit(opts.limit ?? 100)
    .execute()
  for (const row of rows) {
    const attempt = row.attempts + 1
    const claim = await ctx.db
      .updateTable('outbox')
      .set({ next_attempt_at: new Date(now.getTime() + OUTBOX_HOLD_MS).toISOString(), attempts: attempt })
      .where('id', '=', row.id)
      .where('delivered_at', 'is', null)
      .where('next_attempt_at', '=', row.next_attempt_at!)
      .executeTakeFirst()
    if (Number(claim.numUpdatedRows) !== 1) continue // another drain has it
    const message = { id: row.id, communityId: row.community_id, topic: row.topic, payload: JSON.parse(row.payload), createdAt: row.created_at, attempt } as OutboxMessage
    try {
      await deliverer.deliver(message)
    } catch (err) {
      const error = (err instanceof Error ? err.message : String(err)).slice(0, 500)
      const gaveUp = attempt >= OUTBOX_MAX_ATTEMPTS
      const next = gaveUp ? null : new Date(ctx.now().getTime() + retryDelayMs(attempt)).toISOString()
      await ctx.db.updateTable('outbox').set({ next_attempt_at: next, last_error: error }).where('id', '=', row.id).where('delivered_at', 'is', null).execute()
      if (gaveUp) {
        report.gaveUp++
        ctx.log.error({ outboxId: row.id, topic: row.topic, attempts: attempt, error }, 'outbox: delivery given up')
      } else {
        report.retried++
        ctx.log.warn({ outboxId: row.id, topic: row.topic, attempts: attempt, error, next }, 'outbox: delivery failed, will retry')
      }
      continue
    }
    await ctx.db.updateTable('outbox').set({ delivered_at: ctx.now().toISOString(), last_error: null }).where('id', '=', row.id).where('delivered_at', 'is', null).execute()
    report.delivered++
  }
  return report
}
