/**
 * Benchmark: the HTTP API under load, as a browser (H5) or the mini-program reaches it.
 *
 *   npx tsx scripts/bench/http-api.ts
 *   BENCH_SECONDS=5 BENCH_CONNECTIONS=10 npx tsx scripts/bench/http-api.ts
 *
 * Starts the real Fastify app (buildApp over createDeps, a SQLite file in a temp dir, the demo
 * seed), on 127.0.0.1 with an ephemeral port, logs in the demo owner 邓雨英 (demoLogin), then
 * drives it with autocannon, bounded in time and in count, one endpoint after the other:
 * - GET /healthz (baseline: Fastify, the rate limiter and the socket, no action, no database),
 * - POST /api/listNotices (her 小区's feed), POST /api/me, POST /api/listVotes.
 * Each gets a short unrecorded warm-up, then a timed run. Prints requests/s, latency p50/p99 and
 * the ratio to the baseline, and stops the server.
 *
 * autocannon runs in a worker thread so the load generator does not share the server's event
 * loop (it still shares this 2-core machine, so read the ratios rather than the absolute figures).
 * The app limits each client address to 600 requests a minute; a benchmark from one address would
 * measure 429s. The server is started with TRUST_PROXY=1 and every request carries its own
 * X-Forwarded-For, so the limiter still runs on every request but never refuses one. Any
 * non-2xx answer is counted and printed, and a run with one is flagged.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { Worker } from 'node:worker_threads'
import pino from 'pino'
import type { ActionInput, ActionName, ActionOutput } from '../../src/contracts/api'
import { registry } from '../../server/actions'
import { loadConfig } from '../../server/config'
import { createDeps } from '../../server/deps'
import { seedDemo } from '../../server/demo/seed'
import { buildApp } from '../../server/transports/http'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const WARMUP_SECONDS = 2
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10)
/** A cap on requests per run (autocannon's maxOverallRequests; `amount` would override the duration). */
const MAX_REQUESTS = Number(process.env.BENCH_MAX_REQUESTS ?? 200_000)
const PERSONA = 'owner-bound'

interface Run {
  requests: { total: number }
  latency: { p50: number; p99: number; average: number }
  non2xx: number
  errors: number
  timeouts: number
  duration: number
  statusCodeStats: Record<string, { count: number }>
}

