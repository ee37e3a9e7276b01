import { randomUUID } from 'node:crypto'
import type { Role } from '../../src/contracts/common'
import { isOldCommunity } from '../../src/contracts/communities'
import type { Me } from '../../src/contracts/identity'
import type { DbOrTx } from '../db/database'
import { rolesAt } from './scope.repository'

/**
 * The caller's roles in one 小区: memberships held in the 小区 itself, and officer roles held
 * in the office, street or district above it. Empty when the 小区 does not exist.
 */
export async function rolesInCommunity(db: DbOrTx, userId: string, communityId: string): Promise<Role[]> {
  return rolesAt(db, userId, 'community', communityId)
}

export interface MembershipScope {
  communityId?: string
  officeId?: string
  streetId?: string
  districtId?: string
}

/** Grants a role unless the user already holds it in that scope. */
export async function grantRole(db: DbOrTx, userId: string, role: Role, scope: MembershipScope, now: Date): Promise<void> {
  let q = db.selectFrom('memberships').select('id').where('user_id', '=', userId).where('role', '=', role)
  q = q.where('community_id', scope.communityId ? '=' : 'is', scope.communityId ?? null)
  q = q.where('office_id', scope.officeId ? '=' : 'is', scope.officeId ?? null)
  q = q.where('street_id', scope.streetId ? '=' : 'is', scope.streetId ?? null)
  q = q.where('district_id', scope.districtId ? '=' : 'is', scope.districtId ?? null)
  if (await q.executeTakeFirst()) return
  await db
    .insertInto('memberships')
    .values({
      id: randomUUID(),
      user_id: userId,
      role,
      community_id: scope.communityId ?? null,
      office_id: scope.officeId ?? null,
      street_id: scope.streetId ?? null,
      district_id: scope.districtId ?? null,
      created_at: now.toISOString(),
    })
    .execute()
}

/** Removes a role held directly in a 小区 (a tenant whose tenancy ended, say). */
export async function revokeCommunityRole(db: DbOrTx, userId: string, role: Role, communityId: string): Promise<void> {
  await db.deleteFrom('memberships').where('user_id', '=', userId).where('role', '=', role).where('community_id', '=', communityId).execute()
}

/** Every 小区 the user can see, with their roles there, for the 我的 page and the 小区 switcher. */
export async function communitiesOfUser(db: DbOrTx, userId: string): Promise<Me['communities']> {
  const memberships = await db.selectFrom('memberships').selectAll().where('user_id', '=', userId).execute()
  if (memberships.length === 0) return []
  const ids = (k: 'community_id' | 'office_id' | 'street_id' | 'district_id') =>
    memberships.map((m) => m[k]).filter((x): x is string => !!x)
  const communities = await db
    .selectFrom('communities as c')
    .innerJoin('offices as o', 'o.id', 'c.office_id')
    .innerJoin('streets as s', 's.id', 'o.street_id')
    .select(['c.id', 'c.name', 'c.built_on', 'c.governance', 'c.office_id', 'o.street_id', 's.district_id'])
    .where((eb) =>
      eb.or([
        eb('c.id', 'in', [...ids('community_id'), '']),
        eb('c.office_id', 'in', [...ids('office_id'), '']),
        eb('o.street_id', 'in', [...ids('street_id'), '']),
        eb('s.district_id', 'in', [...ids('district_id'), '']),
      ]),
    )
    .orderBy('c.name')
    .execute()
  return communities.map((c) => ({
    id: c.id,
    name: c.name,
    isOld: isOldCommunity(c.built_on),
    governance: c.governance,
    roles: [
      ...new Set(
        memberships
          .filter((m) => m.community_id === c.id || m.office_id === c.office_id || m.street_id === c.street_id || m.district_id === c.district_id)
          .map((m) => m.role as Role),
      ),
    ],
  }))
}
