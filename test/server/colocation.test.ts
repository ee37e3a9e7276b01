import fs from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import { COORDINATOR_TABLES, DISTRIBUTED_TABLES, REFERENCE_TABLES } from '../../server/db/colocation'
import { DIALECTS, useTestDb } from '../helpers/db'

/**
 * Co-location (README: Past one database): Citus runs a query in one 小区's shard only when every
 * distributed table in it is tied to the same community_id, so a join between two distributed
 * tables carries `community_id` equality besides its id (sameCommunity in server/db/colocation.ts).
 * This scans server/ for joins that do not, and checks the three lists of tables against the
 * schema and the README.
 */

const ROOT = path.resolve(__dirname, '../..')
const DISTRIBUTED = new Set<string>(DISTRIBUTED_TABLES)
const NOT_DISTRIBUTED = new Set<string>([...REFERENCE_TABLES, ...COORDINATOR_TABLES])

/** Index of the `)` closing the call whose `(` is at `open`; strings, templates and brackets inside are skipped. */
function closingParen(src: string, open: number): number {
  const closers = [')']
  for (let i = open + 1; i < src.length; i++) {
    const c = src[i]
    if (closers[closers.length - 1] === '`') {
      if (c === '\\') i++
      else if (c === '`') closers.pop()
      else if (c === '$' && src[i + 1] === '{') {
        closers.push('}')
        i++
      }
    } else if (c === "'" || c === '"') {
      for (i++; i < src.length && src[i] !== c; i++) if (src[i] === '\\') i++
    } else if (c === '`') closers.push('`')
    else if (c === '(') closers.push(')')
    else if (c === '{') closers.push('}')
    else if (c === '[') closers.push(']')
    else if (c === ')' || c === '}' || c === ']') {
      closers.pop()
      if (closers.length === 0) return i
    }
  }
  return src.length
}

/** The table an alias names at `before`: its nearest definition above (`'t as a'` in Kysely, `FROM t a` / `JOIN t a` in SQL), or itself when it is a table. */
function tableOf(src: string, alias: string, before: number): string | undefined {
  if (DISTRIBUTED.has(alias) || NOT_DISTRIBUTED.has(alias)) return alias
  const defs = [...src.slice(0, before).matchAll(new RegExp(`'([a-z_]+) as ${alias}'|\\b(?:FROM|JOIN)\\s+([a-z_]+)\\s+(?:AS\\s+)?${alias}\\b`, 'g'))]
  const last = defs[defs.length - 1]
  return last ? (last[1] ?? last[2]) : undefined
}

/** Whether the ON names a table other than the joined one that is distributed (or that cannot be told: a CTE, a subquery). */
function meetsDistributed(src: string, on: string, refs: RegExp, self: string[], at: number): boolean {
  const aliases = new Set([...on.matchAll(refs)].map((m) => m[1]).filter((a) => !self.includes(a)))
  return [...aliases].some((a) => {
    const t = tableOf(src, a, at)
    return t === undefined || DISTRIBUTED.has(t)
  })
}

/**
 * Joins in `src` onto a distributed table, from another distributed table, whose ON lacks the
 * community_id equality: `file:line: the join`. Kysely joins (`.innerJoin('t as a', k1, k2)` or
 * with a callback) pass with sameCommunity(…) or `'a.community_id'` in their ON; SQL text
 * (`JOIN t a ON …`, written upper-case) passes with `community_id` in its ON.
 */
