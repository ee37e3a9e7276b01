import type { DbOrTx } from '../db/database'
import { afterKeyset, type KeyValue } from '../db/keyset'
import type { JurisdictionLevel } from '../../src/contracts/communities'

/** A place above the 小区: a community office, a street or the district. */
export interface Place {
  level: JurisdictionLevel
  id: string
}

export interface JurisdictionCommunityRow {
  id: string
  name: string
  built_on: string
  governance: 'committee' | 'pmc' | 'office_acting'
  committee_name: string
  office_id: string
  office_name: string
}

/** The 小区 under a place, as a query: filtered by the place in SQL, never by loading the district. */
function communitiesUnder(db: DbOrTx, place: Place) {
  const q = db.selectFrom('communities as c').innerJoin('offices as o', 'o.id', 'c.office_id')
  if (place.level === 'office') return q.where('c.office_id', '=', place.id)
  if (place.level === 'street') return q.where('o.street_id', '=', place.id)
  return q.innerJoin('streets as s', 's.id', 'o.street_id').where('s.district_id', '=', place.id)
}

/**
 * One page of the 小区 under a place, by (name, id), strictly after `after` (the previous page's
 * last key). Fetches `limit` rows; pass limit + 1 to learn whether there is more.
 */
export async function communitiesUnderPage(db: DbOrTx, place: Place, after: readonly KeyValue[] | undefined, limit: number): Promise<JurisdictionCommunityRow[]> {
  let q = communitiesUnder(db, place)
  if (after) q = q.where(afterKeyset(['c.name', 'c.id'], 'asc', after))
  return q
    .select(['c.id', 'c.name', 'c.built_on', 'c.governance', 'c.committee_name', 'c.office_id', 'o.name as office_name'])
    .orderBy('c.name')
    .orderBy('c.id')
    .limit(limit)
    .execute()
}

/** How many 小区 a place covers. */
export async function countCommunitiesUnder(db: DbOrTx, place: Place): Promise<number> {
  const row = await communitiesUnder(db, place)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export interface PostRow {
  role: string
  office_id: string | null
  street_id: string | null
  district_id: string | null
  name: string
}

/** The officer posts a user holds (memberships at an office, a street or a district), with the place's name. */
export async function postsOfUser(db: DbOrTx, userId: string): Promise<PostRow[]> {
  return db
    .selectFrom('memberships as m')
    .leftJoin('offices as o', 'o.id', 'm.office_id')
    .leftJoin('streets as s', 's.id', 'm.street_id')
    .leftJoin('districts as d', 'd.id', 'm.district_id')
    .where('m.user_id', '=', userId)
    .where('m.community_id', 'is', null)
    .select((eb) => [
      'm.role',
      'm.office_id',
      'm.street_id',
      'm.district_id',
      eb.fn.coalesce('o.name', 's.name', 'd.name').as('name'),
    ])
    .orderBy('m.created_at')
    .execute() as Promise<PostRow[]>
}
