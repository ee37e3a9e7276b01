import type { SelectQueryBuilder } from 'kysely'
import { OPEN_REPORT_STATUSES, type ReportDetail, type ReportPage, type ReportPhotoData } from '../../src/contracts/reports'
import { REPORT_BODY_ROLES, hasAnyRole } from '../../src/contracts/roles'
import { requireActor, type Ctx } from '../context'
import type { Database } from '../db/database'
import { afterKeyset, decodeCursor, isIsoTime, isNumber, isText, keysetPage, type KeyValue } from '../db/keyset'
import { AppError } from '../errors'
import { photoData, photoRow, photosOf } from './report.photos'
import { canRead, handlerName, reportBodies, seesAllReports } from './report.policy'
import { eventsOf, findReport } from './report.repository'
import type { ReportTable } from './report.table'
import { actionsFor, identifiable, reporterInfo, toEventView, toSummary, type Reader, type SummaryRow } from './report.view'

/**
 * What people read of reports: one report with its timeline, the reporter's own list, the
 * handlers' inbox of a 小区 (overdue first, then newest), and photos. Every list is keyset-paged
 * in SQL on an index that starts with community_id; officers' inbox across a post is in
 * report.officer.ts.
 */
const readerOf = (ctx: Ctx): Reader => requireActor(ctx)

export async function getReport(ctx: Ctx, input: { communityId: string; reportId: string }): Promise<ReportDetail> {
  const reader = readerOf(ctx)
  const row = await findReport(ctx.db, input.communityId, input.reportId)
  // A report the reader may not see is answered as one that does not exist.
  if (!row || !canRead(row, reader.userId, reader.roles)) throw new AppError('NotFound', '报事不存在')
  const [bodies, events, photos] = await Promise.all([reportBodies(ctx.db, row.community_id), eventsOf(ctx.db, row.community_id, row.id), photosOf(ctx.db, row.community_id, row.id)])
  const reporters = await reporterInfo(ctx.db, identifiable([row], reader))
  const names = { property: handlerName('property', bodies), committee: handlerName('committee', bodies), office: handlerName('office', bodies) }
  return {
    ...toSummary({ ...row, community_name: bodies.name }, reader, reporters),
    description: row.description,
    photos: photos.filter((p) => p.eventId === null).map(({ id, mime, sizeBytes }) => ({ id, mime, sizeBytes })),
    timeline: events.map((e) => toEventView(e, photos, names)),
    reopenCount: row.reopen_count,
    rating: row.rating,
    ratingComment: row.rating_comment,
    acceptedAt: row.accepted_at,
    resolvedAt: row.resolved_at,
    confirmedAt: row.confirmed_at,
    actions: actionsFor(row, reader),
  }
}

type ReportQuery = SelectQueryBuilder<Database & { r: ReportTable }, 'r', object>

export interface InboxFilter {
  status?: ReportTable['status'] | 'open'
  category?: ReportTable['category']
  overdue?: boolean
  buildingId?: string
}

/** The filters of an inbox, as SQL on the report alias `r` (of whatever query reads it). */
export function applyFilter<Q>(query: Q, f: InboxFilter): Q {
  let q = query as unknown as ReportQuery
  if (f.status === 'open') q = q.where('r.status', 'in', OPEN_REPORT_STATUSES)
  else if (f.status) q = q.where('r.status', '=', f.status)
  if (f.category) q = q.where('r.category', '=', f.category)
  if (f.overdue !== undefined) q = q.where('r.overdue_rank', '=', f.overdue ? 1 : 0)
  if (f.buildingId) q = q.where('r.building_id', '=', f.buildingId)
  return q as unknown as Q
}

/** Inbox order: overdue first, then newest; the cursor is (overdue_rank, created_at, id). */
export const INBOX_KEY = ['r.overdue_rank', 'r.created_at', 'r.id'] as const
export const decodeInboxCursor = (cursor?: string) => decodeCursor(cursor, [isNumber, isIsoTime, isText] as const)
export const inboxKeyOf = (r: ReportTable): KeyValue[] => [r.overdue_rank, r.created_at, r.id]

