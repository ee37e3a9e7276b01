import { DIALECTS, useTestDb } from '../helpers/db'
import { registry } from '../../server/actions'
import { buildApp } from '../../server/transports/http'
import { deviceLabel } from '../../server/identity/device-label'

const PHONE_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800322c) NetType/WIFI Language/zh_CN miniProgram/wx1234'
const PC_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36'

describe.each(DIALECTS)('sessions a person can see on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)

  test('lists the devices logged in with when and from what, marks this one, and ends another', async () => {
    deps.wechat = { ...deps.wechat, code2Session: async (code) => ({ openid: `oid-${code.split('-')[0]}` }) }
    const app = await buildApp(deps, registry)
    const login = async (code: string, ua: string) =>
      (await app.inject({ method: 'POST', url: '/api/login', headers: { 'user-agent': ua }, payload: { code } })).json().data.token as string
    const post = (token: string, action: string, payload: object = {}) =>
      app.inject({ method: 'POST', url: `/api/${action}`, headers: { authorization: `Bearer ${token}` }, payload })

    const phone = await login('amy-1', PHONE_UA)
    deps.setNow(new Date(deps.now().getTime() + 3_600_000))
    const pc = await login('amy-2', PC_UA)
    const other = await login('bob-1', PC_UA)

    const list = (await post(phone, 'mySessions')).json().data
    expect(list).toEqual([
      expect.objectContaining({ device: 'Chrome 浏览器 · Windows 电脑', current: false }),
      expect.objectContaining({ device: '微信小程序 · iPhone', current: true }),
    ])
    expect(list[0].createdAt > list[1].createdAt).toBe(true)
    // Neither the token nor its stored hash leaves the server.
    const stored = await env.db.selectFrom('sessions').select('token_hash').execute()
    for (const s of stored) expect(JSON.stringify(list)).not.toContain(s.token_hash)

    // Last used moves when the session is used again (at most every few minutes).
    deps.setNow(new Date(deps.now().getTime() + 600_000))
    await post(phone, 'me')
    const used = (await post(phone, 'mySessions')).json().data.find((s: { current: boolean }) => s.current)
    expect(used.lastUsedAt).toBe(deps.now().toISOString())

    // Another person's device cannot be ended by its id.
    const bobs = (await post(other, 'mySessions')).json().data
    expect((await post(phone, 'endMySession', { id: bobs[0].id })).json()).toMatchObject({ ok: false, error: { code: 'NotFound' } })
    expect((await post(other, 'me')).statusCode).toBe(200)

    const ended = (await post(phone, 'endMySession', { id: list[0].id })).json()
    expect(ended).toEqual({ ok: true, data: { ended: true, current: false } })
    expect((await post(pc, 'me')).json().error.code).toBe('SessionExpired')
    expect((await post(phone, 'mySessions')).json().data).toHaveLength(1)
    expect((await post(phone, 'endMySession', { id: 'not-an-id' })).json().error.code).toBe('BadInput')
    await app.close()
  })

  test('device labels are short and keep no raw string; no user agent says so', () => {
    expect(deviceLabel(null)).toBe('未知设备')
    expect(deviceLabel(PHONE_UA)).toBe('微信小程序 · iPhone')
    expect(deviceLabel('Mozilla/5.0 (Linux; Android 13; V2154A) AppleWebKit/537.36 Chrome/116.0 Mobile Safari/537.36 MicroMessenger/8.0.47')).toBe('微信 · 安卓手机')
    expect(deviceLabel('curl/8.0')).toBe('其他设备')
  })
})
