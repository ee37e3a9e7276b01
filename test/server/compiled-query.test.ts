import { compiledOnce, compiledPerLength } from '../../server/db/compiled'
import { findSession } from '../../server/identity/session.repository'
import { openSession, hashToken } from '../../server/identity/session.service'
import { rolesInCommunity, grantRole } from '../../server/communities/membership.repository'
import { findOrCreateUser } from '../../server/identity/user.repository'
import { DIALECTS, useTestDb } from '../helpers/db'
import { makeWorld } from '../helpers/world'

describe.each(DIALECTS)('queries compiled once (%s)', (dialect) => {
  const { env, deps } = useTestDb(dialect)

  test('each call binds its own parameters, on the database and inside a transaction', async () => {
    const w = await makeWorld(env.db)
    const byCommunity = compiledOnce((db, communityId: string) => db.selectFrom('buildings').select('name').where('community_id', '=', communityId).orderBy('name'))
    const direct = async (id: string) => (await env.db.selectFrom('buildings').select('name').where('community_id', '=', id).orderBy('name').execute()).map((r) => r.name)
    expect((await byCommunity(env.db, w.a)).map((r) => r.name)).toEqual(await direct(w.a))
    expect((await byCommunity(env.db, w.b)).map((r) => r.name)).toEqual(await direct(w.b))
    expect(await direct(w.a)).not.toEqual([])
    await env.db.transaction().execute(async (trx) => {
      await trx.insertInto('buildings').values({ id: 'b-compiled', community_id: w.a, name: '99栋', has_elevator: 0 }).execute()
      expect((await byCommunity(trx, w.a)).map((r) => r.name)).toContain('99栋')
    })
    expect(await byCommunity(env.db, 'no-such-community')).toEqual([])
    await expect(compiledOnce((db, _unused: string) => db.selectFrom('buildings').select('name'))(env.db, 'x')).rejects.toThrow(/every parameter/)
  })

  test('numbers bind as values too, and a write with RETURNING answers its rows', async () => {
    const w = await makeWorld(env.db)
    const setElevator = compiledOnce((db, id: string, flag: number) => db.updateTable('buildings').set({ has_elevator: flag }).where('id', '=', id).returning(['id', 'has_elevator']))
    const [building] = await env.db.selectFrom('buildings').select('id').where('community_id', '=', w.a).orderBy('id').limit(1).execute()
    expect((await setElevator(env.db, building.id, 1)).map((r) => ({ ...r, has_elevator: Number(r.has_elevator) }))).toEqual([{ id: building.id, has_elevator: 1 }])
    expect((await setElevator(env.db, building.id, 0)).map((r) => Number(r.has_elevator))).toEqual([0])
    expect(Number((await env.db.selectFrom('buildings').select('has_elevator').where('id', '=', building.id).executeTakeFirstOrThrow()).has_elevator)).toBe(0)
    expect(await setElevator(env.db, 'no-such-building', 1)).toEqual([])
  })

  test('a list of ids compiles once per length and binds the ids of each call', async () => {
    const w = await makeWorld(env.db)
    const units = await env.db.selectFrom('units').select(['id', 'room']).where('community_id', '=', w.a).orderBy('room').execute()
    const rooms = compiledPerLength((db, communityId, ids) => db.selectFrom('units').select('room').where('community_id', '=', communityId).where('id', 'in', ids).orderBy('room'))
    const ids = units.map((u) => u.id)
    expect((await rooms(env.db, w.a, ids.slice(0, 1))).map((r) => r.room)).toEqual([units[0].room])
    expect((await rooms(env.db, w.a, ids.slice(1, 2))).map((r) => r.room)).toEqual([units[1].room])
    expect((await rooms(env.db, w.a, ids.slice(0, 3))).map((r) => r.room)).toEqual(units.slice(0, 3).map((u) => u.room))
    expect((await rooms(env.db, w.a, [ids[3], ids[0]])).map((r) => r.room)).toEqual([units[0].room, units[3].room])
    expect(await rooms(env.db, w.b, ids.slice(0, 2))).toEqual([])
    expect(await rooms(env.db, w.a, [])).toEqual([])
    // Past the lengths it keeps, each call is compiled anew and answers the same.
    const few = compiledPerLength((db, communityId, list) => db.selectFrom('units').select('room').where('community_id', '=', communityId).where('id', 'in', list).orderBy('room'), 1)
    expect((await few(env.db, w.a, ids.slice(0, 1))).map((r) => r.room)).toEqual([units[0].room])
    expect((await few(env.db, w.a, ids.slice(0, 2))).map((r) => r.room)).toEqual(units.slice(0, 2).map((u) => u.room))
    expect((await few(env.db, w.a, ids.slice(2, 4))).map((r) => r.room)).toEqual(units.slice(2, 4).map((u) => u.room))
  })

  test('the session and roles lookups answer as before: per token, per user and 小区', async () => {
    const w = await makeWorld(env.db)
    const [a, b] = await Promise.all([findOrCreateUser(env.db, 'o-compiled-a', 'A', new Date()), findOrCreateUser(env.db, 'o-compiled-b', 'B', new Date())])
    await grantRole(env.db, a.id, 'committee_chair', { communityId: w.a }, new Date())
    await grantRole(env.db, b.id, 'owner', { communityId: w.b }, new Date())
    const sa = await openSession(deps, { userId: a.id })
    const sb = await openSession(deps, { userId: b.id })
    expect((await findSession(env.db, hashToken(sa.token)))).toMatchObject({ user_id: a.id, openid: 'o-compiled-a', revoked_at: null })
    expect((await findSession(env.db, hashToken(sb.token)))).toMatchObject({ user_id: b.id, openid: 'o-compiled-b' })
    expect(await findSession(env.db, hashToken('not-a-token'))).toBeUndefined()
    expect(await rolesInCommunity(env.db, a.id, w.a)).toEqual(['committee_chair'])
    expect(await rolesInCommunity(env.db, a.id, w.b)).toEqual([])
    expect(await rolesInCommunity(env.db, b.id, w.b)).toEqual(['owner'])
  })
})
