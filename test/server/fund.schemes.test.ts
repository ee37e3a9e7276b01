import { DIALECTS, useTestDb } from '../helpers/db'
import { decidedVote, makeFundWorld, type FundWorld } from '../helpers/fund-world'
import { call, ok } from '../helpers/world'

/** Contribution schemes: the old-community caps at their exact bound, and raising only by a passed item-6 vote. */
describe.each(DIALECTS)('repair-fund schemes on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: FundWorld
  beforeAll(async () => {
    w = await makeFundWorld(env.db, deps)
  })
  const set = (buildingIds: string[], rateFen: number, extra: object = {}, who = w.pmc) => call(deps, 'setFundScheme', { communityId: w.b, buildingIds, rateFen, ...extra }, who)

  test('an old building without an elevator: 5,500 fen/m² is the cap, one fen more is refused with the reason and the policy clause', async () => {
    const over = await set([w.buildings.b1], 5501)
    expect(over).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    if (!over.ok) {
      expect(over.error.message).toContain('老旧小区')
      expect(over.error.message).toContain('无电梯')
      expect(over.error.message).toContain('55.00 元/㎡')
      expect(over.error.message).toContain('三.(三).2')
    }
    const at = await ok(deps, 'setFundScheme', { communityId: w.b, buildingIds: [w.buildings.b1], rateFen: 5500 }, w.pmc)
    expect(at.buildings.find((b: { id: string }) => b.id === w.buildings.b1).schemes).toMatchObject([{ kind: 'initial', rateFen: 5500, voteId: null }])
  })

  test('an old building with an elevator: 7,500 accepted, 7,501 refused', async () => {
    const over = await set([w.buildings.b2], 7501)
    expect(over).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('75.00 元/㎡') } })
    expect(await env.db.selectFrom('fund_schemes').selectAll().where('building_id', '=', w.buildings.b2).execute()).toHaveLength(0)
    const at = await ok(deps, 'setFundScheme', { communityId: w.b, buildingIds: [w.buildings.b2], rateFen: 7500 }, w.pmc)
    expect(at.buildings.find((b: { id: string }) => b.id === w.buildings.b2)).toMatchObject({ hasElevator: true, capFen: 7500, schemes: [{ rateFen: 7500 }] })
  })

  test('a new community has no cap', async () => {
    const r = await ok(deps, 'setFundScheme', { communityId: w.a, buildingIds: [w.buildings.a1], rateFen: 9000 }, w.chairA)
    expect(r).toMatchObject({ isOld: false, buildings: [{ capFen: null, schemes: [{ rateFen: 9000 }] }] })
  })

  test('owners, tenants and other 小区 committees cannot set a scheme', async () => {
    expect(await set([w.buildings.b1], 100, {}, w.owners.sun)).toMatchObject({ error: { code: 'Forbidden' } })
    expect(await set([w.buildings.b1], 100, {}, w.tenant)).toMatchObject({ error: { code: 'Forbidden' } })
    expect(await set([w.buildings.b1], 100, {}, w.chairA)).toMatchObject({ error: { code: 'Forbidden' } })
  })

  test('raising a building that has a scheme needs a passed item-6 vote covering it; the call is capped too', async () => {
    expect(await set([w.buildings.b1], 1000)).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('第 6 项') } })
    // An item-5 vote is not a decision to raise.
    const five = await decidedVote(deps, w, 5, [w.buildings.b1], [w.owners.sun, w.owners.zhou, w.owners.wu, w.owners.zheng])
    expect(await set([w.buildings.b1], 1000, { voteId: five })).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    // A vote that failed does not count.
    const failed = await decidedVote(deps, w, 6, [w.buildings.b1], [w.owners.sun, w.owners.zhou, w.owners.wu, w.owners.zheng], 'oppose')
    expect(await set([w.buildings.b1], 1000, { voteId: failed })).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    // A passed item-6 vote of 2栋 does not cover 1栋.
    const other = await decidedVote(deps, w, 6, [w.buildings.b2], [w.owners.wang, w.owners.chen])
    expect(await set([w.buildings.b1], 1000, { voteId: other })).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('覆盖') } })
    const six = await decidedVote(deps, w, 6, [w.buildings.b1], [w.owners.sun, w.owners.zhou, w.owners.wu, w.owners.zheng])
    expect(await set([w.buildings.b1], 5501, { voteId: six })).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    const r = await ok(deps, 'setFundScheme', { communityId: w.b, buildingIds: [w.buildings.b1], rateFen: 1000, voteId: six }, w.pmc)
    const b1 = r.buildings.find((b: { id: string }) => b.id === w.buildings.b1)
    expect(b1.schemes).toMatchObject([{ kind: 'initial', rateFen: 5500 }, { kind: 'additional', rateFen: 1000, voteId: six, voteTitle: '续筹维修资金' }])
    expect(r.decisions.map((d: { voteId: string; item: number }) => [d.voteId, d.item])).toEqual(expect.arrayContaining([[six, 6], [other, 6], [five, 5]]))
    expect(r.decisions.map((d: { voteId: string }) => d.voteId)).not.toContain(failed)
    // 孙丽's 60.00 m² now owes 5,500 × 60 + 1,000 × 60 fen.
    const mine = await ok(deps, 'myFund', { communityId: w.b }, w.owners.sun)
    expect(mine.accounts[0]).toMatchObject({ requiredFen: 390_000, firstRequiredFen: 330_000, outstandingFen: 390_000 })
  }, 60_000)
})
