import { Kysely, sql } from 'kysely'

/**
 * Notices (公告/公示): the notice itself, its edit history, its files, and who opened it.
 * Every table carries community_id (the tenant key), and every query filters on it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ts = (c: any) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`)

  await db.schema.createTable('notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    // The publishing role (committee_chair, property_staff, …) and the body's name as residents
    // read it ("滨江花园业主委员会"); never a person's name.
    .addColumn('publisher_role', 'text', (c) => c.notNull())
    .addColumn('publisher_name', 'text', (c) => c.notNull())
    // Null for system publications (a vote result published at close).
    .addColumn('published_by', 'text', (c) => c.references('users.id'))
    // When residents first see it; later than created_at for a scheduled notice.
    .addColumn('publish_at', 'text', (c) => c.notNull())
    // 公示 only: end of the posting period.
    .addColumn('posting_ends_at', 'text')
    // After this the notice leaves the main feed and lives in the archive.
    .addColumn('expires_at', 'text')
    .addColumn('pinned', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('corrects_notice_id', 'text', (c) => c.references('notices.id'))
    .addColumn('corrected_by_notice_id', 'text', (c) => c.references('notices.id'))
    // Editable kinds and not-yet-published notices can be withdrawn; the row stays for the record.
    .addColumn('withdrawn_at', 'text')
    // A caller's idempotency key (e.g. "vote:<id>:result"), unique per 小区 when set.
    .addColumn('source_key', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', ts)
    .addColumn('updated_at', 'text', ts)
    .execute()
  // The feed: pinned ones, then the rest newest first, paged by (publish_at, id). One range scan
  // of this index answers the first page however many notices the 小区 holds.
  await db.schema.createIndex('notices_feed_idx').on('notices')
    .columns(['community_id', 'pinned', 'publish_at desc', 'id desc']).execute()
  // The same feed filtered by kind: without it a rare kind would scan the whole 小区's notices.
  await db.schema.createIndex('notices_kind_feed_idx').on('notices')
    .columns(['community_id', 'kind', 'pinned', 'publish_at desc', 'id desc']).execute()
  await db.schema.createIndex('notices_source_uq').on('notices').columns(['community_id', 'source_key']).unique().execute()

  // Every version of a notice's content, the first included, so the history is complete.
  await db.schema.createTable('notice_revisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('notice_id', 'text', (c) => c.notNull().references('notices.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    // JSON array of the notice_files ids this version showed.
    .addColumn('file_ids', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('edited_by', 'text', (c) => c.references('users.id'))
    .addColumn('editor_role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('notice_revisions_version_uq', ['notice_id', 'version'])
    .execute()

  // Uploaded images and PDFs. Uploaded before the notice exists (notice_id null until attached).
  await db.schema.createTable('notice_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('notice_id', 'text', (c) => c.references('notices.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // image | pdf
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull().unique())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('uploaded_by', 'text', (c) => c.notNull().references('users.id'))
    // Set when an edit drops the file; the row stays so older revisions still show it.
    .addColumn('removed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('notice_files_notice_idx').on('notice_files').columns(['notice_id', 'position']).execute()

  // First opening of a notice by a person. Households are derived (any owner or tenant of a unit).
  await db.schema.createTable('notice_reads')
    .addColumn('notice_id', 'text', (c) => c.notNull().references('notices.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('first_read_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notice_reads_pk', ['notice_id', 'user_id'])
    .execute()
  // The unread badge asks "which of this 小区's notices has this user opened".
  await db.schema.createIndex('notice_reads_user_idx').on('notice_reads').columns(['user_id', 'community_id', 'notice_id']).execute()

  // Read counts join people to units: the foundation indexes ownerships by person, tenancies not at all.
  await db.schema.createIndex('tenancies_tenant_notices_idx').on('tenancies').columns(['tenant_user_id', 'status']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tenancies_tenant_notices_idx').execute()
  for (const t of ['notice_reads', 'notice_files', 'notice_revisions', 'notices']) {
    await db.schema.dropTable(t).execute()
  }
}
