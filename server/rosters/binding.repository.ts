import { sql, type Selectable } from 'kysely'
import type { MyBinding, MyUnit } from '../../src/contracts/identity'
import { unitLabel } from '../../src/contracts/units'
import { sameCommunity } from '../db/colocation'
import type { BindingTable, DbOrTx } from '../db/database'
import { afterKeyset } from '../db/keyset'
import { compiledOnce } from '../db/compiled'

/** Units the user owns (through a bound roster person) or rents (active tenancy): one statement, owned first. */
export async function unitsOfUser(db: DbOrTx, userId: string): Promise<MyUnit[]> {
  const rows = await unitsOfUserQuery(db, userId)
  // Owned before rented; a stable sort keeps each kind in the order the database gave.
  return rows
    .map((r): MyUnit => ({ unitId: r.id, communityId: r.community_id, label: unitLabel(r.building, r.stair, r.room), areaCentiM2: r.area_centi_m2, relation: r.relation }))
    .sort((a, b) => (a.relation === b.relation ? 0 : a.relation === 'owner' ? -1 : 1))
}

// Run by me on every visit to 我的: the two kinds as one UNION ALL, built and compiled once.
const unitsOfUserQuery = compiledOnce((db: DbOrTx, userId: string) =>
  db
    .selectFrom('persons as p')
    .innerJoin('ownerships as o', (j) => sameCommunity(j, 'o.person_id', 'p.id'))
    .innerJoin('units as u', (j) => sameCommunity(j, 'u.id', 'o.unit_id'))
    .innerJoin('buildings as b', (j) => sameCommunity(j, 'b.id', 'u.building_id'))
    .select(['u.id', 'u.community_id', 'u.stair', 'u.room', 'u.area_centi_m2', 'b.name as building', sql<MyUnit['relation']>`'owner'`.as('relation')])
    .where('p.user_id', '=', userId)
    .unionAll(
      db
        .selectFrom('tenancies as t')
        .innerJoin('units as u', (j) => sameCommunity(j, 'u.id', 't.unit_id'))
        .innerJoin('buildings as b', (j) => sameCommunity(j, 'b.id', 'u.building_id'))
        .select(['u.id', 'u.community_id', 'u.stair', 'u.room', 'u.area_centi_m2', 'b.name as building', sql<MyUnit['relation']>`'tenant'`.as('relation')])
        .where('t.tenant_user_id', '=', userId)
        .where('t.status', '=', 'active'),
    ),
)

/** The user's binding requests, newest first, so the outcome of each is shown to them. */
export async function bindingsOfUser(db: DbOrTx, userId: string): Promise<MyBinding[]> {
  const rows = await bindingsOfUserQuery(db, userId)
  return rows.map((r) => ({
    id: r.id,
    communityId: r.community_id,
    communityName: r.community_name,
    governance: r.governance,
    unitLabel: unitLabel(r.building, r.stair, r.room),
    status: r.status,
    reason: r.reason,
    createdAt: r.created_at,
  }))
}

/**
 * A person's binding requests joined to their 小区 and unit (each join kept in the binding's 小区):
 * the one shape for 我的 (below) and for the account's own-data view (account.repository).
 */
export const bindingsWithPlaces = (db: DbOrTx) =>
  db
    .selectFrom('bindings as bd')
    .innerJoin('communities as c', 'c.id', 'bd.community_id')
    .innerJoin('units as u', (j) => sameCommunity(j, 'u.id', 'bd.unit_id'))
    .innerJoin('buildings as b', (j) => sameCommunity(j, 'b.id', 'u.building_id'))

// Run by me on every visit to 我的: built and compiled once.
const bindingsOfUserQuery = compiledOnce((db: DbOrTx, userId: string) =>
  bindingsWithPlaces(db)
    .select(['bd.id', 'bd.community_id', 'c.name as community_name', 'c.governance', 'b.name as building', 'u.stair', 'u.room', 'bd.status', 'bd.reason', 'bd.created_at'])
    .where('bd.user_id', '=', userId)
    .orderBy('bd.created_at', 'desc'),
)

/** A binding as stored (the table type is the one in server/db/database.ts). */
export type BindingRow = Selectable<BindingTable>

const BINDING_COLUMNS = [
  'id', 'community_id', 'user_id', 'unit_id', 'claimed_name', 'claimed_phone', 'status', 'person_id', 'decided_by', 'decided_at', 'reason', 'created_at', 'attempts', 'locked_at', 'roster_match', 'proof_file',
] as const

/** A binding of this 小区 (an id of another 小区 is not found). */
export async function getBinding(db: DbOrTx, communityId: string, bindingId: string): Promise<BindingRow | undefined> {
  return db.selectFrom('bindings').select(BINDING_COLUMNS).where('community_id', '=', communityId).where('id', '=', bindingId).executeTakeFirst()
}

