import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../../server/db/database'
import { makeUser, makeWorld } from './world'

const T0 = '2026-01-01T00:00:00.000Z'

/** Adds a building with `rooms` units to a 小区; answers the unit ids. */
export async function addBuilding(db: Kysely<Database>, communityId: string, name: string, rooms: string[]): Promise<string[]> {
  const buildingId = randomUUID()
  await db.insertInto('buildings').values({ id: buildingId, community_id: communityId, name, has_elevator: 1 }).execute()
  const ids: string[] = []
  for (const room of rooms) {
    const id = randomUUID()
    ids.push(id)
    await db.insertInto('units').values({ id, community_id: communityId, building_id: buildingId, stair: '1单元', room, area_centi_m2: 9000, sold: 1 }).execute()
  }
  return ids
}

/** An owner as the roster knows them (a person bound to a WeChat user) holding these units, with the owner role. */
export async function makeOwner(db: Kysely<Database>, communityId: string, unitIds: string[], name: string): Promise<string> {
  const userId = await makeUser(db, name, 'owner', { communityId })
  const personId = randomUUID()
  await db.insertInto('persons').values({ id: personId, community_id: communityId, name, phone: null, id4_hash: null, is_developer: 0, user_id: userId }).execute()
  for (const unitId of unitIds) await db.insertInto('ownerships').values({ community_id: communityId, unit_id: unitId, person_id: personId }).execute()
  return userId
}

/** A tenant with an active tenancy of the unit, invited by its owner, with the tenant role. */
export async function makeTenant(db: Kysely<Database>, communityId: string, unitId: string, invitedBy: string, name: string): Promise<string> {
  const userId = await makeUser(db, name, 'tenant', { communityId })
  await db.insertInto('tenancies').values({
    id: randomUUID(), community_id: communityId, unit_id: unitId, invited_by: invitedBy, invite_code: randomUUID(), tenant_user_id: userId,
    status: 'active', created_at: T0, accepted_at: T0, revoked_at: null,
  }).execute()
  return userId
}

/**
 * Two 小区 (A 滨江花园 with a second building, B 文清苑) and the people the notice rules talk
 * about: A's chair, member, property staff, an officer of the office above both, owners (one unit
 * co-owned), a tenant, and an owner of B.
 */
export async function makeNoticeWorld(db: Kysely<Database>) {
  const w = await makeWorld(db)
  const unitsA2 = await addBuilding(db, w.a, '2栋', ['101', '102', '201', '202'])
  const chair = await makeUser(db, '王主任', 'committee_chair', { communityId: w.a })
  const member = await makeUser(db, '委员', 'committee_member', { communityId: w.a })
  const staff = await makeUser(db, '物业小刘', 'property_staff', { communityId: w.a })
  const officer = await makeUser(db, '社区干部', 'community_officer', { officeId: w.office })
  const owner1 = await makeOwner(db, w.a, [w.units.a[0]], '张伟')
  const coOwner1 = await makeOwner(db, w.a, [w.units.a[0]], '李娜')
  const owner2 = await makeOwner(db, w.a, [w.units.a[1], unitsA2[0]], '陈静')
  const tenant = await makeTenant(db, w.a, w.units.a[2], owner1, '租户小赵')
  const ownerB = await makeOwner(db, w.b, [w.units.b[0]], '刘洋')
  return { ...w, unitsA2, chair, member, staff, officer, owner1, coOwner1, owner2, tenant, ownerB }
}

/** Every notice table, row by row, so a test can show that a refused call changed nothing in any 小区. */
export async function noticeTablesSnapshot(db: Kysely<Database>) {
  return {
    notices: await db.selectFrom('notices').selectAll().orderBy('id').execute(),
    revisions: await db.selectFrom('notice_revisions').selectAll().orderBy('id').execute(),
    files: await db.selectFrom('notice_files').selectAll().orderBy('id').execute(),
    reads: await db.selectFrom('notice_reads').selectAll().orderBy('notice_id').orderBy('user_id').execute(),
  }
}
