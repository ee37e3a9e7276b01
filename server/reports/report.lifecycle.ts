import { REPORT_STATUS_LABELS, REPORT_STATUSES, type ReportStatus } from '../../src/contracts/reports'
import { applyTransition, defineLifecycle, eventsFrom } from '../lifecycle'

/**
 * The life of a problem report (domain.md "Problem reports", issue 12): submitted → accepted →
 * in progress → resolved → confirmed by the reporter with a rating, or reopened with a reason.
 * Reopened at most twice (REPORT_REOPEN_MAX); a third objection escalates the report to the
 * community office. A resolved report nobody confirms within 7 days is confirmed by the system
 * without a rating. Every status change goes through this table (applyReportEvent), which refuses
 * an illegal one with a Chinese Conflict naming the current state.
 */
export const REPORT_LIFECYCLE = defineLifecycle({
  entity: '这条报事',
  states: REPORT_STATUSES,
  stateLabels: REPORT_STATUS_LABELS,
  transitions: {
    accept: { from: ['submitted', 'reopened', 'escalated'], to: 'accepted', label: '受理', hints: { resolved: '已办结，等待报事人确认' } },
    start: { from: ['accepted'], to: 'in_progress', label: '开始处理', hints: { submitted: '请先受理' } },
    resolve: { from: ['accepted', 'in_progress'], to: 'resolved', label: '办结', hints: { submitted: '请先受理', reopened: '请先受理', escalated: '请先受理' } },
    confirm: { from: ['resolved'], to: 'confirmed', label: '确认办结', hints: { submitted: '还没有办结', accepted: '还没有办结', in_progress: '还没有办结' } },
    auto_confirm: { from: ['resolved'], to: 'confirmed', label: '自动确认' },
    reopen: { from: ['resolved'], to: 'reopened', label: '要求重新处理', hints: { confirmed: '已确认的报事请重新提交' } },
    escalate: { from: ['resolved'], to: 'escalated', label: '转交社区' },
  },
})

export type ReportEvent = keyof typeof REPORT_LIFECYCLE.transitions

/** The status an event leads to, or Conflict with a readable message. */
export function applyReportEvent(status: ReportStatus, event: ReportEvent): ReportStatus {
  return applyTransition(REPORT_LIFECYCLE, status, event)
}

export const reportEventsFrom = (status: ReportStatus): ReportEvent[] => eventsFrom(REPORT_LIFECYCLE, status)

/** Timeline words for events, including those that change no status (submit, reply, reassign). */
export const REPORT_EVENT_LABELS: Record<string, string> = {
  submit: '提交报事',
  accept: '受理',
  start: '开始处理',
  resolve: '办结',
  confirm: '确认办结',
  auto_confirm: '7 天未确认，系统自动确认',
  reopen: '要求重新处理',
  escalate: '多次重新处理仍不满意，转交社区',
  reply: '回复',
  reassign: '转交',
  overdue: '超过响应时限',
}