/** The resident's latest request for a unit with this status. */
export async function findBindingOfUserUnit(db: DbOrTx, communityId: string, userId: string, unitId: string, status: BindingRow['status']): Promise<BindingRow | undefined> {
  return db
    .selectFrom('bindings')
    .select(BINDING_COLUMNS)
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .where('unit_id', '=', unitId)
    .where('status', '=', status)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst()
}

export async function insertBinding(
  db: DbOrTx,
  row: Omit<BindingRow, 'decided_by' | 'reason' | 'locked_at' | 'roster_match' | 'proof_file'> &
    Partial<Pick<BindingRow, 'decided_by' | 'reason' | 'locked_at' | 'roster_match' | 'proof_file'>>,
): Promise<void> {
  await db.insertInto('bindings').values({ decided_by: null, reason: null, locked_at: null, roster_match: 0, proof_file: null, ...row }).execute()
}

export async function updateBinding(
  db: DbOrTx,
  communityId: string,
  bindingId: string,
  patch: Partial<Pick<BindingRow, 'claimed_name' | 'claimed_phone' | 'status' | 'person_id' | 'decided_by' | 'decided_at' | 'reason' | 'attempts' | 'locked_at' | 'roster_match' | 'proof_file'>>,
): Promise<void> {
  await db.updateTable('bindings').set(patch).where('community_id', '=', communityId).where('id', '=', bindingId).execute()
}

/**
 * A page of a 小区's requests with one status, ordered by (created_at, id) — ascending or
 * descending — and continuing strictly after the cursor's (created_at, id): a keyset page, so
 * new requests arriving between pages neither repeat nor skip rows.
 */
const bindingView = (db: DbOrTx, communityId: string) =>
  db
    .selectFrom('bindings as bd')
    .innerJoin('units as u', (j) => sameCommunity(j, 'u.id', 'bd.unit_id'))
    .innerJoin('buildings as b', (j) => sameCommunity(j, 'b.id', 'u.building_id'))
    .select(['bd.id', 'bd.unit_id', 'bd.claimed_name', 'bd.claimed_phone', 'bd.status', 'bd.reason', 'bd.created_at', 'bd.locked_at', 'bd.roster_match', 'b.name as building', 'u.stair', 'u.room'])
    .where('bd.community_id', '=', communityId)

/** One request as the committee sees it. */
export async function getBindingView(db: DbOrTx, communityId: string, bindingId: string) {
  return bindingView(db, communityId).where('bd.id', '=', bindingId).executeTakeFirst()
}

export async function listBindings(
  db: DbOrTx,
  communityId: string,
  status: BindingRow['status'],
  order: 'asc' | 'desc',
  after: readonly [createdAt: string, id: string] | undefined,
  limit: number,
) {
  let q = bindingView(db, communityId).where('bd.status', '=', status)
  if (after) q = q.where(afterKeyset(['bd.created_at', 'bd.id'], order, after))
  return q.orderBy('bd.created_at', order).orderBy('bd.id', order).limit(limit).execute()
}

/**
 * Counts one claim of a unit by an account, atomically: one upsert for both counters (the unit's,
 * across accounts, and the account's, across units), so concurrent claims each get their own
 * number, and on PostgreSQL the rows stay locked until the claim's transaction ends. The unit row
 * comes first in every claim, so two claims never wait on each other in opposite orders.
 * Answers both counts after this claim.
 */
export async function countClaim(db: DbOrTx, communityId: string, unitId: string, userId: string): Promise<{ unit: number; user: number }> {
  const unitKey = `unit:${unitId}`
  const userKey = `user:${userId}`
  const rows = await db
    .insertInto('binding_attempts')
    .values([
      { community_id: communityId, subject: unitKey, attempts: 1, locked_at: null },
      { community_id: communityId, subject: userKey, attempts: 1, locked_at: null },
    ])
    .onConflict((oc) => oc.columns(['community_id', 'subject']).doUpdateSet({ attempts: sql<number>`binding_attempts.attempts + 1` }))
    .returning(['subject', 'attempts'])
    .execute()
  const of = (key: string) => Number(rows.find((r) => r.subject === key)?.attempts ?? 0)
  return { unit: of(unitKey), user: of(userKey) }
}

/** Marks the counters that passed their limit as locked (the first time only), for the record. */
export async function markLocked(db: DbOrTx, communityId: string, subjects: string[], at: string): Promise<void> {
  if (subjects.length === 0) return
  await db.updateTable('binding_attempts').set({ locked_at: at }).where('community_id', '=', communityId).where('subject', 'in', subjects).where('locked_at', 'is', null).execute()
}

/** Who runs the 小区 (names the body that reviews a request in the answer to the claimant). */
export async function governanceOf(db: DbOrTx, communityId: string) {
  return (await db.selectFrom('communities').select('governance').where('id', '=', communityId).executeTakeFirst())?.governance ?? null
}
