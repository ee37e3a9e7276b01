import { DIALECTS, useTestDb } from '../helpers/db'
import { call, makeUser, ok } from '../helpers/world'
import { makeFeeWorld, SCHEDULE_A, type FeeWorld } from '../helpers/fees-world'

/**
 * "A tenant sees nothing unless the owner shares the unit's bills with them" (issue 10): the owner
 * of 2栋101 (赵敏) shares or stops sharing its bills with the tenant of one tenancy; the tenant then
 * reads exactly that unit's bills, never another unit's, never the repair fund, and loses them at
 * once when sharing stops or the tenancy ends.
 */
describe.each(DIALECTS)('sharing a unit’s bills with its tenant on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: FeeWorld
  let tenancyId: string
  const billOf = async (unitId: string) => (await env.db.selectFrom('fee_bills').select('id').where('unit_id', '=', unitId).executeTakeFirstOrThrow()).id
  const share = (shared: boolean, who = w.owners.zhao, id = tenancyId) => call(deps, 'shareBillsWithTenant', { communityId: w.a, tenancyId: id, shared }, who)
  const tenantBills = () => ok(deps, 'myBills', { communityId: w.a }, w.tenant)
  const tenantBill = async (unitId: string) => call(deps, 'getBill', { communityId: w.a, billId: await billOf(unitId) }, w.tenant)

  beforeAll(async () => {
    w = await makeFeeWorld(env.db, deps)
    await ok(deps, 'saveFeeSchedule', SCHEDULE_A(w), w.staff)
    await ok(deps, 'generateBills', { communityId: w.a, period: '2026-Q1' }, w.staff)
    tenancyId = (await env.db.selectFrom('tenancies').select('id').where('tenant_user_id', '=', w.tenant).executeTakeFirstOrThrow()).id
  })

  test('not shared: the tenant sees nothing, and a bill’s id answers NotFound, not the bill', async () => {
    const mine = await tenantBills()
    expect(mine).toMatchObject({ units: [], totalOwedFen: 0 })
    expect(mine.note).toMatch(/业主还没有与您共享账单/)
    expect(await tenantBill(w.u.b101)).toMatchObject({ ok: false, error: { code: 'NotFound' } })
    expect(await tenantBill(w.u.a101)).toMatchObject({ ok: false, error: { code: 'NotFound' } })
    // The owner sees the tenancy, not yet shared.
    const owner = await ok(deps, 'myBills', { communityId: w.a }, w.owners.zhao)
    expect(owner.units[0].tenants).toEqual([{ tenancyId, tenantName: 'tenant', shared: false }])
  })

  test('only an owner of the unit shares; not another owner, not the tenant, not the staff', async () => {
    expect(await share(true, w.owners.wang)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    expect(await share(true, w.tenant)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    expect(await share(true, w.staff)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    expect(await share(true, w.owners.zhao, '00000000-0000-4000-8000-000000000000')).toMatchObject({ ok: false, error: { code: 'NotFound' } })
    expect((await tenantBills()).units).toEqual([])
  })

  test('shared: the tenant sees exactly that unit’s bills (list and detail), no 催缴 notice, no statement, never another unit', async () => {
    await ok(deps, 'recordReminder', { communityId: w.a, unitId: w.u.b101, kind: 'written', note: '书面催缴', deadlineOn: '2099-01-31' }, w.staff)
    expect(await share(true)).toMatchObject({ ok: true, data: { tenancyId, shared: true } })
    const mine = await tenantBills()
    expect(mine.units.map((u: any) => u.unitId)).toEqual([w.u.b101])
    expect(mine.units[0]).toMatchObject({ unitLabel: '2栋1单元101室', sharedWithMe: true, writtenNotices: [], tenants: [] })
    expect(mine.units[0].unpaid.map((b: any) => b.unitLabel)).toEqual(['2栋1单元101室'])
    const detail = await tenantBill(w.u.b101)
    expect(detail).toMatchObject({ ok: true, data: { unitLabel: '2栋1单元101室', writtenNotices: [], lateFee: null } })
    for (const other of [w.u.a101, w.u.a102, w.u.b102]) expect(await tenantBill(other)).toMatchObject({ ok: false, error: { code: 'NotFound' } })
    expect(await call(deps, 'yearStatement', { communityId: w.a, unitId: w.u.b101, year: 2026 }, w.tenant)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    for (const fund of ['myFund', 'fundLedger'] as const) expect(await call(deps, fund, { communityId: w.a }, w.tenant)).toMatchObject({ ok: false })
    expect(await call(deps, 'fundAccount', { communityId: w.a, unitId: w.u.b101 }, w.tenant)).toMatchObject({ ok: false })
    const owner = await ok(deps, 'myBills', { communityId: w.a }, w.owners.zhao)
    expect(owner.units[0].tenants).toEqual([{ tenancyId, tenantName: 'tenant', shared: true }])
    // Sharing twice is still one share.
    expect(await share(true)).toMatchObject({ ok: true })
    expect(await env.db.selectFrom('fee_bill_shares').selectAll().execute()).toHaveLength(1)
  })

  test('unshared: nothing again, at once', async () => {
    expect(await share(false)).toMatchObject({ ok: true, data: { shared: false } })
    expect((await tenantBills()).units).toEqual([])
    expect(await tenantBill(w.u.b101)).toMatchObject({ ok: false, error: { code: 'NotFound' } })
    expect(await share(false)).toMatchObject({ ok: true, data: { shared: false } })
  })

  test('the tenancy ending takes the shared bills away at once; an ended tenancy cannot be shared', async () => {
    await ok(deps, 'shareBillsWithTenant', { communityId: w.a, tenancyId, shared: true }, w.owners.zhao)
    expect((await tenantBills()).units).toHaveLength(1)
    await ok(deps, 'revokeTenancy', { communityId: w.a, tenancyId }, w.owners.zhao)
    // No longer a tenant here at all: the registry turns the tenant away; the bill is not theirs either way.
    expect(await call(deps, 'myBills', { communityId: w.a }, w.tenant)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    expect(await tenantBill(w.u.b101)).toMatchObject({ ok: false })
    expect(await share(true)).toMatchObject({ ok: false, error: { code: 'Conflict' } })
  })

  test('a tenant with two tenancies sees only the shared one’s unit; an invitation not yet accepted cannot be shared', async () => {
    const renter = await makeUser(env.db, 'renter')
    const inv1 = await ok(deps, 'inviteTenant', { communityId: w.a, unitId: w.u.b102 }, w.owners.qian)
    expect(await share(true, w.owners.qian, inv1.id)).toMatchObject({ ok: false, error: { code: 'Conflict' } })
    await ok(deps, 'acceptTenancy', { code: inv1.code }, renter)
    const inv2 = await ok(deps, 'inviteTenant', { communityId: w.a, unitId: w.u.a101 }, w.owners.wang)
    await ok(deps, 'acceptTenancy', { code: inv2.code }, renter)
    await ok(deps, 'shareBillsWithTenant', { communityId: w.a, tenancyId: inv1.id, shared: true }, w.owners.qian)
    const mine = await ok(deps, 'myBills', { communityId: w.a }, renter)
    expect(mine.units.map((u: any) => u.unitId)).toEqual([w.u.b102])
    expect(await call(deps, 'getBill', { communityId: w.a, billId: await billOf(w.u.a101) }, renter)).toMatchObject({ ok: false, error: { code: 'NotFound' } })
    // 王伟's other unit is never reached through a share of 2栋102.
    expect(await call(deps, 'getBill', { communityId: w.a, billId: await billOf(w.u.a202) }, renter)).toMatchObject({ ok: false, error: { code: 'NotFound' } })
    // Ending the shared tenancy while another keeps the renter a tenant here: the bills go at once.
    await ok(deps, 'revokeTenancy', { communityId: w.a, tenancyId: inv1.id }, w.owners.qian)
    expect((await ok(deps, 'myBills', { communityId: w.a }, renter)).units).toEqual([])
    expect(await call(deps, 'getBill', { communityId: w.a, billId: await billOf(w.u.b102) }, renter)).toMatchObject({ ok: false, error: { code: 'NotFound' } })
  })

  test('a tenant whose bills were shared can still delete their account; the share goes with the tenancy', async () => {
    const renter = await makeUser(env.db, 'leaver')
    const inv = await ok(deps, 'inviteTenant', { communityId: w.a, unitId: w.u.a102 }, w.owners.li)
    await ok(deps, 'acceptTenancy', { code: inv.code }, renter)
    await ok(deps, 'shareBillsWithTenant', { communityId: w.a, tenancyId: inv.id, shared: true }, w.owners.li)
    expect((await ok(deps, 'myBills', { communityId: w.a }, renter)).units.map((u: any) => u.unitId)).toEqual([w.u.a102])
    await ok(deps, 'deleteMyAccount', { confirm: '注销账号' }, renter)
    expect(await env.db.selectFrom('fee_bill_shares').selectAll().where('tenancy_id', '=', inv.id).execute()).toEqual([])
  })
})
