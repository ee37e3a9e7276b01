/**
 * What the HTTP load benchmarks share: autocannon in a worker thread (so the load generator does not
 * share this process's event loop), child processes that print the address they listen on, the bare
 * Fastify baseline, the summary of a V8 CPU profile by self time, and the table of results with the
 * ratio to the baseline and the target.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Worker } from 'node:worker_threads'

export interface Run {
  requests: { total: number }
  latency: { p50: number; p99: number; average: number }
  '2xx': number
  non2xx: number
  errors: number
  timeouts: number
  duration: number
  statusCodeStats: Record<string, { count: number }>
}

/** One request, or one of a list of variants taken in turn (request n gets variant n, wrapping). */
export interface Target {
  method: 'GET' | 'POST'
  path: string
  headers?: Record<string, string>
  body?: string
  variants?: { headers?: Record<string, string>; body?: string }[]
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
const autocannon = require(workerData.autocannonPath)
const { target, ...opts } = workerData.opts
let n = 0
// Each request its own X-Forwarded-For: the server trusts the proxy header (TRUST_PROXY=1), so its
// per-address rate limit still runs on every request but never refuses one of the benchmark's.
opts.requests = [{
  method: target.method, path: target.path, headers: target.headers || {}, body: target.body,
  setupRequest: (req) => {
    const i = n++
    const v = target.variants ? target.variants[i % target.variants.length] : null
    req.headers = { ...req.headers, ...(v && v.headers), 'x-forwarded-for': '10.' + ((i >> 16) & 255) + '.' + ((i >> 8) & 255) + '.' + (i & 255) }
    if (v && v.body !== undefined) req.body = v.body
    return req
  },
}]
autocannon(opts).then((r) => parentPort.postMessage(JSON.stringify(autocannon.aggregateResult([r], opts))), (err) => parentPort.postMessage(JSON.stringify({ error: String(err) })))
`

export function cannon(url: string, target: Target, o: { connections: number; seconds: number; maxRequests?: number }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        autocannonPath: require.resolve('autocannon'),
        opts: { url, target, connections: o.connections, duration: o.seconds, ...(o.maxRequests ? { maxOverallRequests: o.maxRequests } : {}), timeout: 10 },
      },
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

export const rps = (r: Run) => r.requests.total / r.duration

/** Starts a child and waits for `http://host:port` on its output; answers the child and its base URL. */
export function startChild(cmd: string, args: string[], env: NodeJS.ProcessEnv, label: string, timeoutMs = 180_000, cwd?: string): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    const timer = setTimeout(() => reject(new Error(`${label} did not start in ${timeoutMs / 1000} s:\n${out}`)), timeoutMs)
    const onData = (d: Buffer) => {
      out += d.toString()
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve({ child, url: `http://127.0.0.1:${m[1]}`, output: () => out })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${label} exited with ${code}:\n${out}`))
    })
  })
}

/** Ends a child with SIGTERM (the server closes gracefully, which writes its CPU profile) and waits. */
export function stopChild(child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.removeAllListeners('exit')
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
    }, timeoutMs)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

/** The baseline: a bare Fastify answering a constant JSON, in its own process. */
export function startBare() {
  const src = `
const app = require('fastify')({ logger: false })
const answer = { ok: true, data: { status: 'ok' } }
app.get('/', async () => answer)
app.post('/', async () => answer)
app.listen({ port: 0, host: '127.0.0.1' }).then((addr) => console.log(addr))
`
  return startChild(process.execPath, ['-e', src], { ...process.env, NODE_PATH: path.resolve('node_modules') }, 'bare Fastify', 30_000)
}

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

/** Self time by function (and by where the code lives) from a .cpuprofile, idle excluded. */
export function summariseProfile(file: string, top = 20): string[] {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  const self = new Map<number, number>()
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0))
  const fns = new Map<string, number>()
  const areas = new Map<string, number>()
  let total = 0
  for (const [id, us] of self) {
    const f = byId.get(id)!.callFrame
    if (f.functionName === '(idle)') continue
    total += us
    const where = shortUrl(f.url)
    const key = `${f.functionName || '(anonymous)'}  ${where}${f.url ? `:${f.lineNumber + 1}` : ''}`
    fns.set(key, (fns.get(key) ?? 0) + us)
    const area = areaOf(f.url, f.functionName)
    areas.set(area, (areas.get(area) ?? 0) + us)
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`
  const lines = [`CPU profile of the server child: ${(total / 1e6).toFixed(1)} s of samples outside idle`, 'top functions by self time:']
  for (const [k, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(us)}  ${k}`)
  lines.push('self time by where the code lives:')
  for (const [k, us] of [...areas].sort((a, b) => b[1] - a[1]).slice(0, 14)) lines.push(`  ${pct(us)}  ${k}`)
  return lines
}

function shortUrl(url: string): string {
  if (!url) return ''
  const u = url.replace(/^file:\/\//, '')
  const nm = u.lastIndexOf('node_modules/')
  if (nm >= 0) return u.slice(nm + 'node_modules/'.length)
  const root = path.resolve('.') + '/'
  return u.startsWith(root) ? u.slice(root.length) : u.replace(/^node:/, 'node:')
}

function areaOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native: V8 builtins, C++ bindings)'
  const u = shortUrl(url)
  const m = /^(@[^/]+\/[^/]+|[^/]+)\//.exec(u)
  if (url.includes('node_modules/') && m) return m[1]
  if (u.startsWith('node:')) return 'node: core'
  const s = /^(server\/[^/]+|src\/contracts)/.exec(u)
  return s ? s[1] : u
}

export const loadLine = () => `load average ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')} on ${os.cpus().length} cores`

export interface Row { name: string; run: Run; baseline?: boolean; target?: { minRatio?: number; maxP99?: number; minRps?: number }; note?: string }

/** The table: req/s, p50, p99, ratio to the baseline, the target and whether it is met. */
export function printTable(rows: Row[], base: Run): void {
  const w = Math.max(...rows.map((r) => r.name.length), 8)
  console.log(`${'endpoint'.padEnd(w)}    req/s  p50 ms  p99 ms   non-2xx   ÷ bare   target                               met`)
  for (const { name, run, target, note, baseline } of rows) {
    const ratio = rps(run) / rps(base)
    const parts: string[] = []
    let met = true
    if (target?.minRatio !== undefined) {
      parts.push(`≥ ${(target.minRatio * 100).toFixed(0)}% of bare`)
      met &&= ratio >= target.minRatio
    }
    if (target?.maxP99 !== undefined) {
      parts.push(`p99 < ${target.maxP99} ms`)
      met &&= run.latency.p99 < target.maxP99
    }
    if (target?.minRps !== undefined) {
      parts.push(`≥ ${target.minRps}/s durable`)
      met &&= rps(run) >= target.minRps
    }
    met &&= !run.non2xx && !run.errors && !run.timeouts
    const flag = run.non2xx || run.errors || run.timeouts ? `  ← ${JSON.stringify(run.statusCodeStats)} ${run.errors} errors ${run.timeouts} timeouts` : ''
    console.log(
      `${name.padEnd(w)}  ${rps(run).toFixed(0).padStart(7)}  ${String(run.latency.p50).padStart(6)}  ${String(run.latency.p99).padStart(6)}  ${String(run.non2xx).padStart(8)}  ${(ratio * 100).toFixed(1).padStart(6)}%   ${(parts.join(', ') || (baseline ? '(baseline)' : '(no target)')).padEnd(36)} ${target ? (met ? 'yes' : 'NO') : ''}${note ? `  ${note}` : ''}${flag}`,
    )
  }
}
