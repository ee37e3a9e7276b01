import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Role } from '../../src/contracts/common'
import type { Envelope } from '../../src/contracts/errors'
import { registry } from '../../server/actions'
import type { AppDeps } from '../../server/context'
import type { Database } from '../../server/db/database'
import { grantRole, type MembershipScope } from '../../server/communities/membership.repository'
import { findOrCreateUser } from '../../server/identity/user.repository'
import { dispatch } from '../../server/registry'

const T0 = new Date('2026-01-01T00:00:00.000Z')

/** A district with one street, one office and two 小区 (A new with elevators, B old without), each with 4 units. */
export async function makeWorld(db: Kysely<Database>) {
  const ids = { district: randomUUID(), street: randomUUID(), office: randomUUID(), a: randomUUID(), b: randomUUID() }
  await db.insertInto('districts').values({ id: ids.district, name: '章贡区' }).execute()
  await db.insertInto('streets').values({ id: ids.street, district_id: ids.district, name: '解放街道' }).execute()
  await db.insertInto('offices').values({ id: ids.office, street_id: ids.street, name: '东阳社区' }).execute()
  await db.insertInto('communities').values([
    { id: ids.a, office_id: ids.office, name: '滨江花园', built_on: '2015-06-01', governance: 'committee', committee_name: '滨江花园业主委员会', company_name: '安居物业', vote_notice_days: 15, created_at: T0.toISOString() },
    { id: ids.b, office_id: ids.office, name: '文清苑', built_on: '1998-03-01', governance: 'pmc', committee_name: '文清苑物业管理委员会', company_name: null, vote_notice_days: 15, created_at: T0.toISOString() },
  ]).execute()
  const units: Record<'a' | 'b', string[]> = { a: [], b: [] }
  for (const key of ['a', 'b'] as const) {
    const buildingId = randomUUID()
    await db.insertInto('buildings').values({ id: buildingId, community_id: ids[key], name: '1栋', has_elevator: key === 'a' ? 1 : 0 }).execute()
    for (const room of ['101', '102', '201', '202']) {
      const id = randomUUID()
      units[key].push(id)
      await db.insertInto('units').values({ id, community_id: ids[key], building_id: buildingId, stair: '1单元', room, area_centi_m2: 8956, sold: 1 }).execute()
    }
  }
  return { ...ids, units }
}

/** A WeChat user holding the given role in a scope. */
export async function makeUser(db: Kysely<Database>, name: string, role?: Role, scope?: MembershipScope) {
  const user = await findOrCreateUser(db, `openid-${name}-${randomUUID()}`, name, T0)
  if (role && scope) await grantRole(db, user.id, role, scope, T0)
  return user.id
}

/** Calls an action through the registry, as the HTTP or cloud transport would, as this user (or nobody). */
export async function call<T = any>(deps: AppDeps, action: string, input: unknown, userId: string | null): Promise<Envelope<T>> {
  return dispatch(registry, action, input, deps, {
    caller: async () => (userId ? { userId, openid: `openid-of-${userId}` } : null),
  }) as Promise<Envelope<T>>
}

/** The data of a successful call, or a thrown error naming the code and message. */
export async function ok<T = any>(deps: AppDeps, action: string, input: unknown, userId: string | null): Promise<T> {
  const res = await call<T>(deps, action, input, userId)
  if (!res.ok) throw new Error(`${action} failed: ${res.error.code} ${res.error.message}`)
  return res.data
}
