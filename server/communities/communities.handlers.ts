import { ListJurisdictionCommunitiesInput, type Jurisdiction, type JurisdictionCommunityPage } from '../../src/contracts/communities'
import { EmptyInput } from '../../src/contracts/identity'
import { OFFICER_ROLES } from '../../src/contracts/roles'
import { action } from '../registry'
import { listJurisdictionCommunities, myJurisdictions } from './jurisdiction.service'

/** What officers oversee: their posts, and the 小区 under each, a page at a time. */
export const communityActions = {
  /** The caller's officer posts (community office, street, district); [] for residents and committees. */
  myJurisdictions: action({
    input: EmptyInput,
    access: 'user',
    handler: async (_input, ctx): Promise<Jurisdiction[]> => myJurisdictions(ctx),
  }),

  /** The 小区 under one of the caller's posts, by name, filtered and paged in SQL. */
  listJurisdictionCommunities: action({
    input: ListJurisdictionCommunitiesInput,
    access: { roles: OFFICER_ROLES, scope: ['office', 'street', 'district'] },
    handler: async (input, ctx): Promise<JurisdictionCommunityPage> => listJurisdictionCommunities(ctx, input),
  }),
}
