import { COMMITTEE_ROLES, hasAnyRole } from '../../src/contracts/roles'
import { DEFAULT_NOTICE_DAYS } from '../../src/contracts/votes'
import { addDays, beijingDate, beijingTime, beijingToDate } from '../../src/contracts/time'
import type { Actor } from '../context'
import { AppError } from '../errors'
import { matterClass } from './tally'

/**
 * The procedural rules a court looks at before it looks at the count (domain.md "Owners' assembly
 * votes", Procedure; issue 8). Pure: the commands apply them.
 */

/** The notice period in days: the 小区's rules may lengthen the statutory 15 days, never shorten them. */
export function noticeDaysOf(community: { vote_notice_days: number | string | null }): number {
  return Math.max(DEFAULT_NOTICE_DAYS, Number(community.vote_notice_days ?? DEFAULT_NOTICE_DAYS))
}

/**
 * The earliest opening after an announcement at `announceAt`, counted as the Civil Code counts
 * periods in days (arts. 201, 203): the day of announcement is not counted, so `noticeDays` whole
 * calendar days (Beijing) must pass; the vote opens at 00:00 Beijing time of the day after them.
 * Announced 2026-11-26 10:00 → 15 days are 11-27 … 12-11 → earliest 2026-12-12 00:00.
 */
export function earliestOpening(announceAt: Date, noticeDays: number): Date {
  return beijingToDate(beijingDate(addDays(announceAt, noticeDays + 1)), '00:00')
}

export function checkNoticePeriod(opensAt: Date, announceAt: Date, noticeDays: number): void {
  const earliest = earliestOpening(announceAt, noticeDays)
  if (opensAt < earliest) {
    throw new AppError('BadInput', `表决须在公告发布 ${noticeDays} 天后才能开始（公告当日不计入）：最早 ${beijingTime(earliest)}（北京时间）`)
  }
}

/** Items 1–4 of art. 278 concern the whole 小区 and are never put to some buildings only. */
export const WHOLE_COMMUNITY_ITEMS = [1, 2, 3, 4]

export function checkScope(scope: 'whole' | 'buildings', matters: { item: number; title: string }[]): void {
  if (scope === 'whole') return
  const whole = matters.find((m) => WHOLE_COMMUNITY_ITEMS.includes(m.item))
  if (whole) {
    throw new AppError('BadInput', `「${whole.title}」属于《民法典》第二百七十八条第${whole.item}项，须由全体业主共同表决，不能只由部分楼栋表决`)
  }
}

/**
 * Who runs a vote: the 小区's committee (业委会, or its 物管会), and the community office only while
 * the 小区 is in stand-in mode (社区代管). The registry has already checked the role is held here.
 */
export function mayRunVotes(actor: Actor, community: { governance: string }): boolean {
  if (hasAnyRole(actor.roles, COMMITTEE_ROLES)) return true
  return community.governance === 'office_acting' && actor.roles.includes('community_officer')
}

export function requireVoteRunner(actor: Actor, community: { governance: string }): void {
  if (mayRunVotes(actor, community)) return
  if (actor.roles.includes('community_officer')) {
    throw new AppError('Forbidden', '本小区有自己的业委会（物管会），表决由其组织；社区只在代管期间组织表决')
  }
  throw new AppError('Forbidden', '只有业委会（物管会）委员可以组织表决；社区代管期间由社区组织')
}

/**
 * Words that mark a matter of items 6–8 (special: three quarters) whatever item it was filed
 * under: raising the repair fund, rebuilding or altering, elevators, business on common parts.
 */
const SPECIAL_WORDS: { item: number; words: RegExp }[] = [
  { item: 6, words: /(筹集|续筹|补交|增加|提高|追加).{0,6}维修(资金|基金)|维修(资金|基金).{0,6}(筹集|续筹|补交|增加|提高|追加)/ },
  { item: 7, words: /改建|重建|拆除|扩建|加装电梯|增设电梯|安装电梯|电梯加装/ },
  { item: 8, words: /经营|出租|广告|停车收费|商用|改变.{0,6}用途/ },
]

/**
 * A warning, before announcement, for a matter whose title speaks of an item 6–8 matter while
 * filed under a laxer item: a decision taken by the wrong threshold can be set aside by a court.
 */
export function laxFilingWarnings(matters: { position: number; item: number; title: string }[]): string[] {
  const out: string[] = []
  for (const m of matters) {
    if (matterClass(m.item) === 'special') continue
    const hit = SPECIAL_WORDS.find((s) => s.words.test(m.title))
    if (hit) {
      out.push(`事项 ${m.position}「${m.title}」看起来属于第${hit.item}项（特别事项，须四分之三以上同意），却按第${m.item}项（过半数）表决；按较低门槛通过的决定可能被法院撤销，请核对事项类别`)
    }
  }
  return out
}

/** What a draft still lacks before it can be announced. */
export function missingForAnnouncement(vote: { opens_at: string; closes_at: string; scope: string }, matterCount: number, buildingCount: number): string[] {
  const out: string[] = []
  if (!vote.opens_at) out.push('开始投票时间')
  if (!vote.closes_at) out.push('结束投票时间')
  if (matterCount === 0) out.push('至少一个表决事项')
  if (vote.scope === 'buildings' && buildingCount === 0) out.push('表决范围内的楼栋')
  return out
}