function uncolocatedJoins(src: string, file: string): string[] {
  const found: { at: number; text: string }[] = []
  for (const m of src.matchAll(/\.(?:inner|left|right|full)Join\(/g)) {
    const open = m.index! + m[0].length - 1
    const args = src.slice(open + 1, closingParen(src, open))
    const target = /^\s*'([a-z_]+)(?: as ([a-z_]+))?'\s*,/.exec(args)
    if (!target || !DISTRIBUTED.has(target[1])) continue
    const alias = target[2] ?? target[1]
    const on = args.slice(target[0].length)
    if (!meetsDistributed(src, on, /'([a-z_]+)\.[a-z_]+'/g, [alias], m.index!)) continue
    if (on.includes('sameCommunity(') || on.includes(`'${alias}.community_id'`)) continue
    found.push({ at: m.index!, text: `${m[0]}${args})` })
  }
  const rawJoin = /\bJOIN\s+([a-z_]+)(?:\s+(?:AS\s+)?(?!ON\b)([a-z_]+))?\s+ON\b([\s\S]*?)(?=\b(?:JOIN|WHERE|GROUP|ORDER|LIMIT|UNION|LEFT|INNER|RIGHT|FULL|CROSS)\b|`|$)/g
  for (const m of src.matchAll(rawJoin)) {
    const [, table, alias = table, on] = m
    if (!DISTRIBUTED.has(table)) continue
    if (!meetsDistributed(src, on, /\b([a-z_]+)\.[a-z_]+\b/g, [alias, table], m.index!)) continue
    if (/\bcommunity_id\b/.test(on)) continue
    found.push({ at: m.index!, text: m[0].trim() })
  }
  return found.map(({ at, text }) => `${file}:${src.slice(0, at).split('\n').length}: ${text.replace(/\s+/g, ' ')}`)
}

function tsFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const p = `${dir}/${e.name}`
    return e.isDirectory() ? tsFiles(p) : e.name.endsWith('.ts') ? [p] : []
  })
}

describe('joins between distributed tables carry community_id (server/)', () => {
  test('every join in server/**/*.ts between two distributed tables is tied to one 小区', () => {
    const files = tsFiles('server')
    expect(files.length).toBeGreaterThan(100)
    const offenders = files.flatMap((f) => uncolocatedJoins(fs.readFileSync(path.join(ROOT, f), 'utf8'), f))
    // Each names file and line; fix it with sameCommunity(j, 'a.x_id', 'b.id') (server/db/colocation.ts).
    expect(offenders).toEqual([])
  })

  test('the scan finds a Kysely join on an id alone, with its file and line', () => {
    const src = [
      "db.selectFrom('units as u')",
      "  .innerJoin('buildings as b', 'b.id', 'u.building_id')",
      "  .leftJoin('fee_bills as f', (j) => j.onRef('f.unit_id', '=', 'u.id').onRef('f.created_at', '<=', 'u.created_at'))",
      "  .innerJoin(",
      "    'persons as p',",
      "    (j) => j.onRef('p.id', '=', 'u.person_id'),",
      '  )',
    ].join('\n')
    expect(uncolocatedJoins(src, 'x.ts')).toEqual([
      "x.ts:2: .innerJoin('buildings as b', 'b.id', 'u.building_id')",
      "x.ts:3: .leftJoin('fee_bills as f', (j) => j.onRef('f.unit_id', '=', 'u.id').onRef('f.created_at', '<=', 'u.created_at'))",
      "x.ts:4: .innerJoin( 'persons as p', (j) => j.onRef('p.id', '=', 'u.person_id'), )",
    ])
  })

  test('the scan finds a SQL JOIN without community_id in its ON', () => {
    const src = 'await sql`\n  SELECT b.id FROM ballots b\n  JOIN vote_voters vv ON vv.voter_key = b.voter_key\n  WHERE b.community_id = ${c}`.execute(db)'
    expect(uncolocatedJoins(src, 'y.ts')).toEqual(['y.ts:3: JOIN vote_voters vv ON vv.voter_key = b.voter_key'])
    expect(uncolocatedJoins(src.replace('b.voter_key', 'b.voter_key AND vv.community_id = b.community_id'), 'y.ts')).toEqual([])
  })

  test('an alias is the table it names nearest above: `o` as ownerships after `o` as offices', () => {
    const src = [
      "db.selectFrom('communities as c').innerJoin('offices as o', 'o.id', 'c.office_id')",
      "db.selectFrom('ownerships as o').innerJoin('persons as p', 'p.id', 'o.person_id')",
    ].join('\n')
    expect(uncolocatedJoins(src, 'z.ts')).toEqual(["z.ts:2: .innerJoin('persons as p', 'p.id', 'o.person_id')"])
  })

  test('the scan passes sameCommunity, an ON naming community_id, and joins to reference tables', () => {
    const src = [
      "db.selectFrom('units as u').innerJoin('buildings as b', (j) => sameCommunity(j, 'b.id', 'u.building_id'))",
      "db.selectFrom('tenancies as t').innerJoin('units as u', (j) => j.onRef('u.id', '=', 't.unit_id').onRef('u.community_id', '=', 't.community_id'))",
      "db.selectFrom('persons as p').leftJoin('ownerships as o', (j) => j.onRef('o.person_id', '=', 'p.id').on('o.community_id', '=', communityId))",
      "db.selectFrom('communities as c').innerJoin('memberships as m', 'm.community_id', 'c.id').innerJoin('offices as o', 'o.id', 'c.office_id')",
      "db.selectFrom('streets as s').innerJoin('memberships as m', (join) => join.on((eb) => eb('m.street_id', '=', eb.ref('s.id'))))",
      "db.selectFrom('sessions as s').innerJoin('users as u', 'u.id', 's.user_id')",
      'sql`WITH v AS (SELECT 1) SELECT * FROM ballots b JOIN v ON v.k = b.voter_key JOIN communities c ON c.id = b.community_id`',
    ].join('\n')
    expect(uncolocatedJoins(src, 'ok.ts')).toEqual([])
  })
})

describe.each(DIALECTS)('the distributed, reference and coordinator tables on %s', (dialect) => {
  const { env } = useTestDb(dialect)

  test('are every table of the schema, and the distributed ones exactly those with community_id', async () => {
    const { rows } = dialect === 'postgres'
      ? await sql<{ t: string; c: string }>`SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = current_schema()`.execute(env.db)
      : await sql<{ t: string; c: string }>`SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`.execute(env.db)
    const tables = [...new Set(rows.map((r) => r.t))].filter((t) => !t.startsWith('kysely_')).sort()
    const withCommunity = [...new Set(rows.filter((r) => r.c === 'community_id').map((r) => r.t))].sort()
    expect(withCommunity).toEqual([...DISTRIBUTED_TABLES].sort())
    expect(tables).toEqual([...DISTRIBUTED_TABLES, ...REFERENCE_TABLES, ...COORDINATOR_TABLES].sort())
  })
})

describe('README: Past one database', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('## Past one database'), readme.indexOf('\n## ', readme.indexOf('## Past one database') + 1))
  /** The tables a bold-headed paragraph of the section names in backticks (`fee_*` stands for every fee_ table). */
  const named = (heading: string, all: readonly string[]): string[] => {
    const start = section.indexOf(`**${heading}`)
    expect(start).toBeGreaterThan(0)
    const para = section.slice(section.indexOf('**', start + 2) + 2, section.indexOf('\n\n', start))
    return [...para.matchAll(/`([^`]+)`/g)].flatMap(([, name]) => {
      if (!name.endsWith('*')) return [name]
      const matching = all.filter((t) => t.startsWith(name.slice(0, -1)))
      expect(matching).not.toEqual([])
      return matching
    }).sort()
  }
  const all = [...DISTRIBUTED_TABLES, ...REFERENCE_TABLES, ...COORDINATOR_TABLES]

  test('names the same tables as server/db/colocation.ts, list by list', () => {
    expect(named('Distributed by', all)).toEqual([...DISTRIBUTED_TABLES].sort())
    expect(named('Reference tables', all)).toEqual([...REFERENCE_TABLES].sort())
    expect(named('On the coordinator', all)).toEqual([...COORDINATOR_TABLES].sort())
  })
})
