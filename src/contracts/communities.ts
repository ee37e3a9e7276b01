import * as v from 'valibot'
import { Id } from './common'
import type { Role } from './roles'

/**
 * 老旧小区: built before the end of 2004 (Zhanggong policy, last line). Old communities get the
 * 五有 service classification and the repair-fund caps of policy §三.(三).2.
 * `builtOn` is the ISO date (YYYY-MM-DD) the 小区 was built; compared as text, which is exact for ISO dates.
 */
export const OLD_COMMUNITY_BUILT_BEFORE = '2005-01-01'

export function isOldCommunity(builtOn: string): boolean {
  return builtOn < OLD_COMMUNITY_BUILT_BEFORE
}

/** The levels above a 小区 at which officers hold their posts. */
export type JurisdictionLevel = 'office' | 'street' | 'district'

/** One post an officer holds: the office (社区), street or district and their roles there. */
export interface Jurisdiction {
  level: JurisdictionLevel
  id: string
  name: string
  roles: Role[]
}

/**
 * An officer's 小区, one page at a time, for one of their posts: name exactly one of officeId,
 * streetId or districtId (the registry checks the caller holds an officer role there or above).
 * Ordered by name then id; `cursor` is the opaque nextCursor of the previous page.
 */
export const ListJurisdictionCommunitiesInput = v.object({
  officeId: v.optional(Id),
  streetId: v.optional(Id),
  districtId: v.optional(Id),
  cursor: v.optional(v.pipe(v.string('分页参数无效，请刷新列表'), v.maxLength(200, '分页参数无效，请刷新列表'))),
  limit: v.optional(
    v.pipe(v.number('每页条数应为数字'), v.integer('每页条数应为整数'), v.minValue(1, '每页至少 1 条'), v.maxValue(100, '每页最多 100 条')),
    20,
  ),
})

export interface JurisdictionCommunity {
  id: string
  name: string
  /** A 老旧小区 (built before 2005), see isOldCommunity. */
  isOld: boolean
  /** committee: 业委会; pmc: 物管会; office_acting: 社区代管. */
  governance: 'committee' | 'pmc' | 'office_acting'
  committeeName: string
  officeId: string
  officeName: string
  /** The caller's roles over this 小区, held at the post asked for or above it. */
  roles: Role[]
}

export interface JurisdictionCommunityPage {
  items: JurisdictionCommunity[]
  /** Null on the last page. */
  nextCursor: string | null
  /** How many 小区 the post covers in all (every page answers the same). */
  total: number
}
