import fc from 'fast-check'
import { lateFeeAmount } from '../../src/contracts/money'
import { computeLateFee, lateFeeStart, overdueSpans } from '../../server/fees/late-fee'
import { DIALECTS, useTestDb } from '../helpers/db'
import { call, ok } from '../helpers/world'
import { makeFeeWorld, SCHEDULE_A, type FeeWorld } from '../helpers/fees-world'

/**
 * "No late fee unless the 小区's service contract enables one (then shown as a contract penalty
 * with its basis)" (issue 10): off by default; when the schedule carries the contract's terms, a
 * daily rate in 万分之 of the fee still owed from a start after the due date, in integer fen,
 * rounded half up once, never compounding.
 */
const TERMS = { ratePer10k: 3, clause: '《物业服务合同》第十二条：逾期缴纳的，每日按欠费金额的万分之三支付违约金', startAfterDays: 10 }
const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().slice(0, 10)
const exactHalfUp = (spans: { owedFen: number; days: number }[], rate: number) => {
  const n = spans.reduce((s, x) => s + BigInt(x.owedFen) * BigInt(x.days), 0n) * BigInt(rate)
  return Number((2n * n + 10000n) / 20000n)
}

describe('late fee: the computation', () => {
  const spans = fc.array(fc.record({ owedFen: fc.integer({ min: 0, max: 50_000_000 }), days: fc.integer({ min: 0, max: 3650 }) }), { maxLength: 8 })
  const rate = fc.integer({ min: 0, max: 50 })

  test('it is the exact Σ owed × days × rate / 10000, rounded half up once (within half a fen)', () => {
    fc.assert(
      fc.property(spans, rate, (ss, r) => {
        const fee = lateFeeAmount(ss, r)
        const exact10k = ss.reduce((s, x) => s + BigInt(x.owedFen) * BigInt(x.days), 0n) * BigInt(r)
        const diff = BigInt(fee) * 10000n - exact10k
        return fee === exactHalfUp(ss, r) && diff <= 5000n && diff > -5000n
      }),
      { numRuns: 2000 },
    )
  })

  test('it never compounds: two stretches of days cost what the whole does (within a fen), and never more than owed × days × rate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50_000_000 }), fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 1, max: 50 }), (owed, d1, d2, r) => {
        const whole = lateFeeAmount([{ owedFen: owed, days: d1 + d2 }], r)
        const parts = lateFeeAmount([{ owedFen: owed, days: d1 }], r) + lateFeeAmount([{ owedFen: owed, days: d2 }], r)
        // Compounding would grow faster than linear; simple interest stays within rounding of the sum.
        return Math.abs(whole - parts) <= 1 && BigInt(whole) * 10000n <= BigInt(owed) * BigInt(d1 + d2) * BigInt(r) + 5000n
      }),
      { numRuns: 2000 },
    )
  })

  test('with the option off nothing is ever charged, whatever the bill and the day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 2000 }), (amount, due, today) => {
        const bill = { amountFen: amount, dueOn: day(due), status: 'issued' as const }
        return computeLateFee(null, bill, [], day(today)) === null && computeLateFee({ ...TERMS, ratePer10k: 0 }, bill, [], day(today)) === null
      }),
    )
  })

  test('nothing before the start; payments only lower it; a waived or written-off bill carries none', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 10_000_000 }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 0, max: 600 }),
        fc.array(fc.record({ at: fc.integer({ min: 0, max: 600 }), part: fc.integer({ min: 1, max: 10 }) }), { maxLength: 4 }),
        (amount, due, today, pays) => {
          const bill = { amountFen: amount, dueOn: day(due), status: 'issued' as const }
          let left = amount
          const reductions = pays.map((p) => {
            const amountFen = Math.min(left, p.part * 10)
            left -= amountFen
            return { on: day(p.at), amountFen }
          })
          const none = computeLateFee(TERMS, bill, [], day(today))!
          const some = computeLateFee(TERMS, bill, reductions, day(today))!
          const start = lateFeeStart(day(due), TERMS.startAfterDays)
          if (day(today) < start && none.amountFen !== 0) return false
          return some.amountFen <= none.amountFen && computeLateFee(TERMS, { ...bill, status: 'waived' }, [], day(today)) === null && computeLateFee(TERMS, { ...bill, status: 'written_off' }, [], day(today)) === null
        },
      ),
      { numRuns: 1000 },
    )
  })

  test('spans: a payment lowers what is owed from its own day; the due day and the grace days are free', () => {
    expect(lateFeeStart('2026-01-31', 10)).toBe('2026-02-11')
    expect(lateFeeStart('2026-01-31', 0)).toBe('2026-02-01')
    expect(overdueSpans(3000, [{ on: '2026-02-21', amountFen: 1000 }], '2026-02-11', '2026-03-15')).toEqual([{ owedFen: 3000, days: 10 }, { owedFen: 2000, days: 23 }])
    expect(overdueSpans(3000, [], '2026-02-11', '2026-02-10')).toEqual([])
    expect(overdueSpans(3000, [{ on: '2026-02-01', amountFen: 3000 }], '2026-02-11', '2026-03-15')).toEqual([])
  })
})

