import type { Kysely } from 'kysely'

/**
 * Issue 9 item 2: each audit entry carries an HMAC of its hash keyed by AUDIT_HMAC_SECRET (a secret
 * outside the database), so someone with the database alone cannot recompute a changed chain.
 * Entries written before this migration have none and are reported by verification.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_log').addColumn('mac', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_log').dropColumn('mac').execute()
}
