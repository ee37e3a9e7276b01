import { randomUUID } from 'node:crypto'
import { registry } from '../../server/actions'
import type { RoleAccess, Scope } from '../../server/registry'
import { DIALECTS, useTestDb } from '../helpers/db'
import { call, makeUser, makeWorld } from '../helpers/world'

const roleScoped = Object.entries(registry).filter(([, def]) => typeof def.access === 'object')

/** The first level an action is scoped to (community unless it says otherwise). */
function scopeOf(name: string): Scope {
  const access = registry[name].access as RoleAccess
  return access.scope === undefined ? 'community' : typeof access.scope === 'string' ? access.scope : access.scope[0]
}

describe.each(DIALECTS)('a person cannot read or act in a 小区 they do not belong to (%s)', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: Awaited<ReturnType<typeof makeWorld>>
  let outsiders: Record<string, string>
  beforeAll(async () => {
    w = await makeWorld(env.db)
    // A second office with its own officer, to show office roles do not reach across offices.
    const office2 = randomUUID()
    await env.db.insertInto('offices').values({ id: office2, street_id: w.street, name: '南外社区' }).execute()
    outsiders = {
      'committee chair of the other 小区': await makeUser(env.db, 'chairB', 'committee_chair', { communityId: w.b }),
      'owner of the other 小区': await makeUser(env.db, 'ownerB', 'owner', { communityId: w.b }),
      'officer of another office': await makeUser(env.db, 'officer2', 'community_officer', { officeId: office2 }),
      'logged-in person with no role': await makeUser(env.db, 'nobody'),
    }
  })

  test('there are 小区-scoped actions to check', () => {
    expect(roleScoped.length).toBeGreaterThan(0)
  })

  // The place each level names: 小区 A, its office, street and district.
  const place = (scope: Scope, id?: string) =>
    ({ community: { communityId: id ?? w.a }, office: { officeId: id ?? w.office }, street: { streetId: id ?? w.street }, district: { districtId: id ?? w.district } })[scope]

  test.each(roleScoped.map(([name]) => name))('%s answers Forbidden to every outsider', async (name) => {
    const scope = scopeOf(name)
    for (const [who, userId] of Object.entries(outsiders)) {
      const res = await call(deps, name, place(scope), userId)
      expect({ who, res }).toMatchObject({ who, res: { ok: false, error: { code: 'Forbidden' } } })
    }
    // A 小区 that does not exist looks the same as one you do not belong to.
    const res = await call(deps, name, place(scope, randomUUID()), outsiders['committee chair of the other 小区'])
    expect(res).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
  })
})
