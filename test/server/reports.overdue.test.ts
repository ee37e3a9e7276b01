import { call, ok } from '../helpers/world'
import { DIALECTS, useTestDb } from '../helpers/db'
import { fileRepair, makeReportWorld, type ReportWorld } from '../helpers/reports-world'
import { markOverdueReports } from '../../server/reports/report.jobs'
import { addWorkdays, makeCalendar, responseDue } from '../../server/reports/workdays'
import { systemCtx } from '../../server/context'
import { beijingToDate } from '../../src/contracts/time'

describe('working days', () => {
  const cal = makeCalendar()
  test('a complaint on Friday afternoon is due Monday at the same time; one on Saturday is due Tuesday 00:00', () => {
    expect(addWorkdays(beijingToDate('2026-11-27', '15:00'), 1, cal)).toEqual(beijingToDate('2026-11-30', '15:00'))
    expect(addWorkdays(beijingToDate('2026-11-28', '10:00'), 1, cal)).toEqual(beijingToDate('2026-12-01', '00:00'))
    expect(addWorkdays(beijingToDate('2026-11-26', '10:00'), 2, cal)).toEqual(beijingToDate('2026-11-30', '10:00'))
  })
  test('national holidays are skipped and make-up Saturdays count (国庆 2026: 10月1日–7日 off, 10月10日 worked)', () => {
    expect(addWorkdays(beijingToDate('2026-09-30', '10:00'), 1, cal)).toEqual(beijingToDate('2026-10-08', '10:00'))
    expect(addWorkdays(beijingToDate('2026-10-09', '10:00'), 1, cal)).toEqual(beijingToDate('2026-10-10', '10:00'))
  })
  test('the calendar is configurable: a day made a holiday is skipped, a weekend day made a workday counts', () => {
    const custom = makeCalendar([{ day: '2026-11-30', kind: 'off' }, { day: '2026-11-28', kind: 'work' }])
    expect(addWorkdays(beijingToDate('2026-11-27', '15:00'), 1, custom)).toEqual(beijingToDate('2026-11-28', '15:00'))
    expect(addWorkdays(beijingToDate('2026-11-28', '15:00'), 1, custom)).toEqual(beijingToDate('2026-12-01', '15:00'))
  })
  test('targets: urgent repair 30 minutes, ordinary and the services 24 hours, suggestions none', () => {
    const t = beijingToDate('2026-11-27', '23:50')
    expect(responseDue('repair', 'urgent', t)).toEqual(new Date(t.getTime() + 30 * 60_000))
    expect(responseDue('parking', null, t)).toEqual(new Date(t.getTime() + 24 * 3600_000))
    expect(responseDue('suggestion', null, t)).toBeNull()
  })
})

describe.each(DIALECTS)('overdue reports (%s)', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: ReportWorld
  beforeAll(async () => {
    w = await makeReportWorld(env.db, deps)
  })
  const job = () => markOverdueReports(systemCtx(deps))
  const overdue = async (reportId: string, userId = w.chair) => (await ok(deps, 'getReport', { communityId: w.a, reportId }, userId)).overdue as boolean

  test('an urgent repair is overdue at exactly 30 minutes, not a millisecond before; accepting clears it', async () => {
    const t0 = beijingToDate('2026-11-26', '10:00')
    deps.setNow(t0)
    const r = await fileRepair(deps, w, { urgency: 'urgent' })
    deps.setNow(new Date(t0.getTime() + 30 * 60_000 - 1))
    await job()
    expect(await overdue(r.id)).toBe(false)
    deps.setNow(new Date(t0.getTime() + 30 * 60_000))
    expect((await job()).marked).toBe(1)
    const d = await ok(deps, 'getReport', { communityId: w.a, reportId: r.id }, w.staff)
    expect(d).toMatchObject({ overdue: true })
    expect(d.timeline.at(-1)).toMatchObject({ event: 'overdue', actor: '系统' })
    expect((await job()).marked).toBe(0)
    const accepted = await ok(deps, 'acceptReport', { communityId: w.a, reportId: r.id }, w.staff)
    expect(accepted.overdue).toBe(false)
  })

  test('a complaint filed on Friday afternoon is overdue at the same minute on Monday, across the weekend', async () => {
    const fri = beijingToDate('2026-11-27', '15:00')
    deps.setNow(fri)
    const c = await ok(deps, 'createReport', { communityId: w.a, category: 'complaint', description: '物业电梯维保不及时', place: { kind: 'area', area: '电梯' } }, w.owners.li)
    expect(c.dueAt).toBe(beijingToDate('2026-11-30', '15:00').toISOString())
    deps.setNow(beijingToDate('2026-11-29', '23:59'))
    await job()
    expect(await overdue(c.id)).toBe(false)
    deps.setNow(new Date(beijingToDate('2026-11-30', '15:00').getTime() - 1))
    await job()
    expect(await overdue(c.id)).toBe(false)
    deps.setNow(beijingToDate('2026-11-30', '15:00'))
    await job()
    expect(await overdue(c.id)).toBe(true)
    // A reply answers it: no longer overdue, and it stays counted as having been overdue.
    const replied = await ok(deps, 'replyReport', { communityId: w.a, reportId: c.id, message: '已约谈物业，本周内整改' }, w.chair)
    expect(replied.overdue).toBe(false)
    const row = await env.db.selectFrom('reports').select(['overdue_at', 'responded_at']).where('id', '=', c.id).executeTakeFirstOrThrow()
    expect(row.overdue_at).toBe(beijingToDate('2026-11-30', '15:00').toISOString())
  })

  test('the inbox shows overdue reports first, and filters on overdue', async () => {
    const t0 = beijingToDate('2026-12-02', '09:00')
    deps.setNow(t0)
    const older = await fileRepair(deps, w, { description: '二楼走廊灯不亮了' })
    deps.setNow(new Date(t0.getTime() + 3600_000))
    const newer = await fileRepair(deps, w, { description: '一楼门禁坏了打不开', urgency: 'ordinary' })
    deps.setNow(new Date(t0.getTime() + 24 * 3600_000))
    await job()
    const inbox = await ok(deps, 'reportInbox', { communityId: w.a, status: 'submitted', limit: 50 }, w.staff)
    const ids = inbox.items.map((i: { id: string }) => i.id)
    expect(ids.indexOf(older.id)).toBeLessThan(ids.indexOf(newer.id))
    expect(inbox.items[0].overdue).toBe(true)
    const firstNotOverdue = inbox.items.findIndex((i: { overdue: boolean }) => !i.overdue)
    expect(inbox.items.slice(firstNotOverdue).every((i: { overdue: boolean }) => !i.overdue)).toBe(true)
    const only = await ok(deps, 'reportInbox', { communityId: w.a, overdue: true, limit: 50 }, w.staff)
    expect(only.items.map((i: { id: string }) => i.id)).toContain(older.id)
    expect(only.items.map((i: { id: string }) => i.id)).not.toContain(newer.id)
    expect(await call(deps, 'reportInbox', { communityId: w.a, cursor: 'bm9wZQ', limit: 5 }, w.staff)).toMatchObject({ ok: false, error: { code: 'BadInput' } })
  })
})
