import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { sql } from 'kysely'
import { registry } from '../../server/actions'
import { DIALECTS, useTestDb } from '../helpers/db'
import { call, makeUser, makeWorld, ok } from '../helpers/world'
import { createWeChatClient } from '../../server/wechat/wechat.client'
import { grantRole } from '../../server/communities/membership.repository'
import { ROLES } from '../../src/contracts/roles'
import { SCOPE_FIELD } from '../../server/communities/scope.repository'

/**
 * Issue 9 items 7 and 10b: fast-check fuzzing of every action of the registry with a fixed seed
 * and bounded runs. Inputs follow each action's contract (its valibot schema's fields, nested
 * objects and arrays), with each field replaced now and then by a hostile value: path-like (`../`,
 * absolute paths), oversized, control characters, injection-shaped strings, ids of real rows,
 * and a wrong type. The caller holds every role at the 小区 and above it, so inputs reach the
 * handlers. No answer is ever Internal, and a refused call leaves the database as it was (every
 * table compared before and after, except binding_attempts, which counts refused claims by design).
 */

const SEED = 20260913
/** Runs per action: fewer on PostgreSQL, where each run snapshots the database over the network twice. */
const RUNS_OF = { sqlite: Number(process.env.FUZZ_RUNS ?? 20), postgres: Number(process.env.FUZZ_RUNS ?? 8) }
const UNCHANGED_EXEMPT = new Set(['binding_attempts', 'kysely_migration', 'kysely_migration_lock'])

const HOSTILE = [
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '/etc/passwd',
  'C:\\Windows\\System32',
  'uploads/../../gongzhi.sqlite',
  '../x#sha256=' + '0'.repeat(64),
  '/tmp/x#sha256=' + 'a'.repeat(64),
  'x'.repeat(70_000),
  '长'.repeat(5_000),
  'a\u0000b',
  '\u0007\u001b[31m',
  '\u202e\u200b\ufeff',
  "' OR 1=1 --",
  '"; DROP TABLE users; --',
  '<script>alert(1)</script>',
  '${7*7}{{7*7}}',
  '%2e%2e%2f%00',
  '__proto__',
  'constructor',
  '',
  ' ',
  '-1',
  '1e309',
  'NaN',
  '2026-02-30T25:61:00Z',
  '00000000-0000-0000-0000-000000000000',
]
const WRONG_TYPES: unknown[] = [null, 0, -1, 1.5, 2 ** 53, -(2 ** 60), true, false, [], [1, 'a'], {}, { $gt: '' }, 'string', ['../']]

type Schema = { type: string; entries?: Record<string, Schema>; item?: Schema; options?: Schema[] | unknown[]; wrapped?: Schema; literal?: unknown; pipe?: unknown[] }

