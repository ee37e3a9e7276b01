import type { ReportStatus, ReportSummary } from '../contracts/reports'
import { REPORT_TARGET_DEFAULTS } from '../contracts/reports'
import { formatDateTime } from './time'

/** Badge colour per report status (always beside its words, never colour alone). */
export const REPORT_STATUS_BADGE: Record<ReportStatus, string> = {
  submitted: 'badge--pending',
  accepted: 'badge--pending',
  in_progress: 'badge--pending',
  resolved: 'badge--approved',
  confirmed: 'badge--approved',
  reopened: 'badge--rejected',
  escalated: 'badge--rejected',
}

/** The line under a report's title: where, and when it was filed. */
export function reportWhere(r: Pick<ReportSummary, 'place' | 'createdAt'>): string {
  return `${r.place.label} · ${formatDateTime(r.createdAt)}`
}

/** When a response is due, or that it is late. */
export function dueText(r: Pick<ReportSummary, 'dueAt' | 'overdue'>): string | null {
  if (r.overdue) return '已超过响应时限'
  return r.dueAt ? `请在 ${formatDateTime(r.dueAt)} 前响应` : null
}

/** Minutes as people say them: 45 分钟, 3 小时 20 分, 2 天 4 小时. */
export function minutesText(minutes: number | null): string {
  if (minutes === null) return '—'
  const m = Math.round(minutes)
  if (m < 60) return `${m} 分钟`
  if (m < 24 * 60) return `${Math.floor(m / 60)} 小时${m % 60 ? ` ${m % 60} 分` : ''}`
  const h = Math.floor(m / 60)
  return `${Math.floor(h / 24)} 天${h % 24 ? ` ${h % 24} 小时` : ''}`
}

/** The product's default response targets in words (the policy sets none; say so beside it). */
export const TARGETS_TEXT = `紧急维修 ${REPORT_TARGET_DEFAULTS.urgentAcceptMinutes} 分钟内受理，一般报事 ${REPORT_TARGET_DEFAULTS.ordinaryAcceptMinutes / 60} 小时内受理，投诉 ${REPORT_TARGET_DEFAULTS.complaintAnswerWorkdays} 个工作日内答复`
