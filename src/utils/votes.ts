import type { VoteStatus, VoteSummary } from '../contracts/votes'
import { formatDateTime } from './time'

/** Badge colour per vote status (with the words beside it, never colour alone). */
export const STATUS_BADGE: Record<VoteStatus, string> = {
  draft: 'badge--pending',
  announced: 'badge--pending',
  open: 'badge--approved',
  counting: 'badge--approved',
  closed: 'badge--rejected',
  cancelled: 'badge--rejected',
}

/** When the vote happens, in the words that matter at its stage (Beijing time). */
export function whenText(v: Pick<VoteSummary, 'status' | 'opensAt' | 'closesAt'> & { countingEndsAt?: string | null }): string {
  if (v.status === 'closed') return `已于 ${formatDateTime(v.closesAt)} 结束`
  if (v.status === 'cancelled') return '表决已撤销，不再投票'
  if (v.status === 'counting') return `投票已于 ${formatDateTime(v.closesAt)} 结束，计票中${v.countingEndsAt ? `，最晚 ${formatDateTime(v.countingEndsAt)} 公布结果` : '，计票结束后公布结果'}`
  if (v.status === 'draft' && (!v.opensAt || !v.closesAt)) return '草稿：投票时间未定'
  if (v.status === 'open') return `投票中，${formatDateTime(v.closesAt)} 截止`
  return `${formatDateTime(v.opensAt)} 开始投票，${formatDateTime(v.closesAt)} 截止`
}
