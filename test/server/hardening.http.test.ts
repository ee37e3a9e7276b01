import { execFile } from 'node:child_process'
import http from 'node:http'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { registry } from '../../server/actions'
import { seedDemo } from '../../server/demo/seed'
import { buildApp } from '../../server/transports/http'
import { ANONYMOUS_BODY_LIMIT, JSON_BODY_LIMIT } from '../../server/transports/body-limit'
import { DIALECTS, useTestDb } from '../helpers/db'

/** Sends `bytes` of body in 64 KB chunks (never holding it whole), resolves with the status or 'closed'. */
function sendLarge(port: number, path: string, bytes: number, headers: Record<string, string>, chunked = false): Promise<number | 'closed'> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json', ...(chunked ? {} : { 'content-length': String(bytes) }), ...headers } })
    const chunk = Buffer.alloc(64 * 1024, 0x20)
    let sent = 0
    let done = false
    const finish = (v: number | 'closed') => {
      if (!done) {
        done = true
        resolve(v)
      }
    }
    req.on('response', (res) => {
      res.resume()
      finish(res.statusCode ?? 0)
    })
    req.on('error', () => finish('closed'))
    const pump = () => {
      while (sent < bytes && !done) {
        sent += chunk.length
        if (!req.write(chunk)) return void req.once('drain', pump)
      }
      if (!done) req.end()
    }
    pump()
  })
}

async function timedGet(port: number, path: string): Promise<number> {
  const t0 = performance.now()
  await new Promise<void>((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path }, (res) => {
      res.resume()
      res.on('end', () => resolve())
    }).on('error', reject)
  })
  return performance.now() - t0
}

