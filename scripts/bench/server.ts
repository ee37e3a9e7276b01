/**
 * `npm run bench`: the real server under load, beside a bare Fastify measured in the same run.
 *
 *   npm run bench                          # 50 connections, 10 s per endpoint
 *   BENCH_SECONDS=5 BENCH_CONNECTIONS=20 npm run bench
 *   BENCH_UNITS=1000 npm run bench         # a smaller 小区 (notices, ballots and reports scale with it)
 *
 * 1. Generates the 小区 (scripts/bench/world.ts: 5,000 units, 10,000 notices, a year of bills, 200
 *    reports, an open vote with 4,000 ballots, four more open votes to cast in) into a SQLite file.
 * 2. Starts the server as a child process exactly as production runs it (NODE_ENV=production,
 *    that SQLite file in WAL with synchronous=FULL, the job runner on) under `node --cpu-prof`,
 *    and a bare Fastify answering a constant JSON in another process.
 * 3. Loads each with autocannon from a worker thread: a warm-up, then the timed run. Reads: the
 *    notices feed, me, vote progress, my bills. Writes: cast a ballot (each request a distinct
 *    voter in one of the open votes; afterwards the ballots are counted: every acknowledged cast
 *    is there exactly once, nothing else is) and file a report (owners in turn).
 * 4. Prints req/s, p50, p99, the ratio to the bare server and the target; then the server's CPU
 *    profile by self time; then the cloud function bundle's size and cold first call.
 *
 * This machine is shared: read the ratios, not the absolute figures; the load average is printed.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createDb, migrateToLatest } from '../../server/db/create-db'
import { loadConfig } from '../../server/config'
import { cloudBundleFigures } from './cloud-cold'
import { cannon, loadLine, printTable, rps, startBare, startChild, stopChild, summariseProfile, type Row, type Run, type Target } from './load-kit'
import { BENCH_WORLD, generateWorld } from './world'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 2)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50)
const UNITS = Number(process.env.BENCH_UNITS ?? BENCH_WORLD.units)
const READ = { minRatio: 0.4, maxP99: 30 }
const CAST = { minRps: 2000 }

async function main() {
  console.log(`npm run bench — ${loadLine()}; ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${SECONDS} s per endpoint`)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-bench-'))
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production', DEMO: '', TRUST_PROXY: '1', HOST: '127.0.0.1', PORT: '0',
    DATA_DIR: dir, SQLITE_FILE: path.join(dir, 'gongzhi.sqlite'), H5_DIR: path.join(dir, 'no-h5'),
    ID_HASH_SECRET: 'bench-id-secret', AUDIT_HMAC_SECRET: 'bench-audit-secret', DATABASE_URL: '',
    WECHAT_APPID: '', WECHAT_SECRET: '',
  }
  const config = loadConfig(env)
  const scale = UNITS / BENCH_WORLD.units
  const size = { ...BENCH_WORLD, units: UNITS, notices: Math.round(BENCH_WORLD.notices * scale), ballots: Math.round(BENCH_WORLD.ballots * scale), reports: Math.max(20, Math.round(BENCH_WORLD.reports * scale)) }
  const t = Date.now()
  const { db, dialect } = await createDb({ sqliteFile: config.sqliteFile })
  await migrateToLatest(db)
  const world = await generateWorld(db, dialect, size, { config, log: (s) => console.log(`  generate: ${s}`) })
  await db.destroy()
  console.log(`  generated in ${((Date.now() - t) / 1000).toFixed(1)} s into ${config.sqliteFile}`)

  const profDir = path.join(dir, 'prof')
  const bare = await startBare()
  const server = await startChild(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--import', 'tsx', 'server/main.ts'], env, 'server')
  console.log(`  bare Fastify at ${bare.url}; server (production, SQLite synchronous=FULL, under --cpu-prof) at ${server.url}`)
  const json = { 'content-type': 'application/json' }
  const auth = (token: string) => ({ ...json, authorization: `Bearer ${token}` })
  const owner = world.residents[0]
  const c = world.communityId

  const load = async (url: string, target: Target, maxRequests?: number, warm = true): Promise<Run> => {
    if (warm) await cannon(url, target, { connections: CONNECTIONS, seconds: WARMUP, maxRequests })
    return cannon(url, target, { connections: CONNECTIONS, seconds: SECONDS, maxRequests })
  }
  const rows: Row[] = []
  try {
    const base = await load(bare.url, { method: 'POST', path: '/', headers: json, body: '{}' })
    rows.push({ name: 'bare Fastify, constant JSON', run: base, baseline: true })
    const reads: [string, string, unknown][] = [
      ['notices feed (listNotices)', 'listNotices', { communityId: c }],
      ['me', 'me', {}],
      ['vote progress (voteProgress)', 'voteProgress', { communityId: c, voteId: world.progressVoteId }],
      ['my bills (myBills)', 'myBills', { communityId: c }],
    ]
    for (const [name, action, input] of reads) {
      const check = await fetch(`${server.url}/api/${action}`, { method: 'POST', headers: auth(owner.token), body: JSON.stringify(input) })
      const env = (await check.json()) as { ok: boolean; error?: unknown }
      if (!env.ok) throw new Error(`${action} refused: ${JSON.stringify(env.error)}`)
      rows.push({ name, run: await load(server.url, { method: 'POST', path: `/api/${action}`, headers: auth(owner.token), body: JSON.stringify(input) }), target: READ })
    }

    // Casting: each request a distinct (vote, voter) that has not voted; no warm-up (a cast is final).
    const castVariants = world.casts.map((k, i) => ({
      headers: auth(k.token),
      body: JSON.stringify({ communityId: c, voteId: k.voteId, voterKey: k.voterKey, confirmed: true, choices: k.matterIds.map((matterId, m) => ({ matterId, choice: (i + m) % 3 ? 'agree' : 'oppose' })) }),
    }))
    const cast = await load(server.url, { method: 'POST', path: '/api/castBallot', headers: json, variants: castVariants }, castVariants.length, false)
    const castVotes = [...new Set(world.casts.map((k) => k.voteId))]
    const check = (await createDb({ sqliteFile: config.sqliteFile })).db
    const counted = await check.selectFrom('ballots').select((eb) => eb.fn.countAll<number>().as('rows'))
      .where('community_id', '=', c).where('vote_id', 'in', castVotes).executeTakeFirstOrThrow()
    const papers = await check.selectFrom('ballots').select(['vote_id', 'voter_key']).where('community_id', '=', c).where('vote_id', 'in', castVotes).groupBy(['vote_id', 'voter_key']).execute()
    const dupes = await check.selectFrom('ballots').select(['vote_id', 'voter_key', 'matter_id']).where('community_id', '=', c).where('vote_id', 'in', castVotes)
      .groupBy(['vote_id', 'voter_key', 'matter_id']).having((eb) => eb.fn.countAll(), '>', 1).execute()
    // Requests still in flight when autocannon stops at the deadline are not counted as answered,
    // though the server may have stored them: so every acknowledged cast must be there, at most
    // one in flight per connection more, each paper whole (a row per matter) and none twice.
    const acked = cast['2xx']
    const stored = papers.length
    const exact = stored >= acked && stored <= acked + CONNECTIONS && Number(counted.rows) === stored * 2 && dupes.length === 0
    rows.push({ name: 'cast a ballot (castBallot)', run: cast, target: CAST, note: `${acked} acknowledged, ${stored} papers (${Number(counted.rows)} rows) stored, ${dupes.length} duplicated: ${exact ? 'none lost or duplicated' : 'MISMATCH'}` })
    if (cast.requests.total >= castVariants.length) rows[rows.length - 1].note += ` (stopped at the ${castVariants.length} voters available, ${cast.duration.toFixed(1)} s)`

    const reportsBefore = await check.selectFrom('reports').select((eb) => eb.fn.countAll<number>().as('n')).where('community_id', '=', c).executeTakeFirstOrThrow()
    const reporters = world.residents.slice(0, world.residents.length - size.reports)
    const reportVariants = reporters.map((r, i) => ({
      headers: auth(r.token),
      body: JSON.stringify({ communityId: c, category: 'repair', description: `压测报事${i}：楼道灯不亮`, place: { kind: 'building', buildingId: world.buildingIds[i % world.buildingIds.length] }, urgency: 'ordinary' }),
    }))
    const report = await load(server.url, { method: 'POST', path: '/api/createReport', headers: json, variants: reportVariants }, undefined, false)
    const reportsAfter = await check.selectFrom('reports').select((eb) => eb.fn.countAll<number>().as('n')).where('community_id', '=', c).executeTakeFirstOrThrow()
    rows.push({ name: 'file a report (createReport)', run: report, note: `${Number(reportsAfter.n) - Number(reportsBefore.n)} stored for ${report['2xx']} acknowledged` })
    await check.destroy()

    console.log(`\n${loadLine()} after the runs`)
    printTable(rows, base)
    console.log(`(p50/p99 in whole milliseconds as autocannon records them; ratios are req/s ÷ the bare server's ${rps(base).toFixed(0)} req/s in this run)`)
  } finally {
    await stopChild(bare.child)
    await stopChild(server.child)
  }
  const prof = fs.existsSync(profDir) ? fs.readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile')) : []
  if (prof.length) console.log(`\n${summariseProfile(path.join(profDir, prof[0])).join('\n')}`)
  else console.log('\n(no CPU profile was written)')
  if (process.env.BENCH_KEEP_PROFILE) fs.copyFileSync(path.join(profDir, prof[0]), process.env.BENCH_KEEP_PROFILE)

  console.log('')
  for (const line of await cloudBundleFigures()) console.log(line)
  fs.rmSync(dir, { recursive: true, force: true })
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
