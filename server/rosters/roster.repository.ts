import { unitLabel } from '../../src/contracts/units'
import { sameCommunity } from '../db/colocation'
import type { DbOrTx } from '../db/database'

/**
 * SQL of the roster: buildings, units, roster persons and ownerships of one 小区.
 * Every query filters on community_id, the tenant key.
 */

/** Rows per multi-row INSERT: well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 300

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

export interface BuildingRow { id: string; name: string; has_elevator: number }
export interface UnitRow { id: string; building_id: string; stair: string; room: string; area_centi_m2: number; sold: number }
export interface PersonRow { id: string; name: string; phone: string | null; id4_hash: string | null; is_developer: number; user_id: string | null }

/** Everything an import compares the file against, read once inside the import's transaction. */
export async function loadRosterState(db: DbOrTx, communityId: string) {
  const [buildings, units, persons, ownerships] = await Promise.all([
    db.selectFrom('buildings').select(['id', 'name', 'has_elevator']).where('community_id', '=', communityId).execute(),
    db.selectFrom('units').select(['id', 'building_id', 'stair', 'room', 'area_centi_m2', 'sold']).where('community_id', '=', communityId).execute(),
    db.selectFrom('persons').select(['id', 'name', 'phone', 'id4_hash', 'is_developer', 'user_id']).where('community_id', '=', communityId).execute(),
    db.selectFrom('ownerships').select(['unit_id', 'person_id']).where('community_id', '=', communityId).execute(),
  ])
  return { buildings: buildings as BuildingRow[], units: units as UnitRow[], persons: persons as PersonRow[], ownerships }
}

export async function insertBuildings(db: DbOrTx, communityId: string, rows: { id: string; name: string; hasElevator: boolean }[]): Promise<void> {
  for (const part of chunks(rows)) {
    await db.insertInto('buildings').values(part.map((b) => ({ id: b.id, community_id: communityId, name: b.name, has_elevator: b.hasElevator ? 1 : 0 }))).execute()
  }
}

export async function setBuildingElevator(db: DbOrTx, communityId: string, buildingId: string, hasElevator: boolean): Promise<void> {
  await db.updateTable('buildings').set({ has_elevator: hasElevator ? 1 : 0 }).where('community_id', '=', communityId).where('id', '=', buildingId).execute()
}

export interface NewUnit { id: string; buildingId: string; stair: string; room: string; areaCentiM2: number; sold: boolean }

export async function insertUnits(db: DbOrTx, communityId: string, rows: NewUnit[]): Promise<void> {
  for (const part of chunks(rows)) {
    await db
      .insertInto('units')
      .values(part.map((u) => ({ id: u.id, community_id: communityId, building_id: u.buildingId, stair: u.stair, room: u.room, area_centi_m2: u.areaCentiM2, sold: u.sold ? 1 : 0 })))
      .execute()
  }
}

export async function updateUnit(db: DbOrTx, communityId: string, unitId: string, areaCentiM2: number, sold: boolean): Promise<void> {
  await db.updateTable('units').set({ area_centi_m2: areaCentiM2, sold: sold ? 1 : 0 }).where('community_id', '=', communityId).where('id', '=', unitId).execute()
}

export async function setUnitSold(db: DbOrTx, communityId: string, unitId: string, sold: boolean): Promise<void> {
  await db.updateTable('units').set({ sold: sold ? 1 : 0 }).where('community_id', '=', communityId).where('id', '=', unitId).execute()
}

export interface NewPerson { id: string; name: string; phone: string | null; id4Hash: string | null; isDeveloper: boolean; userId: string | null }

export async function insertPersons(db: DbOrTx, communityId: string, rows: NewPerson[]): Promise<void> {
  for (const part of chunks(rows)) {
    await db
      .insertInto('persons')
      .values(part.map((p) => ({ id: p.id, community_id: communityId, name: p.name, phone: p.phone, id4_hash: p.id4Hash, is_developer: p.isDeveloper ? 1 : 0, user_id: p.userId })))
      .execute()
  }
}

