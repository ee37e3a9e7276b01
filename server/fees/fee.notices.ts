import type { NoticePublisherRole } from '../../src/contracts/roles'
import type { Ctx } from '../context'
import { publishSystemNotice } from '../notices/notice.service'
import type { FeeBodies } from './fee.policy'

/**
 * The notices fees publish, through the notices' system publish path (the fee standard's 公示 and
 * the 欠费公示): the fee code's one door into notices.
 */
export interface FeeNotice {
  communityId: string
  kind: '公示' | '欠费公示'
  title: string
  body: string
  publisherRole: NoticePublisherRole
  expiresAt?: Date
  sourceKey: string
}

export async function publishFeeNotice(ctx: Ctx, bodies: FeeBodies, n: FeeNotice): Promise<{ id: string }> {
  return publishSystemNotice(ctx, {
    communityId: n.communityId,
    kind: n.kind,
    title: n.title,
    body: n.body,
    publisherRole: n.publisherRole,
    publisherName: publisherNameOf(bodies, n.publisherRole),
    publishedBy: ctx.actor?.userId ?? null,
    expiresAt: n.expiresAt,
    sourceKey: n.sourceKey,
  })
}

/** The body a role speaks for, as notices name it. */
export function publisherNameOf(b: FeeBodies, role: NoticePublisherRole): string {
  switch (role) {
    case 'committee_chair':
    case 'committee_member':
      return b.committeeName
    case 'property_staff':
      return b.companyName ?? `${b.name}物业服务企业`
    case 'community_officer':
      return b.officeName
  }
}