describe.each(DIALECTS)('fuzzing every action (%s)', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let pool: string[] = []
  let super_: string
  let w: Awaited<ReturnType<typeof makeWorld>>
  let tables: string[] = []
  const runsPerAction: Record<string, number> = {}
  const RUNS = RUNS_OF[dialect]

  beforeAll(async () => {
    // WeChat as a server without its app id has it: login answers "not configured", nothing leaves.
    deps.wechat = createWeChatClient({ appId: null, appSecret: null, baseUrl: 'http://127.0.0.1:9' })
    w = await makeWorld(env.db)
    super_ = await makeUser(env.db, 'fuzzer')
    const at = new Date('2026-01-01T00:00:00.000Z')
    for (const role of ROLES) await grantRole(env.db, super_, role, { communityId: w.a }, at)
    await grantRole(env.db, super_, 'community_officer', { officeId: w.office }, at)
    await grantRole(env.db, super_, 'street_officer', { streetId: w.street }, at)
    await grantRole(env.db, super_, 'district_officer', { districtId: w.district }, at)
    // Real rows for ids to point at: a notice and a vote with a matter.
    const notice = await ok(deps, 'publishNotice', { communityId: w.a, kind: '公告', title: '电梯检修', body: '周五上午检修电梯' }, super_)
    const opensAt = new Date(deps.now().getTime() + 30 * 86_400_000)
    const vote = await ok(deps, 'createVote', { communityId: w.a, title: '续聘物业', scope: 'whole', opensAt: opensAt.toISOString(), closesAt: new Date(opensAt.getTime() + 7 * 86_400_000).toISOString(), matters: [{ item: 4, title: '续聘物业' }] }, super_)
    pool = [w.a, w.b, w.office, w.street, w.district, ...w.units.a, w.units.b[0], notice.id ?? notice.noticeId, vote.id, vote.matters[0].id, super_].filter((x) => typeof x === 'string')
    tables = (await env.db.introspection.getTables()).map((t) => t.name).filter((n) => !UNCHANGED_EXEMPT.has(n)).sort()
  })
  afterAll(() => fs.rmSync(deps.config.dataDir, { recursive: true, force: true }))

  /** Every row of every table, in a stable order, as one string. */
  async function snapshot(): Promise<string> {
    if (dialect === 'postgres') {
      // One round trip: every table's rows as text, sorted.
      const each = tables.map((t) => sql`(select coalesce(string_agg(x::text, chr(10) order by x::text), '') from ${sql.table(t)} x)`)
      const r = await sql<{ s: string }>`select ${sql.join(each, sql` || chr(30) || `)} as s`.execute(env.db)
      return r.rows[0].s
    }
    const parts: string[] = []
    for (const t of tables) {
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(t)}`.execute(env.db)
      parts.push(`${t}:${rows.rows.map((r) => JSON.stringify(r)).sort().join('\n')}`)
    }
    return parts.join('\n--\n')
  }

  const hostile = (): fc.Arbitrary<unknown> => fc.oneof(fc.constantFrom(...HOSTILE), fc.constantFrom(...WRONG_TYPES), fc.string({ maxLength: 40 }), fc.fullUnicodeString({ maxLength: 12 }))

  /** Values that follow a schema, with hostile ones mixed in at every field. */
  function arb(s: Schema, depth = 0): fc.Arbitrary<unknown> {
    const own = ((): fc.Arbitrary<unknown> => {
      switch (s.type) {
        case 'object':
        case 'strict_object':
        case 'loose_object': {
          const entries = Object.fromEntries(Object.entries(s.entries ?? {}).map(([k, e]) => [k, depth > 3 ? hostile() : arb(e, depth + 1)]))
          return fc.record(entries, { requiredKeys: [] })
        }
        case 'array':
          return fc.array(s.item ? arb(s.item, depth + 1) : hostile(), { maxLength: 3 })
        case 'union':
        case 'variant':
          return fc.oneof(...((s.options ?? []) as Schema[]).map((o) => arb(o, depth + 1)))
        case 'picklist':
          return fc.constantFrom(...((s.options ?? ['x']) as unknown[]))
        case 'literal':
          return fc.constant(s.literal)
        case 'optional':
        case 'nullable':
        case 'nullish':
        case 'exact_optional':
          return s.wrapped ? arb(s.wrapped, depth) : hostile()
        case 'string':
          return fc.oneof(fc.constantFrom(...pool), fc.string({ maxLength: 20 }), fc.constantFrom(...HOSTILE))
        case 'number':
          return fc.oneof(fc.integer({ min: -5, max: 1e6 }), fc.constantFrom(-1, 0, 1e15, 2 ** 53 + 2, 0.5))
        case 'boolean':
          return fc.boolean()
        default:
          return hostile()
      }
    })()
    return fc.oneof({ arbitrary: own, weight: 4 }, { arbitrary: hostile(), weight: 1 })
  }

  test('no action answers Internal to hostile input, and a refused call changes nothing', async () => {
    const internals: string[] = []
    const changed: string[] = []
    for (const [name, def] of Object.entries(registry)) {
      const access = def.access
      const level = typeof access === 'object' && access.scope ? (typeof access.scope === 'string' ? access.scope : access.scope[0]) : 'community'
      const scoped = { [SCOPE_FIELD[level]]: { community: w.a, office: w.office, street: w.street, district: w.district }[level] }
      const input = fc.oneof(
        { arbitrary: arb(def.input as unknown as Schema).map((x) => (x && typeof x === 'object' && !Array.isArray(x) ? { ...scoped, ...x } : x)), weight: 6 },
        { arbitrary: fc.constantFrom<unknown>(null, [], 'x', 42, { communityId: '../' + w.a }), weight: 1 },
      )
      let runs = 0
      await fc.assert(
        fc.asyncProperty(input, async (raw) => {
          runs++
          // As a transport delivers it: JSON (undefined fields dropped).
          const body = raw === undefined ? undefined : JSON.parse(JSON.stringify(raw))
          const before = await snapshot()
          const res = await call(deps, name, body, super_)
          if (!res.ok && res.error.code === 'Internal') internals.push(`${name} ${JSON.stringify(body).slice(0, 300)}`)
          if (!res.ok && (await snapshot()) !== before) changed.push(`${name} (${res.error.code}) ${JSON.stringify(body).slice(0, 300)}`)
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      )
      runsPerAction[name] = runs
    }
    expect(internals).toEqual([])
    expect(changed).toEqual([])
    expect(Object.keys(runsPerAction)).toEqual(Object.keys(registry))
    for (const n of Object.values(runsPerAction)) expect(n).toBe(RUNS)
  }, 300_000)

  afterAll(() => {
    const total = Object.values(runsPerAction).reduce((a, b) => a + b, 0)
    const line = `fuzz (${dialect}): ${Object.keys(runsPerAction).length} actions × ${RUNS} runs = ${total} calls, seed ${SEED}`
    fs.appendFileSync(path.join(os.tmpdir(), 'gongzhi-security-counts.log'), `${new Date().toISOString()} ${line}\n`)
    console.log(line)
  })
})