describe.each(DIALECTS)('HTTP hardening: body limits, control characters, headers, unknown routes (%s)', (dialect) => {
  const { deps } = useTestDb(dialect)
  let app: FastifyInstance
  let port: number
  let token: string

  beforeAll(async () => {
    await seedDemo(deps)
    deps.config = { ...deps.config, h5Dir: '/nonexistent-h5' }
    app = await buildApp(deps, registry)
    await app.listen({ host: '127.0.0.1', port: 0 })
    port = (app.server.address() as AddressInfo).port
    const res = await app.inject({ method: 'POST', url: '/api/demoLogin', payload: { persona: 'committee' } })
    token = res.json().data.token
  }, 180_000)
  afterAll(() => app.close())

  const post = (action: string, payload: unknown, auth = true) =>
    app.inject({ method: 'POST', url: `/api/${action}`, payload: payload as object, headers: auth ? { authorization: `Bearer ${token}` } : {} })

  test('an anonymous body over the anonymous limit is refused by its headers with PayloadTooLarge', async () => {
    expect(await sendLarge(port, '/api/demoLogin', ANONYMOUS_BODY_LIMIT + 1, {})).toBe(413)
    expect(await sendLarge(port, '/api/importRoster', 29 * 1024 * 1024, {})).toBe(413)
  })

  test('a JSON action takes at most its small limit even with a session; a chunked body is counted as it streams', async () => {
    const big = JSON.stringify({ communityId: 'x', q: 'a'.repeat(JSON_BODY_LIMIT) })
    const r = await post('listNotices', JSON.parse(big))
    expect(r.statusCode).toBe(413)
    expect(r.json().error.code).toBe('PayloadTooLarge')
    expect(await sendLarge(port, '/api/listNotices', JSON_BODY_LIMIT * 2, { authorization: `Bearer ${token}` }, true)).toBe(413)
  })

  test('a file action with a valid session still takes a file of its own size', async () => {
    const fileBase64 = Buffer.alloc(2 * 1024 * 1024, 0x41).toString('base64')
    const r = await post('previewRoster', { communityId: 'none', fileName: 'a.csv', fileBase64 })
    expect(r.statusCode).not.toBe(413)
    // and the same body with a made-up token is refused before it is read
    const anon = await app.inject({ method: 'POST', url: '/api/previewRoster', payload: { communityId: 'none', fileName: 'a.csv', fileBase64 }, headers: { authorization: 'Bearer not-a-session' } })
    expect(anon.statusCode).toBe(413)
  })

  test('60 concurrent oversized anonymous bodies leave /healthz fast and memory bounded', async () => {
    const rssBefore = process.memoryUsage().rss
    const flood = new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [path.join(__dirname, '../helpers/body-flood.cjs'), String(port), '/api/importRoster', '60', String(29 * 1024 * 1024)], (err, out) => (err ? reject(err) : resolve(out)))
    })
    const times: number[] = []
    let peakRss = 0
    for (let i = 0; i < 100; i++) {
      times.push(await timedGet(port, '/healthz'))
      peakRss = Math.max(peakRss, process.memoryUsage().rss)
      await new Promise((r) => setTimeout(r, 5))
    }
    const statuses = JSON.parse(await flood) as (number | string)[]
    times.sort((a, b) => a - b)
    const p99 = times[Math.ceil(times.length * 0.99) - 1]
    expect(statuses).toHaveLength(60)
    expect(statuses.every((s) => s === 413 || s === 'closed')).toBe(true)
    expect(p99).toBeLessThan(200)
    expect(peakRss).toBeLessThan(1024 * 1024 * 1024)
    expect(peakRss - rssBefore).toBeLessThan(200 * 1024 * 1024)
  })

  test.each([
    ['demoLogin without a token', 'demoLogin', { persona: 'commit\u0000tee' }, false],
    ['listNotices search', 'listNotices', { communityId: 'COMMUNITY', q: 'a\u0000b' }, true],
    ['communityId itself', 'listNotices', { communityId: 'c\u0000' }, true],
    ['a key of the input', 'me', { 'a\u0001': 1 }, true],
    ['bindUnit name', 'bindUnit', { communityId: 'COMMUNITY', building: '1栋', stair: '1单元', room: '101', name: '张\u001b三', phone: '13900000000' }, true],
  ])('a control character (%s) answers BadInput, never Internal', async (_label, action, input, auth) => {
    const community = (await deps.db.selectFrom('communities').select('id').where('name', '=', '滨江花园').executeTakeFirstOrThrow()).id
    const payload = JSON.parse(JSON.stringify(input).replace('"COMMUNITY"', JSON.stringify(community)))
    const r = await post(action as string, payload, auth as boolean)
    expect(r.json().error.code).toBe('BadInput')
    expect(r.statusCode).toBe(400)
  })

  test('newline and tab stay allowed in text', async () => {
    const community = (await deps.db.selectFrom('communities').select('id').where('name', '=', '滨江花园').executeTakeFirstOrThrow()).id
    const r = await post('listNotices', { communityId: community, q: 'a\tb\nc' })
    expect(r.json().ok).toBe(true)
  })

  test('every answer carries the security headers and no CORS header', async () => {
    const r = await post('me', {})
    expect(r.headers['x-content-type-options']).toBe('nosniff')
    expect(r.headers['x-frame-options']).toBe('DENY')
    expect(r.headers['referrer-policy']).toBe('no-referrer')
    expect(r.headers['access-control-allow-origin']).toBeUndefined()
    const h = await app.inject({ method: 'GET', url: '/healthz', headers: { origin: 'https://evil.example' } })
    expect(h.headers['x-content-type-options']).toBe('nosniff')
    expect(h.headers['access-control-allow-origin']).toBeUndefined()
    // Refusals too: an unknown route, malformed JSON, a body over its limit, an unknown session.
    const json = { 'content-type': 'application/json' }
    const refusals = [
      await app.inject({ method: 'GET', url: '/nope' }),
      await app.inject({ method: 'POST', url: '/api/me', headers: { ...json, authorization: `Bearer ${token}` }, payload: '{"broken' }),
      await app.inject({ method: 'POST', url: '/api/demoLogin', headers: json, payload: JSON.stringify({ persona: 'x'.repeat(ANONYMOUS_BODY_LIMIT) }) }),
      await app.inject({ method: 'POST', url: '/api/listNotices', headers: { ...json, authorization: 'Bearer not-a-session' }, payload: JSON.stringify({ communityId: 'x' }) }),
    ]
    expect(refusals.map((x) => [x.statusCode, x.headers['x-frame-options'], x.headers['content-security-policy']])).toEqual(
      [404, 400, 413, 401].map((status) => [status, 'DENY', "frame-ancestors 'none'; object-src 'none'; base-uri 'self'"]),
    )
  })

  test('an unknown route answers the Chinese envelope, not an English 404', async () => {
    for (const [method, url] of [['GET', '/nope'], ['POST', '/nope'], ['DELETE', '/api/me']] as const) {
      const r = await app.inject({ method, url })
      expect(r.statusCode).toBe(404)
      expect(r.json()).toEqual({ ok: false, error: { code: 'NotFound', message: '没有这个地址' } })
    }
  })
})
