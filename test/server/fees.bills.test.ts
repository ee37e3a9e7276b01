import { splitByWeight } from '../../src/contracts/money'
import { DIALECTS, expectConstraintRefusal, useTestDb } from '../helpers/db'
import { call, ok } from '../helpers/world'
import { actorCtx } from '../../server/context'
import { myBills } from '../../server/fees/bill.queries'
import { makeFeeWorld, SCHEDULE_A, type FeeWorld } from '../helpers/fees-world'

describe.each(DIALECTS)('fee schedule and bills on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: FeeWorld
  beforeAll(async () => {
    w = await makeFeeWorld(env.db, deps)
  })
  const billsOf = (period: string) => env.db.selectFrom('fee_bills').selectAll().where('community_id', '=', w.a).where('period', '=', period).execute()

  test('only the company’s staff set the schedule where there is a company; saving it publishes the 公示', async () => {
    for (const who of [w.chair, w.owners.wang, w.tenant]) {
      expect(await call(deps, 'saveFeeSchedule', SCHEDULE_A(w), who)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    }
    const s = await ok(deps, 'saveFeeSchedule', SCHEDULE_A(w), w.staff)
    expect(s).toMatchObject({ version: 1, effectiveFrom: '2026-01' })
    expect(s.items.map((i: any) => i.rateText)).toEqual(['1.80 元/㎡/月', '0.30 元/㎡/月', '20.00 元/户/月', '每月 300.00 元，按登记面积分摊'])
    expect(s.items[1].scopeText).toBe('1栋')
    const notice = await env.db.selectFrom('notices').selectAll().where('id', '=', s.noticeId).executeTakeFirstOrThrow()
    expect(notice).toMatchObject({ kind: '公示', publisher_name: '安居物业', community_id: w.a })
    expect(notice.body).toContain('12358')
    expect(notice.body).toContain('物业服务费（按面积）：1.80 元/㎡/月，适用于全部楼栋')
    expect(notice.body).toContain('开发建设单位')
    const feed = await ok(deps, 'listNotices', { communityId: w.a }, w.owners.wang)
    expect(JSON.stringify(feed)).toContain('物业收费标准公示')
  })

  test('a quarter makes one bill per unit: rate × area × months per line, shared utilities split by area, unsold billed to the developer', async () => {
    const res = await ok(deps, 'generateBills', { communityId: w.a, period: '2026-Q1' }, w.staff)
    expect(res).toEqual({ period: '2026-Q1', created: 6, total: 6 })
    const bills = await billsOf('2026-Q1')
    expect(bills).toHaveLength(6)
    const lines = await env.db.selectFrom('fee_bill_lines').selectAll().where('bill_id', 'in', bills.map((b) => b.id)).execute()
    for (const b of bills) expect(lines.filter((l) => l.bill_id === b.id).reduce((s, l) => s + l.amount_fen, 0)).toBe(b.amount_fen)
    const shared = lines.filter((l) => l.item_name === '公摊水电')
    expect(shared.reduce((s, l) => s + l.amount_fen, 0)).toBe(90000)
    const areas = [8956, 11820, 8956, 8956, 7000, 7035]
    const b101 = bills.find((b) => b.unit_id === w.u.a101)!
    // 物业 483.624 → 483.62; 电梯 80.604 → 80.60; 垃圾 60.00; 公摊 by area
    expect(b101.amount_fen).toBe(48362 + 8060 + 6000 + splitByWeight(90000, areas)[0])
    expect(bills.find((b) => b.unit_id === w.u.a201)!.payer).toBe('developer')
    expect(bills.find((b) => b.unit_id === w.u.b101)!.payer).toBe('owner')
    // 2栋 has no elevator line
    expect(lines.filter((l) => l.bill_id === bills.find((b) => b.unit_id === w.u.b101)!.id).map((l) => l.item_name)).toEqual(['物业服务费', '垃圾清运费', '公摊水电'])

    const detail = await ok(deps, 'getBill', { communityId: w.a, billId: b101.id }, w.owners.wang)
    expect(detail).toMatchObject({ payeeName: '安居物业', dueOn: '2026-01-31', priceComplaintPhone: '12358', status: 'issued', periodLabel: '2026年第1季度', unitLabel: '1栋1单元101室' })
    expect(detail.lines[0].basis).toBe('1.80 元/㎡/月 × 89.56 ㎡ × 3 个月 = 483.62 元（四舍五入到分）')
  })

  test('generating a period twice creates nothing, racing or not; overlapping periods are refused', async () => {
    const again = await ok(deps, 'generateBills', { communityId: w.a, period: '2026-Q1' }, w.staff)
    expect(again).toMatchObject({ created: 0, total: 6 })
    const racing = await Promise.all(Array.from({ length: 6 }, () => call(deps, 'generateBills', { communityId: w.a, period: '2026-Q2' }, w.staff)))
    expect(racing.every((r) => r.ok)).toBe(true)
    expect(racing.reduce((s, r: any) => s + r.data.created, 0)).toBe(6)
    expect(await billsOf('2026-Q2')).toHaveLength(6)
    expect(await call(deps, 'generateBills', { communityId: w.a, period: '2026-02' }, w.staff)).toMatchObject({ ok: false, error: { code: 'Conflict' } })
    expect(await call(deps, 'generateBills', { communityId: w.a, period: '2026' }, w.staff)).toMatchObject({ ok: false, error: { code: 'Conflict' } })
    expect(await call(deps, 'generateBills', { communityId: w.a, period: '2026-13' }, w.staff)).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    expect(await call(deps, 'generateBills', { communityId: w.a, period: '2025-12' }, w.staff)).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    // The database itself holds one bill per unit and period.
    const [row] = await billsOf('2026-Q1')
    await expectConstraintRefusal(env.db.insertInto('fee_bills').values({ ...row, id: 'another' }).execute())
  })

  test('owners see their own units’ bills, unpaid first with the total; co-owners each see theirs; a tenant sees nothing', async () => {
    const mine = await ok(deps, 'myBills', { communityId: w.a }, w.owners.wang)
    expect(mine.units.map((u: any) => u.unitLabel)).toEqual(['1栋1单元101室', '1栋1单元202室'])
    expect(mine.units[0].unpaid.map((b: any) => b.period)).toEqual(['2026-Q1', '2026-Q2'])
    expect(mine.totalOwedFen).toBe(mine.units.reduce((s: number, u: any) => s + u.unpaid.reduce((t: number, b: any) => t + b.owedFen, 0), 0))
    const li = await ok(deps, 'myBills', { communityId: w.a }, w.owners.li)
    const zhang = await ok(deps, 'myBills', { communityId: w.a }, w.owners.zhang)
    expect(li.units.map((u: any) => u.unitId)).toEqual([w.u.a102])
    expect(zhang).toEqual(li)
    const tenant = await ok(deps, 'myBills', { communityId: w.a }, w.tenant)
    expect(tenant).toMatchObject({ units: [], totalOwedFen: 0 })
    expect(tenant.note).toMatch(/业主/)
    // Another owner's bill does not exist for you; another 小区's owner is not even let in.
    const other = (await billsOf('2026-Q1')).find((b) => b.unit_id === w.u.b101)!
    expect(await call(deps, 'getBill', { communityId: w.a, billId: other.id }, w.owners.wang)).toMatchObject({ ok: false, error: { code: 'NotFound' } })
    expect(await call(deps, 'getBill', { communityId: w.a, billId: other.id }, w.tenant)).toMatchObject({ ok: false, error: { code: 'NotFound' } })
    expect(await call(deps, 'myBills', { communityId: w.a }, w.owners.sun)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
  })

  test('the 缴费 tab reads the units with their bills in one statement, then the 催缴 notices and the tenants: three in all', async () => {
    let statements = 0
    const db = env.db.withPlugin({ transformQuery: (a) => a.node, transformResult: async (a) => (statements++, a.result) })
    const direct = await myBills(actorCtx({ ...deps, db }, { userId: w.owners.wang, roles: ['owner'] }), w.a)
    expect(statements).toBe(3)
    expect(direct).toEqual(await ok(deps, 'myBills', { communityId: w.a }, w.owners.wang))
    expect(direct.units.length).toBeGreaterThan(1)
  })

  test('in a 小区 without a company its 物管会 bills; A’s staff cannot', async () => {
    const schedule = { communityId: w.b, effectiveFrom: '2026-01', items: [{ name: '物业服务费', kind: 'area', rateFen: 50 }] }
    expect(await call(deps, 'saveFeeSchedule', schedule, w.staff)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    await ok(deps, 'saveFeeSchedule', schedule, w.pmcB)
    expect(await ok(deps, 'generateBills', { communityId: w.b, period: '2026-03' }, w.pmcB)).toMatchObject({ created: 4 }) // the two of the roster and makeWorld's 201, 202
    const bill = (await ok(deps, 'myBills', { communityId: w.b }, w.owners.sun)).units[0].unpaid[0]
    expect(bill.amountFen).toBe(3000) // 0.50 × 60.00 × 1
    const detail = await ok(deps, 'getBill', { communityId: w.b, billId: bill.id }, w.owners.sun)
    expect(detail.payeeName).toBe('文清苑物业管理委员会')
  })

  test('a changed schedule is a new version with its own 公示; bills already made keep their amounts', async () => {
    const before = await billsOf('2026-Q2')
    const s2 = await ok(deps, 'saveFeeSchedule', { ...SCHEDULE_A(w), effectiveFrom: '2026-07', items: [{ name: '物业服务费', kind: 'area', rateFen: 200 }] }, w.staff)
    expect(s2.version).toBe(2)
    expect(await billsOf('2026-Q2')).toEqual(before)
    await ok(deps, 'generateBills', { communityId: w.a, period: '2026-07' }, w.staff)
    const july = await billsOf('2026-07')
    expect(july.find((b) => b.unit_id === w.u.a101)!.amount_fen).toBe(17912) // 2.00 × 89.56
    expect(await env.db.selectFrom('notices').select('id').where('kind', '=', '公示').where('community_id', '=', w.a).execute()).toHaveLength(2)
  })
})
