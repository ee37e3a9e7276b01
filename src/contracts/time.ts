/**
 * Beijing time, the one module for client and server. Every time a person reads or types is
 * Beijing time (Asia/Shanghai), whatever the phone's or the server's own zone. China has kept
 * UTC+8 without daylight saving since 1991, so plain Date arithmetic is exact: no Intl, no
 * time-zone data (some mini-program engines ship Intl without it), no imports.
 *
 * Instants are stored and sent as ISO-8601 UTC text ("2026-12-01T00:00:00.000Z"); functions
 * here accept that text, a Date or epoch milliseconds.
 */

export const TIME_ZONE = 'Asia/Shanghai'
export const MINUTE_MS = 60_000
export const HOUR_MS = 3_600_000
export const DAY_MS = 86_400_000
/** Beijing is UTC+8 all year. */
export const BEIJING_OFFSET_MINUTES = 8 * 60
export const BEIJING_OFFSET_MS = BEIJING_OFFSET_MINUTES * MINUTE_MS

export type Instant = string | Date | number

/** Epoch milliseconds of an instant (NaN when the text is not a time). */
export function toMs(instant: Instant): number {
  if (typeof instant === 'number') return instant
  if (instant instanceof Date) return instant.getTime()
  return Date.parse(instant)
}

/** The instant n days (of 24 hours) later; negative n goes back. */
export function addDays(instant: Instant, days: number): Date {
  return new Date(toMs(instant) + days * DAY_MS)
}

/** The same as addDays, as stored ISO text. */
export function addDaysIso(instant: Instant, days: number): string {
  return addDays(instant, days).toISOString()
}

/** A Date whose UTC fields read as the Beijing wall clock of the instant (internal helper). */
function wall(instant: Instant): Date {
  return new Date(toMs(instant) + BEIJING_OFFSET_MS)
}

export interface BeijingParts {
  year: number
  /** 1–12 */
  month: number
  /** 1–31 */
  day: number
  hour: number
  minute: number
  second: number
  /** 0 = Sunday … 6 = Saturday */
  weekday: number
}

/** The Beijing calendar and clock fields of an instant. */
export function beijingParts(instant: Instant): BeijingParts {
  const w = wall(instant)
  return {
    year: w.getUTCFullYear(),
    month: w.getUTCMonth() + 1,
    day: w.getUTCDate(),
    hour: w.getUTCHours(),
    minute: w.getUTCMinutes(),
    second: w.getUTCSeconds(),
    weekday: w.getUTCDay(),
  }
}

/** The weekday (0 = Sunday … 6 = Saturday) of a Beijing calendar day "2026-12-01"; NaN for a day that is not a date. */
export function beijingWeekday(day: string): number {
  return new Date(`${day}T12:00:00+08:00`).getUTCDay()
}

/** "2026-12-01": the Beijing calendar day of an instant. */
export function beijingDate(instant: Instant): string {
  return wall(instant).toISOString().slice(0, 10)
}

/** "08:00": the Beijing wall-clock time of an instant, to the minute. */
export function beijingClock(instant: Instant): string {
  return wall(instant).toISOString().slice(11, 16)
}

/** "2026-12-01 08:00": an instant as Beijing date and time, to the minute. */
export function beijingTime(instant: Instant): string {
  return wall(instant).toISOString().slice(0, 16).replace('T', ' ')
}

/** The instant a Beijing calendar day begins (00:00 Beijing = 16:00 UTC the day before). */
export function startOfBeijingDay(instant: Instant): Date {
  return new Date(Math.floor((toMs(instant) + BEIJING_OFFSET_MS) / DAY_MS) * DAY_MS - BEIJING_OFFSET_MS)
}

/** Whole Beijing calendar days from a to b (0 on the same day, 1 for "tomorrow"). */
export function beijingDaysBetween(a: Instant, b: Instant): number {
  return Math.round((startOfBeijingDay(b).getTime() - startOfBeijingDay(a).getTime()) / DAY_MS)
}

/**
 * A Beijing wall-clock date and time ("2026-12-01", "08:00") as the instant it names; the time
 * may be an hour number. An Invalid Date when the text is not a date (check with isNaN).
 */
export function beijingToDate(date: string, time: string | number = '00:00'): Date {
  const d = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(date.trim())
  const t = typeof time === 'number' ? [time, 0] : /^(\d{1,2}):(\d{2})$/.exec(time.trim())?.slice(1).map(Number)
  if (!d || !t) return new Date(NaN)
  return new Date(Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), t[0], t[1]) - BEIJING_OFFSET_MS)
}

/** The same as beijingToDate, as stored ISO text. Throws RangeError on text that is not a date. */
export function beijingToIso(date: string, time: string | number = '00:00'): string {
  return beijingToDate(date, time).toISOString()
}

/** "2025年3月5日" */
export function formatDate(instant: Instant): string {
  const p = beijingParts(instant)
  return `${p.year}年${p.month}月${p.day}日`
}

/** "2025年3月5日 14:05" */
export function formatDateTime(instant: Instant): string {
  return `${formatDate(instant)} ${beijingClock(instant)}`
}

/** "今天 14:05", "昨天 09:30", otherwise the date and time: easier to read than a full date. */
export function formatFriendly(instant: Instant, now: Instant = Date.now()): string {
  const days = beijingDaysBetween(instant, now)
  if (days === 0) return `今天 ${beijingClock(instant)}`
  if (days === 1) return `昨天 ${beijingClock(instant)}`
  return formatDateTime(instant)
}
