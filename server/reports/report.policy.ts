import { isServiceCategory, type ReportCategory, type ReportHandler } from '../../src/contracts/reports'
import { COMMITTEE_ROLES, hasAnyRole, isOfficer, REPORT_BODY_ROLES, RESIDENT_ROLES, type Role, type Governance } from '../../src/contracts/roles'
import type { DbOrTx } from '../db/database'
import { AppError } from '../errors'
import type { ReportTable } from './report.table'

/**
 * Who may do what with a report, beyond the registry's coarse role check:
 * - routing: repairs and the five basic services go to the property staff, or where the 小区 has
 *   no company to its committee (物管会), or to the community office where it stands in (社区代管);
 *   complaints and suggestions go to the committee (and the community officer), or the office;
 * - handling (accept, start, resolve, reply): the body the report is routed to (REPORT_BODY_ROLES);
 * - reading: the reporter their own; the committee every report of its 小区; the property staff
 *   those routed to them; officers everything under their post;
 * - the reporter of an anonymous report is known to officers only (and to the reporter).
 */
export interface ReportBodies {
  name: string
  governance: Governance
  committeeName: string
  companyName: string | null
  officeId: string
  officeName: string
  streetId: string
  districtId: string
}

export async function reportBodies(db: DbOrTx, communityId: string): Promise<ReportBodies> {
  const c = await db
    .selectFrom('communities as c')
    .innerJoin('offices as o', 'o.id', 'c.office_id')
    .innerJoin('streets as s', 's.id', 'o.street_id')
    .select(['c.name', 'c.governance', 'c.committee_name', 'c.company_name', 'o.id as office_id', 'o.name as office', 's.id as street_id', 's.district_id'])
    .where('c.id', '=', communityId)
    .executeTakeFirst()
  if (!c) throw new AppError('NotFound', '小区不存在')
  return { name: c.name, governance: c.governance, committeeName: c.committee_name, companyName: c.company_name, officeId: c.office_id, officeName: c.office, streetId: c.street_id, districtId: c.district_id }
}

/** Where a new report goes. */
export function routeOf(category: ReportCategory, b: Pick<ReportBodies, 'governance' | 'companyName'>): ReportHandler {
  if (b.governance === 'office_acting') return isServiceCategory(category) && b.companyName ? 'property' : 'office'
  if (isServiceCategory(category)) return b.companyName ? 'property' : 'committee'
  return 'committee'
}

/** The body's name as the timeline and the inbox show it. */
export function handlerName(h: ReportHandler, b: ReportBodies): string {
  if (h === 'property') return b.companyName ?? '物业服务中心'
  if (h === 'committee') return b.committeeName
  return b.officeName
}

export const canHandle = (handler: ReportHandler, roles: readonly Role[]): boolean => hasAnyRole(roles, REPORT_BODY_ROLES[handler])

/** Sees every report of the 小区 (not only their own or those routed to them). */
export const seesAllReports = (roles: readonly Role[]): boolean => isOfficer(roles) || hasAnyRole(roles, COMMITTEE_ROLES)

type Row = Pick<ReportTable, 'reporter_user_id' | 'handler' | 'anonymous'>

export function canRead(row: Row, userId: string, roles: readonly Role[]): boolean {
  return row.reporter_user_id === userId || seesAllReports(roles) || canHandle(row.handler, roles)
}

/** Whether the reader may know who filed the report. */
export function seesReporter(row: Row, userId: string, roles: readonly Role[]): boolean {
  return row.reporter_user_id === userId || isOfficer(roles) || (!row.anonymous && (seesAllReports(roles) || canHandle(row.handler, roles)))
}

export function assertHandler(row: Pick<ReportTable, 'handler'>, roles: readonly Role[], b: ReportBodies): void {
  if (!canHandle(row.handler, roles)) throw new AppError('Forbidden', `这条报事由${handlerName(row.handler, b)}处理`)
}

export function assertReporter(row: Pick<ReportTable, 'reporter_user_id'>, userId: string): void {
  if (row.reporter_user_id !== userId) throw new AppError('Forbidden', '只有报事人本人可以确认或要求重新处理')
}

export function assertResident(roles: readonly Role[]): void {
  if (!hasAnyRole(roles, RESIDENT_ROLES)) throw new AppError('Forbidden', '只有本小区的业主和租户可以报事')
}
