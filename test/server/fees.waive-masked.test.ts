import { DIALECTS, useTestDb } from '../helpers/db'
import { call, ok } from '../helpers/world'
import { makeFeeWorld, SCHEDULE_A, type FeeWorld } from '../helpers/fees-world'

/**
 * Waiving with a reason is the committee's act, also in a 小区 with a company, where the committee
 * sees arrears as masked rooms only (issue 10): the arrears list gives it each open bill's
 * reference by period, with no name and no amount, and the waiver answers the masked room. The
 * committee does not read the bill itself there (amounts are the fee staff's).
 */
const NAMES = ['王伟', '李娜', '张强', '赵敏', '钱程']

describe.each(DIALECTS)('the committee waives from the masked arrears list on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: FeeWorld
  let amounts: number[]
  beforeAll(async () => {
    w = await makeFeeWorld(env.db, deps)
    await ok(deps, 'saveFeeSchedule', SCHEDULE_A(w), w.staff)
    await ok(deps, 'generateBills', { communityId: w.a, period: '2026-Q1' }, w.staff)
    await ok(deps, 'generateBills', { communityId: w.a, period: '2026-Q2' }, w.staff)
    amounts = (await env.db.selectFrom('fee_bills').select('amount_fen').execute()).map((b) => b.amount_fen)
  })

  test('the committee’s list: masked rooms, each open bill’s reference by period, no name, no amount, no unit id', async () => {
    const list = await ok(deps, 'arrearsList', { communityId: w.a }, w.chair)
    expect(list.masked).toBe(true)
    const u = list.units.find((x: any) => x.unitLabel === '1栋1单元**1室' && x.billCount === 2)!
    expect(u).toMatchObject({ unitId: null, owedFen: null, lastReminder: null })
    expect(u.openBills.map((b: any) => b.periodLabel)).toEqual(['2026年第1季度', '2026年第2季度'])
    expect(Object.keys(u.openBills[0]).sort()).toEqual(['dueOn', 'periodLabel', 'ref'])
    const text = JSON.stringify(list)
    for (const name of NAMES) expect(text).not.toContain(name)
    for (const a of amounts) expect(text).not.toMatch(new RegExp(`\\b${a}\\b`))
    // The fee staff see it in full but do not decide: no references for them.
    const staff = await ok(deps, 'arrearsList', { communityId: w.a }, w.staff)
    expect(staff.masked).toBe(false)
    expect(staff.units.every((x: any) => x.openBills.length === 0)).toBe(true)
  })

  test('the reference waives the bill with the reason; the answer is the masked room and period, with nothing owed and no other amount', async () => {
    const list = await ok(deps, 'arrearsList', { communityId: w.a }, w.member)
    const unit = list.units.find((x: any) => x.openBills.length === 2)!
    const ref = unit.openBills[0].ref
    // The bill itself is not the committee's to read here, nor the unit's statement.
    expect(await call(deps, 'getBill', { communityId: w.a, billId: ref }, w.member)).toMatchObject({ ok: false, error: { code: 'NotFound' } })
    expect(await call(deps, 'waiveBill', { communityId: w.a, billId: ref, reason: '困难户' }, w.staff)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    expect(await call(deps, 'waiveBill', { communityId: w.a, billId: ref, reason: '  ' }, w.member)).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    const done = await ok(deps, 'waiveBill', { communityId: w.a, billId: ref, reason: '业委会决定：困难户减免' }, w.member)
    expect(done).toEqual({ billId: ref, status: 'waived', statusLabel: '已减免', owedFen: 0, unitLabel: unit.unitLabel, periodLabel: '2026年第1季度' })
    const row = await env.db.selectFrom('fee_bills').selectAll().where('id', '=', ref).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ status: 'waived', closed_reason: '业委会决定：困难户减免', closed_by: w.member })
    expect(await call(deps, 'waiveBill', { communityId: w.a, billId: ref, reason: '再次' }, w.member)).toMatchObject({ ok: false, error: { code: 'Conflict' } })
    const after = (await ok(deps, 'arrearsList', { communityId: w.a }, w.member)).units.find((x: any) => x.unitLabel === unit.unitLabel && x.openBills.some((b: any) => b.ref === unit.openBills[1].ref))!
    expect(after.openBills.map((b: any) => b.ref)).toEqual([unit.openBills[1].ref])
    // The owner sees the waiver and its reason on the bill.
    const owners = await env.db.selectFrom('ownerships as o').innerJoin('persons as p', 'p.id', 'o.person_id').select('p.user_id').where('o.unit_id', '=', row.unit_id).execute()
    const owner = owners.find((o) => o.user_id)!.user_id!
    expect(await ok(deps, 'getBill', { communityId: w.a, billId: ref }, owner)).toMatchObject({ status: 'waived', closedReason: '业委会决定：困难户减免' })
  })

  test('a reference of another 小区 is not found', async () => {
    const ref = (await ok(deps, 'arrearsList', { communityId: w.a }, w.chair)).units[0].openBills[0].ref
    expect(await call(deps, 'waiveBill', { communityId: w.b, billId: ref, reason: '困难户' }, w.pmcB)).toMatchObject({ ok: false, error: { code: 'NotFound' } })
  })

  test('where there is no company the 物管会 bills and decides: full rooms and the references both', async () => {
    await ok(deps, 'saveFeeSchedule', { communityId: w.b, effectiveFrom: '2026-01', items: [{ name: '物业服务费', kind: 'area', rateFen: 50 }] }, w.pmcB)
    await ok(deps, 'generateBills', { communityId: w.b, period: '2026-03' }, w.pmcB)
    const list = await ok(deps, 'arrearsList', { communityId: w.b }, w.pmcB)
    expect(list.masked).toBe(false)
    const u = list.units.find((x: any) => x.unitId === w.u.wq101)!
    expect(u.openBills).toHaveLength(1)
    expect(await ok(deps, 'waiveBill', { communityId: w.b, billId: u.openBills[0].ref, reason: '物管会决定' }, w.pmcB)).toMatchObject({ unitLabel: '1栋1单元101室', status: 'waived' })
  })
})
