import { Kysely, sql } from 'kysely'

/**
 * One owner, one headcount (issue 8 item 1): the committee's decision about two roster persons of
 * the same name. 'merge' — the same owner, one voter key when a vote opens; 'apart' — two different
 * people, never merged even when name and phone or ID digits match. One row per pair (person_a <
 * person_b); a later decision replaces it, and every decision is in the 小区's audit log.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('roster_owner_decisions')
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('person_a', 'text', (c) => c.notNull().references('persons.id'))
    .addColumn('person_b', 'text', (c) => c.notNull().references('persons.id'))
    .addColumn('decision', 'text', (c) => c.notNull().check(sql.raw(`decision in ('merge', 'apart')`)))
    .addColumn('decided_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('roster_owner_decisions_pk', ['community_id', 'person_a', 'person_b'])
    .addCheckConstraint('roster_owner_decisions_order', sql.raw('person_a < person_b'))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('roster_owner_decisions').execute()
}
