import { Kysely, sql } from 'kysely'

/**
 * Binding proof photos as rows (issue 8 item 9): each photo of a 不动产权证 or purchase contract
 * uploaded for a binding request (rosters/binding.proof.ts) is recorded at upload — its storage
 * reference, SHA-256, who uploaded it and when. The approval that rests on it marks it used
 * (used_at, in the approval's transaction); the hourly purge removes the photos no approval used
 * within a day. binding_id has no foreign key: a request leaves with its account (PIPL), while the
 * proof of an approval stays as the evidence of the roster change.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('binding_proofs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('binding_id', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute()
  await db.schema.createIndex('binding_proofs_ref_idx').on('binding_proofs').columns(['community_id', 'binding_id']).execute()
  await db.schema.createIndex('binding_proofs_unused_idx').on('binding_proofs').columns(['created_at']).where(sql.ref('used_at'), 'is', null).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('binding_proofs').execute()
}
