import type * as v from 'valibot'
import type { SaveWorkCalendarInput, WorkCalendarDayView, WorkCalendarView } from '../../src/contracts/reports'
import { beijingWeekday } from '../../src/contracts/time'
import { requireActor, withTx, type Ctx } from '../context'
import type { DbOrTx } from '../db/database'
import { AppError } from '../errors'
import { DEFAULT_DAYS, type CalendarDay } from './workdays'

/**
 * The district's working-day calendar (issue 12: complaints are answered within working days,
 * which skip weekends and "the national holidays of a configurable calendar"). The district office
 * keeps it, one year at a time: the list it saves is that year's whole calendar, replacing the
 * app's built-in one. Reports already filed keep the due time they were given; the calendar counts
 * for reports filed (or reopened) after it is saved.
 */
const NOTE = '放假日按非工作日计算，调休上班日按工作日计算；修改只影响此后提交或重新打开的报事，已提交的报事时限不变。'
const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六']

const view = (d: CalendarDay): WorkCalendarDayView => ({ day: d.day, kind: d.kind, name: d.name, weekday: beijingWeekday(d.day) })
const byDay = (a: { day: string }, b: { day: string }) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0)

async function districtName(db: DbOrTx, districtId: string): Promise<string> {
  const d = await db.selectFrom('districts').select('name').where('id', '=', districtId).executeTakeFirst()
  if (!d) throw new AppError('NotFound', '找不到这个区')
  return d.name
}

export async function workCalendar(ctx: Ctx, input: { districtId: string; year: number }): Promise<WorkCalendarView> {
  const name = await districtName(ctx.db, input.districtId)
  const saved = await ctx.db.selectFrom('work_calendar_years').select('updated_at').where('district_id', '=', input.districtId).where('year', '=', input.year).executeTakeFirst()
  if (saved) {
    const rows = await ctx.db
      .selectFrom('work_calendar').select(['day', 'kind', 'name'])
      .where('district_id', '=', input.districtId).where('day', '>=', `${input.year}-01-01`).where('day', '<=', `${input.year}-12-31`)
      .orderBy('day').execute()
    return { districtId: input.districtId, districtName: name, year: input.year, source: 'district', days: rows.map(view), updatedAt: saved.updated_at, note: NOTE }
  }
  const builtin = DEFAULT_DAYS.filter((d) => d.day.startsWith(`${input.year}-`)).map(view).sort(byDay)
  return { districtId: input.districtId, districtName: name, year: input.year, source: builtin.length ? 'builtin' : 'none', days: builtin, updatedAt: null, note: NOTE }
}

/** Refuses a list that is not one year's calendar: a day outside the year or not a real date, a day twice, a make-up working day on a weekday. */
function checkDays(year: number, days: readonly CalendarDay[]): CalendarDay[] {
  const seen = new Set<string>()
  for (const d of days) {
    if (!d.day.startsWith(`${year}-`)) throw new AppError('BadInput', `${d.day} 不在 ${year} 年内，请只填写 ${year} 年的日期`)
    const real = new Date(`${d.day}T00:00:00Z`)
    if (Number.isNaN(real.getTime()) || real.toISOString().slice(0, 10) !== d.day) throw new AppError('BadInput', `${d.day} 不是有效的日期`)
    if (seen.has(d.day)) throw new AppError('BadInput', `${d.day} 填写了两次，每天只能是放假或调休上班之一`)
    seen.add(d.day)
    const wd = beijingWeekday(d.day)
    if (d.kind === 'work' && wd !== 0 && wd !== 6) throw new AppError('BadInput', `${d.day} 是${WEEKDAYS[wd]}，本来就是工作日；调休上班日应为周六或周日`)
  }
  return [...days].sort(byDay)
}

export async function saveWorkCalendar(ctx: Ctx, input: v.InferOutput<typeof SaveWorkCalendarInput>): Promise<WorkCalendarView> {
  const actor = requireActor(ctx)
  const days = checkDays(input.year, input.days)
  await districtName(ctx.db, input.districtId)
  await withTx(ctx, async (tx) => {
    await tx.db
      .deleteFrom('work_calendar')
      .where('district_id', '=', input.districtId).where('day', '>=', `${input.year}-01-01`).where('day', '<=', `${input.year}-12-31`)
      .execute()
    if (days.length) await tx.db.insertInto('work_calendar').values(days.map((d) => ({ district_id: input.districtId, day: d.day, kind: d.kind, name: d.name }))).execute()
    const at = tx.now().toISOString()
    await tx.db
      .insertInto('work_calendar_years')
      .values({ district_id: input.districtId, year: input.year, updated_by: actor.userId, updated_at: at })
      .onConflict((oc) => oc.columns(['district_id', 'year']).doUpdateSet({ updated_by: actor.userId, updated_at: at }))
      .execute()
  })
  return workCalendar(ctx, input)
}