/** autocannon in a worker thread; every request gets a distinct X-Forwarded-For (see above). */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
const autocannon = require(workerData.autocannonPath)
let n = 0
const { method, path, headers, body, ...opts } = workerData.opts
opts.requests = [{
  method, path, headers, body,
  setupRequest: (req) => {
    n++
    req.headers = { ...req.headers, 'x-forwarded-for': '10.' + ((n >> 16) & 255) + '.' + ((n >> 8) & 255) + '.' + (n & 255) }
    return req
  },
}]
// Inside a worker thread autocannon answers raw histograms: aggregate them into the usual figures.
autocannon(opts).then((r) => parentPort.postMessage(JSON.stringify(autocannon.aggregateResult([r], opts))), (err) => parentPort.postMessage(JSON.stringify({ error: String(err) })))
`

function cannon(opts: { url: string; method: string; path: string; headers: Record<string, string>; body?: string; duration: number }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: { autocannonPath: require.resolve('autocannon'), opts: { connections: CONNECTIONS, ...opts, maxOverallRequests: MAX_REQUESTS } },
    })
    worker.once('message', (msg: string) => {
      const r = JSON.parse(msg)
      void worker.terminate()
      if (r.error) reject(new Error(r.error))
      else resolve(r as Run)
    })
    worker.once('error', reject)
  })
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-bench-http-'))
  const config = {
    ...loadConfig({ NODE_ENV: 'development', DEMO: '1', TRUST_PROXY: '1', DATA_DIR: dir }),
    sqliteFile: path.join(dir, 'bench.sqlite'),
    host: '127.0.0.1',
    port: 0,
    h5Dir: path.join(dir, 'no-h5'), // the API only
  }
  const deps = await createDeps(config, { log: pino({ level: 'silent' }) })
  const t = Date.now()
  if (!(await seedDemo(deps))) throw new Error('the demo seed did not run on a fresh database')
  console.log(`demo seed in ${((Date.now() - t) / 1000).toFixed(1)} s (SQLite file in a temp dir)`)
  const app = await buildApp(deps, registry, { logger: false })
  try {
    await app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = app.server.address() as AddressInfo
    const url = `http://127.0.0.1:${port}`

    const post = async <A extends ActionName>(action: A, body: ActionInput<A>, token?: string): Promise<ActionOutput<A>> => {
      const res = await fetch(`${url}/api/${action}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      })
      const env = (await res.json()) as { ok: boolean; data?: ActionOutput<A>; error?: { code: string; message: string } }
      if (!env.ok) throw new Error(`${action}: ${env.error?.code} ${env.error?.message}`)
      return env.data as ActionOutput<A>
    }
    const { token } = await post('demoLogin', { persona: PERSONA })
    const me = await post('me', {}, token)
    const communityId: string = me.communities[0].id
    const feed = await post('listNotices', { communityId }, token)
    const votes = await post('listVotes', { communityId }, token)
    console.log(`logged in as ${me.nickname} (${PERSONA}) of ${me.communities[0].name}: ${feed.items.length} notices on the first page, ${votes.length} vote(s)`)

    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
    const targets = [
      { name: 'GET /healthz (baseline)', method: 'GET', path: '/healthz', headers: {} as Record<string, string> },
      { name: 'POST /api/listNotices', method: 'POST', path: '/api/listNotices', headers: auth, body: JSON.stringify({ communityId }) },
      { name: 'POST /api/me', method: 'POST', path: '/api/me', headers: auth, body: '{}' },
      { name: 'POST /api/listVotes', method: 'POST', path: '/api/listVotes', headers: auth, body: JSON.stringify({ communityId }) },
    ]
    console.log(`autocannon: ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s (at most ${MAX_REQUESTS} requests) per endpoint, against ${url}`)
    const results: { name: string; run: Run }[] = []
    for (const target of targets) {
      const { name, ...req } = target
      await cannon({ url, ...req, duration: WARMUP_SECONDS })
      const run = await cannon({ url, ...req, duration: SECONDS })
      results.push({ name, run })
    }

    // Requests per second over the whole run (autocannon's per-second average is not filled in
    // when it runs in a worker); latency percentiles are whole milliseconds.
    const rps = (r: Run) => r.requests.total / r.duration
    const base = results[0].run
    const w = Math.max(...results.map((r) => r.name.length))
    console.log(`${'endpoint'.padEnd(w)}     req/s   p50 ms   p99 ms   requests   seconds   non-2xx   req/s ÷ baseline   baseline req/s ÷ req/s`)
    for (const { name, run } of results) {
      const flag = run.non2xx || run.errors || run.timeouts ? `   ← ${JSON.stringify(run.statusCodeStats)}, ${run.errors} errors, ${run.timeouts} timeouts` : ''
      console.log(
        `${name.padEnd(w)}   ${rps(run).toFixed(0).padStart(7)}   ${String(run.latency.p50).padStart(6)}   ${String(run.latency.p99).padStart(6)}   ${String(run.requests.total).padStart(8)}   ${run.duration.toFixed(1).padStart(7)}   ${String(run.non2xx).padStart(7)}   ${(rps(run) / rps(base)).toFixed(3).padStart(16)}   ${(rps(base) / rps(run)).toFixed(1).padStart(22)}${flag}`,
      )
    }
    console.log(`(latency percentiles are whole milliseconds as autocannon records them, so /healthz shows 0; a run stops at ${SECONDS} s or ${MAX_REQUESTS} requests, whichever comes first)`)
  } finally {
    await app.close()
    await deps.db.destroy()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
