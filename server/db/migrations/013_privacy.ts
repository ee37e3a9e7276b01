import { Kysely } from 'kysely'

/**
 * Privacy and a person's own data (issue 13). Who accepted which version of the privacy policy
 * and when; what each session was opened from and when it was last used, so a person sees their
 * devices; when an account was deleted (the row stays, emptied, so ballots cast from it keep
 * their voter key and the audit chain its actor id).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('privacy_consents')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('accepted_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('privacy_consents_pk', ['user_id', 'version'])
    .execute()
  await db.schema.alterTable('sessions').addColumn('user_agent', 'text').execute()
  await db.schema.alterTable('sessions').addColumn('last_used_at', 'text').execute()
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute()
  await db.schema.alterTable('users').addColumn('deleted_at', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('deleted_at').execute()
  await db.schema.dropIndex('sessions_user_idx').execute()
  await db.schema.alterTable('sessions').dropColumn('last_used_at').execute()
  await db.schema.alterTable('sessions').dropColumn('user_agent').execute()
  await db.schema.dropTable('privacy_consents').execute()
}
