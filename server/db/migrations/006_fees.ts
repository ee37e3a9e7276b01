import { Kysely, sql } from 'kysely'

/**
 * Property fees: the fee schedule (versions, each published as a 公示), the periods billed, one
 * bill per unit and period with its lines, credit notes, payments (an idempotency key and a
 * receipt number each, both unique), 催缴 reminders, and counters for receipt numbers. Money is
 * integer fen, area integer 0.01 m². Every table carries community_id (the tenant key). Bills are
 * never edited: their amounts are fixed at issue; credits and payments are rows of their own.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const community = (c: any) => c.notNull().references('communities.id')

  await db.schema.createTable('fee_schedules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', community)
    .addColumn('version', 'integer', (c) => c.notNull())
    // First month (YYYY-MM) the version applies to.
    .addColumn('effective_from', 'text', (c) => c.notNull())
    .addColumn('notice_id', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('fee_schedules_version_uq', ['community_id', 'version'])
    .execute()

  await db.schema.createTable('fee_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', community)
    .addColumn('schedule_id', 'text', (c) => c.notNull().references('fee_schedules.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // area: rate_fen per m² per month; fixed: rate_fen per unit per month; shared: rate_fen is a
    // monthly total split over the units in scope by registered area.
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('rate_fen', 'integer', (c) => c.notNull())
    // JSON array of building ids; [] means every building.
    .addColumn('building_ids', 'text', (c) => c.notNull())
    .addCheckConstraint('fee_items_kind_ck', sql`kind in ('area', 'fixed', 'shared')`)
    .addCheckConstraint('fee_items_rate_ck', sql`rate_fen >= 0`)
    .execute()
  await db.schema.createIndex('fee_items_schedule_idx').on('fee_items').columns(['schedule_id', 'position']).execute()

  await db.schema.createTable('fee_periods')
    .addColumn('community_id', 'text', community)
    // 2026-03, 2026-Q1 or 2026
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('first_month', 'text', (c) => c.notNull())
    .addColumn('months', 'integer', (c) => c.notNull())
    .addColumn('schedule_id', 'text', (c) => c.notNull().references('fee_schedules.id'))
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('bill_count', 'integer', (c) => c.notNull())
    .addColumn('generated_by', 'text', (c) => c.references('users.id'))
    .addColumn('generated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('fee_periods_pk', ['community_id', 'period'])
    .execute()

  await db.schema.createTable('fee_bills')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', community)
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('building_id', 'text', (c) => c.notNull().references('buildings.id'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('first_month', 'text', (c) => c.notNull())
    .addColumn('months', 'integer', (c) => c.notNull())
    .addColumn('schedule_id', 'text', (c) => c.notNull().references('fee_schedules.id'))
    // The unit as it was billed, so a bill reads the same after a roster change.
    .addColumn('unit_label', 'text', (c) => c.notNull())
    .addColumn('area_centi_m2', 'integer', (c) => c.notNull())
    .addColumn('payer', 'text', (c) => c.notNull())
    .addColumn('payee_name', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'integer', (c) => c.notNull())
    .addColumn('credited_fen', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('paid_fen', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('closed_reason', 'text')
    .addColumn('closed_by', 'text', (c) => c.references('users.id'))
    .addColumn('closed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    // Generating a period twice creates nothing new.
    .addUniqueConstraint('fee_bills_unit_period_uq', ['unit_id', 'period'])
    .addCheckConstraint('fee_bills_status_ck', sql`status in ('issued', 'partly_paid', 'paid', 'waived', 'written_off')`)
    .addCheckConstraint('fee_bills_payer_ck', sql`payer in ('owner', 'developer')`)
    .addCheckConstraint('fee_bills_money_ck', sql`amount_fen >= 0 and credited_fen >= 0 and paid_fen >= 0 and credited_fen + paid_fen <= amount_fen`)
    .execute()
  await db.schema.createIndex('fee_bills_unit_idx').on('fee_bills').columns(['community_id', 'unit_id', 'first_month']).execute()
  await db.schema.createIndex('fee_bills_period_idx').on('fee_bills').columns(['community_id', 'period', 'building_id']).execute()

  await db.schema.createTable('fee_bill_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', community)
    .addColumn('bill_id', 'text', (c) => c.notNull().references('fee_bills.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('item_name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('rate_fen', 'integer', (c) => c.notNull())
    .addColumn('months', 'integer', (c) => c.notNull())
    .addColumn('amount_fen', 'integer', (c) => c.notNull())
    // How the amount was computed, as the owner reads it.
    .addColumn('basis', 'text', (c) => c.notNull())
    .addUniqueConstraint('fee_bill_lines_pos_uq', ['bill_id', 'position'])
    .execute()

  await db.schema.createTable('fee_credit_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', community)
    .addColumn('bill_id', 'text', (c) => c.notNull().references('fee_bills.id'))
    .addColumn('amount_fen', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('fee_credit_notes_amount_ck', sql`amount_fen > 0`)
    .execute()
  await db.schema.createIndex('fee_credit_notes_bill_idx').on('fee_credit_notes').column('bill_id').execute()

  await db.schema.createTable('fee_payments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', community)
    .addColumn('bill_id', 'text', (c) => c.notNull().references('fee_bills.id'))
    .addColumn('amount_fen', 'integer', (c) => c.notNull())
    // cash, bank (transfer) or wechat (a WeChat Pay reference)
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    // A double tap records once: the second insert with the same key is refused by the database.
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('receipt_no', 'text', (c) => c.notNull())
    .addColumn('paid_on', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('fee_payments_key_uq', ['community_id', 'idempotency_key'])
    .addUniqueConstraint('fee_payments_receipt_uq', ['community_id', 'receipt_no'])
    .addCheckConstraint('fee_payments_amount_ck', sql`amount_fen > 0`)
    .addCheckConstraint('fee_payments_method_ck', sql`method in ('cash', 'bank', 'wechat')`)
    .execute()
  await db.schema.createIndex('fee_payments_bill_idx').on('fee_payments').column('bill_id').execute()

  await db.schema.createTable('fee_reminders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', community)
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    // visit 上门, call 电话, written 书面通知 (with a deadline)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('deadline_on', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('fee_reminders_kind_ck', sql`kind in ('visit', 'call', 'written') and ((kind = 'written') = (deadline_on is not null))`)
    .execute()
  await db.schema.createIndex('fee_reminders_unit_idx').on('fee_reminders').columns(['community_id', 'unit_id', 'created_at']).execute()

  // Sequences per 小区 (receipt numbers per year): one row each, bumped under its row lock.
  await db.schema.createTable('fee_counters')
    .addColumn('community_id', 'text', community)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('value', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('fee_counters_pk', ['community_id', 'name'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['fee_counters', 'fee_reminders', 'fee_payments', 'fee_credit_notes', 'fee_bill_lines', 'fee_bills', 'fee_periods', 'fee_items', 'fee_schedules']) {
    await db.schema.dropTable(t).execute()
  }
}
