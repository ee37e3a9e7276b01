import ExcelJS from 'exceljs'
import { DIALECTS, useTestDb } from '../helpers/db'
import { makeFundWorld, type FundWorld } from '../helpers/fund-world'
import { call, ok } from '../helpers/world'

/** Officers see each old community's collection (required, deposited, matched) under their post, and export it. */
describe.each(DIALECTS)('repair-fund collection for officers on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: FundWorld
  beforeAll(async () => {
    w = await makeFundWorld(env.db, deps)
    await ok(deps, 'setFundScheme', { communityId: w.b, buildingIds: [w.buildings.b1, w.buildings.b2], rateFen: 5500 }, w.pmc)
    await ok(deps, 'setFundScheme', { communityId: w.a, buildingIds: [w.buildings.a1], rateFen: 9000 }, w.chairA)
    await ok(deps, 'recordFundDeposit', { communityId: w.b, unitId: w.u.b1_101, amountFen: 330_000, paidOn: '2026-11-20', channel: 'bank', receiptNo: 'R-1' }, w.pmc)
    await ok(deps, 'recordFundDeposit', { communityId: w.b, unitId: w.u.b2_102, amountFen: 12_345, paidOn: '2026-11-20', channel: 'cash', receiptNo: 'R-2' }, w.pmc)
  })

  test('the community and the street officer see the old community only, with required, deposited and matched', async () => {
    // 文清苑: 500.00 m² at 55.00 元 = 27,500.00 元 required.
    const expected = [{ communityId: w.b, name: '文清苑', requiredFen: 2_750_000, depositedFen: 342_345, matchedFen: 342_345 }]
    expect((await ok(deps, 'fundCollection', { officeId: w.office }, w.officer)).items).toMatchObject(expected)
    expect((await ok(deps, 'fundCollection', { streetId: w.street }, w.streetOfficer)).items).toMatchObject(expected)
    expect(await call(deps, 'fundCollection', { officeId: w.office }, w.pmc)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    expect(await call(deps, 'fundCollection', { officeId: w.office }, w.owners.sun)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
  })

  test('exported to .xlsx with a total row', async () => {
    const file = await ok(deps, 'exportFundCollection', { streetId: w.street }, w.streetOfficer)
    expect(file.fileName).toMatch(/^老旧小区维修资金归集情况-\d{4}-\d{2}-\d{2}\.xlsx$/)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(Buffer.from(file.base64, 'base64') as unknown as ArrayBuffer)
    const rows = wb.worksheets[0].getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1))
    expect(rows).toEqual([
      ['小区', '社区', '应交（元）', '已交存（元）', '区财政配套（元）', '未交（元）'],
      ['文清苑', '东阳社区', '27,500.00', '3,423.45', '3,423.45', '24,076.55'],
      ['合计', '', '27,500.00', '3,423.45', '3,423.45', '24,076.55'],
    ])
  })
})
