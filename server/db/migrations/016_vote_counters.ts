import { Kysely, sql } from 'kysely'

/**
 * Live progress at district size (issue 14): per matter and choice, how many voters chose it and
 * their area, kept in the casting transaction (server/votes/vote.progress.ts) so an open vote's
 * progress reads a dozen rows instead of every ballot. Votes that already have ballots are counted
 * here once, by the rule of vote.counting.ts: per matter and voter the online ballot when there is
 * also a paper one, else the one there is.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('vote_counters')
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('vote_id', 'text', (c) => c.notNull().references('votes.id'))
    .addColumn('matter_id', 'text', (c) => c.notNull().references('vote_matters.id'))
    .addColumn('choice', 'text', (c) => c.notNull())
    .addColumn('headcount', 'integer', (c) => c.notNull())
    .addColumn('area_centi_m2', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('vote_counters_pk', ['vote_id', 'matter_id', 'choice'])
    .execute()
  await sql`
    INSERT INTO vote_counters (community_id, vote_id, matter_id, choice, headcount, area_centi_m2)
    SELECT b.community_id, b.vote_id, b.matter_id, b.choice, COUNT(*), SUM(v.area)
    FROM ballots b
    JOIN (SELECT vote_id, voter_key, SUM(area_centi_m2) AS area FROM vote_electorate GROUP BY vote_id, voter_key) v
      ON v.vote_id = b.vote_id AND v.voter_key = b.voter_key
    WHERE b.channel = 'online' OR NOT EXISTS (
      SELECT 1 FROM ballots o WHERE o.vote_id = b.vote_id AND o.matter_id = b.matter_id AND o.voter_key = b.voter_key AND o.channel = 'online')
    GROUP BY b.community_id, b.vote_id, b.matter_id, b.choice`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('vote_counters').execute()
}
