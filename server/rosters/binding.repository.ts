import type { MyBinding, MyUnit } from '../../src/contracts/identity'
import { unitLabel } from '../../src/contracts/units'
import type { DbOrTx } from '../db/database'

/** Units the user owns (through a bound roster person) or rents (active tenancy). */
export async function unitsOfUser(db: DbOrTx, userId: string): Promise<MyUnit[]> {
  const owned = await db
    .selectFrom('persons as p')
    .innerJoin('ownerships as o', 'o.person_id', 'p.id')
    .innerJoin('units as u', 'u.id', 'o.unit_id')
    .innerJoin('buildings as b', 'b.id', 'u.building_id')
    .select(['u.id', 'u.community_id', 'u.stair', 'u.room', 'u.area_centi_m2', 'b.name as building'])
    .where('p.user_id', '=', userId)
    .execute()
  const rented = await db
    .selectFrom('tenancies as t')
    .innerJoin('units as u', 'u.id', 't.unit_id')
    .innerJoin('buildings as b', 'b.id', 'u.building_id')
    .select(['u.id', 'u.community_id', 'u.stair', 'u.room', 'u.area_centi_m2', 'b.name as building'])
    .where('t.tenant_user_id', '=', userId)
    .where('t.status', '=', 'active')
    .execute()
  const toUnit = (relation: MyUnit['relation']) => (r: (typeof owned)[number]): MyUnit => ({
    unitId: r.id,
    communityId: r.community_id,
    label: unitLabel(r.building, r.stair, r.room),
    areaCentiM2: r.area_centi_m2,
    relation,
  })
  return [...owned.map(toUnit('owner')), ...rented.map(toUnit('tenant'))]
}

/** The user's binding requests, newest first, so the outcome of each is shown to them. */
export async function bindingsOfUser(db: DbOrTx, userId: string): Promise<MyBinding[]> {
  const rows = await db
    .selectFrom('bindings as bd')
    .innerJoin('communities as c', 'c.id', 'bd.community_id')
    .innerJoin('units as u', 'u.id', 'bd.unit_id')
    .innerJoin('buildings as b', 'b.id', 'u.building_id')
    .select(['bd.id', 'bd.community_id', 'c.name as community_name', 'b.name as building', 'u.stair', 'u.room', 'bd.status', 'bd.reason', 'bd.created_at'])
    .where('bd.user_id', '=', userId)
    .orderBy('bd.created_at', 'desc')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    communityId: r.community_id,
    communityName: r.community_name,
    unitLabel: unitLabel(r.building, r.stair, r.room),
    status: r.status,
    reason: r.reason,
    createdAt: r.created_at,
  }))
}
