import type { Role } from '../../src/contracts/roles'
import type { DbOrTx } from '../db/database'
import { rolesInCommunity } from './membership.repository'

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

/**
 * The caller's roles at one place: memberships held at that level, or at any level above it (an
 * officer of a street holds their roles over its offices and their 小区; a district officer over
 * everything in the district). Roles held below never count upwards: a 小区's committee has no
 * role at its office. Empty when the place does not exist, so a made-up id looks like one the
 * caller has no part in.
 */
export async function rolesAt(db: DbOrTx, userId: string, scope: Scope, id: string): Promise<Role[]> {
  if (scope === 'community') return rolesInCommunity(db, userId, id)
  let rows: { role: string }[]
  if (scope === 'office') {
    rows = await db
      .selectFrom('offices as o')
      .innerJoin('streets as s', 's.id', 'o.street_id')
      .innerJoin('memberships as m', (join) =>
        join.on((eb) =>
          eb.and([
            eb('m.user_id', '=', userId),
            eb.or([eb('m.office_id', '=', eb.ref('o.id')), eb('m.street_id', '=', eb.ref('s.id')), eb('m.district_id', '=', eb.ref('s.district_id'))]),
          ]),
        ),
      )
      .where('o.id', '=', id)
      .select('m.role')
      .distinct()
      .execute()
  } else if (scope === 'street') {
    rows = await db
      .selectFrom('streets as s')
      .innerJoin('memberships as m', (join) =>
        join.on((eb) => eb.and([eb('m.user_id', '=', userId), eb.or([eb('m.street_id', '=', eb.ref('s.id')), eb('m.district_id', '=', eb.ref('s.district_id'))])])),
      )
      .where('s.id', '=', id)
      .select('m.role')
      .distinct()
      .execute()
  } else {
    rows = await db
      .selectFrom('districts as d')
      .innerJoin('memberships as m', (join) => join.on((eb) => eb.and([eb('m.user_id', '=', userId), eb('m.district_id', '=', eb.ref('d.id'))])))
      .where('d.id', '=', id)
      .select('m.role')
      .distinct()
      .execute()
  }
  return rows.map((r) => r.role as Role)
}
