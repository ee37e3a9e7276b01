/**
 * `npm run bench:pg`: a district on PostgreSQL — 300 小区 × 2,000 units (600,000 units) with their
 * owners, notices, votes with ballots, bills and reports — and every resident screen and officer
 * list timed (p50, p99; target p99 < 20 ms) beside a SELECT 1 in the same run, with the EXPLAIN
 * of each query an action ran: its plan's top nodes, any Seq Scan flagged.
 *
 *   npm run bench:pg                                   # DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test
 *   BENCH_PG_COMMUNITIES=50 BENCH_PG_UNITS=1000 npm run bench:pg
 *
 * Seeding: one 小区 is generated through the services (scripts/bench/world.ts: roster, notices,
 * bills by generateBills, reports by createReport, a vote opened by the vote clock with ballots),
 * then cloned set-wise in SQL (INSERT … SELECT … CROSS JOIN generate_series) into the other 小区:
 * every id is remapped as md5(clone number || id), so references stay consistent, and each clone is
 * placed under one of 30 community offices in 6 streets of the district. All in a scratch schema,
 * dropped at the end.
 */
import { randomUUID } from 'node:crypto'
import pino from 'pino'
import { Kysely, PostgresDialect, sql, type CompiledQuery } from 'kysely'
import { Pool } from 'pg'
import { registry } from '../../server/actions'
import { loadConfig } from '../../server/config'
import { createDb, migrateToLatest } from '../../server/db/create-db'
import type { Database } from '../../server/db/database'
import { dispatch } from '../../server/registry'
import { loadLine } from './load-kit'
import { benchDeps, generateWorld } from './world'

const URL0 = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test'
const COMMUNITIES = Number(process.env.BENCH_PG_COMMUNITIES ?? 300)
const UNITS = Number(process.env.BENCH_PG_UNITS ?? 2000)
const RUNS = Number(process.env.BENCH_RUNS ?? 200)
const TARGET_P99 = 20
const OFFICES = 30, STREETS = 6
const SKIP = new Set(['districts', 'streets', 'offices', 'sessions', 'kysely_migration', 'kysely_migration_lock'])
const IDLIKE = new Set(['id', 'voter_key', 'openid', 'token_hash', 'receipt_code', 'source_key'])

