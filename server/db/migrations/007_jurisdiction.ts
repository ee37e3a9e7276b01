import type { Kysely } from 'kysely'

/**
 * Officers' lists of 小区 (server/communities/jurisdiction.repository.ts) filter by office, street
 * or district and page by (name, id): an office's page walks communities_office_name_idx, and a
 * street's or district's finds its offices and streets by these indexes instead of scanning.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('communities_office_name_idx').on('communities').columns(['office_id', 'name', 'id']).execute()
  await db.schema.createIndex('offices_street_idx').on('offices').column('street_id').execute()
  await db.schema.createIndex('streets_district_idx').on('streets').column('district_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('streets_district_idx').execute()
  await db.schema.dropIndex('offices_street_idx').execute()
  await db.schema.dropIndex('communities_office_name_idx').execute()
}
