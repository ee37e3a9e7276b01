import { randomUUID } from 'node:crypto'
import type { Role } from '../../src/contracts/common'
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
