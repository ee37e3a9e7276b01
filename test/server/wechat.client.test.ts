import type { AddressInfo } from 'node:net'
import { createWeChatClient } from '../../server/wechat/wechat.client'
import { registry } from '../../server/actions'
import { buildApp } from '../../server/transports/http'
import { freshDb, testDeps } from '../helpers/db'
import { startFakeWeChat, type FakeWeChat } from '../helpers/fake-wechat'

let wx: FakeWeChat
let clock = Date.now()
beforeAll(async () => {
  wx = await startFakeWeChat({ now: () => clock })
})
afterAll(() => wx.close())

const client = () => createWeChatClient({ appId: wx.appId, appSecret: wx.appSecret, baseUrl: wx.baseUrl })

describe('WeChat client against the fake WeChat server over real HTTP', () => {
  test('jscode2session gives the openid once; the same code again is refused (40163)', async () => {
    const code = wx.issueCode('o-alice')
    await expect(client().code2Session(code)).resolves.toEqual({ openid: 'o-alice', unionid: undefined })
    await expect(client().code2Session(code)).rejects.toMatchObject({ code: 'Unauthenticated' })
  })

  test('an unknown code (40029) and a code older than 5 minutes are refused', async () => {
    await expect(client().code2Session('nonsense')).rejects.toMatchObject({ code: 'Unauthenticated' })
    const code = wx.issueCode('o-bob')
    clock += 5 * 60_000 + 1
    await expect(client().code2Session(code)).rejects.toMatchObject({ code: 'Unauthenticated' })
  })

  test('busy (-1) is retried once; rate limit (45011) and high-risk (40226) are reported', async () => {
    const code = wx.issueCode('o-carol')
    wx.failNext('/sns/jscode2session', -1)
    await expect(client().code2Session(code)).resolves.toMatchObject({ openid: 'o-carol' })
    wx.failNext('/sns/jscode2session', 45011)
    await expect(client().code2Session(wx.issueCode('o-carol'))).rejects.toMatchObject({ code: 'RateLimited' })
    wx.failNext('/sns/jscode2session', 40226)
    await expect(client().code2Session(wx.issueCode('o-carol'))).rejects.toMatchObject({ code: 'Forbidden' })
    wx.failNext('/sns/jscode2session', -1, 2)
    await expect(client().code2Session(wx.issueCode('o-carol'))).rejects.toMatchObject({ code: 'WeChatUnavailable' })
  })

  test('a server that is down gives WeChatUnavailable, not a crash', async () => {
    const down = createWeChatClient({ appId: 'x', appSecret: 'y', baseUrl: 'http://127.0.0.1:9' })
    await expect(down.code2Session('abc')).rejects.toMatchObject({ code: 'WeChatUnavailable' })
  })

  test('subscription messages fetch a token, refresh it when expired (42001), and report a refusal (43101)', async () => {
    const c = client()
    wx.subscribers.add('o-dave')
    await c.sendSubscribeMessage({ touser: 'o-dave', template_id: 'tpl', data: { thing1: { value: '停水通知' } } })
    wx.expireTokens()
    await c.sendSubscribeMessage({ touser: 'o-dave', template_id: 'tpl', data: { thing1: { value: '表决开始' } } })
    expect(wx.sent.map((s) => (s.data as any).thing1.value)).toEqual(['停水通知', '表决开始'])
    expect(wx.calls.filter((p) => p === '/cgi-bin/token')).toHaveLength(2)
    await expect(c.sendSubscribeMessage({ touser: 'o-nobody', template_id: 'tpl', data: {} })).rejects.toMatchObject({ code: 'Forbidden' })
  })
})

test('login over real HTTP: mini-program code → our server → fake WeChat → session token', async () => {
  const env = await freshDb('sqlite')
  const deps = testDeps(env.db, 'sqlite', { wechat: client() })
  const app = await buildApp(deps, registry)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  const post = (action: string, body: object, token?: string) =>
    fetch(`${base}/api/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    })
  const res = await post('login', { code: wx.issueCode('o-erin') })
  expect(res.status).toBe(200)
  // Node's fetch types json() as unknown; the envelope is read as any here.
  const { data } = (await res.json()) as any
  const me = (await (await post('me', {}, data.token)).json()) as any
  expect(me.ok).toBe(true)
  const again = await post('login', { code: 'used-or-bogus' })
  expect(again.status).toBe(401)
  expect(((await again.json()) as any).error.code).toBe('Unauthenticated')
  await app.close()
  await env.close()
})
