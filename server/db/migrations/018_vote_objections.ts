import { Kysely } from 'kysely'

/**
 * Objections to the electorate (异议, issue 8 item 5): an owner who finds their own entry wrong
 * (units, area, how they are counted) says so before the vote opens; the committee answers. Kept
 * with the vote, never deleted; raising and answering are in the 小区's audit log.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('vote_objections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('vote_id', 'text', (c) => c.notNull().references('votes.id'))
    .addColumn('raised_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('raised_at', 'text', (c) => c.notNull())
    .addColumn('answer', 'text')
    .addColumn('answered_by', 'text', (c) => c.references('users.id'))
    .addColumn('answered_at', 'text')
    .execute()
  await db.schema.createIndex('vote_objections_vote_idx').on('vote_objections').columns(['community_id', 'vote_id', 'raised_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('vote_objections').execute()
}
