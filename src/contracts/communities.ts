/**
 * 老旧小区: built before the end of 2004 (Zhanggong policy, last line). Old communities get the
 * 五有 service classification and the repair-fund caps of policy §三.(三).2.
 * `builtOn` is the ISO date (YYYY-MM-DD) the 小区 was built; compared as text, which is exact for ISO dates.
 */
export const OLD_COMMUNITY_BUILT_BEFORE = '2005-01-01'

export function isOldCommunity(builtOn: string): boolean {
  return builtOn < OLD_COMMUNITY_BUILT_BEFORE
}
