/** Row shape of the binding lock's counters (migration 012_binding_lock), snake_case as stored. */
export interface BindingAttemptTable {
  community_id: string
  /** 'unit:<unit id>' (claims of a unit by every account) or 'user:<user id>' (claims by one account of every unit). */
  subject: string
  attempts: number
  /** When the count first passed the limit. */
  locked_at: string | null
}

/** Merged into the app's Database interface (server/db/database.ts). */
export interface BindingLockTables {
  binding_attempts: BindingAttemptTable
}
