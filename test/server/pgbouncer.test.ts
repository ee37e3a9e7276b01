import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import { createDb, migrateToLatest } from '../../server/db/create-db'
import type { Database } from '../../server/db/database'
import { runDueJobs, type JobOutcome } from '../../server/jobs/runner'
import type { OutboxDeliverer } from '../../server/outbox/outbox.drain'
import { grantRole } from '../../server/communities/membership.repository'
import { findOrCreateUser } from '../../server/identity/user.repository'
import { testDeps } from '../helpers/db'
import { announcedVote, makeVoteWorld } from '../helpers/votes-world'
import { makeWorld, ok } from '../helpers/world'

/**
 * The cloud function against PostgreSQL, directly and through PgBouncer in transaction pooling
 * (as when instances multiply): the built bundle's main() 50 times at once in one instance, whose
 * pool holds at most 2 connections; and two job runners sharing the database through PgBouncer
 * open a vote, close it and publish its result exactly once.
 */
const root = path.resolve(__dirname, '../..')
const URL0 = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const PGBOUNCER = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((p) => fs.existsSync(p))
// Under node_modules/.cache so the bundle's externals resolve from the project's node_modules.
fs.mkdirSync(path.join(root, 'node_modules/.cache'), { recursive: true })
const dir = fs.mkdtempSync(path.join(root, 'node_modules/.cache/gongzhi-pgbouncer-'))
const bundle = path.join(dir, 'api')
const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`
const appName = `gz-cloud-${schema}`
let admin: Kysely<Database>
let db: Kysely<Database>
let bouncer: ChildProcess | null = null
let bouncerUrl = ''
/** PgBouncer's log (it writes to stderr when no logfile is set). */
let bouncerLog = ''
let communityId = ''

const direct = () => {
  const u = new URL(URL0)
  u.searchParams.set('options', `-c search_path=${schema}`)
  return u.toString()
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo
      s.close(() => resolve(port))
    })
    s.once('error', reject)
  })
}

/** Starts Debian's pgbouncer in transaction pooling on a free port, in front of the test's PostgreSQL and schema. */
async function startBouncer(): Promise<string> {
  if (!PGBOUNCER) throw new Error('pgbouncer is not installed: apt-get install -y pgbouncer (.ci/run does)')
  const port = await freePort()
  const pg = new URL(URL0)
  const conf = path.join(dir, 'pgbouncer.ini')
  fs.chmodSync(dir, 0o755)
  fs.writeFileSync(path.join(dir, 'userlist.txt'), '"postgres" ""\n')
  fs.writeFileSync(conf, [
    '[databases]',
    // Every server connection of this alias works in the test's schema.
    `gz = host=${pg.hostname} port=${pg.port || 5432} dbname=${pg.pathname.slice(1)} user=${pg.username || 'postgres'} connect_query='SET search_path TO ${schema}'`,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    'auth_type = trust',
    `auth_file = ${path.join(dir, 'userlist.txt')}`,
    'pool_mode = transaction',
    'default_pool_size = 5',
    'max_client_conn = 200',
    'ignore_startup_parameters = extra_float_digits,options',
    `unix_socket_dir =`,
    '',
  ].join('\n'))
  for (const f of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, f), fs.statSync(path.join(dir, f)).isDirectory() ? 0o755 : 0o644)
  // PgBouncer refuses to run as root: -u switches to the postgres user.
  const asRoot = process.getuid?.() === 0
  bouncer = spawn(PGBOUNCER, [...(asRoot ? ['-u', 'postgres'] : []), conf], { stdio: ['ignore', 'pipe', 'pipe'] })
  bouncer.stdout!.on('data', (d) => (bouncerLog += d))
  bouncer.stderr!.on('data', (d) => (bouncerLog += d))
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.end()
        resolve(true)
      })
      s.once('error', () => resolve(false))
    })
    if (up) return `postgres://postgres@127.0.0.1:${port}/gz`
    if (bouncer.exitCode !== null) break
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`pgbouncer did not start: ${bouncerLog}`)
}

beforeAll(async () => {
  execFileSync(process.execPath, [path.join(root, 'scripts/build-cloud.mjs')], { cwd: root, stdio: 'pipe', env: { ...process.env, CLOUD_OUT_DIR: bundle } })
  admin = (await createDb({ databaseUrl: URL0 })).db
  await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(admin)
  db = (await createDb({ databaseUrl: direct() })).db
  await migrateToLatest(db)
  // One 小区 and the WeChat user who calls: an owner there.
  const w = await makeWorld(db)
  communityId = w.a
  const user = await findOrCreateUser(db, 'o-many', '微信用户', new Date())
  await grantRole(db, user.id, 'owner', { communityId }, new Date())
  bouncerUrl = await startBouncer()
}, 120_000)

afterAll(async () => {
  if (bouncer && bouncer.exitCode === null) {
    const exited = new Promise((r) => bouncer!.once('exit', r))
    bouncer.kill('SIGTERM')
    await exited
  }
  await db?.destroy()
  await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(admin)
  await admin.destroy()
  fs.rmSync(dir, { recursive: true, force: true })
})

/**
 * One warm instance: a fresh Node process loads the built bundle and calls main() `n` times at
 * once (me and the 小区's notices, alternately), as WeChat would hand it concurrent events.
 */