describe.each(DIALECTS)('late fee in the schedule and on the bill on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: FeeWorld
  beforeAll(async () => {
    w = await makeFeeWorld(env.db, deps)
  })

  test('off by default: no late fee on any bill however late, and the 公示 says none is charged', async () => {
    deps.setNow(new Date('2026-01-05T02:00:00.000Z'))
    const s = await ok(deps, 'saveFeeSchedule', SCHEDULE_A(w), w.staff)
    expect(s.lateFee).toBeNull()
    expect((await env.db.selectFrom('notices').select('body').where('id', '=', s.noticeId).executeTakeFirstOrThrow()).body).toContain('未经服务合同约定，不收取滞纳金')
    await ok(deps, 'generateBills', { communityId: w.a, period: '2026-Q1' }, w.staff)
    deps.setNow(new Date('2028-06-01T02:00:00.000Z'))
    const bills = await env.db.selectFrom('fee_bills').select(['id', 'amount_fen']).where('community_id', '=', w.a).execute()
    for (const b of bills) expect((await ok(deps, 'getBill', { communityId: w.a, billId: b.id }, w.staff)).lateFee).toBeNull()
    const mine = await ok(deps, 'myBills', { communityId: w.a }, w.owners.wang)
    const wangBills = await env.db.selectFrom('fee_bills').select('amount_fen').where('unit_id', 'in', [w.u.a101, w.u.a202]).execute()
    expect(mine.totalOwedFen).toBe(wangBills.reduce((t, b) => t + b.amount_fen, 0))
  })

  test('the contract’s terms are checked: a rate of 万分之1 to 万分之50, a clause, a start of 0 to 365 days', async () => {
    const base = { communityId: w.b, effectiveFrom: '2026-01', items: [{ name: '物业服务费', kind: 'area', rateFen: 50 }] }
    for (const lateFee of [{ ...TERMS, ratePer10k: 0 }, { ...TERMS, ratePer10k: 51 }, { ...TERMS, ratePer10k: 2.5 }, { ...TERMS, clause: ' ' }, { ...TERMS, startAfterDays: -1 }]) {
      expect(await call(deps, 'saveFeeSchedule', { ...base, lateFee }, w.pmcB)).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    }
  })

  test('enabled by the contract: shown on the bill as 违约金（合同约定） with its basis and clause; a payment lowers it from its day; paid, it stops; waived, none', async () => {
    deps.setNow(new Date('2026-01-05T02:00:00.000Z'))
    const s = await ok(deps, 'saveFeeSchedule', { communityId: w.b, effectiveFrom: '2026-01', items: [{ name: '物业服务费', kind: 'area', rateFen: 50 }], lateFee: TERMS }, w.pmcB)
    expect(s.lateFee).toMatchObject({ ratePer10k: 3, startAfterDays: 10, text: '每日按未缴物业费的万分之3计收，缴费期限过后第 11 天起算；违约金不再计违约金' })
    expect((await env.db.selectFrom('notices').select('body').where('id', '=', s.noticeId).executeTakeFirstOrThrow()).body).toContain('《物业服务合同》第十二条')
    await ok(deps, 'generateBills', { communityId: w.b, period: '2026-01' }, w.pmcB)
    const bill = (await ok(deps, 'myBills', { communityId: w.b }, w.owners.sun)).units[0].unpaid[0]
    expect(bill).toMatchObject({ amountFen: 3000, dueOn: '2026-01-31' })
    const detail = () => ok(deps, 'getBill', { communityId: w.b, billId: bill.id }, w.owners.sun)

    deps.setNow(new Date('2026-02-10T02:00:00.000Z'))
    expect((await detail()).lateFee).toMatchObject({ label: '违约金（合同约定）', amountFen: 0, clause: TERMS.clause })

    deps.setNow(new Date('2026-03-15T02:00:00.000Z'))
    // 3000 × 33 days × 3 / 10000 = 29.7 → 30 fen
    expect((await detail()).lateFee).toMatchObject({ amountFen: 30, asOf: '2026-03-15', basis: '未缴 ¥30.00 × 33 天 × 每日万分之3 = ¥0.30（合计后四舍五入到分，不计复利）' })
    await ok(deps, 'recordPayment', { communityId: w.b, billId: bill.id, amountFen: 1000, method: 'cash', idempotencyKey: 'late-fee-part-1', paidOn: '2026-02-21' }, w.pmcB)
    // 3000 × 10 + 2000 × 23 = 76000 fen·days × 3 / 10000 = 22.8 → 23 fen; the bill's own amount is unchanged
    const partly = await detail()
    expect(partly.lateFee).toMatchObject({ amountFen: 23, basis: '未缴 ¥30.00 × 10 天 + 未缴 ¥20.00 × 23 天 × 每日万分之3 = ¥0.23（合计后四舍五入到分，不计复利）' })
    expect(partly).toMatchObject({ amountFen: 3000, owedFen: 2000 })
    await ok(deps, 'recordPayment', { communityId: w.b, billId: bill.id, amountFen: 2000, method: 'cash', idempotencyKey: 'late-fee-part-2', paidOn: '2026-03-01' }, w.pmcB)
    deps.setNow(new Date('2026-09-01T02:00:00.000Z'))
    // Paid on 03-01: 3000 × 10 + 2000 × 8 = 46000 × 3 / 10000 = 13.8 → 14 fen, and it no longer grows.
    expect((await detail()).lateFee).toMatchObject({ amountFen: 14, asOf: '2026-03-01' })

    await ok(deps, 'generateBills', { communityId: w.b, period: '2026-02' }, w.pmcB)
    const feb = (await ok(deps, 'myBills', { communityId: w.b }, w.owners.sun)).units[0].unpaid[0]
    expect((await ok(deps, 'getBill', { communityId: w.b, billId: feb.id }, w.owners.sun)).lateFee.amountFen).toBeGreaterThan(0)
    await ok(deps, 'waiveBill', { communityId: w.b, billId: feb.id, reason: '物管会决定减免' }, w.pmcB)
    expect((await ok(deps, 'getBill', { communityId: w.b, billId: feb.id }, w.owners.sun)).lateFee).toBeNull()
  })
})