async function main() {
  console.log(`npm run bench:pg — ${loadLine()}; ${COMMUNITIES} 小区 × ${UNITS} units`)
  const schema = `bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`
  const admin = (await createDb({ databaseUrl: URL0 })).db
  await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(admin)
  const u = new URL(URL0)
  u.searchParams.set('options', `-c search_path=${schema}`)
  const pool = new Pool({ connectionString: u.toString(), max: 4 })
  const captured: CompiledQuery[] = []
  let capture = false
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: (e) => { if (capture && e.level === 'query') captured.push(e.query) } })
  try {
    await migrateToLatest(db)
    const t0 = Date.now()
    const scale = UNITS / 5000
    const world = await generateWorld(db, 'postgres', { units: UNITS, notices: Math.round(10_000 * scale), ballots: Math.round(4_000 * scale), reports: Math.max(10, Math.round(200 * scale)), castVotes: 0, billMonths: Number(process.env.BENCH_PG_BILL_MONTHS ?? 1) }, { log: (s) => console.log(`  template 小区: ${s}`) })
    const tree = await seedTree(db, world.communityId)
    const t1 = Date.now()
    const cloned = await cloneCommunity(db, schema, world.communityId, COMMUNITIES - 1)
    console.log(`  cloned into ${COMMUNITIES - 1} more 小区 in ${((Date.now() - t1) / 1000).toFixed(0)} s: ${cloned.map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`).join(', ')}`)
    await sql`ANALYZE`.execute(db)
    console.log(`  seeded in ${((Date.now() - t0) / 1000).toFixed(0)} s`)

    // Whom we act as: an owner of a clone in the middle, and an officer at each level above it.
    const k = Math.floor(COMMUNITIES / 2)
    const pick = async (id: string) => (k === 0 ? id : (await sql<{ v: string }>`SELECT md5(${String(k)} || ${id})::uuid::text AS v`.execute(db)).rows[0].v)
    const communityId = await pick(world.communityId)
    const ownerId = await pick(world.residents[0].userId)
    const voteId = await pick(world.progressVoteId)
    const place = (await db.selectFrom('communities as c').innerJoin('offices as o', 'o.id', 'c.office_id').select(['c.office_id', 'o.street_id']).where('c.id', '=', communityId).executeTakeFirstOrThrow())
    const officers = { office: randomUUID(), street: randomUUID(), district: randomUUID() }
    const at = new Date().toISOString()
    await db.insertInto('users').values(Object.entries(officers).map(([lvl, id]) => ({ id, openid: `bench:${lvl}`, nickname: lvl, created_at: at }))).execute()
    await db.insertInto('memberships').values([
      { id: randomUUID(), user_id: officers.office, role: 'community_officer', community_id: null, office_id: place.office_id, street_id: null, district_id: null, created_at: at },
      { id: randomUUID(), user_id: officers.street, role: 'street_officer', community_id: null, office_id: null, street_id: place.street_id, district_id: null, created_at: at },
      { id: randomUUID(), user_id: officers.district, role: 'district_officer', community_id: null, office_id: null, street_id: null, district_id: tree.district, created_at: at },
    ]).execute()

    const deps = benchDeps(db, 'postgres', loadConfig({ NODE_ENV: 'test' }), { now: new Date() })
    deps.log = pino({ level: 'silent' })
    const period = new Date().toISOString().slice(0, 7)
    const screens: [string, string, unknown, string][] = [
      ['resident: notices feed', 'listNotices', { communityId }, ownerId],
      ['resident: me', 'me', {}, ownerId],
      ['resident: votes', 'listVotes', { communityId }, ownerId],
      ['resident: a vote', 'getVote', { communityId, voteId }, ownerId],
      ['resident: vote progress', 'voteProgress', { communityId, voteId }, ownerId],
      ['resident: my bills', 'myBills', { communityId }, ownerId],
      ['resident: my reports', 'myReports', { communityId }, ownerId],
      ['resident: repair fund', 'myFund', { communityId }, ownerId],
      ['office: its 小区', 'listJurisdictionCommunities', { officeId: place.office_id }, officers.office],
      ['street: its 小区', 'listJurisdictionCommunities', { streetId: place.street_id }, officers.street],
      ['district: its 小区', 'listJurisdictionCommunities', { districtId: tree.district }, officers.district],
      ['office: report inbox', 'officerReportInbox', { officeId: place.office_id }, officers.office],
      ['street: report inbox', 'officerReportInbox', { streetId: place.street_id }, officers.street],
      ['district: report inbox', 'officerReportInbox', { districtId: tree.district }, officers.district],
      ['office: a 小区 report dashboard', 'reportDashboard', { communityId, period }, officers.office],
      ['district: fund collection', 'fundCollection', { districtId: tree.district }, officers.district],
    ]
    const base = await time(() => sql`SELECT 1`.execute(db), RUNS, 20)
    console.log(`\nSELECT 1 baseline: p50 ${base.median.toFixed(2)} ms, p99 ${p99(base).toFixed(2)} ms`)
    console.log(`${'screen'.padEnd(34)} ${'action'.padEnd(28)} p50 ms   p99 ms   ÷ SELECT 1   p99 < ${TARGET_P99} ms   queries  seq scans over big tables`)
    const plans: string[] = []
    for (const [label, action, input, userId] of screens) {
      const call = async () => {
        const r = await dispatch(registry, action, input, deps, { caller: async () => ({ userId, openid: `bench:${userId}` }) })
        if (!r.ok) throw new Error(`${label} (${action}): ${r.error.code} ${r.error.message}`)
      }
      captured.length = 0
      capture = true
      await call()
      capture = false
      const queries = [...new Map(captured.map((q) => [q.sql, q])).values()]
      const seq: string[] = []
      plans.push(`\n${label} — ${action}`)
      for (const q of queries) {
        const { lines, seqScans } = await explain(pool, q)
        seq.push(...seqScans)
        plans.push(`  ${q.sql.replace(/\s+/g, ' ').slice(0, 140)}${q.sql.length > 140 ? '…' : ''}`, ...lines.map((l) => `      ${l}`))
      }
      const s = await time(call, RUNS, 20)
      const met = p99(s) < TARGET_P99
      console.log(`${label.padEnd(34)} ${action.padEnd(28)} ${s.median.toFixed(2).padStart(6)}  ${p99(s).toFixed(2).padStart(7)}  ${(s.median / base.median).toFixed(0).padStart(10)}×  ${(met ? 'yes' : 'NO').padStart(13)}  ${String(queries.length).padStart(7)}  ${seq.length ? `FLAG ${[...new Set(seq)].join(', ')}` : 'none'}`)
    }
    console.log(`\nplans (top nodes of EXPLAIN of each query the action ran; Seq Scan over a table of more than 10,000 rows is flagged FLAG):${plans.join('\n')}`)
  } finally {
    await db.destroy()
    await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(admin)
    await admin.destroy()
  }
}

/** Runs `fn` `warmup` times unmeasured, then `runs` times: median and p99 in ms. */
async function time(fn: () => Promise<unknown>, runs: number, warmup: number): Promise<{ median: number; p99: number }> {
  for (let i = 0; i < warmup; i++) await fn()
  const xs: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint()
    await fn()
    xs.push(Number(process.hrtime.bigint() - t) / 1e6)
  }
  xs.sort((a, b) => a - b)
  const q = (p: number) => xs[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)]
  return { median: q(0.5), p99: q(0.99) }
}
const p99 = (s: { p99: number }) => s.p99

/** The district: the template's district and street get 5 more streets; 30 offices over the 6. */
async function seedTree(db: Kysely<Database>, communityId: string) {
  const c = await db.selectFrom('communities as c').innerJoin('offices as o', 'o.id', 'c.office_id').innerJoin('streets as s', 's.id', 'o.street_id')
    .select(['c.office_id', 'o.street_id', 's.district_id']).where('c.id', '=', communityId).executeTakeFirstOrThrow()
  const streets = [c.street_id, ...Array.from({ length: STREETS - 1 }, () => randomUUID())]
  await db.insertInto('streets').values(streets.slice(1).map((id, i) => ({ id, district_id: c.district_id, name: `第${i + 2}街道` }))).execute()
  const offices = [c.office_id, ...Array.from({ length: OFFICES - 1 }, () => randomUUID())]
  await db.insertInto('offices').values(offices.slice(1).map((id, i) => ({ id, street_id: streets[(i + 1) % STREETS], name: `第${i + 2}社区` }))).execute()
  await sql`CREATE TABLE clone_map (k int PRIMARY KEY, office_id text, street_id text, district_id text)`.execute(db)
  await sql`INSERT INTO clone_map SELECT k, (${sql.raw(`ARRAY[${offices.map((o) => `'${o}'`).join(',')}]`)})[1 + k % ${OFFICES}], NULL, ${c.district_id} FROM generate_series(1, ${COMMUNITIES}) k`.execute(db)
  await sql`UPDATE clone_map m SET street_id = o.street_id FROM offices o WHERE o.id = m.office_id`.execute(db)
  return { district: c.district_id }
}

/** Copies every row of the template 小区 into `n` clones, ids remapped, FK checks off meanwhile. */
async function cloneCommunity(db: Kysely<Database>, schema: string, template: string, n: number): Promise<[string, number][]> {
  const cols = (await sql<{ table_name: string; column_name: string; data_type: string; is_identity: string; column_default: string | null; is_generated: string }>`
    SELECT c.table_name, c.column_name, c.data_type, c.is_identity, c.column_default, c.is_generated FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
    WHERE c.table_schema = ${schema} ORDER BY c.table_name, c.ordinal_position`.execute(db)).rows
  const fks = (await sql<{ child: string; col: string; parent: string }>`
    SELECT cl.relname AS child, a.attname AS col, pl.relname AS parent FROM pg_constraint k
    JOIN pg_class cl ON cl.oid = k.conrelid JOIN pg_class pl ON pl.oid = k.confrelid JOIN pg_namespace ns ON ns.oid = cl.relnamespace
    JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
    WHERE k.contype = 'f' AND array_length(k.conkey, 1) = 1 AND ns.nspname = ${schema}`.execute(db)).rows
  const tables = new Map<string, typeof cols>()
  for (const c of cols) tables.set(c.table_name, [...(tables.get(c.table_name) ?? []), c])
  const withCommunity = new Set([...tables].filter(([, cs]) => cs.some((c) => c.column_name === 'community_id')).map(([t]) => t))
  const out: [string, number][] = []
  await db.connection().execute(async (conn) => {
    await sql`SET session_replication_role = replica`.execute(conn)
    for (const [table, cs] of tables) {
      if (SKIP.has(table) || table === 'clone_map' || table.startsWith('audit') || table.startsWith('outbox') || table.startsWith('job')) continue
      const q = (s: string) => `"${s}"`
      let where: string
      if (table === 'communities') where = `t.id = '${template}'`
      else if (withCommunity.has(table)) where = `t.community_id = '${template}'`
      else if (table === 'users') where = `t.id IN (SELECT user_id FROM memberships WHERE community_id = '${template}' UNION SELECT user_id FROM persons WHERE community_id = '${template}' AND user_id IS NOT NULL)`
      else {
        const fk = fks.find((f) => f.child === table && (withCommunity.has(f.parent) || f.parent === 'communities'))
        if (!fk) continue
        where = `t.${q(fk.col)} IN (SELECT id FROM ${q(fk.parent)} WHERE ${fk.parent === 'communities' ? 'id' : 'community_id'} = '${template}')`
      }
      const insertable = cs.filter((c) => c.is_identity !== 'YES' && c.is_generated !== 'ALWAYS' && !(c.column_default ?? '').startsWith('nextval'))
      const expr = insertable.map((c) => {
        const col = `t.${q(c.column_name)}`
        if (['office_id', 'street_id', 'district_id'].includes(c.column_name)) return `CASE WHEN ${col} IS NULL THEN NULL ELSE m.${c.column_name} END`
        if (table === 'communities' && c.column_name === 'name') return `${col} || m.k`
        const textual = c.data_type === 'text' || c.data_type === 'character varying' || c.data_type === 'uuid'
        if (textual && (IDLIKE.has(c.column_name) || c.column_name.endsWith('_id'))) return `CASE WHEN ${col} IS NULL THEN NULL ELSE md5(m.k::text || ${col}::text)::uuid::${c.data_type === 'uuid' ? 'uuid' : 'text'} END`
        return col
      })
      const r = await sql.raw(`INSERT INTO ${q(table)} (${insertable.map((c) => q(c.column_name)).join(', ')}) SELECT ${expr.join(', ')} FROM ${q(table)} t CROSS JOIN clone_map m WHERE m.k <= ${n} AND ${where}`).execute(conn)
      out.push([table, Number(r.numAffectedRows ?? 0)])
    }
    await sql`SET session_replication_role = DEFAULT`.execute(conn)
  })
  return out.filter(([, rows]) => rows > 0)
}

interface PlanNode { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; 'Plan Rows'?: number; Plans?: PlanNode[] }

/** EXPLAIN of one captured query: its top nodes (3 levels) and the Seq Scans over tables past 10,000 rows. */
async function explain(pool: Pool, q: CompiledQuery): Promise<{ lines: string[]; seqScans: string[] }> {
  if (!/^\s*(select|with)/i.test(q.sql)) return { lines: ['(a write: not explained)'], seqScans: [] }
  const client = await pool.connect()
  try {
    const r = await client.query(`EXPLAIN (FORMAT JSON) ${q.sql}`, q.parameters as unknown[])
    const plan = (r.rows[0]['QUERY PLAN'] as { Plan: PlanNode }[])[0].Plan
    const sizes = new Map<string, number>()
    const lines: string[] = []
    const seqScans: string[] = []
    const walk = async (node: PlanNode, depth: number) => {
      let flag = ''
      if (node['Node Type'] === 'Seq Scan' && node['Relation Name']) {
        const rel = node['Relation Name']
        if (!sizes.has(rel)) sizes.set(rel, Number((await client.query('SELECT reltuples::bigint AS n FROM pg_class WHERE relname = $1 AND relnamespace = current_schema()::regnamespace', [rel])).rows[0]?.n ?? 0))
        const rows = sizes.get(rel)!
        if (rows > 10_000) {
          flag = `  ← FLAG: Seq Scan over ${rel} (${rows.toLocaleString('en-US')} rows)`
          seqScans.push(rel)
        } else flag = `  (small table, ${rows} rows)`
      }
      if (depth < 3) lines.push(`${'  '.repeat(depth)}${node['Node Type']}${node['Index Name'] ? ` using ${node['Index Name']}` : node['Relation Name'] ? ` on ${node['Relation Name']}` : ''}${flag}`)
      else if (flag.includes('FLAG')) lines.push(`${'  '.repeat(depth)}${node['Node Type']} on ${node['Relation Name']}${flag}`)
      for (const child of node.Plans ?? []) await walk(child, depth + 1)
    }
    await walk(plan, 0)
    return { lines, seqScans }
  } finally {
    client.release()
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
