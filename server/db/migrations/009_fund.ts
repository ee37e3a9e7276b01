import { Kysely, sql } from 'kysely'

/**
 * The repair fund (issue 11): contribution schemes per building (each a call at a rate in fen per
 * m², the first needing no vote, every later one citing a passed item-6 vote), expenses (each
 * citing a passed item-5 vote by foreign key, or an emergency category), the buildings sharing an
 * expense, and the ledger: one row per deposit, district match, interest posting and expense share,
 * signed fen, append-only (a mistake is a reversing row, at most one per row). Every row carries
 * community_id; every row is also recorded in the 小区's audit hash chain (fund.audit.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const community = (c: any) => c.notNull().references('communities.id')

  await db.schema.createTable('fund_schemes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', community)
    .addColumn('building_id', 'text', (c) => c.notNull().references('buildings.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('rate_fen', 'integer', (c) => c.notNull())
    .addColumn('vote_id', 'text', (c) => c.references('votes.id'))
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('fund_schemes_kind_ck', sql`kind in ('initial', 'additional')`)
    .addCheckConstraint('fund_schemes_rate_ck', sql`rate_fen > 0`)
    .addCheckConstraint('fund_schemes_vote_ck', sql`kind = 'initial' or vote_id is not null`)
    .execute()
  await db.schema.createIndex('fund_schemes_building_idx').on('fund_schemes').columns(['community_id', 'building_id']).execute()
  // One first scheme per building; later calls cite a vote.
  await db.schema.createIndex('fund_schemes_initial_uq').unique().on('fund_schemes').column('building_id').where(sql.ref('kind'), '=', 'initial').execute()

  await db.schema.createTable('fund_expenses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', community)
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('contractor', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'integer', (c) => c.notNull())
    .addColumn('spent_on', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('vote_id', 'text', (c) => c.references('votes.id'))
    .addColumn('emergency', 'text')
    .addColumn('notice_id', 'text', (c) => c.references('notices.id'))
    .addColumn('documents', 'text', (c) => c.notNull())
    .addColumn('approved_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('fund_expenses_kind_ck', sql`(kind = 'ordinary' and vote_id is not null) or (kind = 'emergency' and emergency is not null)`)
    .addCheckConstraint('fund_expenses_amount_ck', sql`amount_fen > 0`)
    .execute()
  await db.schema.createIndex('fund_expenses_community_idx').on('fund_expenses').columns(['community_id', 'spent_on']).execute()

  await db.schema.createTable('fund_expense_buildings')
    .addColumn('community_id', 'text', community)
    .addColumn('expense_id', 'text', (c) => c.notNull().references('fund_expenses.id'))
    .addColumn('building_id', 'text', (c) => c.notNull().references('buildings.id'))
    .addPrimaryKeyConstraint('fund_expense_buildings_pk', ['expense_id', 'building_id'])
    .execute()

  await db.schema.createTable('fund_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', community)
    .addColumn('unit_id', 'text', (c) => c.references('units.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    // Signed fen: deposits, matches and interest add; expense shares take away; a reversal negates its row.
    .addColumn('amount_fen', 'integer', (c) => c.notNull())
    .addColumn('on_date', 'text', (c) => c.notNull())
    .addColumn('channel', 'text')
    .addColumn('receipt_no', 'text')
    .addColumn('held_in', 'text')
    .addColumn('deposit_id', 'text', (c) => c.references('fund_entries.id'))
    .addColumn('expense_id', 'text', (c) => c.references('fund_expenses.id'))
    .addColumn('reverses_id', 'text', (c) => c.references('fund_entries.id'))
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('fund_entries_kind_ck', sql`kind in ('deposit', 'match', 'interest', 'expense')`)
    .addUniqueConstraint('fund_entries_reverses_uq', ['reverses_id'])
    .execute()
  await db.schema.createIndex('fund_entries_unit_idx').on('fund_entries').columns(['community_id', 'unit_id', 'on_date']).execute()
  await db.schema.createIndex('fund_entries_ledger_idx').on('fund_entries').columns(['community_id', 'created_at', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['fund_entries', 'fund_expense_buildings', 'fund_expenses', 'fund_schemes']) await db.schema.dropTable(t).execute()
}
