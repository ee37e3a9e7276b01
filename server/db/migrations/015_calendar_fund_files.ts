import { Kysely, sql } from 'kysely'

/**
 * The working-day calendar per district, and the repair fund's expense documents as files.
 *
 * work_calendar (migration 008) was one calendar for every district and nothing wrote to it; it is
 * made again keyed by district: the district office sets the national holidays and make-up
 * working days (调休) its 小区's response targets count with. A year the district has saved
 * replaces the built-in calendar of that year (work_calendar_years marks it, so a year saved with
 * no holidays at all is still the district's).
 *
 * fund_files: a quote, a contract or an acceptance photo uploaded for an expense (images without
 * metadata, PDFs checked), attached to the expense when it is recorded; the expense row keeps each
 * file's id and SHA-256 so the audit chain covers the documents too.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('work_calendar').execute()
  await db.schema.createTable('work_calendar')
    .addColumn('district_id', 'text', (c) => c.notNull().references('districts.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('work_calendar_pk', ['district_id', 'day'])
    .addCheckConstraint('work_calendar_kind_ck', sql`kind in ('off', 'work')`)
    .execute()
  await db.schema.createTable('work_calendar_years')
    .addColumn('district_id', 'text', (c) => c.notNull().references('districts.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('work_calendar_years_pk', ['district_id', 'year'])
    .execute()

  await db.schema.createTable('fund_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('expense_id', 'text', (c) => c.references('fund_expenses.id'))
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('fund_files_expense_idx').on('fund_files').columns(['community_id', 'expense_id']).execute()
  await db.schema.createIndex('fund_files_unattached_idx').on('fund_files').columns(['created_at']).where(sql.ref('expense_id'), 'is', null).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('fund_files').execute()
  await db.schema.dropTable('work_calendar_years').execute()
  await db.schema.dropTable('work_calendar').execute()
  await db.schema.createTable('work_calendar')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addCheckConstraint('work_calendar_kind_ck', sql`kind in ('off', 'work')`)
    .execute()
}
