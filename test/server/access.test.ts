import { randomUUID } from 'node:crypto'
import { registry } from '../../server/actions'
import { DIALECTS, useTestDb } from '../helpers/db'
import { call, makeUser, makeWorld } from '../helpers/world'

const roleScoped = Object.entries(registry).filter(([, def]) => typeof def.access === 'object')

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

  test.each(roleScoped.map(([name]) => name))('%s answers Forbidden to every outsider', async (name) => {
    for (const [who, userId] of Object.entries(outsiders)) {
      const res = await call(deps, name, { communityId: w.a }, userId)
      expect({ who, res }).toMatchObject({ who, res: { ok: false, error: { code: 'Forbidden' } } })
    }
    // A 小区 that does not exist looks the same as one you do not belong to.
    const res = await call(deps, name, { communityId: randomUUID() }, outsiders['committee chair of the other 小区'])
    expect(res).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
  })
})
