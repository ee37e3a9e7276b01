import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomBytes } from 'node:crypto'

/**
 * A small stand-in for WeChat's server API on 127.0.0.1, speaking the same protocol:
 * jscode2session (single-use codes that live 5 minutes), the access token, subscription
 * messages, and the phone number of the getPhoneNumber button (wxa/business/getuserphonenumber). Tests script failures with `failNext`.
 */
export interface FakeWeChat {
  baseUrl: string
  appId: string
  appSecret: string
  /** What wx.login would give the device of this openid. */
  issueCode(openid: string): string
  /** What the getPhoneNumber button would give a person whose WeChat account has this phone (single use, 5 minutes). */
  issuePhoneCode(phone: string, opts?: { appId?: string }): string
  /** The next call to this path answers this errcode instead (e.g. -1 busy, 45011). */
  failNext(path: string, errcode: number, times?: number): void
  expireTokens(): void
  subscribers: Set<string>
  sent: { touser: string; template_id: string; data: unknown }[]
  calls: string[]
  close(): Promise<void>
}

export async function startFakeWeChat(opts: { now?: () => number } = {}): Promise<FakeWeChat> {
  const now = opts.now ?? (() => Date.now())
  const appId = 'wx-fake-app'
  const appSecret = 'fake-secret'
  const codes = new Map<string, { openid: string; issuedAt: number; used: boolean }>()
  const phoneCodes = new Map<string, { phone: string; appId: string; issuedAt: number; used: boolean }>()
  const tokens = new Set<string>()
  const failures = new Map<string, number[]>()
  const fake: Partial<FakeWeChat> = { appId, appSecret, subscribers: new Set(), sent: [], calls: [] }

  const send = (res: http.ServerResponse, body: object) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  }
  const err = (errcode: number, errmsg: string) => ({ errcode, errmsg })

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    fake.calls!.push(url.pathname)
    const scripted = failures.get(url.pathname)
    if (scripted?.length) return send(res, err(scripted.shift()!, 'scripted failure'))
    const q = url.searchParams

    if (url.pathname === '/sns/jscode2session') {
      if (q.get('appid') !== appId || q.get('secret') !== appSecret) return send(res, err(40013, 'invalid appid'))
      if (q.get('grant_type') !== 'authorization_code') return send(res, err(40002, 'invalid grant_type'))
      const entry = codes.get(q.get('js_code') ?? '')
      if (!entry || now() - entry.issuedAt > 5 * 60_000) return send(res, err(40029, 'invalid code'))
      if (entry.used) return send(res, err(40163, 'code been used'))
      entry.used = true
      return send(res, { openid: entry.openid, session_key: randomBytes(16).toString('base64') })
    }
    if (url.pathname === '/cgi-bin/token') {
      if (q.get('appid') !== appId || q.get('secret') !== appSecret) return send(res, err(40013, 'invalid appid'))
      const token = randomBytes(12).toString('hex')
      tokens.add(token)
      return send(res, { access_token: token, expires_in: 7200 })
    }
    if (url.pathname === '/wxa/business/getuserphonenumber' && req.method === 'POST') {
      let raw = ''
      req.on('data', (c) => (raw += c))
      req.on('end', () => {
        if (!tokens.has(q.get('access_token') ?? '')) return send(res, err(40001, 'invalid credential, access_token is invalid or not latest'))
        let body: { code?: unknown }
        try {
          body = JSON.parse(raw)
        } catch {
          return send(res, err(47001, 'data format error'))
        }
        // 40029: invalid code (unknown, expired or used); WeChat answers used codes the same way.
        const entry = phoneCodes.get(typeof body.code === 'string' ? body.code : '')
        if (!entry || entry.used || now() - entry.issuedAt > 5 * 60_000) return send(res, err(40029, 'invalid code'))
        entry.used = true
        send(res, {
          errcode: 0,
          errmsg: 'ok',
          phone_info: { phoneNumber: entry.phone, purePhoneNumber: entry.phone, countryCode: '86', watermark: { timestamp: Math.floor(now() / 1000), appid: entry.appId } },
        })
      })
      return
    }
    if (url.pathname === '/cgi-bin/message/subscribe/send' && req.method === 'POST') {
      let raw = ''
      req.on('data', (c) => (raw += c))
      req.on('end', () => {
        if (!tokens.has(q.get('access_token') ?? '')) return send(res, err(42001, 'access_token expired'))
        let body: any
        try {
          body = JSON.parse(raw)
        } catch {
          return send(res, err(47001, 'data format error'))
        }
        if (!body.template_id) return send(res, err(40037, 'invalid template_id'))
        if (!body.data || typeof body.data !== 'object') return send(res, err(47003, 'argument invalid'))
        if (!fake.subscribers!.has(body.touser)) return send(res, err(43101, 'user refuse to accept the msg'))
        fake.sent!.push({ touser: body.touser, template_id: body.template_id, data: body.data })
        send(res, { errcode: 0, errmsg: 'ok' })
      })
      return
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return Object.assign(fake, {
    baseUrl: `http://127.0.0.1:${port}`,
    issueCode(openid: string) {
      const code = randomBytes(12).toString('hex')
      codes.set(code, { openid, issuedAt: now(), used: false })
      return code
    },
    issuePhoneCode(phone: string, o: { appId?: string } = {}) {
      const code = randomBytes(12).toString('hex')
      phoneCodes.set(code, { phone, appId: o.appId ?? appId, issuedAt: now(), used: false })
      return code
    },
    failNext(path: string, errcode: number, times = 1) {
      failures.set(path, Array(times).fill(errcode))
    },
    expireTokens() {
      tokens.clear()
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }) as FakeWeChat
}
