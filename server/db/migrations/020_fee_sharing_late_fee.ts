import type { Kysely } from 'kysely'

/**
 * Fees (issue 10, the parts left undone):
 * - fee_bill_shares: an owner shares a unit's bills with the tenant of one tenancy (and may stop).
 *   A tenant sees the unit's bills only while the share stands (stopped_at null) and the tenancy is
 *   active; rows are kept when sharing stops, for the record. No foreign key to users (an owner's
 *   account may be deleted); the tenancy's row takes its shares with it.
 * - fee_schedules: the service contract's late fee (违约金), off unless the contract enables it: a
 *   daily rate in 万分之 (per ten thousand of what is still owed), the contract clause it rests on,
 *   and the days after the due date before it starts. Never compounding (late-fee.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('fee_bill_shares')
    .addColumn('tenancy_id', 'text', (c) => c.primaryKey().references('tenancies.id').onDelete('cascade'))
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('shared_by', 'text', (c) => c.notNull())
    .addColumn('shared_at', 'text', (c) => c.notNull())
    .addColumn('stopped_at', 'text')
    .execute()
  await db.schema.createIndex('fee_bill_shares_unit_idx').on('fee_bill_shares').columns(['community_id', 'unit_id']).execute()

  await db.schema.alterTable('fee_schedules').addColumn('late_fee_rate_per_10k', 'integer', (c) => c.notNull().defaultTo(0)).execute()
  await db.schema.alterTable('fee_schedules').addColumn('late_fee_clause', 'text').execute()
  await db.schema.alterTable('fee_schedules').addColumn('late_fee_start_days', 'integer', (c) => c.notNull().defaultTo(0)).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('fee_schedules').dropColumn('late_fee_start_days').execute()
  await db.schema.alterTable('fee_schedules').dropColumn('late_fee_clause').execute()
  await db.schema.alterTable('fee_schedules').dropColumn('late_fee_rate_per_10k').execute()
  await db.schema.dropTable('fee_bill_shares').execute()
}
