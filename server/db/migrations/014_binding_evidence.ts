import { Kysely } from 'kysely'

/**
 * Binding by typed details and by evidence (issues 13 and 8 item 9). A typed phone or ID digits
 * that match the roster no longer bind at once: the request waits for the committee, flagged
 * roster_match (1) so it is approved in one tap. An approval that adds an owner to a unit, or
 * sells an unsold one, keeps the photo of the proof (不动产权证 or purchase contract) it rests on:
 * proof_file is its storage reference with the photo's SHA-256, as the audit log records it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('bindings').addColumn('roster_match', 'integer', (c) => c.notNull().defaultTo(0)).execute()
  await db.schema.alterTable('bindings').addColumn('proof_file', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('bindings').dropColumn('proof_file').execute()
  await db.schema.alterTable('bindings').dropColumn('roster_match').execute()
}
