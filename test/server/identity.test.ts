import { DIALECTS, useTestDb } from '../helpers/db'
import { call, makeUser, makeWorld, ok } from '../helpers/world'
import { registry } from '../../server/actions'
import { buildApp } from '../../server/transports/http'
import { findOrCreateUser } from '../../server/identity/user.repository'
import { demoOpenid } from '../../server/demo/personas'
import { bearerToken } from '../../server/identity/bearer'
import { callerFromToken, openSession } from '../../server/identity/session.service'

describe.each(DIALECTS)('identity on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)

  test('WeChat login exchanges the code, opens a session stored only hashed, and logout ends it', async () => {
    deps.wechat = { code2Session: async (code) => ({ openid: `oid-${code}` }), sendSubscribeMessage: async () => {} }
    const app = await buildApp(deps, registry)
    const login = await app.inject({ method: 'POST', url: '/api/login', payload: { code: 'abc' } })
    expect(login.statusCode).toBe(200)
    const { token } = login.json().data
    expect(token).toMatch(/^[\w-]{40,}$/)
    const stored = await env.db.selectFrom('sessions').select('token_hash').execute()
    expect(stored.map((s) => s.token_hash)).not.toContain(token)

    const me = await app.inject({ method: 'POST', url: '/api/me', headers: { authorization: `Bearer ${token}` }, payload: {} })
    expect(me.json()).toMatchObject({ ok: true, data: { nickname: '微信用户', communities: [] } })

    await app.inject({ method: 'POST', url: '/api/logout', headers: { authorization: `Bearer ${token}` }, payload: {} })
    const after = await app.inject({ method: 'POST', url: '/api/me', headers: { authorization: `Bearer ${token}` }, payload: {} })
    expect(after.statusCode).toBe(401)
    expect(after.json().error.code).toBe('SessionExpired')
    await app.close()
  })

  test('an expired session answers SessionExpired so the client logs in again', async () => {
    const user = await findOrCreateUser(env.db, 'oid-expiry', '微信用户', deps.now())
    const app = await buildApp(deps, registry)
    const { token } = await openSession({ ...deps, now: () => new Date('2020-01-01T00:00:00Z') }, { userId: user.id, days: 30 })
    const res = await app.inject({ method: 'POST', url: '/api/me', headers: { authorization: `Bearer ${token}` }, payload: {} })
    expect(res.json().error.code).toBe('SessionExpired')
    await app.close()
  })

  test('an action without login answers Unauthenticated; bad input answers BadInput; unknown action NotFound', async () => {
    expect((await call(deps, 'me', {}, null)).ok).toBe(false)
    expect(await call(deps, 'me', {}, null)).toMatchObject({ error: { code: 'Unauthenticated' } })
    expect(await call(deps, 'login', { code: 42 }, null)).toMatchObject({ error: { code: 'BadInput' } })
    expect(await call(deps, 'noSuchThing', {}, null)).toMatchObject({ error: { code: 'NotFound' } })
  })

  test('demo login works only in demo mode', async () => {
    await findOrCreateUser(env.db, demoOpenid('committee'), '王主任', deps.now())
    const session = await ok(deps, 'demoLogin', { persona: 'committee' }, null)
    expect(session.token).toBeTruthy()
    const prod = { ...deps, config: { ...deps.config, demo: false } }
    expect(await call(prod, 'demoLogin', { persona: 'committee' }, null)).toMatchObject({ ok: false, error: { code: 'DemoDisabled' } })
  })

  test('a demo session stands for nobody once demo mode is off, on every route that reads a token', async () => {
    const user = await findOrCreateUser(env.db, demoOpenid('owner'), '业主', deps.now())
    const { token } = await openSession(deps, { userId: user.id })
    expect(await callerFromToken(deps, { token })).toMatchObject({ userId: user.id })
    const prod = { ...deps, config: { ...deps.config, demo: false } }
    await expect(callerFromToken(prod, { token })).rejects.toMatchObject({ code: 'SessionExpired' })
    const app = await buildApp(prod, registry)
    expect((await app.inject({ method: 'POST', url: '/api/me', headers: { authorization: `Bearer ${token}` }, payload: {} })).json().error.code).toBe('SessionExpired')
    expect((await app.inject({ method: 'GET', url: '/api/files/some-file', headers: { authorization: `Bearer ${token}` } })).json().error.code).toBe('SessionExpired')
    await app.close()
  })

  test('me lists only the 小区 a person belongs to', async () => {
    const w = await makeWorld(env.db)
    const chair = await makeUser(env.db, 'chair', 'committee_chair', { communityId: w.a })
    const officer = await makeUser(env.db, 'officer', 'community_officer', { officeId: w.office })
    expect((await ok(deps, 'me', {}, chair)).communities.map((c: any) => c.name)).toEqual(['滨江花园'])
    expect((await ok(deps, 'me', {}, officer)).communities.map((c: any) => c.name).sort()).toEqual(['文清苑', '滨江花园'].sort())
  })
})

test('the server refuses to start in production with demo mode on', () => {
  const { loadConfig } = jest.requireActual('../../server/config')
  expect(() => loadConfig({ NODE_ENV: 'production', DEMO: '1', ID_HASH_SECRET: 'x' })).toThrow(/演示模式/)
  expect(() => loadConfig({ NODE_ENV: 'production', ID_HASH_SECRET: 'x', AUDIT_HMAC_SECRET: 'y' })).not.toThrow()
})

test('the bearer token is read from the Authorization header only, in one way', () => {
  expect(bearerToken('Bearer abc.DEF-123_')).toBe('abc.DEF-123_')
  expect(bearerToken('bearer   tok')).toBe('tok')
  expect(bearerToken('Bearer')).toBeNull()
  expect(bearerToken('Bearer a b')).toBeNull()
  expect(bearerToken('Basic dXNlcjpwYXNz')).toBeNull()
  expect(bearerToken(undefined)).toBeNull()
  expect(bearerToken(['Bearer a', 'Bearer b'])).toBeNull()
})
