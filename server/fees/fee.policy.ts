import type { Role } from '../../src/contracts/roles'
import { COMMITTEE_ROLES, hasAnyRole } from '../../src/contracts/roles'
import type { DbOrTx } from '../db/database'
import { AppError } from '../errors'

/**
 * Who may do what with fees, beyond the registry's coarse role check (src/contracts/roles.ts):
 * - billing (the schedule, bills, payments, 催缴): the company's staff where the 小区 has a company;
 *   where it has none (self-managed, 物管会, or the office's basic service), its committee or the
 *   community office do the same work;
 * - deciding (waivers, write-offs, 欠费公示): the committee, or the office where it stands in (社区代管).
 */
export interface FeeBodies {
  name: string
  governance: 'committee' | 'pmc' | 'office_acting'
  committeeName: string
  companyName: string | null
  officeName: string
}

export async function feeBodies(db: DbOrTx, communityId: string): Promise<FeeBodies> {
  const c = await db
    .selectFrom('communities as c')
    .innerJoin('offices as o', 'o.id', 'c.office_id')
    .select(['c.name', 'c.governance', 'c.committee_name', 'c.company_name', 'o.name as office'])
    .where('c.id', '=', communityId)
    .executeTakeFirst()
  if (!c) throw new AppError('NotFound', '小区不存在')
  return { name: c.name, governance: c.governance, committeeName: c.committee_name, companyName: c.company_name, officeName: c.office }
}

/** Who receives the money: the company, else the committee, else the office standing in. */
export function payeeName(b: FeeBodies): string {
  if (b.companyName) return b.companyName
  return b.governance === 'office_acting' ? `${b.officeName}（代管）` : b.committeeName
}

export function canBill(b: FeeBodies, roles: readonly Role[]): boolean {
  if (b.companyName) return roles.includes('property_staff')
  return hasAnyRole(roles, COMMITTEE_ROLES) || roles.includes('community_officer')
}

export function canDecide(b: FeeBodies, roles: readonly Role[]): boolean {
  if (b.governance === 'office_acting') return roles.includes('community_officer') || hasAnyRole(roles, COMMITTEE_ROLES)
  return hasAnyRole(roles, COMMITTEE_ROLES)
}

/** The fee staff's view (full rooms and amounts) rather than the masked one. */
export const seesFullArrears = canBill

export async function assertCanBill(db: DbOrTx, communityId: string, roles: readonly Role[]): Promise<FeeBodies> {
  const b = await feeBodies(db, communityId)
  if (!canBill(b, roles)) {
    throw new AppError('Forbidden', b.companyName ? `本小区的收费由${b.companyName}办理` : '收费由本小区的业委会（物管会）或社区办理')
  }
  return b
}

export async function assertCanDecide(db: DbOrTx, communityId: string, roles: readonly Role[]): Promise<FeeBodies> {
  const b = await feeBodies(db, communityId)
  if (!canDecide(b, roles)) throw new AppError('Forbidden', '减免、核销和欠费公示须由业委会（物管会）决定')
  return b
}
