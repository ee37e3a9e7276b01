import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import iconv from 'iconv-lite'
import { sql, type Kysely } from 'kysely'
import type { Database } from '../../server/db/database'
import { parseRosterFile } from '../../server/rosters/roster.parser'
import { hashId4, importRoster } from '../../server/rosters/roster.service'
import { actorCtx } from '../../server/context'
import { DIALECTS, expectConstraintRefusal, useTestDb } from '../helpers/db'
import { bindOwner, call, makeUser, makeWorld, ok } from '../helpers/world'

const FIXTURES = join(__dirname, '../fixtures/rosters')
const b64 = (buf: Buffer) => buf.toString('base64')
const fixture = (name: string) => b64(readFileSync(join(FIXTURES, name)))
const HEADER = '楼栋,单元,房号,建筑面积(㎡),是否电梯,业主姓名,联系电话,身份证后四位'
const csv = (...lines: string[]) => b64(Buffer.from([HEADER, ...lines].join('\r\n'), 'utf8'))

const ROSTER_TABLES = ['buildings', 'units', 'persons', 'ownerships', 'roster_imports'] as const

async function counts(db: Kysely<Database>) {
  const out: Record<string, number> = {}
  for (const t of ROSTER_TABLES) {
    const row = await db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    out[t] = Number(row.n)
  }
  return out
}

