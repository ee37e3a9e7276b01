import { randomUUID } from 'node:crypto'
import { grantRole } from '../../server/communities/membership.repository'
import { actorCtx } from '../../server/context'
import { whoAmI } from '../../server/identity/identity.service'
import { userWithCommunities } from '../../server/identity/me.repository'
import { DIALECTS, useTestDb } from '../helpers/db'
import { makeUser, makeWorld, ok } from '../helpers/world'

/**
 * `me` lists every 小区 the person can see with their roles there: a membership reaches the 小区
 * it names, or every 小区 under the office, street or district it names, and nothing outside.
 * One statement answers the nickname and the 小区 (me.repository.ts); this holds it to a model
 * of the hierarchy written here.
 */
describe.each(DIALECTS)('me: the 小区 each membership reaches (%s)', (dialect) => {
  const { env, deps } = useTestDb(dialect)

  test('by the 小区, its office, street or district; roles merged per 小区; ordered by name; nothing elsewhere', async () => {
    const db = env.db
    const w = await makeWorld(db)
    // A second street with its own office and 小区 C in the same district, and a 小区 E in another district.
    const [s2, o2, c, d2, s3, o3, e] = Array.from({ length: 7 }, () => randomUUID())
    await db.insertInto('streets').values({ id: s2, district_id: w.district, name: '东外街道' }).execute()
    await db.insertInto('offices').values({ id: o2, street_id: s2, name: '文清社区' }).execute()
    await db.insertInto('districts').values({ id: d2, name: '南康区' }).execute()
    await db.insertInto('streets').values({ id: s3, district_id: d2, name: '蓉江街道' }).execute()
    await db.insertInto('offices').values({ id: o3, street_id: s3, name: '蓉江社区' }).execute()
    const community = (id: string, officeId: string, name: string) => ({ id, office_id: officeId, name, built_on: '2010-01-01', governance: 'committee' as const, committee_name: `${name}业主委员会`, company_name: null, vote_notice_days: 15, created_at: '2026-01-01T00:00:00.000Z' })
    await db.insertInto('communities').values([community(c, o2, '阳光小区'), community(e, o3, '南康小区')]).execute()

    const T = new Date('2026-01-01T00:00:00.000Z')
    const who = {
      owner: await makeUser(db, 'owner', 'owner', { communityId: w.a }),
      officer: await makeUser(db, 'officer', 'community_officer', { officeId: w.office }),
      street: await makeUser(db, 'street', 'street_officer', { streetId: w.street }),
      district: await makeUser(db, 'district', 'district_officer', { districtId: w.district }),
      stranger: await makeUser(db, 'stranger'),
    }
    // Two roles in one 小区, and a role reaching it from the office above as well.
    await grantRole(db, who.owner, 'committee_member', { communityId: w.a }, T)
    await grantRole(db, who.owner, 'community_officer', { officeId: w.office }, T)
    // A street officer who also owns a unit in a 小区 of another street.
    await grantRole(db, who.street, 'owner', { communityId: c }, T)

    const expected: Record<keyof typeof who, Record<string, string[]>> = {
      owner: { [w.a]: ['committee_member', 'community_officer', 'owner'], [w.b]: ['community_officer'] },
      officer: { [w.a]: ['community_officer'], [w.b]: ['community_officer'] },
      street: { [w.a]: ['street_officer'], [w.b]: ['street_officer'], [c]: ['owner'] },
      district: { [w.a]: ['district_officer'], [w.b]: ['district_officer'], [c]: ['district_officer'] },
      stranger: {},
    }
    for (const [name, userId] of Object.entries(who) as [keyof typeof who, string][]) {
      const me = await ok(deps, 'me', {}, userId)
      expect({ name, nickname: me.nickname }).toEqual({ name, nickname: name })
      const got = Object.fromEntries(me.communities.map((x: { id: string; roles: string[] }) => [x.id, [...x.roles].sort()]))
      expect({ name, communities: got }).toEqual({ name, communities: expected[name] })
      // In the database's own order of names.
      const ids = me.communities.map((x: { id: string }) => x.id)
      const byName = ids.length ? (await db.selectFrom('communities').select('id').where('id', 'in', ids).orderBy('name').orderBy('id').execute()).map((r) => r.id) : []
      expect(ids).toEqual(byName)
    }
    const mine = (await ok(deps, 'me', {}, who.owner)).communities
    expect(mine.find((x: { id: string }) => x.id === w.a)).toMatchObject({ name: '滨江花园', isOld: false, governance: 'committee' })
    expect(mine.find((x: { id: string }) => x.id === w.b)).toMatchObject({ name: '文清苑', isOld: true, governance: 'pmc' })
    expect(await userWithCommunities(db, 'no-such-user')).toBeUndefined()
  })

  test('me is three statements after the caller: the user with their 小区, the units owned or rented, the binding requests', async () => {
    const w = await makeWorld(env.db)
    const owner = await makeUser(env.db, 'counted', 'owner', { communityId: w.a })
    let statements = 0
    const db = env.db.withPlugin({ transformQuery: (a) => a.node, transformResult: async (a) => (statements++, a.result) })
    const me = await whoAmI({ ...actorCtx({ ...deps, db }, { userId: owner, roles: [] }), caller: { userId: owner, openid: 'x' } })
    expect(statements).toBe(3)
    expect(me).toEqual(await ok(deps, 'me', {}, owner))
    expect(me.communities.map((c: { id: string }) => c.id)).toEqual([w.a])
  })
})
