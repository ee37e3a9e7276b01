import { INVITE_VALID_DAYS } from '../../server/rosters/tenancy.service'
import { DIALECTS, useTestDb } from '../helpers/db'
import { bindOwner, call, makeUser, makeWorld, ok } from '../helpers/world'

const HEADER = '楼栋,单元,房号,建筑面积(㎡),是否电梯,业主姓名,联系电话,身份证后四位'
const ROSTER = Buffer.from(
  [HEADER, '1栋,1单元,101,89.56,是,王伟,13912345678,552X', '1栋,1单元,102,118.20,是,张强,13900000002,1234', '1栋,1单元,201,89.56,是,王伟,13912345678,552X'].join('\n'),
).toString('base64')
const T0 = new Date('2026-11-26T02:00:00.000Z')
const DAY = 24 * 3600 * 1000

describe.each(DIALECTS)('tenancy on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)

  /** 小区 A with two bound owners: 王伟 (101 and 201) and 张强 (102). */
  async function setup() {
    deps.setNow(T0)
    const w = await makeWorld(env.db)
    const chair = await makeUser(env.db, 'chair', 'committee_chair', { communityId: w.a })
    await ok(deps, 'importRoster', { communityId: w.a, fileName: 'r.csv', fileBase64: ROSTER }, chair)
    const wang = await makeUser(env.db, 'wang')
    await bindOwner(deps, wang, { communityId: w.a, building: '1栋', room: '101', name: '王伟', phone: '13912345678' }, chair)
    const zhang = await makeUser(env.db, 'zhang')
    await bindOwner(deps, zhang, { communityId: w.a, building: '1栋', room: '102', name: '张强', phone: '13900000002' }, chair)
    const units = Object.fromEntries(
      (await ok(deps, 'me', {}, wang)).units.concat((await ok(deps, 'me', {}, zhang)).units).map((u: any) => [u.label.replace('1栋1单元', '').replace('室', ''), u.unitId]),
    ) as Record<'101' | '102' | '201', string>
    return { ...w, chair, wang, zhang, units }
  }
  const rolesOf = async (userId: string, communityId: string) =>
    (await env.db.selectFrom('memberships').select('role').where('user_id', '=', userId).where('community_id', '=', communityId).execute()).map((r) => r.role).sort()

  test('an owner invites with an 8-character code; the tenant accepts and becomes a tenant member, never an owner', async () => {
    const w = await setup()
    const inv = await ok(deps, 'inviteTenant', { communityId: w.a, unitId: w.units['101'] }, w.wang)
    expect(inv).toMatchObject({ communityId: w.a, unitId: w.units['101'], unitLabel: '1栋1单元101室', status: 'invited', tenantName: null, createdAt: T0.toISOString() })
    expect(inv.code).toMatch(/^[A-HJ-NP-Z2-9]{8}$/)
    const tenant = await makeUser(env.db, 'tenant')
    // Typed in lower case with spaces: the contract normalises it.
    const acc = await ok(deps, 'acceptTenancy', { code: ` ${inv.code.toLowerCase()} ` }, tenant)
    expect(acc).toMatchObject({ id: inv.id, status: 'active', tenantName: 'tenant' })
    expect(await rolesOf(tenant, w.a)).toEqual(['tenant'])
    const me = await ok(deps, 'me', {}, tenant)
    expect(me.units).toEqual([expect.objectContaining({ unitId: w.units['101'], relation: 'tenant' })])
    expect(me.communities).toEqual([{ id: w.a, name: '滨江花园', isOld: false, governance: 'committee', roles: ['tenant'] }])
    const list = await ok(deps, 'listTenancies', { communityId: w.a, unitId: w.units['101'] }, w.wang)
    expect(list).toEqual([expect.objectContaining({ id: inv.id, status: 'active', tenantName: 'tenant', code: inv.code })])
    // Accepting the same code again is harmless for the same tenant.
    expect(await ok(deps, 'acceptTenancy', { code: inv.code }, tenant)).toMatchObject({ id: inv.id, status: 'active' })
  })

  test('a tenant cannot invite, list or end tenancies, nor act as the committee', async () => {
    const w = await setup()
    const inv = await ok(deps, 'inviteTenant', { communityId: w.a, unitId: w.units['101'] }, w.wang)
    const tenant = await makeUser(env.db, 'tenant')
    await ok(deps, 'acceptTenancy', { code: inv.code }, tenant)
    for (const [action, input] of [
      ['inviteTenant', { communityId: w.a, unitId: w.units['101'] }],
      ['listTenancies', { communityId: w.a, unitId: w.units['101'] }],
      ['revokeTenancy', { communityId: w.a, tenancyId: inv.id }],
      ['listBindingRequests', { communityId: w.a }],
      ['previewRoster', { communityId: w.a, fileName: 'r.csv', fileBase64: ROSTER }],
    ] as const) {
      expect([action, await call(deps, action, input, tenant)]).toEqual([action, expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'Forbidden' }) })])
    }
    expect((await env.db.selectFrom('tenancies').select('status').where('id', '=', inv.id).executeTakeFirstOrThrow()).status).toBe('active')
  })

  test('only the owner of that unit manages its tenants; owners of other units and of other 小区 are refused', async () => {
    const w = await setup()
    expect(await call(deps, 'inviteTenant', { communityId: w.a, unitId: w.units['101'] }, w.zhang)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    const inv = await ok(deps, 'inviteTenant', { communityId: w.a, unitId: w.units['101'] }, w.wang)
    expect(await call(deps, 'revokeTenancy', { communityId: w.a, tenancyId: inv.id }, w.zhang)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    expect(await call(deps, 'listTenancies', { communityId: w.a, unitId: w.units['101'] }, w.zhang)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    // An owner in 小区 B naming a unit of A, in either 小区.
    const ownerB = await makeUser(env.db, 'ownerB', 'owner', { communityId: w.b })
    expect(await call(deps, 'inviteTenant', { communityId: w.a, unitId: w.units['101'] }, ownerB)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    expect(await call(deps, 'inviteTenant', { communityId: w.b, unitId: w.units['101'] }, ownerB)).toMatchObject({ ok: false, error: { code: 'NotFound' } })
    expect(await call(deps, 'revokeTenancy', { communityId: w.b, tenancyId: inv.id }, ownerB)).toMatchObject({ ok: false, error: { code: 'NotFound' } })
    // The committee is not the owner either.
    expect(await call(deps, 'inviteTenant', { communityId: w.a, unitId: w.units['101'] }, w.chair)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
  })

  test('revoking ends the tenancy and the tenant membership, unless another active tenancy in the 小区 keeps it', async () => {
    const w = await setup()
    const tenant = await makeUser(env.db, 'tenant')
    const t101 = await ok(deps, 'inviteTenant', { communityId: w.a, unitId: w.units['101'] }, w.wang)
    const t201 = await ok(deps, 'inviteTenant', { communityId: w.a, unitId: w.units['201'] }, w.wang)
    await ok(deps, 'acceptTenancy', { code: t101.code }, tenant)
    await ok(deps, 'acceptTenancy', { code: t201.code }, tenant)
    deps.setNow(new Date(T0.getTime() + DAY))
    const r1 = await ok(deps, 'revokeTenancy', { communityId: w.a, tenancyId: t101.id }, w.wang)
    expect(r1).toMatchObject({ status: 'revoked' })
    expect(await rolesOf(tenant, w.a)).toEqual(['tenant'])
    expect((await ok(deps, 'me', {}, tenant)).units.map((u: any) => u.unitId)).toEqual([w.units['201']])
    await ok(deps, 'revokeTenancy', { communityId: w.a, tenancyId: t201.id }, w.wang)
    expect(await rolesOf(tenant, w.a)).toEqual([])
    expect((await ok(deps, 'me', {}, tenant)).units).toEqual([])
    const row = await env.db.selectFrom('tenancies').selectAll().where('id', '=', t101.id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ status: 'revoked', revoked_at: new Date(T0.getTime() + DAY).toISOString(), accepted_at: T0.toISOString() })
    // Revoking again changes nothing; a revoked code cannot be accepted.
    expect(await ok(deps, 'revokeTenancy', { communityId: w.a, tenancyId: t101.id }, w.wang)).toMatchObject({ status: 'revoked' })
    expect(await call(deps, 'acceptTenancy', { code: t101.code }, await makeUser(env.db, 'other'))).toMatchObject({ ok: false, error: { code: 'Conflict' } })
    // An invitation not yet accepted can be withdrawn too.
    const open = await ok(deps, 'inviteTenant', { communityId: w.a, unitId: w.units['101'] }, w.wang)
    expect(await ok(deps, 'revokeTenancy', { communityId: w.a, tenancyId: open.id }, w.wang)).toMatchObject({ status: 'revoked', tenantName: null })
  })

  test('a code works once, for a limited time, and not for the unit owner', async () => {
    const w = await setup()
    const inv = await ok(deps, 'inviteTenant', { communityId: w.a, unitId: w.units['101'] }, w.wang)
    expect(await call(deps, 'acceptTenancy', { code: inv.code }, w.wang)).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    const first = await makeUser(env.db, 'first')
    await ok(deps, 'acceptTenancy', { code: inv.code }, first)
    const second = await makeUser(env.db, 'second')
    expect(await call(deps, 'acceptTenancy', { code: inv.code }, second)).toMatchObject({ ok: false, error: { code: 'Conflict' } })
    expect(await rolesOf(second, w.a)).toEqual([])
    expect(await call(deps, 'acceptTenancy', { code: 'ZZZZZZZZ' }, second)).toMatchObject({ ok: false, error: { code: 'NotFound' } })
    expect(await call(deps, 'acceptTenancy', { code: 'abc' }, second)).toMatchObject({ ok: false, error: { code: 'BadInput' } })

    // Expiry boundary: valid until just before INVITE_VALID_DAYS have passed.
    const late = await ok(deps, 'inviteTenant', { communityId: w.a, unitId: w.units['201'] }, w.wang)
    const lastMoment = await ok(deps, 'inviteTenant', { communityId: w.a, unitId: w.units['201'] }, w.wang)
    deps.setNow(new Date(T0.getTime() + INVITE_VALID_DAYS * DAY - 1))
    expect(await ok(deps, 'acceptTenancy', { code: lastMoment.code }, await makeUser(env.db, 'inTime'))).toMatchObject({ status: 'active' })
    deps.setNow(new Date(T0.getTime() + INVITE_VALID_DAYS * DAY))
    expect(await call(deps, 'acceptTenancy', { code: late.code }, second)).toMatchObject({ ok: false, error: { code: 'Conflict', message: expect.stringContaining('过期') } })
  })

  test('an invitation says until when it is valid, and the owner’s list marks it expired from that moment', async () => {
    const w = await setup()
    const inv = await ok(deps, 'inviteTenant', { communityId: w.a, unitId: w.units['102'] }, w.zhang)
    const until = new Date(T0.getTime() + INVITE_VALID_DAYS * DAY).toISOString()
    expect(inv).toMatchObject({ status: 'invited', expiresAt: until, expired: false })
    const listed = async () => (await ok(deps, 'listTenancies', { communityId: w.a, unitId: w.units['102'] }, w.zhang)).find((t: any) => t.id === inv.id)
    deps.setNow(new Date(T0.getTime() + INVITE_VALID_DAYS * DAY - 1))
    expect(await listed()).toMatchObject({ status: 'invited', expiresAt: until, expired: false })
    deps.setNow(new Date(until))
    expect(await listed()).toMatchObject({ status: 'invited', expiresAt: until, expired: true })
    // Accepted and revoked tenancies have no invitation left to expire.
    deps.setNow(T0)
    const accepted = await ok(deps, 'inviteTenant', { communityId: w.a, unitId: w.units['102'] }, w.zhang)
    const acc = await ok(deps, 'acceptTenancy', { code: accepted.code }, await makeUser(env.db, 'tenant'))
    expect(acc).toMatchObject({ status: 'active', expiresAt: null, expired: false })
    expect(await ok(deps, 'revokeTenancy', { communityId: w.a, tenancyId: inv.id }, w.zhang)).toMatchObject({ status: 'revoked', expiresAt: null, expired: false })
  })

  test('every invite code is distinct', async () => {
    const w = await setup()
    const codes = new Set<string>()
    for (let i = 0; i < 30; i++) codes.add((await ok(deps, 'inviteTenant', { communityId: w.a, unitId: w.units['102'] }, w.zhang)).code)
    expect(codes.size).toBe(30)
    expect((await ok(deps, 'listTenancies', { communityId: w.a, unitId: w.units['102'] }, w.zhang))).toHaveLength(30)
  })
})
