import { verifyAuditAll } from '../../server/audit/verifiers'
import { DIALECTS, useTestDb } from '../helpers/db'
import { makeFundWorld, type FundWorld } from '../helpers/fund-world'
import { call, ok } from '../helpers/world'

/** Writes racing on one 小区's ledger: each check holds against the others (PostgreSQL runs them at once). */
describe.each(DIALECTS)('repair-fund writes racing on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: FundWorld
  beforeAll(async () => {
    w = await makeFundWorld(env.db, deps)
  })

  test('two first schemes for one building: one is set, the other is told the building has one', async () => {
    const rs = await Promise.all([5000, 5500].map((rateFen) => call(deps, 'setFundScheme', { communityId: w.b, buildingIds: [w.buildings.b1], rateFen }, w.pmc)))
    expect(rs.filter((r) => r.ok)).toHaveLength(1)
    expect(rs.find((r) => !r.ok)).toMatchObject({ error: { code: 'BadInput', message: expect.stringContaining('已有交存标准') } })
    expect(await env.db.selectFrom('fund_schemes').selectAll().where('building_id', '=', w.buildings.b1).execute()).toHaveLength(1)
  })

  test('eight deposits of the whole amount owed at once: exactly one is recorded, with one match', async () => {
    const required = (await ok(deps, 'fundAccount', { communityId: w.b, unitId: w.u.b1_101 }, w.pmc)).requiredFen
    const rs = await Promise.all(Array.from({ length: 8 }, (_, i) =>
      call(deps, 'recordFundDeposit', { communityId: w.b, unitId: w.u.b1_101, amountFen: required, paidOn: '2026-11-20', channel: 'bank', receiptNo: `RACE-${i}` }, w.pmc)))
    expect(rs.filter((r) => r.ok)).toHaveLength(1)
    for (const r of rs.filter((x) => !x.ok)) expect(r).toMatchObject({ error: { code: 'BadInput', message: expect.stringContaining('超出') } })
    const a = await ok(deps, 'fundAccount', { communityId: w.b, unitId: w.u.b1_101 }, w.pmc)
    expect(a).toMatchObject({ depositedFen: required, matchedFen: required, outstandingFen: 0 })
  })

  test('six reversals of one deposit at once: one reverses it (with its match), the others are refused', async () => {
    const deposit = await env.db.selectFrom('fund_entries').select('id').where('community_id', '=', w.b).where('kind', '=', 'deposit').executeTakeFirstOrThrow()
    const rs = await Promise.all(Array.from({ length: 6 }, () => call(deps, 'reverseFundEntry', { communityId: w.b, entryId: deposit.id, reason: '录错' }, w.pmc)))
    expect(rs.filter((r) => r.ok)).toHaveLength(1)
    for (const r of rs.filter((x) => !x.ok)) expect(r).toMatchObject({ error: { code: 'Conflict' } })
    expect(await env.db.selectFrom('fund_entries').select('id').where('reverses_id', 'is not', null).execute()).toHaveLength(2)
    expect((await verifyAuditAll(env.db, [w.b]))[0]).toMatchObject({ ok: true })
  })
})
