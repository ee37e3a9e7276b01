import { Kysely } from 'kysely'

/**
 * A voter's ballots (checked at every cast, and by the live-progress counters) and a vote's paper
 * ballots (the conflict count of progress), found without walking every ballot of the vote: the
 * unique index (vote, matter, voter, channel) serves neither (issue 14). After 019, which rebuilds
 * the ballots table on SQLite and with it drops the indexes it does not make again.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('ballots_voter_idx').ifNotExists().on('ballots').columns(['vote_id', 'voter_key', 'channel']).execute()
  await db.schema.createIndex('ballots_channel_idx').ifNotExists().on('ballots').columns(['vote_id', 'channel']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('ballots_channel_idx').ifExists().execute()
  await db.schema.dropIndex('ballots_voter_idx').ifExists().execute()
}
