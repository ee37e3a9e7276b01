import ExcelJS from 'exceljs'
import { call, ok } from '../helpers/world'
import { DIALECTS, useTestDb } from '../helpers/db'
import { fileRepair, makeReportWorld, type ReportWorld } from '../helpers/reports-world'
import { markOverdueReports } from '../../server/reports/report.jobs'
import { systemCtx } from '../../server/context'
import { beijingToDate } from '../../src/contracts/time'

describe.each(DIALECTS)('report dashboard (%s)', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: ReportWorld
  beforeAll(async () => {
    w = await makeReportWorld(env.db, deps)
    const t0 = beijingToDate('2026-11-02', '09:00').getTime()
    const at = (minutes: number) => deps.setNow(new Date(t0 + minutes * 60_000))
    // Two repairs: accepted after 10 and 30 minutes, resolved after 120 and 300; rated 5 and 4.
    at(0); const a = await fileRepair(deps, w)
    at(5); const b = await fileRepair(deps, w, { urgency: 'urgent' })
    at(10); await ok(deps, 'acceptReport', { communityId: w.a, reportId: a.id }, w.staff)
    at(35); await markOverdueReports(systemCtx(deps)) // b is overdue at 5 + 30 minutes
    at(35); await ok(deps, 'acceptReport', { communityId: w.a, reportId: b.id }, w.staff)
    at(120); await ok(deps, 'resolveReport', { communityId: w.a, reportId: a.id }, w.staff)
    at(305); await ok(deps, 'resolveReport', { communityId: w.a, reportId: b.id }, w.staff)
    at(400); await ok(deps, 'confirmReport', { communityId: w.a, reportId: a.id, rating: 5 }, w.owners.wang)
    await ok(deps, 'confirmReport', { communityId: w.a, reportId: b.id, rating: 4, comment: '有点慢' }, w.owners.wang)
    // A complaint, still waiting; and one report in December, outside the period.
    await ok(deps, 'createReport', { communityId: w.a, category: 'complaint', description: '绿化带被占用种菜', place: { kind: 'area', area: '中心花园' } }, w.owners.zhao)
    deps.setNow(beijingToDate('2026-12-01', '00:00'))
    await fileRepair(deps, w)
  })

  test('counts by category and status, median times, overdue and average rating for a month', async () => {
    const d = await ok(deps, 'reportDashboard', { communityId: w.a, period: '2026-11' }, w.officer)
    expect(d).toMatchObject({ total: 3, medianAcceptMinutes: 20, medianResolveMinutes: 210, overdueCount: 1, averageRatingX100: 450, ratedCount: 2 })
    expect(d.byCategory.find((c: { category: string }) => c.category === 'repair').count).toBe(2)
    expect(d.byCategory.find((c: { category: string }) => c.category === 'complaint').count).toBe(1)
    expect(d.byStatus.find((s: { status: string }) => s.status === 'confirmed').count).toBe(2)
    expect(d.byStatus.find((s: { status: string }) => s.status === 'submitted').count).toBe(1)
    const q = await ok(deps, 'reportDashboard', { communityId: w.a, period: '2026-Q4' }, w.chair)
    expect(q.total).toBe(4)
    expect(await call(deps, 'reportDashboard', { communityId: w.a, period: '2026-11' }, w.owners.wang)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    expect(await call(deps, 'reportDashboard', { communityId: w.a, period: '11月' }, w.officer)).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('统计期格式') } })
  })

  test('the .xlsx export for the quarterly assessment carries the same figures and no reporter', async () => {
    const file = await ok(deps, 'exportReportDashboard', { communityId: w.a, period: '2026-11' }, w.streetOfficer)
    expect(file.fileName).toMatch(/^滨江花园报事统计-2026年11月-/)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(Buffer.from(file.base64, 'base64') as never)
    const sheet = wb.getWorksheet('概况')!
    expect(sheet.getRow(3).values).toEqual([undefined, '报事总数', 3])
    expect(sheet.getRow(4).getCell(2).value).toBe('20 分钟')
    expect(sheet.getRow(6).getCell(2).value).toBe(1)
    expect(sheet.getRow(7).getCell(2).value).toBe('4.50')
    const list = wb.getWorksheet('报事清单')!
    expect(list.rowCount).toBe(4)
    const text = JSON.stringify(list.getSheetValues())
    expect(text).not.toContain('王伟')
    expect(text).not.toContain('赵敏')
  })
})
