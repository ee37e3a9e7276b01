/**
 * Roles and role sets, the one place for both client and server: who holds which role is the
 * server's business (memberships, officer posts); which roles may do what coarse thing — see a
 * page, run a vote, publish a notice — is declared here once, so the registry's access check and
 * the page that hides a button never disagree. Finer rules (whose notice, which 小区) live in the
 * server's *.policy.ts files.
 */

/** Roles a person can hold; each is scoped to a 小区 or to an office. */
export const ROLES = [
  'owner',
  'tenant',
  'committee_member',
  'committee_chair',
  'property_staff',
  'community_officer',
  'street_officer',
  'district_officer',
] as const
export type Role = (typeof ROLES)[number]
/** A set of roles, as declared below (order matters where a set is a preference list). */
export type RoleSet = readonly Role[]

export const ROLE_LABELS: Record<Role, string> = {
  owner: '业主',
  tenant: '租户',
  committee_member: '业委会委员',
  committee_chair: '业委会主任',
  property_staff: '物业人员',
  community_officer: '社区工作人员',
  street_officer: '街道工作人员',
  district_officer: '区级工作人员',
}

/** Every role: anyone who belongs to the 小区 at all (readers of its notices). */
export const ALL_ROLES: RoleSet = ROLES

/** Owners of a unit in the 小区 (bound to it). */
export const OWNER_ROLES = ['owner'] as const satisfies RoleSet

/** The 小区's own committee (业委会 or 物管会), chair first. */
export const COMMITTEE_ROLES = ['committee_chair', 'committee_member'] as const satisfies RoleSet

/** Roles that oversee 小区 from an office, a street or a district. */
export const OFFICER_ROLES: RoleSet = ['community_officer', 'street_officer', 'district_officer']

/** Roles that run a 小区: publish, import rosters, approve bindings, run votes. */
export const MANAGING_ROLES: RoleSet = ['committee_member', 'committee_chair', 'community_officer', 'street_officer', 'district_officer']

/**
 * Roles that may publish notices in a 小区: its committee, its property company's staff and the
 * officers of its community office (issue 3); never owners or tenants, and not the street or the
 * district above, who read. The order is the preference when a publisher names no role.
 */
export const NOTICE_PUBLISHER_ROLES = ['committee_chair', 'committee_member', 'property_staff', 'community_officer'] as const satisfies RoleSet
export type NoticePublisherRole = (typeof NOTICE_PUBLISHER_ROLES)[number]

/** Who runs votes (the brief of the feature): the committee, or the community office standing in for it. */
export const VOTE_MANAGER_ROLES = ['committee_member', 'committee_chair', 'community_officer'] as const satisfies RoleSet
/** Who may follow a vote: owners and those who run or oversee the 小区. Tenants never vote and do not see ballots. */
export const VOTE_VIEWER_ROLES = ['owner', 'committee_member', 'committee_chair', 'community_officer', 'street_officer', 'district_officer'] as const satisfies RoleSet

/** Whether a role belongs to a set (narrows the role to the set's members). */
export function inRoleSet<S extends RoleSet>(role: Role, set: S): role is S[number] {
  return (set as RoleSet).includes(role)
}

/** Whether someone holding these roles holds at least one role of the set. */
export function hasAnyRole(roles: readonly Role[], set: RoleSet): boolean {
  return roles.some((r) => inRoleSet(r, set))
}

/** The roles of the set this person holds, in the set's order (its preference). */
export function rolesInSet<S extends RoleSet>(roles: readonly Role[], set: S): S[number][] {
  return set.filter((r) => roles.includes(r))
}

/**
 * The role a committee or office member signs a 小区's disclosure notice as (欠费公示, 财务公开):
 * the chair's if they hold it, else a member's, else the community office's.
 */
export function disclosureRoleOf(roles: readonly Role[]): 'committee_chair' | 'committee_member' | 'community_officer' {
  return roles.includes('committee_chair') ? 'committee_chair' : roles.includes('committee_member') ? 'committee_member' : 'community_officer'
}

