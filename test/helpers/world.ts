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

/** What an owner types to claim a unit (stair defaults to 1单元). */
export interface OwnerClaim {
  communityId: string
  building: string
  stair?: string
  room: string
  name: string
  phone?: string
  idLast4?: string
}

/**
 * Binds an owner the way owners bind when WeChat's phone verification is not used (issue 13): the
 * typed claim must become a pending request flagged as matching the roster (bindUnit binds nothing
 * on typed details), and a committee member (`approverId`) approves it in one tap through
 * decideBinding. Throws unless the claim matched and the approval bound the unit, so a world
 * built with it has exactly the owners it names. Answers the approved request.
 */
export async function bindOwner(deps: AppDeps, userId: string, claim: OwnerClaim, approverId: string) {
  const res = await ok<{ bindingId: string; status: string }>(deps, 'bindUnit', { stair: '1单元', ...claim }, userId)
  const row = await deps.db.selectFrom('bindings').select(['status', 'roster_match', 'locked_at']).where('id', '=', res.bindingId).executeTakeFirstOrThrow()
  if (res.status !== 'pending' || row.roster_match !== 1) {
    throw new Error(`binding ${claim.building}${claim.room} for ${claim.name}: ${res.status}, roster match ${row.roster_match}${row.locked_at ? ', locked' : ''}`)
  }
  const decided = await ok<{ id: string; status: string }>(deps, 'decideBinding', { communityId: claim.communityId, bindingId: res.bindingId, approve: true }, approverId)
  if (decided.status !== 'approved') throw new Error(`binding ${claim.building}${claim.room} for ${claim.name} was not approved`)
  return { bindingId: res.bindingId, status: 'approved' as const }
}

/** A small real PNG (1×1, as cleanImage reads it) standing for the photo of a 不动产权证; `fill` varies its bytes. */
export function proofPhoto(fill = 7): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(1, 0)
  ihdr.writeUInt32BE(1, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', Buffer.alloc(16, fill)), chunk('IEND', Buffer.alloc(0))])
}

/** Uploads a proof photo for a binding request as a committee member (uploadBindingProof); answers its proofRef for decideBinding. */
export async function uploadProof(deps: AppDeps, communityId: string, bindingId: string, by: string, photo: Buffer = proofPhoto()): Promise<string> {
  const res = await ok<{ proofRef: string }>(deps, 'uploadBindingProof', { communityId, bindingId, fileName: '不动产权证.png', dataBase64: photo.toString('base64') }, by)
  return res.proofRef
}
