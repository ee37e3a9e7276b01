import { Kysely, sql } from 'kysely'

/**
 * Problem reports (issue 12): reports with their timeline of events, their photos, each 小区's
 * settings (common areas, public contact numbers, response targets, the daily limit), a race-free
 * daily count per resident, and the working-day calendar (national holidays and make-up workdays).
 * Every report row carries community_id, and every index a list walks starts with it: the inbox of
 * a 小区; an officer's inbox walks one index by office, street or district (copied onto the report).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const community = (c: any) => c.notNull().references('communities.id')

  await db.schema.createTable('reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', community)
    // The places above the 小区, copied at filing so an officer's inbox is one index range.
    .addColumn('office_id', 'text', (c) => c.notNull().references('offices.id'))
    .addColumn('street_id', 'text', (c) => c.notNull().references('streets.id'))
    .addColumn('district_id', 'text', (c) => c.notNull().references('districts.id'))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('place_kind', 'text', (c) => c.notNull())
    .addColumn('place_unit_id', 'text', (c) => c.references('units.id'))
    .addColumn('building_id', 'text', (c) => c.references('buildings.id'))
    .addColumn('place_label', 'text', (c) => c.notNull())
    .addColumn('urgency', 'text')
    .addColumn('anonymous', 'integer', (c) => c.notNull())
    .addColumn('reporter_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('handler', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reopen_count', 'integer', (c) => c.notNull())
    .addColumn('due_at', 'text')
    .addColumn('responded_at', 'text')
    .addColumn('overdue_at', 'text')
    .addColumn('overdue_rank', 'integer', (c) => c.notNull())
    .addColumn('accepted_at', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('confirmed_at', 'text')
    .addColumn('auto_confirmed', 'integer', (c) => c.notNull())
    .addColumn('rating', 'integer')
    .addColumn('rating_comment', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('reports_category_ck', sql`category in ('cleaning', 'security', 'greening', 'repair', 'parking', 'complaint', 'suggestion')`)
    .addCheckConstraint('reports_status_ck', sql`status in ('submitted', 'accepted', 'in_progress', 'resolved', 'confirmed', 'reopened', 'escalated')`)
    .addCheckConstraint('reports_handler_ck', sql`handler in ('property', 'committee', 'office')`)
    .addCheckConstraint('reports_place_ck', sql`place_kind in ('unit', 'building', 'area')`)
    .addCheckConstraint('reports_rating_ck', sql`rating is null or (rating >= 1 and rating <= 5)`)
    .execute()
  // The inbox: overdue first, then newest (keyset on overdue_rank, created_at, id).
  await db.schema.createIndex('reports_inbox_idx').on('reports').columns(['community_id', 'overdue_rank', 'created_at', 'id']).execute()
  // Handlers' inbox narrowed to their body (property staff see what is routed to them).
  await db.schema.createIndex('reports_handler_idx').on('reports').columns(['community_id', 'handler', 'overdue_rank', 'created_at', 'id']).execute()
  // Officers' inboxes: one range per post, in inbox order (a 小区 does not change office in practice;
  // if one ever does, its reports' office, street and district are updated with it).
  for (const level of ['office', 'street', 'district']) {
    await db.schema.createIndex(`reports_${level}_inbox_idx`).on('reports').columns([`${level}_id`, 'overdue_rank', 'created_at', 'id']).execute()
  }
  // The reporter's own list.
  await db.schema.createIndex('reports_reporter_idx').on('reports').columns(['community_id', 'reporter_user_id', 'created_at', 'id']).execute()
  // Dashboards: a 小区's reports filed in a period.
  await db.schema.createIndex('reports_period_idx').on('reports').columns(['community_id', 'created_at']).execute()
  // The jobs: reports awaiting a response by due time, resolved reports by resolution time.
  await db.schema.createIndex('reports_due_idx').on('reports').columns(['due_at']).where(sql.ref('responded_at'), 'is', null).execute()
  await db.schema.createIndex('reports_resolved_idx').on('reports').columns(['status', 'resolved_at']).execute()

  await db.schema.createTable('report_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', community)
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('message', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    // One event per position in a report's timeline: two racing changes cannot both write the same step.
    .addUniqueConstraint('report_events_seq_uq', ['report_id', 'seq'])
    .execute()

  await db.schema.createTable('report_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', community)
    .addColumn('report_id', 'text', (c) => c.references('reports.id'))
    .addColumn('event_id', 'text', (c) => c.references('report_events.id'))
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('report_files_report_idx').on('report_files').columns(['community_id', 'report_id']).execute()
  await db.schema.createIndex('report_files_unattached_idx').on('report_files').columns(['created_at']).where(sql.ref('report_id'), 'is', null).execute()

  await db.schema.createTable('report_settings')
    .addColumn('community_id', 'text', (c) => c.primaryKey().references('communities.id'))
    .addColumn('common_areas', 'text', (c) => c.notNull())
    .addColumn('property_phone', 'text')
    .addColumn('property_hours', 'text')
    .addColumn('committee_phone', 'text')
    .addColumn('committee_hours', 'text')
    .addColumn('office_phone', 'text')
    .addColumn('office_address', 'text')
    .addColumn('urgent_accept_minutes', 'integer', (c) => c.notNull())
    .addColumn('ordinary_accept_minutes', 'integer', (c) => c.notNull())
    .addColumn('complaint_answer_workdays', 'integer', (c) => c.notNull())
    .addColumn('daily_limit', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema.createTable('report_daily_counts')
    .addColumn('community_id', 'text', community)
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_daily_counts_pk', ['community_id', 'user_id', 'day'])
    .execute()

  await db.schema.createTable('work_calendar')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addCheckConstraint('work_calendar_kind_ck', sql`kind in ('off', 'work')`)
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['work_calendar', 'report_daily_counts', 'report_settings', 'report_files', 'report_events', 'reports']) {
    await db.schema.dropTable(t).execute()
  }
}
