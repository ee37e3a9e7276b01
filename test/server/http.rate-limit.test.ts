import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { registry } from '../../server/actions'
import { buildApp } from '../../server/transports/http'
import { useTestDb } from '../helpers/db'

/**
 * The rate limit (600 calls a minute per address) guards the API; the app's own files do not
 * count against it. Opening a page of the H5 build fetches a dozen scripts and styles: a person
 * (or the end-to-end run) moving through forty pages was refused the API after a minute.
 */
describe('rate limit: the API, not the app\'s own files', () => {
  const { deps } = useTestDb('sqlite')
  const h5 = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-h5-'))
  let app: FastifyInstance
  beforeAll(async () => {
    fs.writeFileSync(path.join(h5, 'index.html'), '<!doctype html><title>共治</title>')
    fs.mkdirSync(path.join(h5, 'js'))
    fs.writeFileSync(path.join(h5, 'js', 'app.js'), 'console.log(1)')
    deps.config = { ...deps.config, h5Dir: h5 }
    app = await buildApp(deps, registry)
  })
  afterAll(async () => {
    await app?.close()
    fs.rmSync(h5, { recursive: true, force: true })
  })

  test('700 page and script loads leave the API open; the 601st API call in a minute is refused with RateLimited', async () => {
    for (let i = 0; i < 700; i++) {
      const url = i % 3 === 0 ? '/js/app.js' : i % 3 === 1 ? '/packages/reports/pages/holidays/index' : '/'
      expect((await app.inject({ method: 'GET', url })).statusCode).toBe(200)
    }
    const first = await app.inject({ method: 'POST', url: '/api/demoPersonas', payload: {} })
    expect(first.statusCode).toBe(200)
    let refused = null as null | { statusCode: number; body: string }
    for (let i = 1; i < 600 && !refused; i++) {
      const r = await app.inject({ method: 'POST', url: '/api/demoPersonas', payload: {} })
      if (r.statusCode !== 200) refused = { statusCode: r.statusCode, body: r.body }
    }
    expect(refused).toBeNull()
    const over = await app.inject({ method: 'POST', url: '/api/demoPersonas', payload: {} })
    expect(over.statusCode).toBe(429)
    expect(JSON.parse(over.body)).toMatchObject({ ok: false, error: { code: 'RateLimited', message: '请求太频繁，请稍后再试' } })
  })
})