function invokeConcurrently(databaseUrl: string, n: number): Promise<{ ok: boolean; error?: unknown }[]> {
  const script = `
const { main } = require(${JSON.stringify(bundle)})
const events = Array.from({ length: ${n} }, (_, i) => i % 2 ? { action: 'listNotices', input: { communityId: ${JSON.stringify(communityId)} } } : { action: 'me', input: {} })
Promise.all(events.map((e) => main(e, {}))).then((r) => { process.stdout.write(JSON.stringify(r)); process.exit(0) }, (e) => { console.error(e); process.exit(1) })`
  const u = new URL(databaseUrl)
  u.searchParams.set('application_name', appName)
  const env = { PATH: process.env.PATH, NODE_ENV: 'test', DATABASE_URL: u.toString(), TCB_ENV: 'test-env', WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID', WX_OPENID: 'o-many', WX_APPID: 'wx-test' }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = '', err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`exit ${code}: ${err}`))))
  })
}

/** While `run` goes, the most connections PostgreSQL saw at once from the instance (by its application_name). */
async function peakConnections<T>(run: Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = 0
  let done = false
  const watch = (async () => {
    while (!done) {
      const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = ${appName}`.execute(admin)
      peak = Math.max(peak, r.rows[0].n)
      await new Promise((res) => setTimeout(res, 5))
    }
  })()
  try {
    return { result: await run, peak }
  } finally {
    done = true
    await watch
  }
}

test('50 concurrent calls of the built bundle on PostgreSQL all succeed, over a pool of at most 2 connections', async () => {
  const { result, peak } = await peakConnections(invokeConcurrently(direct(), 50))
  expect(result).toHaveLength(50)
  expect(result.filter((r) => !r.ok)).toEqual([])
  expect(peak).toBeGreaterThanOrEqual(1)
  expect(peak).toBeLessThanOrEqual(2)
}, 120_000)

test('through PgBouncer in transaction pooling: the same 50 concurrent calls all succeed', async () => {
  const result = await invokeConcurrently(bouncerUrl, 50)
  expect(result).toHaveLength(50)
  expect(result.filter((r) => !r.ok)).toEqual([])
  // PgBouncer really was in between: it served this database alias.
  expect(bouncerLog).toMatch(/gz\/postgres@127\.0\.0\.1/)
}, 120_000)

test('through PgBouncer: two job runners open a vote, then close it and publish its result, exactly once', async () => {
  const a = (await createDb({ databaseUrl: bouncerUrl, poolMax: 2 })).db
  const b = (await createDb({ databaseUrl: bouncerUrl, poolMax: 2 })).db
  try {
    const deps = testDeps(a, 'postgres')
    const w = await makeVoteWorld(a)
    const { voteId, opensAt, closesAt, matters } = await announcedVote(deps, w)
    const deliverer: OutboxDeliverer = { deliver: async () => undefined }
    const runners = [{ ...deps, deliverer }, { ...deps, db: b, deliverer }]
    const both = async (now: Date) => {
      const outcomes = await Promise.all(runners.map((r, i) => runDueJobs(r, now, { owner: `bouncer-runner-${i}` })))
      return outcomes.flat().filter((o): o is Extract<JobOutcome, { ok: true }> => o.name === 'voteClock' && o.ok).map((o) => o.result)
    }
    expect(await both(new Date(opensAt.getTime() + 1000))).toEqual([{ opened: 1, closed: 0, failed: 0 }])
    deps.setNow(new Date(opensAt.getTime() + 3600_000))
    await ok(deps, 'castBallot', { communityId: w.a, voteId, confirmed: true, choices: [{ matterId: matters[0].id, choice: 'agree' }] }, w.people.solo.userId)
    const end = closesAt.getTime() + 1000
    expect(await both(new Date(end))).toEqual([{ opened: 0, closed: 1, failed: 0 }])
    expect(await both(new Date(end + 20_000))).toEqual([{ opened: 0, closed: 0, failed: 0 }])
    const vote = await a.selectFrom('votes').select(['status', 'result_notice_id']).where('id', '=', voteId).executeTakeFirstOrThrow()
    expect(vote.status).toBe('closed')
    const results = await a.selectFrom('notices').select('id').where('community_id', '=', w.a).where('kind', '=', '表决结果').execute()
    expect(results.map((n) => n.id)).toEqual([vote.result_notice_id])
    expect((await a.selectFrom('audit_log').select('seq').where('entity_id', '=', voteId).where('action', '=', 'vote.closed').execute()).length).toBe(1)
  } finally {
    await a.destroy()
    await b.destroy()
  }
}, 120_000)

test('the pool size: PG_POOL_MAX, else 10; a bad value is refused', async () => {
  const { poolMaxOf } = await import('../../server/db/create-db')
  expect(poolMaxOf({}, {})).toBe(10)
  expect(poolMaxOf({}, { PG_POOL_MAX: '2' })).toBe(2)
  expect(poolMaxOf({ poolMax: 3 }, { PG_POOL_MAX: '2' })).toBe(3)
  expect(() => poolMaxOf({}, { PG_POOL_MAX: 'zero' })).toThrow(/PG_POOL_MAX/)
})
