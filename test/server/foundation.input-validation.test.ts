import type { Kysely } from 'kysely'
import type { Database } from '../../server/db/database'
import { DIALECTS, useTestDb } from '../helpers/db'
import { call, makeUser, makeWorld, ok } from '../helpers/world'

async function snapshot(db: Kysely<Database>) {
  const tables = ['users', 'sessions', 'bindings', 'tenancies', 'persons', 'ownerships', 'units', 'buildings', 'memberships', 'roster_imports'] as const
  const out: Record<string, unknown[]> = {}
  for (const t of tables) out[t] = (await db.selectFrom(t).selectAll().execute()).map((r) => JSON.stringify(r)).sort()
  return out
}

const long = (n: number) => '一'.repeat(n)

/**
 * Malformed input to every foundation action: wrong types, over-long strings, negative or
 * fractional numbers, unknown enum values, missing fields. Each answers BadInput with a Chinese
 * message (none of valibot's English) and writes nothing.
 */
describe.each(DIALECTS)('foundation actions refuse malformed input with a clear Chinese message and write nothing (%s)', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: Awaited<ReturnType<typeof makeWorld>>
  let chair: string
  let owner: string

  beforeAll(async () => {
    w = await makeWorld(env.db)
    chair = await makeUser(env.db, 'chair', 'committee_chair', { communityId: w.a })
    owner = await makeUser(env.db, 'owner', 'owner', { communityId: w.a })
    await env.db.insertInto('persons').values({ id: 'p-owner', community_id: w.a, name: '业主甲', phone: '13900000001', id4_hash: null, is_developer: 0, user_id: owner }).execute()
    await env.db.insertInto('ownerships').values({ community_id: w.a, unit_id: w.units.a[0], person_id: 'p-owner' }).execute()
  })

  type Case = [label: string, action: string, input: () => unknown, who: () => string]
  const bind = (over: Record<string, unknown>) => () => ({ communityId: w.a, building: '1栋', stair: '1单元', room: '102', name: '张三', phone: '13900000009', ...over })
  const file = (over: Record<string, unknown>) => () => ({ communityId: w.a, fileName: 'a.csv', fileBase64: 'YQ==', ...over })
  const C = () => chair
  const O = () => owner
  const cases: Case[] = [
    ['login: code not text', 'login', () => ({ code: 5 }), C],
    ['login: code over-long', 'login', () => ({ code: 'x'.repeat(129) }), C],
    ['login: input not an object', 'login', () => 'abc', C],
    ['demoLogin: persona not text', 'demoLogin', () => ({ persona: 5 }), C],
    ['demoLogin: persona over-long', 'demoLogin', () => ({ persona: 'x'.repeat(65) }), C],
    ['me: input not an object', 'me', () => 'abc', C],
    ['logout: input a number', 'logout', () => 5, C],
    ['previewRoster: file name not text', 'previewRoster', file({ fileName: 5 }), C],
    ['previewRoster: file name over-long', 'previewRoster', file({ fileName: `${'a'.repeat(300)}.csv` }), C],
    ['previewRoster: not .xlsx or .csv', 'previewRoster', file({ fileName: 'a.pdf' }), C],
    ['previewRoster: content not text', 'previewRoster', file({ fileBase64: 5 }), C],
    ['importRoster: content not base64', 'importRoster', file({ fileBase64: '!!!!' }), C],
    ['importRoster: content missing', 'importRoster', () => ({ communityId: w.a, fileName: 'a.csv' }), C],
    ['communityDirectory: query not text', 'communityDirectory', () => ({ query: 5 }), C],
    ['communityDirectory: query over-long', 'communityDirectory', () => ({ query: long(41) }), C],
    ['unitTree: communityId not text', 'unitTree', () => ({ communityId: 5 }), C],
    ['unitTree: communityId over-long', 'unitTree', () => ({ communityId: 'x'.repeat(65) }), C],
    ['bindUnit: building not text', 'bindUnit', bind({ building: 5 }), O],
    ['bindUnit: building over-long', 'bindUnit', bind({ building: long(31) }), O],
    ['bindUnit: stair over-long', 'bindUnit', bind({ stair: long(31) }), O],
    ['bindUnit: room over-long', 'bindUnit', bind({ room: 'x'.repeat(31) }), O],
    ['bindUnit: room missing', 'bindUnit', bind({ room: undefined }), O],
    ['bindUnit: name over-long', 'bindUnit', bind({ name: long(41) }), O],
    ['bindUnit: phone a number', 'bindUnit', bind({ phone: 13900000009 }), O],
    ['bindUnit: phone malformed', 'bindUnit', bind({ phone: '12345' }), O],
    ['bindUnit: ID digits a number', 'bindUnit', bind({ phone: undefined, idLast4: 1234 }), O],
    ['bindUnit: ID digits over-long', 'bindUnit', bind({ phone: undefined, idLast4: '1'.repeat(50) }), O],
    ['bindUnit: neither phone nor ID digits', 'bindUnit', bind({ phone: undefined }), O],
    ['listBindingRequests: unknown status', 'listBindingRequests', () => ({ communityId: w.a, status: 'weird' }), C],
    ['listBindingRequests: negative limit', 'listBindingRequests', () => ({ communityId: w.a, limit: -1 }), C],
    ['listBindingRequests: fractional limit', 'listBindingRequests', () => ({ communityId: w.a, limit: 1.5 }), C],
    ['listBindingRequests: limit over 100', 'listBindingRequests', () => ({ communityId: w.a, limit: 101 }), C],
    ['listBindingRequests: limit as text', 'listBindingRequests', () => ({ communityId: w.a, limit: '5' }), C],
    ['listBindingRequests: cursor not text', 'listBindingRequests', () => ({ communityId: w.a, cursor: 5 }), C],
    ['listBindingRequests: cursor over-long', 'listBindingRequests', () => ({ communityId: w.a, cursor: 'x'.repeat(5000) }), C],
    ['listBindingRequests: cursor forged', 'listBindingRequests', () => ({ communityId: w.a, cursor: 'WyJhIiwxXQ' }), C],
    ['decideBinding: approve as text', 'decideBinding', () => ({ communityId: w.a, bindingId: 'b1', approve: 'yes' }), C],
    ['decideBinding: approve missing', 'decideBinding', () => ({ communityId: w.a, bindingId: 'b1' }), C],
    ['decideBinding: reason over-long', 'decideBinding', () => ({ communityId: w.a, bindingId: 'b1', approve: false, reason: long(201) }), C],
    ['decideBinding: bindingId a number', 'decideBinding', () => ({ communityId: w.a, bindingId: 5, approve: true }), C],
    ['inviteTenant: unitId missing', 'inviteTenant', () => ({ communityId: w.a }), O],
    ['inviteTenant: unitId a number', 'inviteTenant', () => ({ communityId: w.a, unitId: 5 }), O],
    ['acceptTenancy: code a number', 'acceptTenancy', () => ({ code: 12345678 }), O],
    ['acceptTenancy: code malformed', 'acceptTenancy', () => ({ code: 'abc' }), O],
    ['revokeTenancy: tenancyId null', 'revokeTenancy', () => ({ communityId: w.a, tenancyId: null }), O],
    ['listTenancies: unitId over-long', 'listTenancies', () => ({ communityId: w.a, unitId: 'x'.repeat(65) }), O],
  ]

  test.each(cases)('%s', async (_label, action, input, who) => {
    const before = await snapshot(env.db)
    const res = await call(deps, action, input(), who())
    expect(res).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    if (res.ok) return
    expect(res.error.message).toMatch(/[\u4e00-\u9fff]/)
    expect(res.error.message).not.toMatch(/Invalid|Expected|Received/)
    expect(await snapshot(env.db)).toEqual(before)
  })

  test('a well-formed claim still goes through after all that (the table above is not refusing everything)', async () => {
    const r = await ok(deps, 'bindUnit', bind({})(), owner)
    expect(r.status).toBe('pending')
  })
})
