import {
  OPEN_REPORT_STATUSES, REPORT_CATEGORY_LABELS, REPORT_HANDLER_LABELS, REPORT_STATUS_LABELS,
  type ReportEventView, type ReportPhoto, type ReportReporter, type ReportSummary,
} from '../../src/contracts/reports'
import { isOfficer, type Role } from '../../src/contracts/roles'
import { unitLabel } from '../../src/contracts/units'
import { sameCommunity } from '../db/colocation'
import type { DbOrTx } from '../db/database'
import { REPORT_EVENT_LABELS, reportEventsFrom } from './report.lifecycle'
import { canHandle, seesReporter } from './report.policy'
import type { ReportEventTable, ReportTable } from './report.table'

/**
 * What a reader sees of a report. The one place a report row becomes an answer, so the one place
 * the anonymous rule is applied: the reporter (name, unit, phone) only for the reporter and for
 * officers; the timeline names bodies and '报事人', never a person.
 */
export interface Reader {
  userId: string
  roles: readonly Role[]
}

export type ReporterKey = `${string}:${string}`
export const reporterKey = (communityId: string, userId: string): ReporterKey => `${communityId}:${userId}`

/** Names, units and phones of reporters, by 小区 and user; only ever asked for rows the reader may identify. */
export async function reporterInfo(db: DbOrTx, pairs: readonly { communityId: string; userId: string }[]): Promise<Map<ReporterKey, ReportReporter>> {
  const out = new Map<ReporterKey, ReportReporter>()
  if (pairs.length === 0) return out
  const userIds = [...new Set(pairs.map((p) => p.userId))]
  const communityIds = [...new Set(pairs.map((p) => p.communityId))]
  const owners = await db
    .selectFrom('persons as p')
    .innerJoin('ownerships as o', (j) => sameCommunity(j, 'o.person_id', 'p.id'))
    .innerJoin('units as u', (j) => sameCommunity(j, 'u.id', 'o.unit_id'))
    .innerJoin('buildings as b', (j) => sameCommunity(j, 'b.id', 'u.building_id'))
    .select(['p.user_id', 'p.community_id', 'p.name', 'p.phone', 'b.name as building', 'u.stair', 'u.room'])
    .where('p.user_id', 'in', userIds).where('p.community_id', 'in', communityIds)
    .execute()
  for (const o of owners) {
    const key = reporterKey(o.community_id, o.user_id!)
    if (!out.has(key)) out.set(key, { name: o.name, unitLabel: unitLabel(o.building, o.stair, o.room), phone: o.phone })
  }
  const missing = pairs.filter((p) => !out.has(reporterKey(p.communityId, p.userId)))
  if (missing.length) {
    const tenants = await db
      .selectFrom('tenancies as t')
      .innerJoin('users as us', 'us.id', 't.tenant_user_id')
      .innerJoin('units as u', (j) => sameCommunity(j, 'u.id', 't.unit_id'))
      .innerJoin('buildings as b', (j) => sameCommunity(j, 'b.id', 'u.building_id'))
      .select(['t.tenant_user_id', 't.community_id', 'us.nickname', 'b.name as building', 'u.stair', 'u.room'])
      .where('t.tenant_user_id', 'in', missing.map((m) => m.userId)).where('t.status', '=', 'active')
      .execute()
    for (const t of tenants) {
      const key = reporterKey(t.community_id, t.tenant_user_id!)
      if (!out.has(key)) out.set(key, { name: `${t.nickname}（租户）`, unitLabel: unitLabel(t.building, t.stair, t.room), phone: null })
    }
  }
  return out
}

export type SummaryRow = ReportTable & { community_name: string }

export function toSummary(row: SummaryRow, reader: Reader, reporters: Map<ReporterKey, ReportReporter>): ReportSummary {
  const identified = seesReporter(row, reader.userId, reader.roles)
  return {
    id: row.id,
    communityId: row.community_id,
    communityName: row.community_name,
    category: row.category,
    categoryLabel: REPORT_CATEGORY_LABELS[row.category],
    status: row.status,
    statusLabel: REPORT_STATUS_LABELS[row.status],
    urgency: row.urgency,
    excerpt: row.description.length > 60 ? `${row.description.slice(0, 60)}…` : row.description,
    place: { kind: row.place_kind, label: row.place_label },
    handler: row.handler,
    handlerLabel: REPORT_HANDLER_LABELS[row.handler],
    anonymous: !!row.anonymous,
    overdue: row.overdue_rank === 1,
    dueAt: row.due_at,
    reporter: identified ? reporters.get(reporterKey(row.community_id, row.reporter_user_id)) ?? null : null,
    mine: row.reporter_user_id === reader.userId,
    createdAt: row.created_at,
  }
}

/** The pairs whose reporter this reader may see, for reporterInfo. */
export function identifiable(rows: readonly ReportTable[], reader: Reader): { communityId: string; userId: string }[] {
  return rows.filter((r) => seesReporter(r, reader.userId, reader.roles)).map((r) => ({ communityId: r.community_id, userId: r.reporter_user_id }))
}

const ACTOR_WORDS: Record<string, string> = { reporter: '报事人', property: '物业服务中心', committee: '业委会（物管会）', office: '社区', system: '系统' }

export function toEventView(e: ReportEventTable, photos: readonly (ReportPhoto & { eventId: string | null })[], names: Partial<Record<string, string>>): ReportEventView {
  return {
    event: e.event,
    label: REPORT_EVENT_LABELS[e.event] ?? e.event,
    fromStatus: e.from_status,
    toStatus: e.to_status,
    actor: names[e.actor_kind] ?? ACTOR_WORDS[e.actor_kind] ?? '系统',
    message: e.message,
    photos: photos.filter((p) => p.eventId === e.id).map(({ id, mime, sizeBytes }) => ({ id, mime, sizeBytes })),
    at: e.created_at,
  }
}

/** What the reader may do with the report now. */
export function actionsFor(row: ReportTable, reader: Reader): string[] {
  const out: string[] = []
  const handles = canHandle(row.handler, reader.roles)
  for (const e of reportEventsFrom(row.status)) {
    if ((e === 'accept' || e === 'start' || e === 'resolve') && handles) out.push(e)
    if ((e === 'confirm' || e === 'reopen') && row.reporter_user_id === reader.userId) out.push(e)
  }
  const open = OPEN_REPORT_STATUSES.includes(row.status)
  if (open && handles) out.push('reply')
  if (row.status !== 'confirmed' && isOfficer(reader.roles)) out.push('reassign')
  return out
}
