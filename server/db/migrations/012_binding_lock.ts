import { Kysely } from 'kysely'

/**
 * The binding lock (issue 9, item 1). Claims are counted per unit across accounts and per
 * account across units, in a table of their own that a committee decision never resets, and
 * incremented by one upsert so concurrent claims each get their own number. A request whose
 * claim came after the lock carries locked_at, which the committee sees on its list.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('binding_attempts')
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    // 'unit:<unit id>' or 'user:<user id>'
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('locked_at', 'text')
    .addPrimaryKeyConstraint('binding_attempts_pk', ['community_id', 'subject'])
    .execute()
  await db.schema.alterTable('bindings').addColumn('locked_at', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('bindings').dropColumn('locked_at').execute()
  await db.schema.dropTable('binding_attempts').execute()
}
