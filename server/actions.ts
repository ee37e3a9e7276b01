import type { Registry } from './registry'
import { identityActions } from './identity/identity.handlers'
import { rosterActions } from './rosters/rosters.handlers'
import { noticeActions } from './notices/notice.handlers'
import { voteActions } from './votes/vote.handlers'

/** Every action the product answers, by name. Both transports serve exactly this registry. */
export const registry: Registry = {
  ...identityActions,
  ...rosterActions,
  ...noticeActions,
  ...voteActions,
}