export async function updatePersonContact(db: DbOrTx, communityId: string, personId: string, phone: string | null, id4Hash: string | null): Promise<void> {
  await db.updateTable('persons').set({ phone, id4_hash: id4Hash }).where('community_id', '=', communityId).where('id', '=', personId).execute()
}

/**
 * Binds a roster person to a WeChat user, only if nobody holds it yet: two residents racing for
 * one person cannot both win. Answers whether this call bound it.
 */
export async function bindPersonToUser(db: DbOrTx, communityId: string, personId: string, userId: string): Promise<boolean> {
  const res = await db
    .updateTable('persons')
    .set({ user_id: userId })
    .where('community_id', '=', communityId)
    .where('id', '=', personId)
    .where('user_id', 'is', null)
    .executeTakeFirst()
  return Number(res.numUpdatedRows) === 1
}

export async function deleteOwnershipsOfUnits(db: DbOrTx, communityId: string, unitIds: string[]): Promise<void> {
  for (const part of chunks(unitIds, 500)) {
    await db.deleteFrom('ownerships').where('community_id', '=', communityId).where('unit_id', 'in', part).execute()
  }
}

export async function deleteOwnership(db: DbOrTx, communityId: string, unitId: string, personId: string): Promise<void> {
  await db.deleteFrom('ownerships').where('community_id', '=', communityId).where('unit_id', '=', unitId).where('person_id', '=', personId).execute()
}

export async function insertOwnerships(db: DbOrTx, communityId: string, rows: { unitId: string; personId: string }[]): Promise<void> {
  for (const part of chunks(rows)) {
    await db.insertInto('ownerships').values(part.map((o) => ({ community_id: communityId, unit_id: o.unitId, person_id: o.personId }))).execute()
  }
}

export async function insertRosterImport(
  db: DbOrTx,
  row: { id: string; communityId: string; importedBy: string; fileName: string; unitCount: number; createdAt: string },
): Promise<void> {
  await db
    .insertInto('roster_imports')
    .values({ id: row.id, community_id: row.communityId, imported_by: row.importedBy, file_name: row.fileName, unit_count: row.unitCount, created_at: row.createdAt })
    .execute()
}

/** The developer's roster person of a 小区 (one per 小区: all unsold units count as one voter). */
export async function findDeveloperPerson(db: DbOrTx, communityId: string): Promise<{ id: string } | undefined> {
  return db.selectFrom('persons').select('id').where('community_id', '=', communityId).where('is_developer', '=', 1).orderBy('id').executeTakeFirst()
}

/** The 小区's units with their building's name, as findUnit and findUnitByLabel answer them. */
function unitsOf(db: DbOrTx, communityId: string) {
  return db
    .selectFrom('units as u')
    .innerJoin('buildings as b', (j) => sameCommunity(j, 'b.id', 'u.building_id'))
    .select(['u.id', 'u.sold', 'u.stair', 'u.room', 'b.name as building'])
    .where('u.community_id', '=', communityId)
}

/** A unit by how people name it (building name, stair, room). */
export async function findUnitByLabel(db: DbOrTx, communityId: string, building: string, stair: string, room: string) {
  return unitsOf(db, communityId).where('b.name', '=', building).where('u.stair', '=', stair).where('u.room', '=', room).executeTakeFirst()
}

export async function findUnit(db: DbOrTx, communityId: string, unitId: string) {
  return unitsOf(db, communityId).where('u.id', '=', unitId).executeTakeFirst()
}

/** Roster persons owning a unit, developer included (is_developer tells). */
export async function ownersOfUnit(db: DbOrTx, communityId: string, unitId: string): Promise<PersonRow[]> {
  return db
    .selectFrom('ownerships as o')
    .innerJoin('persons as p', (j) => sameCommunity(j, 'p.id', 'o.person_id'))
    .select(['p.id', 'p.name', 'p.phone', 'p.id4_hash', 'p.is_developer', 'p.user_id'])
    .where('o.community_id', '=', communityId)
    .where('o.unit_id', '=', unitId)
    .orderBy('p.id')
    .execute()
}

