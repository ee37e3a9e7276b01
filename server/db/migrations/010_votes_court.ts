import { Kysely, sql } from 'kysely'

/**
 * Votes that hold up in court (issue 8). `vote_conflicts`: a ballot refused because the voter key
 * already had one through another channel (the first recorded counts; the later one is logged here
 * with who tried and when, never counted).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('vote_conflicts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('vote_id', 'text', (c) => c.notNull().references('votes.id'))
    .addColumn('voter_key', 'text', (c) => c.notNull())
    // The channel of the refused ballot, and the receipt of the one that counts.
    .addColumn('channel', 'text', (c) => c.notNull().check(sqlIn(['online', 'paper'])))
    .addColumn('counted_receipt', 'text', (c) => c.notNull())
    .addColumn('attempted_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('attempted_at', 'text', (c) => c.notNull())
    .addColumn('evidence_file', 'text')
    .execute()
  await db.schema.createIndex('vote_conflicts_vote_idx').on('vote_conflicts').columns(['community_id', 'vote_id', 'voter_key']).execute()
}

/** A CHECK written the same way on both dialects. */
const sqlIn = (values: string[]) => sql.raw(`channel in (${values.map((v) => `'${v}'`).join(', ')})`)

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('vote_conflicts').execute()
}
