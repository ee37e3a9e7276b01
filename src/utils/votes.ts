import type { VoteStatus, VoteSummary } from '../contracts/votes'
import { formatDateTime } from './time'

/** Badge colour per vote status (with the words beside it, never colour alone). */
export const STATUS_BADGE: Record<VoteStatus, string> = {
  draft: 'badge--pending',
  announced: 'badge--pending',
  open: 'badge--approved',
  closed: 'badge--rejected',
}

/** When the vote happens, in the words that matter at its stage (Beijing time). */
export function whenText(v: Pick<VoteSummary, 'status' | 'opensAt' | 'closesAt'>): string {
  if (v.status === 'closed') return `已于 ${formatDateTime(v.closesAt)} 结束`
  if (v.status === 'open') return `投票中，${formatDateTime(v.closesAt)} 截止`
  return `${formatDateTime(v.opensAt)} 开始投票，${formatDateTime(v.closesAt)} 截止`
}
