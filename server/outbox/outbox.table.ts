/** Row shape of the outbox (migration 005_jobs_outbox), snake_case as stored. */

/**
 * An event to announce outside the database (a WeChat subscribe message later), written in the
 * same transaction as the change it announces and delivered afterwards by the outbox drain job.
 */
export interface OutboxTable {
  id: string
  community_id: string
  topic: string
  /** The event's data as JSON text. */
  payload: string
  created_at: string
  /** Delivery attempts started so far. */
  attempts: number
  /**
   * From when the row may be tried (again): the creation time, a retry after a backoff, or, while
   * a drain holds it, the end of that hold. Null once delivery has been given up.
   */
  next_attempt_at: string | null
  delivered_at: string | null
  last_error: string | null
}

/** Merged into the app's Database interface (server/db/database.ts). */
export interface OutboxTables {
  outbox: OutboxTable
}
