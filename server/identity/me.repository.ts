import { sql } from 'kysely'
import type { Role } from '../../src/contracts/roles'
import { isOldCommunity } from '../../src/contracts/communities'
import type { Me } from '../../src/contracts/identity'
import { compiledOnce } from '../db/compiled'
import type { DbOrTx } from '../db/database'

/**
 * What the 我的 page and the 小区 switcher need about the user, in one statement: their nickname
 * and every 小区 they can see with their roles there. A membership reaches the 小区 it names, or
 * every 小区 under the office, street or district it names; each level is its own branch of a
 * UNION ALL, walked from the user's memberships down the hierarchy's indexes (offices by street,
 * 小区 by office), so the district's other 小区 are never read.
 */
const userWithCommunitiesQuery = compiledOnce((db: DbOrTx, userId: string) => {
  const reached = db
    .selectFrom('memberships as m')
    .innerJoin('communities as c', 'c.id', 'm.community_id')
    .select(['c.id', 'c.name', 'c.built_on', 'c.governance', 'm.role'])
    .where('m.user_id', '=', userId)
    .unionAll(
      db
        .selectFrom('memberships as m')
        .innerJoin('communities as c', 'c.office_id', 'm.office_id')
        .select(['c.id', 'c.name', 'c.built_on', 'c.governance', 'm.role'])
        .where('m.user_id', '=', userId),
    )
    .unionAll(
      db
        .selectFrom('memberships as m')
        .innerJoin('offices as o', 'o.street_id', 'm.street_id')
        .innerJoin('communities as c', 'c.office_id', 'o.id')
        .select(['c.id', 'c.name', 'c.built_on', 'c.governance', 'm.role'])
        .where('m.user_id', '=', userId),
    )
    .unionAll(
      db
        .selectFrom('memberships as m')
        .innerJoin('streets as s', 's.district_id', 'm.district_id')
        .innerJoin('offices as o', 'o.street_id', 's.id')
        .innerJoin('communities as c', 'c.office_id', 'o.id')
        .select(['c.id', 'c.name', 'c.built_on', 'c.governance', 'm.role'])
        .where('m.user_id', '=', userId),
    )
  // The user's row whatever they hold (a row with no 小区 when nothing reaches one).
  return db
    .selectFrom('users as u')
    .leftJoin(reached.as('r'), (join) => join.on(sql<boolean>`1 = 1`))
    .select(['u.nickname', 'r.id', 'r.name', 'r.built_on', 'r.governance', 'r.role'])
    .where('u.id', '=', userId)
    .orderBy('r.name')
    .orderBy('r.id')
    .orderBy('r.role')
})

/** The user's nickname, and the 小区 they can see with their roles there, by name. Undefined for an unknown user. */
export async function userWithCommunities(db: DbOrTx, userId: string): Promise<{ nickname: string; communities: Me['communities'] } | undefined> {
  const rows = await userWithCommunitiesQuery(db, userId)
  if (rows.length === 0) return undefined
  const byId = new Map<string, Me['communities'][number]>()
  for (const r of rows) {
    if (r.id === null || r.name === null || r.built_on === null || r.governance === null || r.role === null) continue
    const c = byId.get(r.id) ?? { id: r.id, name: r.name, isOld: isOldCommunity(r.built_on), governance: r.governance, roles: [] }
    if (!c.roles.includes(r.role as Role)) c.roles.push(r.role as Role)
    byId.set(r.id, c)
  }
  return { nickname: rows[0].nickname, communities: [...byId.values()] }
}
