import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import { registry } from '../../server/actions'
import { revokeCommunityRole } from '../../server/communities/membership.repository'
import { createDb, migrateToLatest } from '../../server/db/create-db'
import type { Database } from '../../server/db/database'
import { findSessionAt } from '../../server/identity/session.repository'
import { callerAtFromToken, closeSession, hashToken, openSession } from '../../server/identity/session.service'
import { buildApp } from '../../server/transports/http'
import { DIALECTS, testDeps } from '../helpers/db'
import { makeUser, makeWorld } from '../helpers/world'

/**
 * The HTTP transport reads a role-checked request's session and the caller's roles at the place
 * in one statement (findSessionAt). Each refusal must be exactly as strict as the two lookups it
 * replaced, with nothing remembered between requests: a session ended or a membership removed,
 * by this process or another one sharing the database, counts from the very next request.
 */

/** Two connections to one database (two processes' worth): a file for SQLite, one schema for PostgreSQL. */
async function twoConnections(dialect: 'sqlite' | 'postgres'): Promise<{ a: Kysely<Database>; b: Kysely<Database>; close: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-caller-at-'))
    const file = path.join(dir, 'db.sqlite')
    const a = (await createDb({ sqliteFile: file })).db
    await migrateToLatest(a)
    const b = (await createDb({ sqliteFile: file })).db
    return { a, b, close: async () => { await a.destroy(); await b.destroy(); fs.rmSync(dir, { recursive: true, force: true }) } }
  }
  const url = process.env.DATABASE_URL!
  const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`
  const admin = (await createDb({ databaseUrl: url })).db
  await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(admin)
  const u = new URL(url)
  u.searchParams.set('options', `-c search_path=${schema}`)
  const a = (await createDb({ databaseUrl: u.toString() })).db
  await migrateToLatest(a)
  const b = (await createDb({ databaseUrl: u.toString() })).db
  return {
    a, b,
    close: async () => {
      await a.destroy()
      await b.destroy()
      await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(admin)
      await admin.destroy()
    },
  }
}

describe.each(DIALECTS)('a role-checked request: the session and the roles in one statement (%s)', (dialect) => {
  let conn: Awaited<ReturnType<typeof twoConnections>>
  beforeAll(async () => {
    conn = await twoConnections(dialect)
  })
  afterAll(() => conn.close())

  test('answers the roles at each level as rolesAt does, and nothing for an unknown token or place', async () => {
    const db = conn.a
    const w = await makeWorld(db)
    const owner = await makeUser(db, 'owner', 'owner', { communityId: w.a })
    const officer = await makeUser(db, 'officer', 'street_officer', { streetId: w.street })
    const deps = testDeps(db, dialect)
    const [so, sf] = [await openSession(deps, { userId: owner }), await openSession(deps, { userId: officer })]
    const at = (token: string, scope: 'community' | 'office' | 'street' | 'district', placeId: string) => callerAtFromToken(deps, { token, scope, placeId })

    expect(await at(so.token, 'community', w.a)).toEqual({ caller: { userId: owner, openid: expect.any(String) }, roles: ['owner'] })
    expect((await at(so.token, 'community', w.b)).roles).toEqual([])
    // A 小区's roles never count at the office above it.
    expect((await at(so.token, 'office', w.office)).roles).toEqual([])
    // A street officer holds their role at the street, its offices and their 小区, not at the district.
    for (const [scope, id] of [['community', w.a], ['community', w.b], ['office', w.office], ['street', w.street]] as const) {
      expect((await at(sf.token, scope, id)).roles).toEqual(['street_officer'])
    }
    expect((await at(sf.token, 'district', w.district)).roles).toEqual([])
    // A made-up place looks like one the caller has no part in; the session row still comes back.
    expect((await at(sf.token, 'community', 'no-such-place')).roles).toEqual([])
    expect(await findSessionAt(db, hashToken(sf.token), 'office', 'no-such-place')).toEqual([expect.objectContaining({ user_id: officer, role: null })])
    // An unknown token: no row at all, SessionExpired.
    expect(await findSessionAt(db, hashToken('not-a-token'), 'community', w.a)).toEqual([])
    await expect(at('not-a-token', 'community', w.a)).rejects.toMatchObject({ code: 'SessionExpired' })
  })

  test('over HTTP, a revoked session, a removed membership, an expired session, a deleted account and a demo session out of demo mode each count from the next request, also when another connection made the change', async () => {
    const [db, other] = [conn.a, conn.b]
    const w = await makeWorld(db)
    const deps = testDeps(db, dialect)
    const app = await buildApp(deps, registry)
    const list = (token: string | null, communityId = w.a) =>
      app.inject({ method: 'POST', url: '/api/listNotices', headers: token ? { authorization: `Bearer ${token}` } : {}, payload: { communityId } }).then((r) => r.json())
    const officers = (token: string, officeId = w.office) =>
      app.inject({ method: 'POST', url: '/api/listJurisdictionCommunities', headers: { authorization: `Bearer ${token}` }, payload: { officeId } }).then((r) => r.json())
    const forbidden = { ok: false, error: { code: 'Forbidden', message: '您不是该小区的成员' } }
    const expired = { ok: false, error: { code: 'SessionExpired', message: '登录已过期，请重新登录' } }

    expect(await list(null)).toEqual({ ok: false, error: { code: 'Unauthenticated', message: '请先登录' } })
    expect(await list('not-a-token')).toEqual(expired)

    // A membership removed by another connection: Forbidden on the next request.
    const owner = await makeUser(db, 'owner', 'owner', { communityId: w.a })
    const so = (await openSession(deps, { userId: owner })).token
    expect((await list(so)).ok).toBe(true)
    expect(await list(so, w.b)).toEqual(forbidden)
    await revokeCommunityRole(other, owner, 'owner', w.a)
    expect(await list(so)).toEqual(forbidden)

    // An officer's post removed by another connection: refused at the office on the next request.
    const officer = await makeUser(db, 'officer', 'community_officer', { officeId: w.office })
    const sf = (await openSession(deps, { userId: officer })).token
    expect((await officers(sf)).ok).toBe(true)
    expect((await list(sf)).ok).toBe(true)
    await other.deleteFrom('memberships').where('user_id', '=', officer).execute()
    expect(await officers(sf)).toEqual({ ok: false, error: { code: 'Forbidden', message: '您不负责该社区' } })
    expect(await list(sf)).toEqual(forbidden)

    // A session ended by another connection (logout on another server): SessionExpired next.
    const chair = await makeUser(db, 'chair', 'committee_chair', { communityId: w.a })
    const sc = (await openSession(deps, { userId: chair })).token
    expect((await list(sc)).ok).toBe(true)
    await closeSession({ db: other, now: deps.now, config: deps.config }, { token: sc })
    expect(await list(sc)).toEqual(expired)

    // An expired session.
    const sc2 = (await openSession(deps, { userId: chair, days: 1 })).token
    expect((await list(sc2)).ok).toBe(true)
    const later = new Date(deps.now().getTime() + 2 * 86_400_000)
    deps.setNow(later)
    expect(await list(sc2)).toEqual(expired)

    // A deleted account.
    const sc3 = (await openSession(deps, { userId: chair })).token
    expect((await list(sc3)).ok).toBe(true)
    await other.updateTable('users').set({ deleted_at: later.toISOString() }).where('id', '=', chair).execute()
    expect(await list(sc3)).toEqual(expired)

    // A demo login's session once demo mode is off.
    const demo = await makeUser(db, 'demo', 'owner', { communityId: w.a })
    await db.updateTable('users').set({ openid: `demo:${randomUUID()}` }).where('id', '=', demo).execute()
    const sd = (await openSession(deps, { userId: demo })).token
    expect((await list(sd)).ok).toBe(true)
    deps.config = { ...deps.config, demo: false }
    expect(await list(sd)).toEqual(expired)
    await app.close()
  })
})
