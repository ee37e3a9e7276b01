/**
 * Who may do what with notices, beyond the registry's coarse check (a publisher role in the 小区):
 * which body a publisher speaks for, which notices they may manage, what they may see before
 * residents do. Every notice is published by a body (the committee, the property company, the
 * community office), never by a person; whoever holds a role in that body manages its notices.
 */
import { IMMUTABLE_KINDS, type NoticeKind } from '../../src/contracts/notices'
import { NOTICE_PUBLISHER_ROLES, isNoticePublisher, rolesInSet, type NoticePublisherRole, type Role } from '../../src/contracts/roles'
import type { Actor, Ctx } from '../context'
import { AppError } from '../errors'
import * as repo from './notice.repository'

type Body = 'committee' | 'company' | 'office'

const BODY_OF_ROLE: Record<string, Body> = {
  committee_chair: 'committee',
  committee_member: 'committee',
  property_staff: 'company',
  community_officer: 'office',
  // System notices (vote results) speak for the committee.
  system: 'committee',
}

const bodyOf = (publisherRole: string): Body => BODY_OF_ROLE[publisherRole] ?? 'committee'

/** Whether these roles publish in the 小区 (see NOTICE_PUBLISHER_ROLES). */
export const isPublisher = (roles: readonly Role[]): boolean => isNoticePublisher(roles)

/** Whether the actor speaks for the body that published this notice (edit, pin, withdraw, correct). */
export function canManage(actor: Actor, publisherRole: string): boolean {
  const body = bodyOf(publisherRole)
  return actor.roles.some((r) => BODY_OF_ROLE[r] === body)
}

/** The editor's role shown in the history: one of theirs in the publishing body. */
export function editorRoleFor(actor: Actor, publisherRole: string): string {
  const body = bodyOf(publisherRole)
  return actor.roles.find((r) => BODY_OF_ROLE[r] === body) ?? publisherRole
}

/** The role the actor publishes as: the one asked for, or their first publishing role by rank. */
export function publishingRole(actor: Actor, asRole?: NoticePublisherRole): NoticePublisherRole {
  if (asRole) {
    if (!actor.roles.includes(asRole)) throw new AppError('Forbidden', '您在该小区没有这个发布身份')
    return asRole
  }
  const [role] = rolesInSet(actor.roles, NOTICE_PUBLISHER_ROLES)
  if (!role) throw new AppError('Forbidden', '只有业委会、物业和社区工作人员可以发布公告')
  return role
}

/** The publishing roles the actor holds, strongest first. */
export const publishingRoles = (actor: Actor): NoticePublisherRole[] => rolesInSet(actor.roles, NOTICE_PUBLISHER_ROLES)

/** Refuses anyone but a publisher: for what only publishers see (scheduled notices, read counts, uploads). */
export function requirePublisher(actor: Actor, message: string): void {
  if (!isPublisher(actor.roles)) throw new AppError('Forbidden', message)
}

/** 公示 and 财务公开 can never be edited or withdrawn once published; a correction supersedes them. */
export const isImmutableKind = (kind: string): boolean => (IMMUTABLE_KINDS as readonly string[]).includes(kind as NoticeKind)

export function immutableMessage(kind: string): string {
  return `${kind}发布后不能修改或删除；如需更正，请发布一条更正${kind}，它会与原${kind}相互链接`
}

/** A live notice the actor's body published, for edit, pin and withdraw. */
export async function manageableNotice(ctx: Ctx, actor: Actor, communityId: string, noticeId: string): Promise<repo.NoticeRow> {
  const n = await repo.findNotice(ctx.db, communityId, noticeId)
  if (!n || n.withdrawn_at) throw new AppError('NotFound', '公告不存在或已撤回')
  if (!canManage(actor, n.publisher_role)) throw new AppError('Forbidden', '只能管理本机构发布的公告')
  return n
}

/** The name residents read under the notice: the body, never the person. */
export async function publisherName(ctx: Ctx, communityId: string, role: NoticePublisherRole): Promise<string> {
  const b = await repo.publisherBodies(ctx.db, communityId)
  if (!b) throw new AppError('NotFound', '小区不存在')
  switch (role) {
    case 'committee_chair':
    case 'committee_member':
      return b.committee_name
    case 'property_staff':
      return b.company_name ?? `${b.name}物业服务企业`
    case 'community_officer':
      return b.office
  }
}
