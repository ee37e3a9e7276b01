import { seedFeesDemo } from '../../server/fees/fee.demo'
import { DIALECTS, useTestDb } from '../helpers/db'
import { ok } from '../helpers/world'
import { makeFeeWorld } from '../helpers/fees-world'

describe.each(DIALECTS)('fee demo data on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)

  test('a year of quarterly bills with every state: paid, partly paid, unpaid, and a written notice past its deadline', async () => {
    const w = await makeFeeWorld(env.db, deps)
    const res = await seedFeesDemo(deps, { communityId: w.a, staffUserId: w.staff })
    expect(res.bills).toBe(24)
    expect(res.payments).toBeGreaterThan(0)
    const statuses = new Set((await env.db.selectFrom('fee_bills').select('status').where('community_id', '=', w.a).execute()).map((b) => b.status))
    expect([...statuses].sort()).toEqual(['issued', 'paid'].sort().concat(statuses.has('partly_paid') ? ['partly_paid'] : []).sort())
    const arrears = await ok(deps, 'arrearsList', { communityId: w.a }, w.staff)
    expect(arrears.units.some((u: any) => u.postable)).toBe(true)
    expect(await seedFeesDemo(deps, { communityId: w.a, staffUserId: w.staff })).toEqual({ bills: 0, payments: 0 })
  })

  test('the persona’s room owes the last two quarters with a written notice still running, as personas.ts promises 邓雨英', async () => {
    const w = await makeFeeWorld(env.db, deps)
    await seedFeesDemo(deps, { communityId: w.a, staffUserId: w.staff, remindedRoom: { building: '1栋', stair: '1单元', room: '101' } })
    const mine = await ok(deps, 'myBills', { communityId: w.a }, w.owners.wang)
    const unit = mine.units.find((u: any) => u.unitId === w.u.a101)!
    expect(unit.unpaid).toHaveLength(2)
    expect(unit.history).toHaveLength(2)
    expect(unit.writtenNotices).toHaveLength(1)
    expect(unit.writtenNotices[0].deadlineOn > new Date(deps.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10)).toBe(true)
  })
})