export const isManaging = (roles: readonly Role[]): boolean => hasAnyRole(roles, MANAGING_ROLES)
export const isOfficer = (roles: readonly Role[]): boolean => hasAnyRole(roles, OFFICER_ROLES)
export const isCommitteeMember = (roles: readonly Role[]): boolean => hasAnyRole(roles, COMMITTEE_ROLES)
export const isNoticePublisher = (roles: readonly Role[]): boolean => hasAnyRole(roles, NOTICE_PUBLISHER_ROLES)
export const isVoteManager = (roles: readonly Role[]): boolean => hasAnyRole(roles, VOTE_MANAGER_ROLES)
export const isVoteViewer = (roles: readonly Role[]): boolean => hasAnyRole(roles, VOTE_VIEWER_ROLES)

/**
 * Property fees (issue 10). Who bills and records payments: the property company's staff, or where
 * a 小区 has no company, its committee or the community office standing in (fee.policy.ts narrows
 * this coarse set by the 小区's governance). The same people and the officer above read the overview.
 */
export const FEE_STAFF_ROLES = ['property_staff', 'committee_chair', 'committee_member', 'community_officer'] as const satisfies RoleSet
/** Who waives or writes off a bill and publishes an 欠费公示: the committee (or the office standing in for it). */
export const FEE_DECIDER_ROLES = ['committee_chair', 'committee_member', 'community_officer'] as const satisfies RoleSet
/** Who reads their own bills: owners; a tenant is answered an empty list (bills are shared later, by the owner). */
export const FEE_PAYER_ROLES = ['owner', 'tenant'] as const satisfies RoleSet
/** Who reads a bill's detail: its unit's owners and the fee staff. */
export const FEE_READER_ROLES = ['owner', 'property_staff', 'committee_chair', 'committee_member', 'community_officer'] as const satisfies RoleSet

/**
 * Who runs a 小区 (communities.governance): its owners' committee (业委会), a property management
 * committee standing in where there is none (物管会), or the community office acting for an
 * abandoned 小区 (社区代管, policy §三.(四).2).
 */
export type Governance = 'committee' | 'pmc' | 'office_acting'

/** The one naming of the body that runs a 小区, for every sentence that names it; 业委会 when unknown. */
export function governingBody(governance: Governance | null | undefined): '业委会' | '物管会' | '社区代管' {
  return governance === 'pmc' ? '物管会' : governance === 'office_acting' ? '社区代管' : '业委会'
}

/** A role as people of this 小区 call it: a committee member of a 物管会 is 物管会委员. */
export function roleLabel(role: Role, governance: Governance | null | undefined): string {
  if (role === 'committee_member' || role === 'committee_chair') {
    const body = governance === 'pmc' ? '物管会' : '业委会'
    return `${body}${role === 'committee_chair' ? '主任' : '委员'}`
  }
  return ROLE_LABELS[role]
}

/** People who live in the 小区: its owners and tenants (staff and officers work there). */
export const RESIDENT_ROLES = ['owner', 'tenant'] as const satisfies RoleSet
export const isResident = (roles: readonly Role[]): boolean => hasAnyRole(roles, RESIDENT_ROLES)

/**
 * Problem reports (issue 12). Residents (owners and tenants) file them; the body a report is routed
 * to handles it — the property staff, the committee (业委会/物管会) or the community office; officers
 * above read every report under their post and reassign. report.policy.ts narrows these by report.
 */
export const REPORTER_ROLES = RESIDENT_ROLES
export const REPORT_HANDLER_ROLES = ['property_staff', 'committee_chair', 'committee_member', 'community_officer'] as const satisfies RoleSet
/** Who handles a report routed to each body. Complaints routed to the committee are handled by the community officer too. */
export const REPORT_BODY_ROLES = {
  property: ['property_staff'],
  committee: ['committee_chair', 'committee_member', 'community_officer'],
  office: ['community_officer'],
} as const satisfies Record<'property' | 'committee' | 'office', RoleSet>
/** Who reads reports in a 小区: its reporters (their own), its handlers, and the officers above it. */
export const REPORT_READER_ROLES: RoleSet = ROLES
/** Who sets a 小区's report settings (common areas, public phones, response targets): the committee and the community office. */
export const REPORT_SETTINGS_ROLES = ['committee_chair', 'committee_member', 'community_officer'] as const satisfies RoleSet
