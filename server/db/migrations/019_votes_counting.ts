import { Kysely, PostgresAdapter, sql } from 'kysely'

/**
 * Votes: paper and proxy ballots, a counting stage, drafts and corrections (issue 8 items 7, 10).
 * - votes: whether the vote accepts paper ballots and its counting period (at most 3 days), when
 *   counting ends, and the cancel / correction notices;
 * - ballots: an invalid (blank or spoiled) paper is its own choice, never an abstention; a written
 *   proxy (委托书) is a kind of paper ballot with the proxy's name; a paper records the moment it was
 *   signed besides the moment it was entered (cast_at);
 * - vote_results: the invalid papers of each matter, beside agree, oppose and abstain.
 * SQLite cannot change a CHECK in place: the ballots table is rebuilt there with its rows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('votes').addColumn('accepts_paper', 'integer', (c) => c.notNull().defaultTo(0)).execute()
  await db.schema.alterTable('votes').addColumn('counting_days', 'integer', (c) => c.notNull().defaultTo(0)).execute()
  await db.schema.alterTable('votes').addColumn('counting_ends_at', 'text').execute()
  await db.schema.alterTable('votes').addColumn('cancelled_at', 'text').execute()
  await db.schema.alterTable('votes').addColumn('cancel_notice_id', 'text').execute()
  await db.schema.alterTable('votes').addColumn('correction_notice_id', 'text').execute()

  await db.schema.alterTable('vote_results').addColumn('invalid_area_centi_m2', 'integer', (c) => c.notNull().defaultTo(0)).execute()
  await db.schema.alterTable('vote_results').addColumn('invalid_headcount', 'integer', (c) => c.notNull().defaultTo(0)).execute()

  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await db.schema.alterTable('ballots').addColumn('kind', 'text', (c) => c.notNull().defaultTo('ballot')).execute()
    await db.schema.alterTable('ballots').addColumn('proxy_name', 'text').execute()
    await db.schema.alterTable('ballots').addColumn('signed_at', 'text').execute()
    await sql`alter table ballots drop constraint ballots_choice_ck`.execute(db)
    await sql`alter table ballots add constraint ballots_choice_ck check (choice in ('agree', 'oppose', 'abstain', 'invalid') and (choice <> 'invalid' or channel = 'paper'))`.execute(db)
    await sql`alter table ballots add constraint ballots_kind_ck check (kind in ('ballot', 'proxy') and (kind = 'ballot' or (channel = 'paper' and proxy_name is not null)))`.execute(db)
    return
  }
  await db.schema.createTable('ballots_v14')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('vote_id', 'text', (c) => c.notNull().references('votes.id'))
    .addColumn('matter_id', 'text', (c) => c.notNull().references('vote_matters.id'))
    .addColumn('voter_key', 'text', (c) => c.notNull())
    .addColumn('choice', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('receipt_code', 'text', (c) => c.notNull())
    .addColumn('cast_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('person_id', 'text', (c) => c.references('persons.id'))
    .addColumn('cast_at', 'text', (c) => c.notNull())
    .addColumn('evidence_file', 'text')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('ballot'))
    .addColumn('proxy_name', 'text')
    .addColumn('signed_at', 'text')
    .addUniqueConstraint('ballots_one_per_voter_uq', ['vote_id', 'matter_id', 'voter_key', 'channel'])
    .addCheckConstraint('ballots_choice_ck', sql`choice in ('agree', 'oppose', 'abstain', 'invalid') and (choice <> 'invalid' or channel = 'paper')`)
    .addCheckConstraint('ballots_channel_ck', sql`channel in ('online', 'paper')`)
    .addCheckConstraint('ballots_evidence_ck', sql`channel = 'online' or evidence_file is not null`)
    .addCheckConstraint('ballots_kind_ck', sql`kind in ('ballot', 'proxy') and (kind = 'ballot' or (channel = 'paper' and proxy_name is not null))`)
    .execute()
  await sql`insert into ballots_v14 (id, community_id, vote_id, matter_id, voter_key, choice, channel, receipt_code, cast_by, person_id, cast_at, evidence_file)
    select id, community_id, vote_id, matter_id, voter_key, choice, channel, receipt_code, cast_by, person_id, cast_at, evidence_file from ballots`.execute(db)
  await db.schema.dropTable('ballots').execute()
  await sql`alter table ballots_v14 rename to ballots`.execute(db)
  await db.schema.createIndex('ballots_receipt_idx').on('ballots').columns(['vote_id', 'receipt_code']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const c of ['accepts_paper', 'counting_days', 'counting_ends_at', 'cancelled_at', 'cancel_notice_id', 'correction_notice_id']) await db.schema.alterTable('votes').dropColumn(c).execute()
  for (const c of ['invalid_area_centi_m2', 'invalid_headcount']) await db.schema.alterTable('vote_results').dropColumn(c).execute()
}