/**
 * The roster owners of many units at once, for listing binding requests: every owner's name (the
 * developer's too) sorted, and the names of the people among them (the developer aside), whom an
 * approval naming one binds without changing ownership.
 */
export async function ownerNamesOfUnits(db: DbOrTx, communityId: string, unitIds: string[]): Promise<Map<string, { names: string[]; people: Set<string> }>> {
  const out = new Map<string, { names: string[]; people: Set<string> }>()
  if (unitIds.length === 0) return out
  const rows = await db
    .selectFrom('ownerships as o')
    .innerJoin('persons as p', (j) => sameCommunity(j, 'p.id', 'o.person_id'))
    .select(['o.unit_id', 'p.name', 'p.is_developer'])
    .where('o.community_id', '=', communityId)
    .where('o.unit_id', 'in', unitIds)
    .execute()
  for (const r of rows) {
    const e = out.get(r.unit_id) ?? { names: [], people: new Set<string>() }
    e.names.push(r.name)
    if (!Number(r.is_developer)) e.people.add(r.name)
    out.set(r.unit_id, e)
  }
  // Sorted here, not by the database, so both dialects (whose collations differ) answer alike.
  for (const e of out.values()) e.names.sort()
  return out
}

/** Does this user own this unit through a bound roster person? */
export async function userOwnsUnit(db: DbOrTx, communityId: string, unitId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('ownerships as o')
    .innerJoin('persons as p', (j) => sameCommunity(j, 'p.id', 'o.person_id'))
    .select('p.id')
    .where('o.community_id', '=', communityId)
    .where('o.unit_id', '=', unitId)
    .where('p.user_id', '=', userId)
    .executeTakeFirst()
  return !!row
}

/** Persons of this 小区 bound to the user (an owner of several units may be more than one roster row). */
export async function personsOfUser(db: DbOrTx, communityId: string, userId: string): Promise<PersonRow[]> {
  return db
    .selectFrom('persons')
    .select(['id', 'name', 'phone', 'id4_hash', 'is_developer', 'user_id'])
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .orderBy('id')
    .execute()
}

export async function findUnboundPersonByNamePhone(db: DbOrTx, communityId: string, name: string, phone: string) {
  return db
    .selectFrom('persons')
    .select(['id', 'name', 'phone', 'id4_hash', 'is_developer', 'user_id'])
    .where('community_id', '=', communityId)
    .where('name', '=', name)
    .where('phone', '=', phone)
    .where('is_developer', '=', 0)
    .where('user_id', 'is', null)
    .orderBy('id')
    .executeTakeFirst()
}

/** Buildings, stairs and rooms of a 小区, no names. */
export async function unitPlaces(db: DbOrTx, communityId: string) {
  return db
    .selectFrom('units as u')
    .innerJoin('buildings as b', (j) => sameCommunity(j, 'b.id', 'u.building_id'))
    .select(['b.name as building', 'u.stair', 'u.room'])
    .where('u.community_id', '=', communityId)
    .execute()
}

export async function findCommunity(db: DbOrTx, communityId: string) {
  return db.selectFrom('communities').select(['id', 'name']).where('id', '=', communityId).executeTakeFirst()
}

/** 小区 whose name contains the text (LIKE wildcards in the text are dropped, not interpreted). */
export async function searchCommunities(db: DbOrTx, text: string, limit: number) {
  let q = db
    .selectFrom('communities as c')
    .innerJoin('offices as o', 'o.id', 'c.office_id')
    .select(['c.id', 'c.name', 'c.governance', 'o.name as office_name'])
  const needle = text.replace(/[%_\\]/g, '')
  if (needle) q = q.where('c.name', 'like', `%${needle}%`)
  return q.orderBy('c.name').orderBy('c.id').limit(limit).execute()
}

