import { REPORT_TARGET_DEFAULTS, type ReportCategory, type ReportUrgency } from '../../src/contracts/reports'
import { addDays, beijingDate, beijingParts, startOfBeijingDay, MINUTE_MS } from '../../src/contracts/time'
import type { DbOrTx } from '../db/database'

/**
 * Working days for response targets: Monday to Friday in Beijing, less the national holidays,
 * plus the weekend days worked in exchange (调休). The calendar is configurable per district: the
 * built-in one below (the State Council's 2026 schedule) and, for each year the district office
 * has saved (work_calendar_years), that year's rows in `work_calendar` instead.
 */
export interface WorkCalendar {
  off: ReadonlySet<string>
  work: ReadonlySet<string>
}

export interface CalendarDay {
  day: string
  kind: 'off' | 'work'
  name: string
}

const range = (from: string, days: number): string[] => Array.from({ length: days }, (_, i) => beijingDate(addDays(`${from}T00:00:00+08:00`, i)))
const named = (name: string, kind: 'off' | 'work', days: string[]): CalendarDay[] => days.map((day) => ({ day, kind, name }))

/** 2026: 元旦, 春节, 清明, 劳动节, 端午, 中秋, 国庆 and their make-up workdays, with their names. */
export const DEFAULT_DAYS: readonly CalendarDay[] = [
  ...named('元旦', 'off', range('2026-01-01', 3)), ...named('元旦调休上班', 'work', ['2026-01-04']),
  ...named('春节', 'off', range('2026-02-15', 9)), ...named('春节调休上班', 'work', ['2026-02-14', '2026-02-28']),
  ...named('清明节', 'off', range('2026-04-04', 3)),
  ...named('劳动节', 'off', range('2026-05-01', 5)), ...named('劳动节调休上班', 'work', ['2026-05-09']),
  ...named('端午节', 'off', range('2026-06-19', 3)),
  ...named('中秋节', 'off', range('2026-09-25', 3)),
  ...named('国庆节', 'off', range('2026-10-01', 7)), ...named('国庆节调休上班', 'work', ['2026-09-20', '2026-10-10']),
]

export const DEFAULT_CALENDAR: { off: string[]; work: string[] } = {
  off: DEFAULT_DAYS.filter((d) => d.kind === 'off').map((d) => d.day),
  work: DEFAULT_DAYS.filter((d) => d.kind === 'work').map((d) => d.day),
}

/**
 * The calendar from the built-in days and a district's rows: a row decides its day; the built-in
 * days of a year the district saved (`savedYears`) are dropped, so its rows are that year's whole calendar.
 */
export function makeCalendar(rows: readonly { day: string; kind: 'off' | 'work' }[] = [], savedYears: readonly number[] = []): WorkCalendar {
  const saved = new Set(savedYears.map(String))
  const keep = (day: string) => !saved.has(day.slice(0, 4))
  const off = new Set(DEFAULT_CALENDAR.off.filter(keep))
  const work = new Set(DEFAULT_CALENDAR.work.filter(keep))
  for (const r of rows) {
    off.delete(r.day)
    work.delete(r.day)
    ;(r.kind === 'off' ? off : work).add(r.day)
  }
  return { off, work }
}

/** The calendar a district's 小区 count working days with. */
export async function loadCalendar(db: DbOrTx, districtId: string): Promise<WorkCalendar> {
  const [rows, years] = await Promise.all([
    db.selectFrom('work_calendar').select(['day', 'kind']).where('district_id', '=', districtId).execute(),
    db.selectFrom('work_calendar_years').select('year').where('district_id', '=', districtId).execute(),
  ])
  return makeCalendar(rows, years.map((y) => Number(y.year)))
}

export function isWorkday(instant: Date, cal: WorkCalendar): boolean {
  const day = beijingDate(instant)
  if (cal.work.has(day)) return true
  if (cal.off.has(day)) return false
  const wd = beijingParts(instant).weekday
  return wd !== 0 && wd !== 6
}

/**
 * The instant `n` working days after `start`: counting starts at `start` on a working day, else at
 * the beginning of the next one; each working day adds 24 hours, skipping whole days off. A complaint
 * on Friday 15:00 is due Monday 15:00; one on Saturday 10:00 is due Tuesday 00:00.
 */
export function addWorkdays(start: Date, n: number, cal: WorkCalendar): Date {
  let t = start
  if (!isWorkday(t, cal)) {
    t = startOfBeijingDay(t)
    do t = addDays(t, 1)
    while (!isWorkday(t, cal))
  }
  for (let i = 0; i < n; i++) {
    t = addDays(t, 1)
    while (!isWorkday(t, cal)) t = addDays(t, 1)
  }
  return t
}

export interface Targets {
  urgentAcceptMinutes: number
  ordinaryAcceptMinutes: number
  complaintAnswerWorkdays: number
}

/** When a first response to a report filed at `from` is due; null for suggestions (no target). */
export function responseDue(category: ReportCategory, urgency: ReportUrgency | null, from: Date, targets: Targets = REPORT_TARGET_DEFAULTS, cal: WorkCalendar = makeCalendar()): Date | null {
  if (category === 'suggestion') return null
  if (category === 'complaint') return addWorkdays(from, targets.complaintAnswerWorkdays, cal)
  const minutes = category === 'repair' && urgency === 'urgent' ? targets.urgentAcceptMinutes : targets.ordinaryAcceptMinutes
  return new Date(from.getTime() + minutes * MINUTE_MS)
}
