import { Kysely } from 'kysely'

/**
 * Background work in the database, not in a process's memory: `job_runs` says when each job is
 * next due and which runner holds it (a lease, so two servers never run one job at once), and
 * `outbox` holds events written with the change they announce, until a drain delivers them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('job_runs')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('next_due_at', 'text', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'text')
    .addColumn('last_started_at', 'text')
    .addColumn('last_finished_at', 'text')
    .addColumn('last_error', 'text')
    .execute()

  await db.schema.createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    // Null once delivery has been given up (the row stays, with its last error, for a person to read).
    .addColumn('next_attempt_at', 'text')
    .addColumn('delivered_at', 'text')
    .addColumn('last_error', 'text')
    .execute()
  // The drain looks for undelivered rows that are due, oldest first.
  await db.schema.createIndex('outbox_due_idx').on('outbox').columns(['delivered_at', 'next_attempt_at']).execute()
  await db.schema.createIndex('outbox_community_idx').on('outbox').columns(['community_id', 'created_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('outbox').execute()
  await db.schema.dropTable('job_runs').execute()
}