/** Accounts holding the owner role in the 小区 none of whose roster persons there owns a unit any more. */
export async function boundUsersOwningNothing(db: DbOrTx, communityId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('memberships as m')
    .select('m.user_id')
    .where('m.community_id', '=', communityId)
    .where('m.role', '=', 'owner')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('persons as p')
            .innerJoin('ownerships as o', (j) => sameCommunity(j, 'o.person_id', 'p.id'))
            .select('p.id')
            .whereRef('p.user_id', '=', 'm.user_id')
            .where('p.community_id', '=', communityId),
        ),
      ),
    )
    .execute()
  return rows.map((r) => r.user_id)
}

/** The committee's same-owner decisions of a 小区 (roster_owner_decisions), for the electorate builder. */
export async function ownerDecisions(db: DbOrTx, communityId: string): Promise<{ personA: string; personB: string; decision: 'merge' | 'apart'; decidedAt: string }[]> {
  const rows = await db
    .selectFrom('roster_owner_decisions')
    .select(['person_a', 'person_b', 'decision', 'decided_at'])
    .where('community_id', '=', communityId)
    .orderBy('person_a')
    .orderBy('person_b')
    .execute()
  return rows.map((r) => ({ personA: r.person_a, personB: r.person_b, decision: r.decision, decidedAt: r.decided_at }))
}

/** One pair's decision (person_a < person_b), if any. */
export async function findOwnerDecision(db: DbOrTx, communityId: string, personA: string, personB: string) {
  return db
    .selectFrom('roster_owner_decisions')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('person_a', '=', personA)
    .where('person_b', '=', personB)
    .executeTakeFirst()
}

/** Records a pair's decision, replacing an earlier one (the audit log keeps every decision). */
export async function saveOwnerDecision(
  db: DbOrTx,
  row: { communityId: string; personA: string; personB: string; decision: 'merge' | 'apart'; decidedBy: string; decidedAt: string },
): Promise<void> {
  await db.deleteFrom('roster_owner_decisions').where('community_id', '=', row.communityId).where('person_a', '=', row.personA).where('person_b', '=', row.personB).execute()
  await db
    .insertInto('roster_owner_decisions')
    .values({ community_id: row.communityId, person_a: row.personA, person_b: row.personB, decision: row.decision, decided_by: row.decidedBy, decided_at: row.decidedAt })
    .execute()
}

/** Roster persons of a 小区 that own a unit (not the developer), with the labels of their units. */
export async function owningPersonsWithUnits(db: DbOrTx, communityId: string): Promise<(PersonRow & { units: string[] })[]> {
  const rows = await db
    .selectFrom('persons as p')
    .innerJoin('ownerships as o', (j) => sameCommunity(j, 'o.person_id', 'p.id'))
    .innerJoin('units as u', (j) => sameCommunity(j, 'u.id', 'o.unit_id'))
    .innerJoin('buildings as b', (j) => sameCommunity(j, 'b.id', 'u.building_id'))
    .select(['p.id', 'p.name', 'p.phone', 'p.id4_hash', 'p.is_developer', 'p.user_id', 'b.name as building', 'u.stair', 'u.room'])
    .where('p.community_id', '=', communityId)
    .where('o.community_id', '=', communityId)
    .where('p.is_developer', '=', 0)
    .execute()
  const byId = new Map<string, PersonRow & { units: string[] }>()
  for (const r of rows) {
    const p = byId.get(r.id) ?? { id: r.id, name: r.name, phone: r.phone, id4_hash: r.id4_hash, is_developer: Number(r.is_developer), user_id: r.user_id, units: [] }
    p.units.push(unitLabel(r.building, r.stair, r.room))
    byId.set(r.id, p)
  }
  const collator = new Intl.Collator('zh-CN', { numeric: true })
  for (const p of byId.values()) p.units.sort(collator.compare)
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}
