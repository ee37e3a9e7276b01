import type { Kysely } from 'kysely'
import type { Database } from '../../server/db/database'
import { DIALECTS, useTestDb } from '../helpers/db'
import { call, makeUser, makeWorld, ok } from '../helpers/world'

/** Every row the foundation's actions can write, so a refused call can be shown to change nothing. */
async function snapshot(db: Kysely<Database>) {
  const tables = ['bindings', 'tenancies', 'persons', 'ownerships', 'units', 'buildings', 'memberships', 'roster_imports'] as const
  const out: Record<string, unknown[]> = {}
  for (const t of tables) {
    const rows = await db.selectFrom(t).selectAll().execute()
    out[t] = rows.map((r) => JSON.stringify(r)).sort()
  }
  return out
}

/**
 * Cross-小区 id confusion: the caller holds the right role in 小区 A *and* in 小区 B (committee
 * member of both, owner of a unit in each), so the registry lets the call through for A; only the
 * handler's own community_id filter stands between an id of B and a write. Every foundation
 * action taking an id besides communityId is listed here.
 */
describe.each(DIALECTS)('an id of 小区 B passed with communityId = A is not found and changes nothing (%s)', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: Awaited<ReturnType<typeof makeWorld>>
  let both: string
  const idsOfB: { bindingId: string; unitId: string; tenancyId: string } = { bindingId: '', unitId: '', tenancyId: '' }

  beforeAll(async () => {
    w = await makeWorld(env.db)
    both = await makeUser(env.db, 'member-of-both', 'committee_member', { communityId: w.a })
    await env.db.insertInto('memberships').values({ id: 'm-both-b', user_id: both, role: 'committee_member', community_id: w.b, office_id: null, street_id: null, district_id: null, created_at: '2026-01-01T00:00:00.000Z' }).execute()
    // The caller owns 1栋1单元101 in A and in B (roster persons bound to them, owner role in each).
    for (const [key, cid] of [['a', w.a], ['b', w.b]] as const) {
      const personId = `p-both-${key}`
      await env.db.insertInto('persons').values({ id: personId, community_id: cid, name: '两边业主', phone: '13900000001', id4_hash: null, is_developer: 0, user_id: both }).execute()
      await env.db.insertInto('ownerships').values({ community_id: cid, unit_id: w.units[key][0], person_id: personId }).execute()
      await env.db.insertInto('memberships').values({ id: `m-owner-${key}`, user_id: both, role: 'owner', community_id: cid, office_id: null, street_id: null, district_id: null, created_at: '2026-01-01T00:00:00.000Z' }).execute()
    }
    // In B: a pending binding request and an invitation to a tenant, both the caller's to act on in B.
    const claimant = await makeUser(env.db, 'claimant-b')
    const bound = await ok(deps, 'bindUnit', { communityId: w.b, building: '1栋', stair: '1单元', room: '102', name: '不在名册', phone: '13900000002' }, claimant)
    expect(bound.status).toBe('pending')
    idsOfB.bindingId = bound.bindingId
    idsOfB.unitId = w.units.b[0]
    idsOfB.tenancyId = (await ok(deps, 'inviteTenant', { communityId: w.b, unitId: w.units.b[0] }, both)).id
  })

  // action, the input with communityId = A and an id of B
  const cases: [string, () => Record<string, unknown>][] = [
    ['decideBinding (approve)', () => ({ action: 'decideBinding', communityId: w.a, bindingId: idsOfB.bindingId, approve: true })],
    ['decideBinding (reject)', () => ({ action: 'decideBinding', communityId: w.a, bindingId: idsOfB.bindingId, approve: false, reason: '不符' })],
    ['inviteTenant', () => ({ action: 'inviteTenant', communityId: w.a, unitId: idsOfB.unitId })],
    ['listTenancies', () => ({ action: 'listTenancies', communityId: w.a, unitId: idsOfB.unitId })],
    ['revokeTenancy', () => ({ action: 'revokeTenancy', communityId: w.a, tenancyId: idsOfB.tenancyId })],
  ]

  test('the caller can act on these ids in their own 小区 B (the cases below are refused for the 小区, not for the role)', async () => {
    expect(await ok(deps, 'listTenancies', { communityId: w.b, unitId: idsOfB.unitId }, both)).toHaveLength(1)
    const page = await ok(deps, 'listBindingRequests', { communityId: w.b }, both)
    expect(page.items.map((r: { id: string }) => r.id)).toContain(idsOfB.bindingId)
  })

  test.each(cases)('%s', async (_label, make) => {
    const { action, ...input } = make()
    const before = await snapshot(env.db)
    const res = await call(deps, action as string, input, both)
    expect(res.ok).toBe(false)
    if (!res.ok) expect(['NotFound', 'Forbidden']).toContain(res.error.code)
    expect(await snapshot(env.db)).toEqual(before)
  })

  test('listBindingRequests for A never shows B’s requests', async () => {
    const page = await ok(deps, 'listBindingRequests', { communityId: w.a, status: 'pending' }, both)
    expect(page.items.map((r: { id: string }) => r.id)).not.toContain(idsOfB.bindingId)
  })
})
