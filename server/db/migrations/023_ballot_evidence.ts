import { Kysely } from 'kysely'

/**
 * Paper-ballot evidence photos as rows (issue 9 item 3): each photo (or PDF scan) of a signed paper
 * ballot uploaded for a vote (votes/vote.evidence.ts) is recorded at upload — the reference exactly
 * as a ballot or a logged conflict holds it (`<storage ref>#sha256=<hex>`), its SHA-256, who
 * uploaded it and when. checked_at is set each time a paper ballot's entry checks the photo, before
 * the ballot is written. The hourly purge removes the photos no ballot and no conflict names, a day
 * after their upload and their last check. id is the UUID in the storage key. vote_id has no
 * foreign key: a draft vote can be deleted, its unused photos then go with the purge. A photo
 * uploaded before this migration has no row and is never purged.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ballot_evidence')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('vote_id', 'text', (c) => c.notNull())
    .addColumn('evidence_ref', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .addColumn('checked_at', 'text')
    .execute()
  await db.schema.createIndex('ballot_evidence_uploaded_idx').on('ballot_evidence').columns(['uploaded_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ballot_evidence').execute()
}
