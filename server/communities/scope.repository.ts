import { sql, type AliasedSelectQueryBuilder, type RawBuilder, type SqlBool } from 'kysely'
import type { Role } from '../../src/contracts/roles'
import { compiledOnce } from '../db/compiled'
import type { DbOrTx } from '../db/database'

/**
 * The levels an action can be scoped to, from the bottom up: a 小区, the community office (社区)
 * that oversees it, the street (街道) above the office, the district (区) above the street.
 */
export const SCOPES = ['community', 'office', 'street', 'district'] as const
export type Scope = (typeof SCOPES)[number]

/** The input field that names the place at each level. */
export const SCOPE_FIELD = {
  community: 'communityId',
  office: 'officeId',
  street: 'streetId',
  district: 'districtId',
} as const satisfies Record<Scope, string>

/** The column that names a place of each level, in memberships and in a place's chain (placeChain). */
const SCOPE_COLUMN = {
  community: 'community_id',
  office: 'office_id',
  street: 'street_id',
  district: 'district_id',
} as const satisfies Record<Scope, string>

/** A place's own level and the levels above it, bottom up. */
const LEVELS_FROM: Record<Scope, readonly Scope[]> = {
  community: SCOPES,
  office: ['office', 'street', 'district'],
  street: ['street', 'district'],
  district: ['district'],
}

/**
 * The place and every place above it, as one row (none when the place does not exist): for a
 * 小区 its id, its office's, its street's and its district's, each found by primary key; for an
 * office the office's and above; and so on. Columns are named as in memberships (SCOPE_COLUMN).
 */
export function placeChain(db: DbOrTx, scope: Scope, id: string): AliasedSelectQueryBuilder<PlaceChain, 'p'> {
  return chainOf(db, scope, id).as('p') as AliasedSelectQueryBuilder<PlaceChain, 'p'>
}

/** A place's chain: the columns of its level and those above it (the others are absent). */
export type PlaceChain = Partial<Record<(typeof SCOPE_COLUMN)[Scope], string>>

// Aliased pc/po/ps/pd so that the chain, joined into a caller's query, shadows none of its tables.
function chainOf(db: DbOrTx, scope: Scope, id: string) {
  switch (scope) {
    case 'community':
      return db
        .selectFrom('communities as pc')
        .innerJoin('offices as po', 'po.id', 'pc.office_id')
        .innerJoin('streets as ps', 'ps.id', 'po.street_id')
        .select(['pc.id as community_id', 'pc.office_id as office_id', 'po.street_id as street_id', 'ps.district_id as district_id'])
        .where('pc.id', '=', id)
    case 'office':
      return db.selectFrom('offices as po').innerJoin('streets as ps', 'ps.id', 'po.street_id').select(['po.id as office_id', 'po.street_id as street_id', 'ps.district_id as district_id']).where('po.id', '=', id)
    case 'street':
      return db.selectFrom('streets as ps').select(['ps.id as street_id', 'ps.district_id as district_id']).where('ps.id', '=', id)
    case 'district':
      return db.selectFrom('districts as pd').select('pd.id as district_id').where('pd.id', '=', id)
  }
}

/**
 * The access rule, in SQL: membership `m` counts at place `p` (a placeChain row of that scope)
 * when it is held at the place itself or at a level above it. Roles held below never count
 * upwards: a 小区's committee has no role at its office.
 */
export function countsAt(scope: Scope, m = 'm', p = 'p'): RawBuilder<SqlBool> {
  const same = LEVELS_FROM[scope].map((level) => sql`${sql.ref(`${m}.${SCOPE_COLUMN[level]}`)} = ${sql.ref(`${p}.${SCOPE_COLUMN[level]}`)}`)
  return sql<SqlBool>`(${sql.join(same, sql` or `)})`
}

// Run on every request with a role check that is not answered with the session (see
// server/identity/session.repository.ts): one query per scope, built and compiled once. The
// place's chain is a handful of primary-key lookups; the memberships are the user's own (by the
// memberships_user_idx), a few rows.
const rolesAtQuery = Object.fromEntries(
  SCOPES.map((scope) => [
    scope,
    compiledOnce((db, userId: string, id: string) =>
      db
        .selectFrom(placeChain(db, scope, id))
        .innerJoin('memberships as m', (join) => join.on(countsAt(scope)))
        .where('m.user_id', '=', userId)
        .select('m.role')
        .distinct(),
    ),
  ]),
) as Record<Scope, (db: DbOrTx, userId: string, id: string) => Promise<{ role: string }[]>>

/**
 * The caller's roles at one place: memberships held at that level, or at any level above it (an
 * officer of a street holds their roles over its offices and their 小区; a district officer over
 * everything in the district). Roles held below never count upwards: a 小区's committee has no
 * role at its office. Empty when the place does not exist, so a made-up id looks like one the
 * caller has no part in.
 */
export async function rolesAt(db: DbOrTx, userId: string, scope: Scope, id: string): Promise<Role[]> {
  const rows = await rolesAtQuery[scope](db, userId, id)
  return rows.map((r) => r.role as Role)
}
