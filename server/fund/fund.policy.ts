import { isOldCommunity } from '../../src/contracts/communities'
import { FUND_POLICY_CLAUSE, OLD_CAP_ELEVATOR_FEN, OLD_CAP_NO_ELEVATOR_FEN } from '../../src/contracts/fund'
import { fenDigits } from '../../src/contracts/money'
import { COMMITTEE_ROLES, hasAnyRole, type Role } from '../../src/contracts/roles'
import type { DbOrTx } from '../db/database'
import { AppError } from '../errors'

/**
 * Who may do what with the repair fund, beyond the registry's coarse roles:
 * - deciding (schemes, expenses, interest, reversals, the 财务公开): the committee (业委会/物管会), or
 *   the community office where it stands in (社区代管);
 * - collecting (deposits): the same, and the property company's staff collecting for the 小区
 *   (seed §三.(三).2: 由物业服务企业、业主委员会或物业管理委员会向业主收取).
 * And the policy's caps on an old community's rate.
 */
export interface FundBodies {
  name: string
  isOld: boolean
  governance: 'committee' | 'pmc' | 'office_acting'
  committeeName: string
  officeName: string
  companyName: string | null
}

export async function fundBodies(db: DbOrTx, communityId: string): Promise<FundBodies> {
  const c = await db
    .selectFrom('communities as c')
    .innerJoin('offices as o', 'o.id', 'c.office_id')
    .select(['c.name', 'c.built_on', 'c.governance', 'c.committee_name', 'c.company_name', 'o.name as office'])
    .where('c.id', '=', communityId)
    .executeTakeFirst()
  if (!c) throw new AppError('NotFound', '小区不存在')
  return { name: c.name, isOld: isOldCommunity(c.built_on), governance: c.governance, committeeName: c.committee_name, officeName: c.office, companyName: c.company_name }
}

export function canDecide(b: FundBodies, roles: readonly Role[]): boolean {
  if (hasAnyRole(roles, COMMITTEE_ROLES)) return true
  return b.governance === 'office_acting' && roles.includes('community_officer')
}

export async function assertCanDecide(db: DbOrTx, communityId: string, roles: readonly Role[]): Promise<FundBodies> {
  const b = await fundBodies(db, communityId)
  if (!canDecide(b, roles)) throw new AppError('Forbidden', b.governance === 'office_acting' ? '维修资金由社区代管' : `维修资金的筹集和使用由${b.committeeName}办理`)
  return b
}

export async function assertCanCollect(db: DbOrTx, communityId: string, roles: readonly Role[]): Promise<FundBodies> {
  const b = await fundBodies(db, communityId)
  if (canDecide(b, roles) || (b.companyName !== null && roles.includes('property_staff'))) return b
  throw new AppError('Forbidden', '您不能登记本小区的维修资金交存')
}

/** An old community's cap for a building, in fen per m²; null when no cap applies. */
export function capFor(b: Pick<FundBodies, 'isOld'>, hasElevator: boolean): number | null {
  if (!b.isOld) return null
  return hasElevator ? OLD_CAP_ELEVATOR_FEN : OLD_CAP_NO_ELEVATOR_FEN
}

/** Refuses a rate above the old-community cap with the reason and the policy clause. */
export function assertWithinCap(b: FundBodies, building: { name: string; hasElevator: boolean }, rateFen: number): void {
  const cap = capFor(b, building.hasElevator)
  if (cap !== null && rateFen > cap) {
    throw new AppError(
      'BadInput',
      `${b.name}是老旧小区，${building.name}${building.hasElevator ? '有电梯' : '无电梯'}，维修资金交存标准不得高于 ${fenDigits(cap)} 元/㎡（所填 ${fenDigits(rateFen)} 元/㎡）。依据：${FUND_POLICY_CLAUSE}`,
    )
  }
}
