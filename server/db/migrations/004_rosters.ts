import { Kysely, sql } from 'kysely'

/**
 * Binding requests: count how often a resident claimed one unit, so exact-match binding cannot be
 * used to try all 10,000 ID-digit endings (after a few misses only the committee can approve);
 * and at most one pending request per resident and unit, even when two requests race.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('bindings').addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(1)).execute()
  await db.schema
    .createIndex('bindings_pending_uq')
    .on('bindings')
    .columns(['user_id', 'unit_id'])
    .unique()
    .where(sql.ref('status'), '=', 'pending')
    .execute()
  await db.schema.createIndex('tenancies_unit_idx').on('tenancies').columns(['community_id', 'unit_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tenancies_unit_idx').execute()
  await db.schema.dropIndex('bindings_pending_uq').execute()
  await db.schema.alterTable('bindings').dropColumn('attempts').execute()
}
