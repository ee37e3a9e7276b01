import { sameCommunity } from '../db/colocation'
import type { DbOrTx } from '../db/database'
import { bindingsWithPlaces } from '../rosters/binding.repository'

/**
 * What is stored about one account, table by table, for the person's own view and export
 * (PIPL arts. 45, 47), and the deletion of it. Read-only queries besides deleteAccountRows.
 */

export async function userRow(db: DbOrTx, userId: string) {
  return db.selectFrom('users').select(['id', 'nickname', 'created_at']).where('id', '=', userId).executeTakeFirstOrThrow()
}

export async function membershipsOf(db: DbOrTx, userId: string) {
  return db
    .selectFrom('memberships as m')
    .leftJoin('communities as c', 'c.id', 'm.community_id')
    .leftJoin('offices as o', 'o.id', 'm.office_id')
    .leftJoin('streets as s', 's.id', 'm.street_id')
    .leftJoin('districts as d', 'd.id', 'm.district_id')
    .select(['m.role', 'm.created_at', 'c.name as community', 'o.name as office', 's.name as street', 'd.name as district'])
    .where('m.user_id', '=', userId)
    .orderBy('m.created_at')
    .execute()
}

export async function rosterEntriesOf(db: DbOrTx, userId: string) {
  return db
    .selectFrom('persons as p')
    .innerJoin('communities as c', 'c.id', 'p.community_id')
    .leftJoin('ownerships as ow', (j) => sameCommunity(j, 'ow.person_id', 'p.id'))
    .leftJoin('units as u', (j) => sameCommunity(j, 'u.id', 'ow.unit_id'))
    .leftJoin('buildings as b', (j) => sameCommunity(j, 'b.id', 'u.building_id'))
    .select(['p.id', 'p.name', 'p.phone', 'c.name as community', 'b.name as building', 'u.stair', 'u.room'])
    .where('p.user_id', '=', userId)
    .orderBy('p.id')
    .execute()
}

export async function bindingsOf(db: DbOrTx, userId: string) {
  return bindingsWithPlaces(db)
    .select(['c.name as community', 'b.name as building', 'u.stair', 'u.room', 'bd.claimed_name', 'bd.claimed_phone', 'bd.status', 'bd.reason', 'bd.created_at', 'bd.decided_at'])
    .where('bd.user_id', '=', userId)
    .orderBy('bd.created_at')
    .execute()
}

export async function tenanciesOf(db: DbOrTx, userId: string) {
  return db
    .selectFrom('tenancies as t')
    .innerJoin('communities as c', 'c.id', 't.community_id')
    .innerJoin('units as u', (j) => sameCommunity(j, 'u.id', 't.unit_id'))
    .innerJoin('buildings as b', (j) => sameCommunity(j, 'b.id', 'u.building_id'))
    .select(['c.name as community', 'b.name as building', 'u.stair', 'u.room', 't.status', 't.created_at', 't.tenant_user_id', 't.invited_by'])
    .where((eb) => eb.or([eb('t.tenant_user_id', '=', userId), eb('t.invited_by', '=', userId)]))
    .orderBy('t.created_at')
    .execute()
}

export async function reportsOf(db: DbOrTx, userId: string) {
  return db
    .selectFrom('reports as r')
    .innerJoin('communities as c', 'c.id', 'r.community_id')
    .select(['c.name as community', 'r.category', 'r.description', 'r.place_label', 'r.status', 'r.anonymous', 'r.created_at'])
    .where('r.reporter_user_id', '=', userId)
    .orderBy('r.created_at')
    .execute()
}

export async function ballotsOf(db: DbOrTx, userId: string) {
  return db
    .selectFrom('ballots as bl')
    .innerJoin('votes as v', (j) => sameCommunity(j, 'v.id', 'bl.vote_id'))
    .innerJoin('communities as c', 'c.id', 'bl.community_id')
    .select(['c.name as community', 'v.title', 'bl.receipt_code', 'bl.cast_at'])
    .where('bl.cast_by', '=', userId)
    .where('bl.channel', '=', 'online')
    .distinct()
    .orderBy('bl.cast_at')
    .execute()
}

export async function consentsOf(db: DbOrTx, userId: string) {
  return db.selectFrom('privacy_consents').select(['version', 'accepted_at']).where('user_id', '=', userId).orderBy('accepted_at').execute()
}

/**
 * Deletes an account: its sessions, bindings, tenancies (as tenant, and invitations not yet
 * accepted), roles; roster rows are unbound but stay with the committee; the user row stays,
 * emptied (openid and nickname replaced), so ballots and the audit chain keep a valid id that
 * names nobody. Ballots are not touched: they stay with their voter key.
 */
export async function deleteAccountRows(db: DbOrTx, userId: string, nowIso: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute()
  await db.deleteFrom('bindings').where('user_id', '=', userId).execute()
  await db.deleteFrom('tenancies').where('tenant_user_id', '=', userId).execute()
  await db.deleteFrom('tenancies').where('invited_by', '=', userId).where('status', '=', 'invited').execute()
  await db.deleteFrom('memberships').where('user_id', '=', userId).execute()
  await db.updateTable('persons').set({ user_id: null }).where('user_id', '=', userId).execute()
  await db
    .updateTable('users')
    .set({ openid: `deleted:${userId}`, nickname: '已注销用户', deleted_at: nowIso })
    .where('id', '=', userId)
    .execute()
}
