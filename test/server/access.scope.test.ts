import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../../server/db/database'
import { DIALECTS, useTestDb } from '../helpers/db'
import { call, makeUser, makeWorld, ok } from '../helpers/world'

/**
 * Access by level: an officer's roles hold at their post and everything below it (a street's
 * officer over its offices and their 小区, the district's over all), never sideways (another
 * office) nor upwards (an office's officer at its street). Checked through the officers' list of
 * 小区, which can be asked for an office, a street or the district.
 */
describe.each(DIALECTS)('access scoped by office, street and district (%s)', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: Awaited<ReturnType<typeof makeWorld>>
  /** Office B beside A in the same street, street 2 with office C, and a second district with office D. */
  const p = { officeB: '', street2: '', officeC: '', district2: '', street3: '', officeD: '' }
  const u = { officerA: '', officerB: '', streetOfficer: '', districtOfficer: '', chairA: '', stranger: '', otherDistrict: '' }
  /** The 小区 added under each office, by office key. */
  const added: Record<string, string[]> = { a: [], b: [], c: [], d: [] }

  async function addCommunities(db: Kysely<Database>, officeId: string, key: string, names: string[]) {
    for (const name of names) {
      const id = randomUUID()
      added[key].push(id)
      await db.insertInto('communities').values({ id, office_id: officeId, name, built_on: '2001-01-01', governance: 'office_acting', committee_name: `${name}社区代管`, company_name: null, vote_notice_days: 15, created_at: '2026-01-01T00:00:00.000Z' }).execute()
    }
  }

  beforeAll(async () => {
    const db = env.db
    w = await makeWorld(db)
    Object.assign(p, { officeB: randomUUID(), street2: randomUUID(), officeC: randomUUID(), district2: randomUUID(), street3: randomUUID(), officeD: randomUUID() })
    await db.insertInto('offices').values({ id: p.officeB, street_id: w.street, name: '南外社区' }).execute()
    await db.insertInto('streets').values({ id: p.street2, district_id: w.district, name: '赣江街道' }).execute()
    await db.insertInto('offices').values({ id: p.officeC, street_id: p.street2, name: '章江社区' }).execute()
    await db.insertInto('districts').values({ id: p.district2, name: '南康区' }).execute()
    await db.insertInto('streets').values({ id: p.street3, district_id: p.district2, name: '蓉江街道' }).execute()
    await db.insertInto('offices').values({ id: p.officeD, street_id: p.street3, name: '蓉江社区' }).execute()
    added.a.push(w.a, w.b)
    // Office B has 23 小区, enough for several pages; two share a name, so the key needs the id too.
    await addCommunities(db, p.officeB, 'b', [...Array.from({ length: 21 }, (_, i) => `南外${String(i + 1).padStart(2, '0')}号院`), '同名苑', '同名苑'])
    await addCommunities(db, p.officeC, 'c', ['章江小区'])
    await addCommunities(db, p.officeD, 'd', ['蓉江小区'])
    u.officerA = await makeUser(db, 'officerA', 'community_officer', { officeId: w.office })
    u.officerB = await makeUser(db, 'officerB', 'community_officer', { officeId: p.officeB })
    u.streetOfficer = await makeUser(db, 'streetOfficer', 'street_officer', { streetId: w.street })
    u.districtOfficer = await makeUser(db, 'districtOfficer', 'district_officer', { districtId: w.district })
    u.chairA = await makeUser(db, 'chairA', 'committee_chair', { communityId: w.a })
    u.stranger = await makeUser(db, 'stranger')
    u.otherDistrict = await makeUser(db, 'otherDistrict', 'district_officer', { districtId: p.district2 })
  })

  /** Every 小区 under a place, walking all pages of `limit`. */
  async function all(input: object, userId: string, limit = 10) {
    const ids: string[] = []
    const names: string[] = []
    let cursor: string | undefined
    let pages = 0
    let total = -1
    do {
      const page = await ok(deps, 'listJurisdictionCommunities', { ...input, limit, ...(cursor ? { cursor } : {}) }, userId)
      expect(page.items.length).toBeLessThanOrEqual(limit)
      ids.push(...page.items.map((c: { id: string }) => c.id))
      names.push(...page.items.map((c: { name: string }) => c.name))
      total = page.total
      cursor = page.nextCursor ?? undefined
      pages++
    } while (cursor && pages < 20)
    return { ids, names, pages, total }
  }

  const forbidden = async (input: object, userId: string) =>
    expect(await call(deps, 'listJurisdictionCommunities', input, userId)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })

  test('an officer of office A lists A’s 小区 and cannot use office B’s scope, nor the street or district above', async () => {
    const mine = await ok(deps, 'listJurisdictionCommunities', { officeId: w.office }, u.officerA)
    expect(mine.items.map((c: { id: string }) => c.id).sort()).toEqual([...added.a].sort())
    expect(mine).toMatchObject({ total: 2, nextCursor: null })
    expect(mine.items[0]).toMatchObject({ officeId: w.office, officeName: '东阳社区', roles: ['community_officer'] })
    await forbidden({ officeId: p.officeB }, u.officerA)
    await forbidden({ streetId: w.street }, u.officerA)
    await forbidden({ districtId: w.district }, u.officerA)
    // The other way round too: B's officer is a stranger to A.
    await forbidden({ officeId: w.office }, u.officerB)
  })

  test('a street officer covers every office of the street and the street itself, not another street', async () => {
    expect((await all({ officeId: w.office }, u.streetOfficer)).ids.sort()).toEqual([...added.a].sort())
    expect((await all({ officeId: p.officeB }, u.streetOfficer)).ids.sort()).toEqual([...added.b].sort())
    const street = await all({ streetId: w.street }, u.streetOfficer)
    expect(street.ids.sort()).toEqual([...added.a, ...added.b].sort())
    expect(street.total).toBe(25)
    await forbidden({ officeId: p.officeC }, u.streetOfficer)
    await forbidden({ streetId: p.street2 }, u.streetOfficer)
    await forbidden({ districtId: w.district }, u.streetOfficer)
  })

  test('a district officer covers all its streets and offices, and no other district', async () => {
    const district = await all({ districtId: w.district }, u.districtOfficer, 7)
    expect(district.ids.sort()).toEqual([...added.a, ...added.b, ...added.c].sort())
    expect(district.total).toBe(26)
    expect(district.pages).toBe(4)
    expect((await all({ streetId: p.street2 }, u.districtOfficer)).ids).toEqual(added.c)
    expect((await all({ officeId: p.officeB }, u.districtOfficer)).ids.sort()).toEqual([...added.b].sort())
    await forbidden({ districtId: p.district2 }, u.districtOfficer)
    await forbidden({ officeId: p.officeD }, u.districtOfficer)
    expect((await all({ districtId: p.district2 }, u.otherDistrict)).ids).toEqual(added.d)
    await forbidden({ officeId: w.office }, u.otherDistrict)
  })

  test('a stranger, and a 小区’s own committee at the office above it, are Forbidden at every level', async () => {
    for (const who of [u.stranger, u.chairA]) {
      await forbidden({ officeId: w.office }, who)
      await forbidden({ streetId: w.street }, who)
      await forbidden({ districtId: w.district }, who)
    }
    // A place that does not exist looks the same as one you have no part in.
    await forbidden({ officeId: randomUUID() }, u.districtOfficer)
    await forbidden({ districtId: randomUUID() }, u.districtOfficer)
    // Not logged in at all.
    expect(await call(deps, 'listJurisdictionCommunities', { officeId: w.office }, null)).toMatchObject({ ok: false, error: { code: 'Unauthenticated' } })
  })

  test('roles held above reach the 小区 below for 小区-scoped actions; roles in a 小区 do not reach upwards', async () => {
    // The district's officer reads a 小区 of office C's notices (officers read), the office's officer cannot.
    expect(await call(deps, 'listNotices', { communityId: added.c[0] }, u.districtOfficer)).toMatchObject({ ok: true })
    expect(await call(deps, 'listNotices', { communityId: added.c[0] }, u.officerA)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
  })

  test('pages are in name order, each 小区 once, and the same whatever the page size', async () => {
    const small = await all({ officeId: p.officeB }, u.officerB, 4)
    const big = await all({ officeId: p.officeB }, u.officerB, 100)
    expect(small.pages).toBe(6)
    expect(big.pages).toBe(1)
    expect(small.ids).toEqual(big.ids)
    expect(new Set(small.ids).size).toBe(23)
    expect(small.names.filter((n) => n === '同名苑')).toHaveLength(2)
    const sorted = [...small.names].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))
    expect(small.names).toEqual(sorted)
  })

  test('naming no place, two places, or a forged cursor is BadInput, in Chinese', async () => {
    const none = await call(deps, 'listJurisdictionCommunities', {}, u.districtOfficer)
    expect(none).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringMatching(/缺少社区编号 officeId 或 街道编号 streetId 或 区编号 districtId/) } })
    const two = await call(deps, 'listJurisdictionCommunities', { officeId: w.office, districtId: w.district }, u.districtOfficer)
    expect(two).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringMatching(/只能指定一个范围/) } })
    const forged = await call(deps, 'listJurisdictionCommunities', { officeId: w.office, cursor: 'not-a-cursor' }, u.officerA)
    expect(forged).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringMatching(/翻页参数无效/) } })
  })

  test('myJurisdictions answers each officer’s posts with their names, and nothing for anyone else', async () => {
    expect(await ok(deps, 'myJurisdictions', {}, u.officerA)).toEqual([{ level: 'office', id: w.office, name: '东阳社区', roles: ['community_officer'] }])
    expect(await ok(deps, 'myJurisdictions', {}, u.streetOfficer)).toEqual([{ level: 'street', id: w.street, name: '解放街道', roles: ['street_officer'] }])
    expect(await ok(deps, 'myJurisdictions', {}, u.districtOfficer)).toEqual([{ level: 'district', id: w.district, name: '章贡区', roles: ['district_officer'] }])
    expect(await ok(deps, 'myJurisdictions', {}, u.chairA)).toEqual([])
    expect(await ok(deps, 'myJurisdictions', {}, u.stranger)).toEqual([])
  })
})
