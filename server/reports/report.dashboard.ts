import { newWorkbook } from '../xlsx'
import { addMonths, periodLabel, periodMonths } from '../../src/contracts/fees'
import { REPORT_CATEGORIES, REPORT_CATEGORY_LABELS, REPORT_STATUSES, REPORT_STATUS_LABELS, type ReportDashboard } from '../../src/contracts/reports'
import { beijingDate, beijingTime, beijingToDate } from '../../src/contracts/time'
import type { ExportFile } from '../../src/contracts/votes'
import type { Ctx } from '../context'
import { reportBodies } from './report.policy'

/**
 * The dashboard of a 小区 for a period (a month, a quarter, a year in Beijing time): reports filed
 * in it, by category and status, the median minutes from filing to acceptance and to resolution,
 * how many went overdue, the average rating; and the same as .xlsx for the quarterly assessment.
 * Read on reports_period_idx (community_id, created_at). No reporter is named in either.
 */
export function periodRange(period: string): { from: string; to: string } {
  const { firstMonth, months } = periodMonths(period)
  return { from: beijingToDate(`${firstMonth}-01`).toISOString(), to: beijingToDate(`${addMonths(firstMonth, months)}-01`).toISOString() }
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null
  const s = [...values].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid] : Math.round((s[mid - 1] + s[mid]) / 2)
}

const minutesBetween = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 60_000)

async function periodRows(ctx: Ctx, communityId: string, period: string) {
  const { from, to } = periodRange(period)
  return ctx.db.selectFrom('reports')
    .select(['id', 'category', 'status', 'urgency', 'handler', 'place_label', 'created_at', 'accepted_at', 'resolved_at', 'overdue_at', 'rating', 'auto_confirmed', 'description'])
    .where('community_id', '=', communityId).where('created_at', '>=', from).where('created_at', '<', to)
    .orderBy('created_at').orderBy('id')
    .execute()
}

export async function reportDashboard(ctx: Ctx, input: { communityId: string; period: string }): Promise<ReportDashboard> {
  const [bodies, rows] = await Promise.all([reportBodies(ctx.db, input.communityId), periodRows(ctx, input.communityId, input.period)])
  const rated = rows.filter((r) => r.rating !== null)
  return {
    communityId: input.communityId,
    communityName: bodies.name,
    period: input.period,
    total: rows.length,
    byCategory: REPORT_CATEGORIES.map((c) => ({ category: c, label: REPORT_CATEGORY_LABELS[c], count: rows.filter((r) => r.category === c).length })),
    byStatus: REPORT_STATUSES.map((s) => ({ status: s, label: REPORT_STATUS_LABELS[s], count: rows.filter((r) => r.status === s).length })),
    medianAcceptMinutes: median(rows.filter((r) => r.accepted_at).map((r) => minutesBetween(r.created_at, r.accepted_at!))),
    medianResolveMinutes: median(rows.filter((r) => r.resolved_at).map((r) => minutesBetween(r.created_at, r.resolved_at!))),
    overdueCount: rows.filter((r) => r.overdue_at).length,
    averageRatingX100: rated.length ? Math.round((rated.reduce((sum, r) => sum + r.rating!, 0) * 100) / rated.length) : null,
    ratedCount: rated.length,
  }
}

const minutesText = (m: number | null) => (m === null ? '—' : m < 60 ? `${m} 分钟` : `${Math.floor(m / 60)} 小时 ${m % 60} 分钟`)

export async function exportReportDashboard(ctx: Ctx, input: { communityId: string; period: string }): Promise<ExportFile> {
  const [d, rows] = await Promise.all([reportDashboard(ctx, input), periodRows(ctx, input.communityId, input.period)])
  const wb = await newWorkbook()
  const s = wb.addWorksheet('概况')
  s.addRow(['小区', d.communityName])
  s.addRow(['统计期', periodLabel(d.period)])
  s.addRow(['报事总数', d.total])
  s.addRow(['受理用时中位数', minutesText(d.medianAcceptMinutes)])
  s.addRow(['办结用时中位数', minutesText(d.medianResolveMinutes)])
  s.addRow(['超时未响应', d.overdueCount])
  s.addRow(['平均评分', d.averageRatingX100 === null ? '—' : (d.averageRatingX100 / 100).toFixed(2)])
  s.addRow(['评分人数', d.ratedCount])
  const c = wb.addWorksheet('按类别')
  c.addRow(['类别', '数量'])
  for (const r of d.byCategory) c.addRow([r.label, r.count])
  const st = wb.addWorksheet('按状态')
  st.addRow(['状态', '数量'])
  for (const r of d.byStatus) st.addRow([r.label, r.count])
  const list = wb.addWorksheet('报事清单')
  list.addRow(['提交时间', '类别', '地点', '状态', '受理时间', '办结时间', '是否超时', '评分'])
  for (const r of rows) {
    list.addRow([
      beijingTime(r.created_at), REPORT_CATEGORY_LABELS[r.category], r.place_label, REPORT_STATUS_LABELS[r.status],
      r.accepted_at ? beijingTime(r.accepted_at) : '', r.resolved_at ? beijingTime(r.resolved_at) : '', r.overdue_at ? '是' : '否',
      r.rating ?? (r.auto_confirmed ? '未评（自动确认）' : ''),
    ])
  }
  const buf = Buffer.from(await wb.xlsx.writeBuffer())
  return {
    fileName: `${d.communityName}报事统计-${periodLabel(d.period)}-${beijingDate(ctx.now())}.xlsx`,
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    base64: buf.toString('base64'),
  }
}
