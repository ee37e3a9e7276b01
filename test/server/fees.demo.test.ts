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
})
