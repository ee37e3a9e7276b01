import ExcelJS from 'exceljs'
import { DIALECTS, expectConstraintRefusal, useTestDb } from '../helpers/db'
import { call, ok } from '../helpers/world'
import { makeFeeWorld, SCHEDULE_A, type FeeWorld } from '../helpers/fees-world'

async function statement(rows: (string | number)[][]): Promise<string> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('流水')
  ws.addRow(['交易日期', '房号', '金额', '流水号'])
  for (const r of rows) ws.addRow(r)
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64')
}

describe.each(DIALECTS)('fee payments on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: FeeWorld
  const bills: Record<string, { id: string; amount: number }> = {}
  beforeAll(async () => {
    w = await makeFeeWorld(env.db, deps)
    await ok(deps, 'saveFeeSchedule', SCHEDULE_A(w), w.staff)
    await ok(deps, 'generateBills', { communityId: w.a, period: '2026-Q1' }, w.staff)
    await ok(deps, 'generateBills', { communityId: w.a, period: '2026-Q2' }, w.staff)
    for (const b of await env.db.selectFrom('fee_bills').selectAll().where('community_id', '=', w.a).execute()) {
      const name = Object.entries(w.u).find(([, id]) => id === b.unit_id)![0]
      bills[`${name}:${b.period}`] = { id: b.id, amount: b.amount_fen }
    }
  })
  const pay = (key: string, billKey: string, amountFen: number, who = w.staff, extra = {}) =>
    call(deps, 'recordPayment', { communityId: w.a, billId: bills[billKey].id, amountFen, method: 'cash', idempotencyKey: key, ...extra }, who)
  const paymentsOf = (billKey: string) => env.db.selectFrom('fee_payments').selectAll().where('bill_id', '=', bills[billKey].id).execute()

  test('a resident can never mark a bill paid, nor can the committee where there is a company', async () => {
    for (const who of [w.owners.wang, w.tenant, w.chair]) {
      expect(await pay(`k-resident-${who}`, 'a101:2026-Q1', 100, who)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    }
    expect(await paymentsOf('a101:2026-Q1')).toHaveLength(0)
  })

  test('partial payments, then the rest: receipt numbers, issued → partly paid → paid; never more than owed', async () => {
    const total = bills['a101:2026-Q1'].amount
    const first = await pay('key-a101-1', 'a101:2026-Q1', 10000)
    expect(first).toMatchObject({ ok: true, data: { status: 'partly_paid', paidFen: 10000, owedFen: total - 10000, duplicate: false } })
    expect((first as any).data.receiptNo).toMatch(/^SF2026-\d{6}$/)
    expect(await pay('key-a101-over', 'a101:2026-Q1', total)).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    const rest = await pay('key-a101-2', 'a101:2026-Q1', total - 10000, w.staff, { method: 'wechat', reference: '4200001234202601' })
    expect(rest).toMatchObject({ ok: true, data: { status: 'paid', owedFen: 0 } })
    expect((rest as any).data.receiptNo).not.toBe((first as any).data.receiptNo)
    expect(await pay('key-a101-3', 'a101:2026-Q1', 1)).toMatchObject({ ok: false, error: { code: 'Conflict' } })
    const mine = await ok(deps, 'myBills', { communityId: w.a }, w.owners.wang)
    expect(mine.units[0].history[0]).toMatchObject({ period: '2026-Q1', status: 'paid', statusLabel: '已缴清' })
    expect(mine.units[0].unpaid.map((b: any) => b.period)).toEqual(['2026-Q2'])
    const detail = await ok(deps, 'getBill', { communityId: w.a, billId: bills['a101:2026-Q1'].id }, w.owners.wang)
    expect(detail.payments.map((p: any) => p.methodLabel)).toEqual(['现金', '微信支付'])
  })

  test('a double tap records once: the same key answers the first payment; racing, the database refuses the second', async () => {
    const a = await pay('key-dup-1', 'a102:2026-Q1', 500)
    expect(a).toMatchObject({ ok: true })
    const b = await pay('key-dup-1', 'a102:2026-Q1', 500)
    expect(b).toMatchObject({ ok: true, data: { duplicate: true, receiptNo: (a as any).data.receiptNo, paidFen: 500 } })
    const racing = await Promise.all(Array.from({ length: 20 }, () => pay('key-race-1', 'a102:2026-Q1', 700)))
    expect(racing.every((r) => r.ok)).toBe(true)
    expect(new Set(racing.map((r: any) => r.data.receiptNo)).size).toBe(1)
    const rows = await paymentsOf('a102:2026-Q1')
    expect(rows.map((r) => r.amount_fen).sort()).toEqual([500, 700])
    const bill = await env.db.selectFrom('fee_bills').selectAll().where('id', '=', bills['a102:2026-Q1'].id).executeTakeFirstOrThrow()
    expect(bill.paid_fen).toBe(1200)
    // Another bill with a used key is refused, and the database holds the key unique whatever the code does.
    expect(await pay('key-dup-1', 'a202:2026-Q1', 100)).toMatchObject({ ok: false, error: { code: 'Conflict' } })
    await expectConstraintRefusal(env.db.insertInto('fee_payments').values({ ...rows[0], id: 'x', receipt_no: 'SF-other' }).execute())
  })

  test('payments on different bills at once all get their own receipt number', async () => {
    const keys = ['a202:2026-Q2', 'b101:2026-Q2', 'b102:2026-Q2', 'a201:2026-Q2']
    const res = await Promise.all(keys.map((k, i) => pay(`key-par-${i}`, k, 100)))
    expect(res.every((r) => r.ok)).toBe(true)
    expect(new Set(res.map((r: any) => r.data.receiptNo)).size).toBe(4)
  })

  test('a credit note corrects a mistake without editing the bill; the committee waives or writes off with a reason', async () => {
    const key = 'b101:2026-Q1'
    const credited = await ok(deps, 'addCreditNote', { communityId: w.a, billId: bills[key].id, amountFen: 1000, reason: '面积登记有误' }, w.staff)
    expect(credited).toMatchObject({ status: 'issued', owedFen: bills[key].amount - 1000 })
    const row = await env.db.selectFrom('fee_bills').selectAll().where('id', '=', bills[key].id).executeTakeFirstOrThrow()
    expect(row.amount_fen).toBe(bills[key].amount)
    expect(await call(deps, 'waiveBill', { communityId: w.a, billId: bills[key].id, reason: '困难户' }, w.staff)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    expect(await call(deps, 'waiveBill', { communityId: w.a, billId: bills[key].id, reason: ' ' }, w.chair)).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    expect(await ok(deps, 'waiveBill', { communityId: w.a, billId: bills[key].id, reason: '困难户，业委会决定减免' }, w.chair)).toMatchObject({ status: 'waived', owedFen: 0 })
    expect(await call(deps, 'writeOffBill', { communityId: w.a, billId: bills[key].id, reason: '再次' }, w.chair)).toMatchObject({ ok: false, error: { code: 'Conflict', message: expect.stringContaining('已减免') } })
    expect(await pay('key-after-waive', key, 100)).toMatchObject({ ok: false, error: { code: 'Conflict' } })
    expect(await ok(deps, 'writeOffBill', { communityId: w.a, billId: bills['b102:2026-Q1'].id, reason: '房屋已拍卖，无法追缴' }, w.member)).toMatchObject({ status: 'written_off' })
  })

  test('a bank statement is recorded all or nothing, matched by room and amount', async () => {
    const a202 = bills['a202:2026-Q1']
    const amountText = `${String(a202.amount).slice(0, -2)}.${String(a202.amount).slice(-2)}`
    const bad = await statement([['2026-03-02', '1栋1单元202室', amountText, 'B001'], ['2026-03-02', '9栋1单元101', '12.00', 'B002'], ['2026-03-03', '1栋1单元201', '1.00', 'B003']])
    const before = await env.db.selectFrom('fee_payments').select('id').execute()
    const refused = await ok(deps, 'importBankStatement', { communityId: w.a, fileName: '流水.xlsx', fileBase64: bad }, w.staff)
    expect(refused.recorded).toBe(false)
    expect(refused.unmatched.map((u: any) => u.row)).toEqual([3, 4])
    expect(await env.db.selectFrom('fee_payments').select('id').execute()).toHaveLength(before.length)
    const good = await statement([['2026-03-02', '1栋1单元202室', amountText, 'B001']])
    const done = await ok(deps, 'importBankStatement', { communityId: w.a, fileName: '流水.xlsx', fileBase64: good }, w.staff)
    expect(done).toMatchObject({ recorded: true, unmatched: [], matched: [{ row: 2, unitLabel: '1栋1单元202室', period: '2026-Q1', amountFen: a202.amount }] })
    expect(await paymentsOf('a202:2026-Q1')).toMatchObject([{ method: 'bank', reference: 'B001', paid_on: '2026-03-02' }])
    const again = await ok(deps, 'importBankStatement', { communityId: w.a, fileName: '流水.xlsx', fileBase64: good }, w.staff)
    expect(again).toMatchObject({ recorded: false, unmatched: [{ row: 2, reason: '这一行已经导入过' }] })
    expect(await paymentsOf('a202:2026-Q1')).toHaveLength(1)
  })

  test('a yearly statement sums the year for the owner', async () => {
    const s = await ok(deps, 'yearStatement', { communityId: w.a, unitId: w.u.a101, year: 2026 }, w.owners.wang)
    expect(s.bills.map((b: any) => b.period)).toEqual(['2026-Q1', '2026-Q2'])
    expect(s.paidFen).toBe(bills['a101:2026-Q1'].amount)
    expect(s.owedFen).toBe(bills['a101:2026-Q2'].amount)
    expect(s.payments).toHaveLength(2)
    expect(await call(deps, 'yearStatement', { communityId: w.a, unitId: w.u.a101, year: 2026 }, w.owners.zhao)).toMatchObject({ ok: false, error: { code: 'NotFound' } })
  })
})
