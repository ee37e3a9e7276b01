import { isOldCommunity, type Jurisdiction, type JurisdictionCommunityPage, type JurisdictionLevel } from '../../src/contracts/communities'
import { OFFICER_ROLES, inRoleSet, type Role } from '../../src/contracts/roles'
import { requireActor, type Ctx } from '../context'
import { decodeCursor, isText, keysetPage } from '../db/keyset'
import { communitiesUnderPage, countCommunitiesUnder, postsOfUser, type Place } from './jurisdiction.repository'

/** The place an officer's list is asked for: the one of officeId, streetId, districtId given (the registry made sure there is exactly one). */
export function placeOfInput(input: { officeId?: string; streetId?: string; districtId?: string }): Place {
  if (input.officeId) return { level: 'office', id: input.officeId }
  if (input.streetId) return { level: 'street', id: input.streetId }
  if (input.districtId) return { level: 'district', id: input.districtId }
  throw new Error('placeOfInput: the registry let through an input naming no place')
}

/**
 * One page of the 小区 an officer oversees from one of their posts, by name. The caller's roles
 * are those the registry found at the post (or above it), so they hold them over every 小区 listed.
 */
export async function listJurisdictionCommunities(
  ctx: Ctx,
  input: { officeId?: string; streetId?: string; districtId?: string; cursor?: string; limit: number },
): Promise<JurisdictionCommunityPage> {
  const actor = requireActor(ctx)
  const place = placeOfInput(input)
  const after = decodeCursor(input.cursor, [isText, isText] as const)
  const rows = await communitiesUnderPage(ctx.db, place, after, input.limit + 1)
  const { page, nextCursor } = keysetPage(rows, input.limit, (r) => [r.name, r.id])
  return {
    items: page.map((r) => ({
      id: r.id,
      name: r.name,
      isOld: isOldCommunity(r.built_on),
      governance: r.governance,
      committeeName: r.committee_name,
      officeId: r.office_id,
      officeName: r.office_name,
      roles: actor.roles,
    })),
    nextCursor,
    total: await countCommunitiesUnder(ctx.db, place),
  }
}

/** The officer posts the caller holds (office, street, district), each with their officer roles there; [] for everyone else. */
export async function myJurisdictions(ctx: Ctx): Promise<Jurisdiction[]> {
  const actor = requireActor(ctx)
  const out = new Map<string, Jurisdiction>()
  for (const p of await postsOfUser(ctx.db, actor.userId)) {
    const role = p.role as Role
    if (!inRoleSet(role, OFFICER_ROLES)) continue
    const [level, id]: [JurisdictionLevel, string | null] = p.office_id ? ['office', p.office_id] : p.street_id ? ['street', p.street_id] : ['district', p.district_id]
    if (!id) continue
    const key = `${level}:${id}`
    const post = out.get(key) ?? { level, id, name: p.name, roles: [] }
    if (!post.roles.includes(role)) post.roles.push(role)
    out.set(key, post)
  }
  return [...out.values()]
}
