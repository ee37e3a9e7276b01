import { call, makeUser, ok } from '../helpers/world'
import { DIALECTS, useTestDb } from '../helpers/db'
import { makeReportWorld, type ReportWorld } from '../helpers/reports-world'
import { beijingToDate } from '../../src/contracts/time'

/**
 * Problem reports — response targets: "complaints answered within 1 working day — working days skip
 * weekends and the national holidays of a configurable calendar" (issue 12; domain.md "Problem
 * reports"). The calendar is the district office's, one year at a time; and the committee's report
 * settings (common areas, public phones, targets) read back as saved.
 */
describe.each(DIALECTS)('report settings and the working-day calendar (%s)', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: ReportWorld
  let districtOfficer: string
  let otherDistrictOfficer: string
  let otherDistrict: string
  beforeAll(async () => {
    w = await makeReportWorld(env.db, deps)
    districtOfficer = await makeUser(env.db, '区干部', 'district_officer', { districtId: w.district })
    otherDistrict = `d-${w.district.slice(0, 8)}`
    await env.db.insertInto('districts').values({ id: otherDistrict, name: '南康区' }).execute()
    otherDistrictOfficer = await makeUser(env.db, '南康区干部', 'district_officer', { districtId: otherDistrict })
  })

  test('report settings: the committee reads what it saved; common areas offered when filing; a mobile is refused as a public phone', async () => {
    const before = await ok(deps, 'reportSettings', { communityId: w.a }, w.chair)
    expect(before).toMatchObject({ urgentAcceptMinutes: 30, ordinaryAcceptMinutes: 1440, complaintAnswerWorkdays: 1, dailyLimit: 20, targetsNote: expect.stringContaining('并非政策规定') })
    const saved = await ok(deps, 'saveReportSettings', {
      communityId: w.a, commonAreas: ['小区大门', '东门岗亭', '东门岗亭'], propertyPhone: '0797-8123456', propertyHours: '8:00-18:00', committeePhone: '0797-8765432',
      urgentAcceptMinutes: 20, complaintAnswerWorkdays: 2,
    }, w.chair)
    expect(saved).toMatchObject({ commonAreas: ['小区大门', '东门岗亭'], urgentAcceptMinutes: 20, ordinaryAcceptMinutes: 1440, complaintAnswerWorkdays: 2, property: { phone: '0797-8123456', hours: '8:00-18:00' }, committee: { phone: '0797-8765432' } })
    expect(await ok(deps, 'reportSettings', { communityId: w.a }, w.officer)).toMatchObject({ commonAreas: ['小区大门', '东门岗亭'], urgentAcceptMinutes: 20 })
    expect((await ok(deps, 'reportPlaceOptions', { communityId: w.a }, w.owners.wang)).commonAreas).toEqual(['小区大门', '东门岗亭'])
    expect(await call(deps, 'saveReportSettings', { communityId: w.a, committeePhone: '13958881297' }, w.chair)).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    expect(await call(deps, 'saveReportSettings', { communityId: w.a, urgentAcceptMinutes: 4 }, w.chair)).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('至少 5 分钟') } })
    expect(await call(deps, 'saveReportSettings', { communityId: w.a, dailyLimit: 5 }, w.owners.wang)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    await ok(deps, 'saveReportSettings', { communityId: w.a, urgentAcceptMinutes: 30, complaintAnswerWorkdays: 1 }, w.chair)
  })

  test('the calendar shows the built-in 2026 holidays until the district saves its own; a year without one has none', async () => {
    const c = await ok(deps, 'workCalendar', { districtId: w.district, year: 2026 }, districtOfficer)
    expect(c).toMatchObject({ districtName: '章贡区', year: 2026, source: 'builtin', updatedAt: null })
    expect(c.days).toContainEqual({ day: '2026-10-01', kind: 'off', name: '国庆节', weekday: 4 })
    expect(c.days).toContainEqual({ day: '2026-10-10', kind: 'work', name: '国庆节调休上班', weekday: 6 })
    expect(await ok(deps, 'workCalendar', { districtId: w.district, year: 2027 }, districtOfficer)).toMatchObject({ source: 'none', days: [] })
  })

  test('only the district office keeps the calendar: a community or street officer, a committee, another district are refused', async () => {
    const input = { districtId: w.district, year: 2027, days: [] }
    for (const who of [w.officer, w.streetOfficer, w.chair, w.owners.wang, otherDistrictOfficer]) {
      expect(await call(deps, 'saveWorkCalendar', input, who)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
      expect(await call(deps, 'workCalendar', { districtId: w.district, year: 2027 }, who)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    }
  })

  test('the list is validated: a day outside the year, a date that does not exist, a day twice, a make-up working day on a weekday', async () => {
    const save = (days: unknown[]) => call(deps, 'saveWorkCalendar', { districtId: w.district, year: 2027, days }, districtOfficer)
    expect(await save([{ day: '2028-01-01', kind: 'off', name: '元旦' }])).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('不在 2027 年内') } })
    expect(await save([{ day: '2027-02-30', kind: 'off', name: '春节' }])).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    expect(await save([{ day: '2027-01-01', kind: 'off', name: '元旦' }, { day: '2027-01-01', kind: 'off', name: '元旦' }])).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('两次') } })
    // 2027-01-04 is a Monday.
    expect(await save([{ day: '2027-01-04', kind: 'work', name: '调休' }])).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('周一') } })
    expect(await save([{ day: '2027-01-01', kind: 'holiday', name: '元旦' }])).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    expect(await save([{ day: '2027-01-01', kind: 'off', name: '' }])).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('节日名称') } })
    expect(await save(Array.from({ length: 61 }, (_, i) => ({ day: `2027-03-${String((i % 28) + 1).padStart(2, '0')}`, kind: 'off', name: '假' })))).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('最多 60') } })
    expect(await ok(deps, 'workCalendar', { districtId: w.district, year: 2027 }, districtOfficer)).toMatchObject({ source: 'none' })
  })

  test('a saved year replaces the built-in one, and complaint deadlines count with it: a holiday is skipped, a make-up Saturday counts', async () => {
    // 2026-11-30 (Monday) made a holiday, 2026-11-28 (Saturday) a working day; 国庆 left out on purpose: that year is now only these.
    const saved = await ok(deps, 'saveWorkCalendar', {
      districtId: w.district, year: 2026,
      days: [{ day: '2026-11-30', kind: 'off', name: '地方节日' }, { day: '2026-11-28', kind: 'work', name: '调休上班' }],
    }, districtOfficer)
    expect(saved).toMatchObject({ source: 'district', updatedAt: deps.now().toISOString(), days: [{ day: '2026-11-28', kind: 'work', weekday: 6 }, { day: '2026-11-30', kind: 'off', weekday: 1 }] })
    const complaint = (at: Date) => {
      deps.setNow(at)
      return ok(deps, 'createReport', { communityId: w.a, category: 'complaint', description: '物业电梯维保不及时', place: { kind: 'area', area: '小区大门' } }, w.owners.li)
    }
    // Friday 15:00 → the worked Saturday 15:00.
    expect((await complaint(beijingToDate('2026-11-27', '15:00'))).dueAt).toBe(beijingToDate('2026-11-28', '15:00').toISOString())
    // Saturday 15:00 → Sunday off, Monday the district's holiday → Tuesday 15:00.
    expect((await complaint(beijingToDate('2026-11-28', '15:00'))).dueAt).toBe(beijingToDate('2026-12-01', '15:00').toISOString())
    // 国庆 is no longer in the district's 2026: 30 September → 1 October.
    expect((await complaint(beijingToDate('2026-09-30', '10:00'))).dueAt).toBe(beijingToDate('2026-10-01', '10:00').toISOString())
    // Another district keeps the built-in calendar.
    expect(await ok(deps, 'workCalendar', { districtId: otherDistrict, year: 2026 }, otherDistrictOfficer)).toMatchObject({ source: 'builtin' })
  })

  test('saving a year again replaces its list whole; an empty list is a year with weekends only', async () => {
    await ok(deps, 'saveWorkCalendar', { districtId: w.district, year: 2026, days: [{ day: '2026-10-01', kind: 'off', name: '国庆节' }] }, districtOfficer)
    expect((await ok(deps, 'workCalendar', { districtId: w.district, year: 2026 }, districtOfficer)).days).toEqual([{ day: '2026-10-01', kind: 'off', name: '国庆节', weekday: 4 }])
    const empty = await ok(deps, 'saveWorkCalendar', { districtId: w.district, year: 2026, days: [] }, districtOfficer)
    expect(empty).toMatchObject({ source: 'district', days: [] })
    deps.setNow(beijingToDate('2026-09-30', '10:00'))
    const c = await ok(deps, 'createReport', { communityId: w.a, category: 'complaint', description: '楼道堆放杂物无人清理', place: { kind: 'area', area: '小区大门' } }, w.owners.li)
    expect(c.dueAt).toBe(beijingToDate('2026-10-01', '10:00').toISOString())
  })
})
