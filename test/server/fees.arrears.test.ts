import fc from 'fast-check'
import { formatFen, formatYuan } from '../../src/contracts/money'
import { systemCtx } from '../../server/context'
import { checkedArrearsPosting, maskRoom } from '../../server/fees/arrears.service'
import { DIALECTS, useTestDb } from '../helpers/db'
import { call, ok } from '../helpers/world'
import { makeFeeWorld, SCHEDULE_A, type FeeWorld } from '../helpers/fees-world'

const NAMES = ['王伟', '李娜', '张强', '赵敏', '钱程']
const PHONES = ['13912345678', '13900000002', '139-0000-0003', '139 0000 0004']
const MOBILE = /1[3-9]\d(?:[\s-]?\d){8}/
const AMOUNT = /\d\.\d|[¥￥]|\d\s*元/

describe.each(DIALECTS)('arrears on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: FeeWorld
  let amounts: number[]
  beforeAll(async () => {
    w = await makeFeeWorld(env.db, deps)
    deps.setNow(new Date('2026-04-01T02:00:00.000Z'))
    await ok(deps, 'saveFeeSchedule', SCHEDULE_A(w), w.staff)
    await ok(deps, 'generateBills', { communityId: w.a, period: '2026-Q1' }, w.staff)
    amounts = (await env.db.selectFrom('fee_bills').select('amount_fen').execute()).map((b) => b.amount_fen)
  })
  const reminder = (unitId: string, extra: object, who = w.staff) => call(deps, 'recordReminder', { communityId: w.a, unitId, note: '已送达', ...extra }, who)
  const post = (extra: object = {}, who = w.chair) => call(deps, 'publishArrearsPosting', { communityId: w.a, endsOn: '2026-05-31', ...extra }, who)

  test('staff record each 催缴 against the unit; a written one needs a deadline; owners see the written notice', async () => {
    expect(await reminder(w.u.a101, { kind: 'call' }, w.owners.wang)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    expect(await reminder(w.u.a101, { kind: 'written' })).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    expect(await reminder(w.u.a101, { kind: 'written', deadlineOn: '2026-03-31' })).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    expect(await reminder(w.u.a101, { kind: 'visit' })).toMatchObject({ ok: true, data: { kindLabel: '上门催缴', deadlineOn: null } })
    expect(await reminder(w.u.a101, { kind: 'call' })).toMatchObject({ ok: true })
    expect(await reminder(w.u.a101, { kind: 'written', deadlineOn: '2026-04-15', note: '请于 4 月 15 日前缴清' })).toMatchObject({ ok: true })
    expect(await reminder(w.u.b101, { kind: 'written', deadlineOn: '2026-04-20' })).toMatchObject({ ok: true })
    const mine = await ok(deps, 'myBills', { communityId: w.a }, w.owners.wang)
    expect(mine.units[0].writtenNotices).toEqual([expect.objectContaining({ kind: 'written', deadlineOn: '2026-04-15', note: '请于 4 月 15 日前缴清' })])
    expect(mine.units[1].writtenNotices).toEqual([])
    const bill = mine.units[0].unpaid[0]
    expect((await ok(deps, 'getBill', { communityId: w.a, billId: bill.id }, w.owners.wang)).writtenNotices[0].deadlineOn).toBe('2026-04-15')
  })

  test('an 欠费公示 before the written notice’s deadline is refused; after it, it lists masked rooms only', async () => {
    expect(await post()).toMatchObject({ ok: false, error: { code: 'Conflict' } })
    deps.setNow(new Date('2026-04-16T02:00:00.000Z'))
    expect(await post({}, w.staff)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    // 2栋101's deadline has not passed yet: naming it is refused.
    expect(await post({ unitIds: [w.u.b101] })).toMatchObject({ ok: false, error: { code: 'Conflict', message: expect.stringContaining('2栋1单元**1室') } })
    expect(await post({ endsOn: '2026-04-16' })).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    // Extra fields carrying a name, a phone and an amount are dropped by the contract.
    const res = await ok(deps, 'publishArrearsPosting', { communityId: w.a, endsOn: '2026-05-31', title: '王伟 13912345678', body: `欠 ${formatFen(amounts[0])}` }, w.chair)
    expect(res.roomCount).toBe(1)
    const n = await env.db.selectFrom('notices').selectAll().where('id', '=', res.noticeId).executeTakeFirstOrThrow()
    expect(n).toMatchObject({ kind: '欠费公示', community_id: w.a, publisher_name: '滨江花园业主委员会' })
    expect(n.expires_at).toBe('2026-05-31T15:59:00.000Z')
    expect(n.body).toContain('1栋1单元**1室')
    const text = `${n.title}\n${n.body}`
    for (const name of NAMES) expect(text).not.toContain(name)
    expect(text).not.toMatch(MOBILE)
    expect(text).not.toMatch(AMOUNT)
    for (const a of amounts) expect(text).not.toContain(formatYuan(a).replace(' 元', ''))
    // Inside the 小区 only.
    expect(await call(deps, 'getNotice', { communityId: w.a, noticeId: res.noticeId }, w.owners.sun)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    expect(await call(deps, 'getNotice', { communityId: w.a, noticeId: res.noticeId }, w.tenant)).toMatchObject({ ok: true })
  })

  test('a unit that has paid is no longer postable', async () => {
    deps.setNow(new Date('2026-04-21T02:00:00.000Z'))
    const bill = (await ok(deps, 'myBills', { communityId: w.a }, w.owners.zhao)).units[0].unpaid[0]
    await ok(deps, 'recordPayment', { communityId: w.a, billId: bill.id, amountFen: bill.owedFen, method: 'cash', idempotencyKey: 'arrears-pay-1' }, w.staff)
    expect(await post({ unitIds: [w.u.b101] })).toMatchObject({ ok: false, error: { code: 'Conflict' } })
  })

  test('whatever the rooms’ wording, a posting never carries a name, a phone or an amount', async () => {
    const ctx = systemCtx(deps)
    const leak = fc.oneof(fc.constantFrom(...NAMES), fc.constantFrom(...PHONES), fc.integer({ min: 1, max: 1e9 }).map(formatFen), fc.integer({ min: 1, max: 1e9 }).map(formatYuan), fc.constantFrom('1栋', '2单元', '', 'A座'))
    const part = fc.array(fc.oneof(leak, fc.string({ maxLength: 4 })), { maxLength: 3 }).map((xs) => xs.join(''))
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(part, part, part), { minLength: 1, maxLength: 4 }), async (rooms) => {
        const masked = rooms.map(([b, s, r]) => maskRoom(b, s, r))
        let text: string
        try {
          const t = await checkedArrearsPosting(ctx, w.a, masked, '2026-05-31')
          text = `${t.title}\n${t.body}`
        } catch (err: any) {
          expect(err.code).toBe('BadInput')
          return
        }
        for (const name of NAMES) expect(text).not.toContain(name)
        expect(text).not.toMatch(MOBILE)
        expect(text).not.toMatch(AMOUNT)
      }),
      { numRuns: dialect === 'sqlite' ? 300 : 60 },
    )
  })
})