/** Every text cell of every table of this test's database (its own schema on PostgreSQL). */
async function allCells(db: Kysely<Database>, dialect: string): Promise<string[]> {
  const schema = dialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0].s : undefined
  const tables = (await db.introspection.getTables({ withInternalKyselyTables: true })).filter((t) => !schema || t.schema === schema)
  expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['persons', 'units', 'bindings']))
  const cells: string[] = []
  for (const t of tables) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(t.name)}`.execute(db)
    for (const r of rows.rows) for (const v of Object.values(r)) if (v !== null && v !== undefined) cells.push(String(v))
  }
  return cells
}

describe.each(DIALECTS)('roster import on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)

  async function unitsOf(communityId: string) {
    return env.db
      .selectFrom('units as u')
      .innerJoin('buildings as b', 'b.id', 'u.building_id')
      .select(['u.id', 'b.name as building', 'b.has_elevator', 'u.stair', 'u.room', 'u.area_centi_m2', 'u.sold'])
      .where('u.community_id', '=', communityId)
      .execute()
  }
  async function ownersOf(communityId: string) {
    const rows = await env.db
      .selectFrom('ownerships as o')
      .innerJoin('persons as p', 'p.id', 'o.person_id')
      .innerJoin('units as u', 'u.id', 'o.unit_id')
      .innerJoin('buildings as b', 'b.id', 'u.building_id')
      .select(['b.name as building', 'u.stair', 'u.room', 'p.id', 'p.name', 'p.phone', 'p.is_developer', 'p.user_id'])
      .where('o.community_id', '=', communityId)
      .execute()
    const byUnit = new Map<string, typeof rows>()
    for (const r of rows) {
      const k = `${r.building}${r.stair}${r.room}`
      byUnit.set(k, [...(byUnit.get(k) ?? []), r])
    }
    return byUnit
  }

  test('preview answers counts, every bad row and a masked sample, and writes nothing', async () => {
    const w = await makeWorld(env.db)
    const chair = await makeUser(env.db, 'chair', 'committee_chair', { communityId: w.a })
    const before = await counts(env.db)
    const p = await ok(deps, 'previewRoster', { communityId: w.a, fileName: 'binjiang-roster.xlsx', fileBase64: fixture('binjiang-roster.xlsx') }, chair)
    expect(p).toMatchObject({ rowCount: 144, unitCount: 144, buildingCount: 2, errors: [] })
    expect(p.sample[0]).toMatchObject({ line: 3, room: '101', area: '89.56', owners: '韩晨梅', phone: '158****0865' })
    const bad = await ok(deps, 'previewRoster', { communityId: w.a, fileName: 'wenqing.csv', fileBase64: fixture('wenqing-roster-with-errors.csv') }, chair)
    expect(bad.errors.map((e: any) => e.line)).toEqual([6, 11, 16, 21, 26])
    expect(await counts(env.db)).toEqual(before)
  })

  test('import writes buildings, units, persons and ownerships in one go; one owner of several units is one person', async () => {
    const w = await makeWorld(env.db)
    const chair = await makeUser(env.db, 'chair', 'committee_chair', { communityId: w.b })
    const file = readFileSync(join(FIXTURES, 'binjiang-roster.csv'))
    const parsed = await parseRosterFile('binjiang-roster.csv', file)
    // 小区 B already has 1栋1单元101…202 (makeWorld); the import reuses them.
    const res = await ok(deps, 'importRoster', { communityId: w.b, fileName: 'binjiang-roster.csv', fileBase64: b64(file) }, chair)
    expect(res).toMatchObject({ unitCount: 144, ownerCount: parsed.persons.length, unitsAdded: 140, unitsUpdated: 2 })
    const units = await unitsOf(w.b)
    expect(units).toHaveLength(144)
    expect(units.every((u) => u.has_elevator === 1)).toBe(true)
    const u102 = units.find((u) => u.building === '1栋' && u.stair === '1单元' && u.room === '102')!
    expect(u102.area_centi_m2).toBe(11820)
    expect(units.reduce((s, u) => s + u.area_centi_m2, 0)).toBe(parsed.units.reduce((s, u) => s + u.areaCentiM2, 0))
    const owners = await ownersOf(w.b)
    expect(owners.get('1栋1单元402')!.map((o) => o.name).sort()).toEqual(['袁建', '郑霞英'].sort())
    expect(owners.get('1栋1单元101')!.map((o) => [o.name, o.phone])).toEqual([['韩晨梅', '15853130865']])
    const persons = await env.db.selectFrom('persons').selectAll().where('community_id', '=', w.b).where('is_developer', '=', 0).execute()
    expect(persons).toHaveLength(parsed.persons.length)
    // An owner listed on several rows owns several units as one person.
    const multi = parsed.persons.find((p) => p.lines.length > 1)
    if (multi) {
      const rows = persons.filter((p) => p.name === multi.name && p.phone === multi.phone)
      expect(rows).toHaveLength(1)
    }
    const imports = await env.db.selectFrom('roster_imports').selectAll().where('community_id', '=', w.b).execute()
    expect(imports).toEqual([expect.objectContaining({ id: res.importId, imported_by: chair, file_name: 'binjiang-roster.csv', unit_count: 144, created_at: deps.now().toISOString() })])
  })

  test('Counting: all unsold developer units together count as one person — one developer person owns them all', async () => {
    const w = await makeWorld(env.db)
    const chair = await makeUser(env.db, 'chair', 'committee_chair', { communityId: w.a })
    await ok(deps, 'importRoster', { communityId: w.a, fileName: 'binjiang-roster.csv', fileBase64: fixture('binjiang-roster.csv') }, chair)
    const unsold = (await unitsOf(w.a)).filter((u) => u.sold === 0)
    expect(unsold.length).toBe(3)
    const owners = await ownersOf(w.a)
    const devIds = new Set(unsold.flatMap((u) => owners.get(`${u.building}${u.stair}${u.room}`)!.map((o) => o.id)))
    expect(devIds.size).toBe(1)
    const dev = await env.db.selectFrom('persons').selectAll().where('id', '=', [...devIds][0]).executeTakeFirstOrThrow()
    expect(dev).toMatchObject({ is_developer: 1, name: '开发商（未售）', phone: null, id4_hash: null, user_id: null })
    // Boundary: a second import with more unsold units reuses the same developer person.
    await ok(deps, 'importRoster', { communityId: w.a, fileName: 'more.csv', fileBase64: csv('3栋,1单元,101,100,否,开发商(未售),,') }, chair)
    const devs = await env.db.selectFrom('persons').select('id').where('community_id', '=', w.a).where('is_developer', '=', 1).execute()
    expect(devs.map((d) => d.id)).toEqual([...devIds])
    // A 小区 with no unsold unit has no developer person at all.
    await ok(deps, 'importRoster', { communityId: w.b, fileName: 'x.csv', fileBase64: csv('5栋,1单元,101,100,否,王伟,13912345678,1234') }, await makeUser(env.db, 'chairB', 'committee_chair', { communityId: w.b }))
    expect(await env.db.selectFrom('persons').select('id').where('community_id', '=', w.b).where('is_developer', '=', 1).execute()).toEqual([])
  })

  test('a file with bad rows is refused whole: RosterInvalid naming every row, and no row written', async () => {
    const w = await makeWorld(env.db)
    const chair = await makeUser(env.db, 'chair', 'committee_member', { communityId: w.b })
    const before = await counts(env.db)
    const res = await call(deps, 'importRoster', { communityId: w.b, fileName: 'wenqing.csv', fileBase64: fixture('wenqing-roster-with-errors.csv') }, chair)
    expect(res).toMatchObject({ ok: false, error: { code: 'RosterInvalid', message: expect.stringMatching(/^名册有 5 行有问题/) } })
    expect((res as any).error.details.map((e: any) => e.line)).toEqual([6, 11, 16, 21, 26])
    expect(await counts(env.db)).toEqual(before)
  })

  test('a failure while writing leaves nothing half-written (the transaction rolls back)', async () => {
    const w = await makeWorld(env.db)
    const parsed = await parseRosterFile('binjiang-roster.csv', readFileSync(join(FIXTURES, 'binjiang-roster.csv')))
    const before = await counts(env.db)
    if (dialect === 'sqlite') {
      // The rollback below relies on SQLite enforcing foreign keys on this connection.
      expect((await sql<{ foreign_keys: number }>`PRAGMA foreign_keys`.execute(env.db)).rows[0].foreign_keys).toBe(1)
    }
    // The last write (roster_imports.imported_by) points at no user: the database refuses it
    // after buildings, units, persons and ownerships were already written inside the transaction.
    await expectConstraintRefusal(
      importRoster(actorCtx(deps, { userId: 'no-such-user', roles: [] }), { communityId: w.a, fileName: 'x.csv', parsed }),
    )
    expect(await counts(env.db)).toEqual(before)
  })

  test('ID last-4 digits are stored only as a keyed hash, never in clear', async () => {
    const w = await makeWorld(env.db)
    const chair = await makeUser(env.db, 'chair', 'committee_chair', { communityId: w.a })
    const file = readFileSync(join(FIXTURES, 'binjiang-roster.csv'))
    await ok(deps, 'importRoster', { communityId: w.a, fileName: 'binjiang-roster.csv', fileBase64: b64(file) }, chair)
    const parsed = await parseRosterFile('binjiang-roster.csv', file)
    const digits = parsed.persons.map((p) => p.id4!).filter(Boolean)
    expect(digits.length).toBeGreaterThan(100)
    const cells = await allCells(env.db, dialect)
    // No cell holds the digits themselves (except where they are also a room number, like 1001);
    // endings with X cannot hide in lower-case hex ids, so for those no cell even contains them.
    const rooms = new Set(parsed.units.map((u) => u.room))
    for (const d of digits.filter((x) => !rooms.has(x))) expect([d, cells.includes(d)]).toEqual([d, false])
    const withX = digits.filter((d) => d.endsWith('X'))
    expect(withX.length).toBeGreaterThan(0)
    for (const d of withX) expect(cells.some((c) => c.includes(d))).toBe(false)
    const han = await env.db.selectFrom('persons').selectAll().where('community_id', '=', w.a).where('name', '=', '韩晨梅').executeTakeFirstOrThrow()
    expect(han.id4_hash).toBe(hashId4(deps.config.idHashSecret, w.a, '1461'))
    expect(han.id4_hash).toMatch(/^[0-9a-f]{64}$/)
    // Keyed per 小区: the same digits in another 小区 hash differently.
    expect(hashId4(deps.config.idHashSecret, w.b, '1461')).not.toBe(han.id4_hash)
  })

  test('re-import upserts units, replaces owners of the units in the file, keeps other units, and keeps a bound person bound', async () => {
    const w = await makeWorld(env.db)
    const chair = await makeUser(env.db, 'chair', 'committee_chair', { communityId: w.a })
    await ok(deps, 'importRoster', { communityId: w.a, fileName: 'binjiang-roster.csv', fileBase64: fixture('binjiang-roster.csv') }, chair)
    const resident = await makeUser(env.db, 'han')
    const bound = await bindOwner(deps, resident, { communityId: w.a, building: '1栋', room: '101', name: '韩晨梅', phone: '15853130865' }, chair)
    expect(bound.status).toBe('approved')
    const before = await ownersOf(w.a)
    const hanId = before.get('1栋1单元101')![0].id

    // A corrected roster of three units: 101's area fixed, 102 sold to someone new, 901 (unsold) now sold.
    const res = await ok(deps, 'importRoster', {
      communityId: w.a,
      fileName: 'fix.csv',
      fileBase64: csv(
        '1栋,1单元,101,90.00,是,韩晨梅,15853130865,1461',
        '1栋,1单元,102,118.20,是,新业主,13900000001,0001',
        '1栋,1单元,901,89.56,是,买房人,13900000002,0002',
      ),
    }, chair)
    expect(res).toMatchObject({ unitCount: 3, unitsAdded: 0, unitsUpdated: 2 })
    const units = await unitsOf(w.a)
    expect(units).toHaveLength(144)
    expect(units.find((u) => u.room === '101' && u.stair === '1单元' && u.building === '1栋')!.area_centi_m2).toBe(9000)
    expect(units.find((u) => u.room === '901' && u.stair === '1单元' && u.building === '1栋')!.sold).toBe(1)
    const after = await ownersOf(w.a)
    expect(after.get('1栋1单元101')!.map((o) => [o.id, o.user_id])).toEqual([[hanId, resident]])
    expect(after.get('1栋1单元102')!.map((o) => o.name)).toEqual(['新业主'])
    expect(after.get('1栋1单元901')!.map((o) => o.name)).toEqual(['买房人'])
    // Units not in the file keep their owners.
    expect(after.get('1栋1单元402')!.map((o) => o.name).sort()).toEqual(['袁建', '郑霞英'].sort())
    expect(after.size).toBe(before.size)
    // The resident still sees the unit, with its corrected area.
    const me = await ok(deps, 'me', {}, resident)
    expect(me.units).toEqual([expect.objectContaining({ label: '1栋1单元101室', areaCentiM2: 9000, relation: 'owner' })])

    // Importing the very same file twice changes nothing the second time.
    const again = await ok(deps, 'importRoster', { communityId: w.a, fileName: 'binjiang-roster.csv', fileBase64: fixture('binjiang-roster.csv') }, chair)
    const personsOnce = await env.db.selectFrom('persons').select('id').where('community_id', '=', w.a).execute()
    const twice = await ok(deps, 'importRoster', { communityId: w.a, fileName: 'binjiang-roster.csv', fileBase64: fixture('binjiang-roster.csv') }, chair)
    expect(again.unitsUpdated).toBeGreaterThan(0)
    expect(twice).toMatchObject({ unitsAdded: 0, unitsUpdated: 0 })
    expect(await env.db.selectFrom('persons').select('id').where('community_id', '=', w.a).execute()).toHaveLength(personsOnce.length)
    expect((await ownersOf(w.a)).get('1栋1单元101')!.map((o) => [o.id, o.user_id])).toEqual([[hanId, resident]])
  })

  test('a GBK CSV with full-width digits and messy cells imports like a clean one', async () => {
    const w = await makeWorld(env.db)
    const chair = await makeUser(env.db, 'chair', 'committee_chair', { communityId: w.b })
    const text = [HEADER, '７,２,３０１,85.5平方米,否, 王 伟 ,139-1234-5678,552x', '7栋,2单元,302,85.5㎡,否,开发商(未售),,'].join('\r\n')
    const res = await ok(deps, 'importRoster', { communityId: w.b, fileName: '名册.csv', fileBase64: b64(iconv.encode(text, 'gbk')) }, chair)
    expect(res).toMatchObject({ unitCount: 2, ownerCount: 1 })
    const owners = await ownersOf(w.b)
    expect(owners.get('7栋2单元301')!.map((o) => [o.name, o.phone])).toEqual([['王伟', '13912345678']])
    expect(owners.get('7栋2单元302')!.map((o) => o.is_developer)).toEqual([1])
    expect((await unitsOf(w.b)).filter((u) => u.building === '7栋').map((u) => u.area_centi_m2)).toEqual([8550, 8550])
  })

  test('a person of 小区 B cannot preview or import into 小区 A; an owner cannot either; the community office can', async () => {
    const w = await makeWorld(env.db)
    const chairB = await makeUser(env.db, 'chairB', 'committee_chair', { communityId: w.b })
    const ownerA = await makeUser(env.db, 'ownerA', 'owner', { communityId: w.a })
    const officer = await makeUser(env.db, 'officer', 'community_officer', { officeId: w.office })
    const input = { communityId: w.a, fileName: 'x.csv', fileBase64: csv('9栋,1单元,101,100,否,王伟,13912345678,1234') }
    const before = await counts(env.db)
    for (const who of [chairB, ownerA]) {
      expect(await call(deps, 'previewRoster', input, who)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
      expect(await call(deps, 'importRoster', input, who)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    }
    expect(await call(deps, 'importRoster', input, null)).toMatchObject({ ok: false, error: { code: 'Unauthenticated' } })
    expect(await counts(env.db)).toEqual(before)
    expect(await ok(deps, 'importRoster', input, officer)).toMatchObject({ unitCount: 1 })
  })

  test('files that cannot be read are answered plainly', async () => {
    const w = await makeWorld(env.db)
    const chair = await makeUser(env.db, 'chair', 'committee_chair', { communityId: w.a })
    const xls = b64(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))
    expect(await call(deps, 'previewRoster', { communityId: w.a, fileName: 'a.csv', fileBase64: xls }, chair)).toMatchObject({ ok: false, error: { code: 'UnsupportedFile', message: expect.stringMatching(/\.xls/) } })
    expect(await call(deps, 'previewRoster', { communityId: w.a, fileName: 'a.doc', fileBase64: 'AAAA' }, chair)).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    expect(await call(deps, 'previewRoster', { communityId: w.a, fileName: 'a.csv', fileBase64: '!!!不是base64' }, chair)).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    const empty = await call(deps, 'importRoster', { communityId: w.a, fileName: 'a.csv', fileBase64: csv() }, chair)
    expect(empty).toMatchObject({ ok: false, error: { code: 'RosterInvalid' } })
  })
})