async function page(ctx: Ctx, rows: SummaryRow[], limit: number, keyOf: (r: ReportTable) => KeyValue[]): Promise<ReportPage> {
  const reader = readerOf(ctx)
  const { page, nextCursor } = keysetPage(rows, limit, keyOf)
  const reporters = await reporterInfo(ctx.db, identifiable(page, reader))
  return { items: page.map((r) => toSummary(r, reader, reporters)), nextCursor }
}

export async function summaries(ctx: Ctx, rows: SummaryRow[], limit: number): Promise<ReportPage> {
  return page(ctx, rows, limit, inboxKeyOf)
}

/** The handlers' inbox of one 小区: all of it for the committee and officers, what is routed to them for the staff. */
export async function reportInbox(ctx: Ctx, input: InboxFilter & { communityId: string; cursor?: string; limit: number }): Promise<ReportPage> {
  const reader = readerOf(ctx)
  const after = decodeInboxCursor(input.cursor)
  let q = ctx.db.selectFrom('reports as r').innerJoin('communities as c', 'c.id', 'r.community_id').where('r.community_id', '=', input.communityId)
  if (!seesAllReports(reader.roles)) {
    const bodies = (Object.keys(REPORT_BODY_ROLES) as (keyof typeof REPORT_BODY_ROLES)[]).filter((h) => hasAnyRole(reader.roles, REPORT_BODY_ROLES[h]))
    if (bodies.length === 0) throw new AppError('Forbidden', '您没有处理报事的权限')
    q = q.where('r.handler', 'in', bodies)
  }
  q = applyFilter(q, input)
  if (after) q = q.where(afterKeyset(INBOX_KEY, 'desc', after))
  const rows = await q.selectAll('r').select('c.name as community_name')
    .orderBy('r.overdue_rank', 'desc').orderBy('r.created_at', 'desc').orderBy('r.id', 'desc')
    .limit(input.limit + 1).execute()
  return summaries(ctx, rows, input.limit)
}

/** The reporter's own reports in a 小区, newest first. */
export async function myReports(ctx: Ctx, input: { communityId: string; cursor?: string; limit: number }): Promise<ReportPage> {
  const reader = readerOf(ctx)
  const after = decodeCursor(input.cursor, [isIsoTime, isText] as const)
  let q = ctx.db.selectFrom('reports as r').innerJoin('communities as c', 'c.id', 'r.community_id')
    .where('r.community_id', '=', input.communityId).where('r.reporter_user_id', '=', reader.userId)
  if (after) q = q.where(afterKeyset(['r.created_at', 'r.id'], 'desc', after))
  const rows = await q.selectAll('r').select('c.name as community_name').orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').limit(input.limit + 1).execute()
  return page(ctx, rows, input.limit, (r) => [r.created_at, r.id])
}

/** A photo's bytes, for a reader of its report (or its uploader, before it is attached). */
export async function reportPhoto(ctx: Ctx, input: { communityId: string; photoId: string }): Promise<ReportPhotoData> {
  const reader = readerOf(ctx)
  const row = await photoRow(ctx.db, input.communityId, input.photoId)
  if (row.report_id) {
    const report = await findReport(ctx.db, input.communityId, row.report_id)
    if (!report || !canRead(report, reader.userId, reader.roles)) throw new AppError('NotFound', '照片不存在')
  } else if (row.uploaded_by !== reader.userId) throw new AppError('NotFound', '照片不存在')
  return photoData(ctx, row)
}

/** Reports a resident filed today in a 小区 (for the form's "还可提交 n 条"). */
export async function reportsToday(ctx: Ctx, communityId: string, day: string): Promise<number> {
  const row = await ctx.db.selectFrom('report_daily_counts').select('count').where('community_id', '=', communityId).where('user_id', '=', readerOf(ctx).userId).where('day', '=', day).executeTakeFirst()
  return row?.count ?? 0
}
