import { Kysely, sql } from 'kysely'

/**
 * Owners' assembly votes (Civil Code art. 278): the vote and its matters, its scope, the
 * electorate frozen when it opens, ballots, frozen results, and a hash-chained audit log.
 * Every table carries community_id (the tenant key). Nothing here is ever deleted by the app:
 * ballots and results can be challenged in court for a year (SPC interp. art. 12).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('votes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    // draft → announced → open → closed; only forward, guarded by conditional updates.
    .addColumn('status', 'text', (c) => c.notNull())
    // whole: every unit of the 小区; buildings: the units of vote_scope_buildings.
    .addColumn('scope', 'text', (c) => c.notNull())
    // When the announcement notice was published (null while draft).
    .addColumn('announce_at', 'text')
    .addColumn('opens_at', 'text', (c) => c.notNull())
    .addColumn('closes_at', 'text', (c) => c.notNull())
    // When the transitions actually happened (the tick may run a little after the planned instant).
    .addColumn('opened_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('announce_notice_id', 'text')
    .addColumn('result_notice_id', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('votes_community_idx').on('votes').columns(['community_id', 'status', 'opens_at']).execute()
  // The tick looks for due votes across all 小区.
  await db.schema.createIndex('votes_due_idx').on('votes').columns(['status', 'opens_at', 'closes_at']).execute()

  await db.schema.createTable('vote_matters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('vote_id', 'text', (c) => c.notNull().references('votes.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    // Art. 278 ¶1 item 1..9; class is derived from it (6–8 special) and stored for reports only.
    .addColumn('item', 'integer', (c) => c.notNull())
    .addColumn('class', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addUniqueConstraint('vote_matters_position_uq', ['vote_id', 'position'])
    .addCheckConstraint('vote_matters_item_ck', sql`item between 1 and 9`)
    .addCheckConstraint('vote_matters_class_ck', sql`(class = 'special' and item between 6 and 8) or (class = 'ordinary' and item not between 6 and 8)`)
    .execute()

  await db.schema.createTable('vote_scope_buildings')
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('vote_id', 'text', (c) => c.notNull().references('votes.id'))
    .addColumn('building_id', 'text', (c) => c.notNull().references('buildings.id'))
    .addPrimaryKeyConstraint('vote_scope_buildings_pk', ['vote_id', 'building_id'])
    .execute()

  // The electorate frozen at opening: one row per unit in scope with its area and voter key.
  // Keys: 'p:<personId>' sole owner (all their units share it); 'c:<id>+<id>…' the exact set of
  // co-owners (sorted), so a co-owned unit votes once; 'developer' every unsold developer unit;
  // 'u:<unitId>' a unit with no known owner (counts in the totals, nobody can cast it online).
  await db.schema.createTable('vote_electorate')
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('vote_id', 'text', (c) => c.notNull().references('votes.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('voter_key', 'text', (c) => c.notNull())
    .addColumn('area_centi_m2', 'integer', (c) => c.notNull())
    // The unit as written when frozen, so results and the paper-ballot form need no roster join.
    .addColumn('unit_label', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('vote_electorate_pk', ['vote_id', 'unit_id'])
    .execute()
  await db.schema.createIndex('vote_electorate_key_idx').on('vote_electorate').columns(['vote_id', 'voter_key']).execute()

  // Who may cast for a voter key (frozen with the electorate): the sole owner, each co-owner,
  // or the developer's person. A later roster change does not change who may vote.
  await db.schema.createTable('vote_voters')
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('vote_id', 'text', (c) => c.notNull().references('votes.id'))
    .addColumn('voter_key', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.notNull().references('persons.id'))
    .addPrimaryKeyConstraint('vote_voters_pk', ['vote_id', 'voter_key', 'person_id'])
    .execute()
  await db.schema.createIndex('vote_voters_person_idx').on('vote_voters').columns(['vote_id', 'person_id']).execute()

  // One row per matter of a ballot paper. The unique constraint is what makes a second ballot
  // impossible, whatever the timing of concurrent submissions: a voter has at most one online and
  // one paper ballot per matter; when both exist the online one counts and the conflict is shown.
  await db.schema.createTable('ballots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('vote_id', 'text', (c) => c.notNull().references('votes.id'))
    .addColumn('matter_id', 'text', (c) => c.notNull().references('vote_matters.id'))
    .addColumn('voter_key', 'text', (c) => c.notNull())
    .addColumn('choice', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    // Shared by the rows of one ballot paper; published with the choices, never with names.
    .addColumn('receipt_code', 'text', (c) => c.notNull())
    // The user who submitted (the owner online; the committee member entering a paper ballot).
    .addColumn('cast_by', 'text', (c) => c.notNull().references('users.id'))
    // The roster person who voted (online: the caller's person; paper: as written on the paper, if known).
    .addColumn('person_id', 'text', (c) => c.references('persons.id'))
    .addColumn('cast_at', 'text', (c) => c.notNull())
    // Paper ballots: reference to the photo of the signed ballot.
    .addColumn('evidence_file', 'text')
    .addUniqueConstraint('ballots_one_per_voter_uq', ['vote_id', 'matter_id', 'voter_key', 'channel'])
    .addCheckConstraint('ballots_choice_ck', sql`choice in ('agree', 'oppose', 'abstain')`)
    .addCheckConstraint('ballots_channel_ck', sql`channel in ('online', 'paper')`)
    .addCheckConstraint('ballots_evidence_ck', sql`channel = 'online' or evidence_file is not null`)
    .execute()
  await db.schema.createIndex('ballots_receipt_idx').on('ballots').columns(['vote_id', 'receipt_code']).execute()

  // Results frozen at close with the tally; published and exported from here, never recomputed.
  await db.schema.createTable('vote_results')
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('vote_id', 'text', (c) => c.notNull().references('votes.id'))
    .addColumn('matter_id', 'text', (c) => c.notNull().references('vote_matters.id'))
    .addColumn('total_area_centi_m2', 'integer', (c) => c.notNull())
    .addColumn('total_headcount', 'integer', (c) => c.notNull())
    .addColumn('participating_area_centi_m2', 'integer', (c) => c.notNull())
    .addColumn('participating_headcount', 'integer', (c) => c.notNull())
    .addColumn('agree_area_centi_m2', 'integer', (c) => c.notNull())
    .addColumn('agree_headcount', 'integer', (c) => c.notNull())
    .addColumn('oppose_area_centi_m2', 'integer', (c) => c.notNull())
    .addColumn('oppose_headcount', 'integer', (c) => c.notNull())
    .addColumn('abstain_area_centi_m2', 'integer', (c) => c.notNull())
    .addColumn('abstain_headcount', 'integer', (c) => c.notNull())
    .addColumn('quorum_met', 'integer', (c) => c.notNull())
    .addColumn('passed', 'integer', (c) => c.notNull())
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('vote_results_pk', ['vote_id', 'matter_id'])
    .execute()

  // Append-only, hash-chained per 小区: hash = sha256(prev_hash + canonical JSON of the entry).
  // Changing, removing or reordering any entry breaks the chain from there on.
  await db.schema.createTable('audit_log')
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_log_pk', ['community_id', 'seq'])
    .execute()
  await db.schema.createIndex('audit_log_entity_idx').on('audit_log').columns(['community_id', 'entity_type', 'entity_id']).execute()

  // The chain head per 小区: appends lock this row, so concurrent writers extend the chain one at a
  // time, and truncating the tail of the log is detected (the head names the last entry).
  await db.schema.createTable('audit_heads')
    .addColumn('community_id', 'text', (c) => c.primaryKey().references('communities.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['audit_heads', 'audit_log', 'vote_results', 'ballots', 'vote_voters', 'vote_electorate', 'vote_scope_buildings', 'vote_matters', 'votes']) {
    await db.schema.dropTable(t).execute()
  }
}
