import ExcelJS from 'exceljs'
import { DIALECTS, useTestDb } from '../helpers/db'
import { call, ok } from '../helpers/world'
import { makeFeeWorld, SCHEDULE_A, type FeeWorld } from '../helpers/fees-world'

describe.each(DIALECTS)('collection overview on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: FeeWorld
  beforeAll(async () => {
    w = await makeFeeWorld(env.db, deps)
    deps.setNow(new Date('2026-04-01T02:00:00.000Z'))
    await ok(deps, 'saveFeeSchedule', SCHEDULE_A(w), w.staff)
    await ok(deps, 'generateBills', { communityId: w.a, period: '2026-Q1' }, w.staff)
    await ok(deps, 'generateBills', { communityId: w.a, period: '2026-Q2' }, w.staff)
  })

  test('the rate by period and building moves when a payment is recorded; the officer reads it, owners do not', async () => {
    const before = await ok(deps, 'collectionOverview', { communityId: w.a, period: '2026-Q1' }, w.officer)
    expect(before.periods.map((p: any) => p.period)).toEqual(['2026-Q1', '2026-Q2'])
    expect(before.periods[0]).toMatchObject({ paidFen: 0, rateBp: 0 })
    const bill = (await ok(deps, 'myBills', { communityId: w.a }, w.owners.zhao)).units[0].unpaid[0]
    await ok(deps, 'recordPayment', { communityId: w.a, billId: bill.id, amountFen: bill.owedFen, method: 'bank', idempotencyKey: 'overview-pay-1' }, w.staff)
    const after = await ok(deps, 'collectionOverview', { communityId: w.a, period: '2026-Q1' }, w.chair)
    expect(after.periods[0].paidFen).toBe(bill.owedFen)
    expect(after.periods[0].rateBp).toBe(Math.trunc((bill.owedFen * 10000) / after.periods[0].billedFen))
    expect(after.buildings.map((b: any) => [b.buildingName, b.paidFen])).toEqual([['1栋', 0], ['2栋', bill.owedFen]])
    expect(await call(deps, 'collectionOverview', { communityId: w.a }, w.owners.wang)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
  })

  test('units in arrears: full rooms and amounts for staff, masked rooms for the committee and the officer', async () => {
    await ok(deps, 'recordReminder', { communityId: w.a, unitId: w.u.a101, kind: 'written', note: '书面通知', deadlineOn: '2026-04-10' }, w.staff)
    const staff = await ok(deps, 'arrearsList', { communityId: w.a }, w.staff)
    expect(staff.masked).toBe(false)
    expect(staff.units.find((u: any) => u.unitLabel === '1栋1单元101室')).toMatchObject({ billCount: 2, lastReminder: { kind: 'written' }, postable: false })
    expect(staff.units.every((u: any) => u.owedFen > 0)).toBe(true)
    for (const who of [w.chair, w.officer]) {
      const masked = await ok(deps, 'arrearsList', { communityId: w.a }, who)
      expect(masked.masked).toBe(true)
      expect(masked.units.map((u: any) => u.unitLabel)).toContain('1栋1单元**1室')
      expect(masked.units.every((u: any) => u.owedFen === null && u.unitId === null && u.lastReminder === null)).toBe(true)
    }
  })

  test('the export is an .xlsx with the periods, buildings and arrears', async () => {
    const file = await ok(deps, 'exportCollection', { communityId: w.a }, w.chair)
    expect(file.fileName).toMatch(/^滨江花园物业费收缴情况-2026-04-01\.xlsx$/)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(Buffer.from(file.base64, 'base64') as any)
    expect(wb.worksheets.map((s) => s.name)).toEqual(['按账期', '按楼栋', '欠费房屋'])
    const arrears = wb.getWorksheet('欠费房屋')!
    expect(arrears.getRow(1).values).toEqual([undefined, '房屋', '欠费账单数'])
    expect(String(arrears.getRow(2).getCell(1).value)).toContain('**')
  })
})
