import { randomUUID } from 'node:crypto'
import type { Ctx } from '../context'
import type { OutboxTopic, OutboxTopics } from './topics'

export type { OutboxTopic, OutboxTopics } from './topics'

export interface EnqueueInput<T extends OutboxTopic> {
  communityId: string
  topic: T
  payload: OutboxTopics[T]
  /** Not delivered before this instant (a notice scheduled for later); default now. */
  notBefore?: Date
}

/**
 * Writes an event to the outbox with ctx.db, which must be the transaction of the change the
 * event announces (inside withTx): the row then exists exactly when the change does, and a
 * transaction that fails leaves neither. Delivery happens later, in the outbox drain job.
 */
export async function enqueueOutbox<T extends OutboxTopic>(ctx: Pick<Ctx, 'db' | 'now'>, input: EnqueueInput<T>): Promise<{ id: string }> {
  const now = ctx.now()
  const due = input.notBefore && input.notBefore > now ? input.notBefore : now
  const id = randomUUID()
  await ctx.db
    .insertInto('outbox')
    .values({
      id,
      community_id: input.communityId,
      topic: input.topic,
      payload: JSON.stringify(input.payload),
      created_at: now.toISOString(),
      attempts: 0,
      next_attempt_at: due.toISOString(),
      delivered_at: null,
      last_error: null,
    })
    .execute()
  return { id }
}
