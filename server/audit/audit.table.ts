/** Row shapes of the audit tables (created by migration 003_votes, `mac` by 011_audit_hmac), snake_case as stored. */

/** One link of a 小区's hash chain. */
export interface AuditLogTable {
  community_id: string
  seq: number
  at: string
  actor: string | null
  action: string
  entity_type: string
  entity_id: string
  payload: string
  prev_hash: string
  hash: string
  /** HMAC-SHA256 of `hash` keyed by AUDIT_HMAC_SECRET (migration 011); null only in entries older than it. */
  mac: string | null
}

/** The 小区's chain head: the last seq and hash, locked by appenders. */
export interface AuditHeadTable {
  community_id: string
  seq: number
  hash: string
}

/** Merged into the app's Database interface (server/db/database.ts). */
export interface AuditTables {
  audit_log: AuditLogTable
  audit_heads: AuditHeadTable
}
