import ExcelJS from 'exceljs'
import { MATCH_HELD_IN } from '../../src/contracts/fund'
import { DIALECTS, useTestDb } from '../helpers/db'
import { decidedVote, makeFundWorld, type FundWorld } from '../helpers/fund-world'
import { call, ok } from '../helpers/world'

async function depositSheet(rows: (string | number)[][]): Promise<string> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('交存')
  ws.addRow(['楼栋', '单元', '房号', '金额(元)', '交存日期', '交存方式', '收据号'])
  for (const r of rows) ws.addRow(r)
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64')
}

/** Per-unit accounts: required (rate × area), deposits with the district's match beside each, the 30% flag at its bound, who sees what. */
describe.each(DIALECTS)('repair-fund accounts on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: FundWorld
  beforeAll(async () => {
    w = await makeFundWorld(env.db, deps)
    await ok(deps, 'setFundScheme', { communityId: w.b, buildingIds: [w.buildings.b1], rateFen: 5500 }, w.pmc)
    await ok(deps, 'setFundScheme', { communityId: w.b, buildingIds: [w.buildings.b2], rateFen: 7500 }, w.pmc)
  })
  const deposit = (unitId: string, amountFen: number, receiptNo: string, who = w.pmc) =>
    call(deps, 'recordFundDeposit', { communityId: w.b, unitId, amountFen, paidOn: '2026-11-20', channel: 'bank', receiptNo }, who)

  test('a deposit in an old community gets the district match beside it, held in the special account', async () => {
    const r = await ok(deps, 'recordFundDeposit', { communityId: w.b, unitId: w.u.b1_101, amountFen: 100_000, paidOn: '2026-11-20', channel: 'bank', receiptNo: 'WQ-0001' }, w.pmc)
    expect(r.entry).toMatchObject({ kind: 'deposit', amountFen: 100_000, receiptNo: 'WQ-0001', channel: 'bank', on: '2026-11-20' })
    expect(r.match).toMatchObject({ kind: 'match', amountFen: 100_000, heldIn: MATCH_HELD_IN, on: '2026-11-20' })
    // 60.00 m² × 55.00 元 = 3,300.00 元 required.
    expect(r.account).toMatchObject({ requiredFen: 330_000, firstRequiredFen: 330_000, depositedFen: 100_000, matchedFen: 100_000, balanceFen: 200_000, outstandingFen: 230_000, needsTopUp: false })
  })

  test('more than is owed, a second use of a receipt, a future day and an unknown unit are refused', async () => {
    expect(await deposit(w.u.b1_101, 230_001, 'WQ-0002')).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('超出') } })
    expect(await deposit(w.u.b1_102, 1000, 'WQ-0001')).toMatchObject({ ok: false, error: { code: 'Conflict' } })
    expect(await call(deps, 'recordFundDeposit', { communityId: w.b, unitId: w.u.b1_102, amountFen: 1000, paidOn: '2099-01-01', channel: 'cash', receiptNo: 'X' }, w.pmc)).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    expect(await deposit(w.units.a[0], 1000, 'WQ-0003')).toMatchObject({ ok: false, error: { code: 'NotFound' } })
    expect(await deposit(w.u.b1_102, 1000, 'WQ-0004', w.owners.zhou)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
  })

  test('an .xlsx import is all or nothing, with row errors by line', async () => {
    const bad = await ok(deps, 'importFundDeposits', {
      communityId: w.b,
      fileName: 'deposits.xlsx',
      fileBase64: await depositSheet([
        ['1栋', '1单元', '102', '3300.00', '2026-11-21', '银行转账', 'WQ-0101'],
        ['1栋', '1单元', '999', '100', '2026-11-21', '现金', 'WQ-0102'],
        ['2栋', '1单元', '101', '6750.01', '2026-11-21', '微信', 'WQ-0103'],
      ]),
    }, w.pmc)
    expect(bad.recorded).toBe(false)
    expect(bad.errors.map((e: { line: number }) => e.line)).toEqual([3, 4])
    expect(bad.errors[0].message).toContain('找不到房屋')
    expect(bad.errors[1].message).toContain('超出')
    expect(await env.db.selectFrom('fund_entries').selectAll().where('receipt_no', '=', 'WQ-0101').execute()).toHaveLength(0)

    const good = await ok(deps, 'importFundDeposits', {
      communityId: w.b,
      fileName: 'deposits.xlsx',
      fileBase64: await depositSheet([
        ['1栋', '1单元', '102', '3300.00', '2026-11-21', '银行转账', 'WQ-0101'],
        ['2栋', '1单元', '101', '6750', '2026-11-21', '微信', 'WQ-0103'],
        ['2栋', '1单元', '102', '8250', '2026-11-21', '现金', 'WQ-0104'],
      ]),
    }, w.pmc)
    expect(good).toMatchObject({ recorded: true, errors: [] })
    expect(good.rows.map((r: { amountFen: number }) => r.amountFen)).toEqual([330_000, 675_000, 825_000])
    const matches = await env.db.selectFrom('fund_entries').select(['amount_fen']).where('community_id', '=', w.b).where('kind', '=', 'match').execute()
    expect(matches.map((m) => Number(m.amount_fen)).sort((a, b) => a - b)).toEqual([100_000, 330_000, 675_000, 825_000])
  })

  test('owners see their own accounts only; tenants see no accounts', async () => {
    const mine = await ok(deps, 'myFund', { communityId: w.b }, w.owners.zhou)
    expect(mine.accounts).toHaveLength(1)
    expect(mine.accounts[0]).toMatchObject({ unitLabel: '1栋1单元102室', depositedFen: 330_000, matchedFen: 330_000, balanceFen: 660_000, outstandingFen: 0 })
    expect(mine.accounts[0].entries.map((e: { kind: string }) => e.kind)).toEqual(['deposit', 'match'])
    expect(await call(deps, 'fundAccount', { communityId: w.b, unitId: w.u.b1_101 }, w.owners.zhou)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    expect(await call(deps, 'myFund', { communityId: w.b }, w.tenant)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    expect(await call(deps, 'fundLedger', { communityId: w.b }, w.tenant)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    expect(await call(deps, 'myFund', { communityId: w.b }, w.owners.sun)).toMatchObject({ ok: true })
    // The 小区 ledger an owner reads names no one's room.
    const ledger = await ok(deps, 'fundLedger', { communityId: w.b }, w.owners.sun)
    expect(ledger.recent.every((e: { unitLabel: string | null }) => e.unitLabel === null)).toBe(true)
    expect(ledger.totals).toMatchObject({ depositedFen: 1_930_000, matchedFen: 1_930_000, remainingFen: 3_860_000 })
  })

  test('the top-up flag: at exactly 30% of the first deposit no flag, one fen below flagged, and the owner sees it', async () => {
    // 2栋: 101 is 90 m² (first 675,000, 30% = 202,500), 102 is 110 m² (first 825,000, 30% = 247,500),
    // each paid in full with the match: balances 1,350,000 and 1,650,000.
    const vote = await decidedVote(deps, w, 5, [w.buildings.b2], [w.owners.wang, w.owners.chen])
    const spentOn = '2026-11-26'
    const r = await ok(deps, 'recordFundExpense', { communityId: w.b, purpose: '2栋电梯维修', contractor: '赣州电梯公司', amountFen: 2_550_000, spentOn, buildingIds: [w.buildings.b2], voteId: vote }, w.pmc)
    expect(r.shares.map((s: { amountFen: number }) => s.amountFen)).toEqual([1_147_500, 1_402_500])
    const at = await ok(deps, 'myFund', { communityId: w.b }, w.owners.wang)
    expect(at.accounts[0]).toMatchObject({ balanceFen: 202_500, firstRequiredFen: 675_000, needsTopUp: false })
    expect((await ok(deps, 'myFund', { communityId: w.b }, w.owners.chen)).accounts[0]).toMatchObject({ balanceFen: 247_500, needsTopUp: false })
    // Two fen more, split by area: one fen each.
    await ok(deps, 'recordFundExpense', { communityId: w.b, purpose: '2栋电梯年检', contractor: '赣州电梯公司', amountFen: 2, spentOn, buildingIds: [w.buildings.b2], voteId: vote }, w.pmc)
    expect((await ok(deps, 'myFund', { communityId: w.b }, w.owners.wang)).accounts[0]).toMatchObject({ balanceFen: 202_499, needsTopUp: true })
    expect((await ok(deps, 'myFund', { communityId: w.b }, w.owners.chen)).accounts[0]).toMatchObject({ balanceFen: 247_499, needsTopUp: true })
    // 1栋 was not touched.
    expect((await ok(deps, 'myFund', { communityId: w.b }, w.owners.zhou)).accounts[0]).toMatchObject({ balanceFen: 660_000, spentFen: 0, needsTopUp: false })
  }, 60_000)
})
