import { randomUUID } from 'node:crypto'
import type { ReportStatus } from '../../src/contracts/reports'
import type { DbOrTx } from '../db/database'
import { AppError } from '../errors'
import type { ReportEventTable, ReportTable } from './report.table'

/** Reports and their events as stored; every query names the 小区. */
export async function findReport(db: DbOrTx, communityId: string, reportId: string): Promise<ReportTable | undefined> {
  return db.selectFrom('reports').selectAll().where('community_id', '=', communityId).where('id', '=', reportId).executeTakeFirst()
}

export async function requireReport(db: DbOrTx, communityId: string, reportId: string): Promise<ReportTable> {
  const row = await findReport(db, communityId, reportId)
  if (!row) throw new AppError('NotFound', '报事不存在')
  return row
}

/**
 * Moves a report from the status it was read in to another, with other columns; refuses when
 * someone changed it meanwhile (two staff accepting at once: one wins, the other is told).
 */
export async function updateReportFrom(db: DbOrTx, row: ReportTable, set: Partial<ReportTable>): Promise<void> {
  const res = await db
    .updateTable('reports')
    .set(set)
    .where('community_id', '=', row.community_id)
    .where('id', '=', row.id)
    .where('status', '=', row.status)
    .where('updated_at', '=', row.updated_at)
    .executeTakeFirst()
  if (Number(res.numUpdatedRows) !== 1) throw new AppError('Conflict', '这条报事刚被他人处理过，请刷新后再试')
}

export interface EventInput {
  event: string
  from: ReportStatus | null
  to: ReportStatus
  actorUserId: string | null
  actorKind: string
  message?: string | null
  at: string
}

/** Appends one step to a report's timeline; answers its id (photos of the step point at it). */
export async function appendEvent(db: DbOrTx, row: Pick<ReportTable, 'id' | 'community_id'>, e: EventInput): Promise<string> {
  const last = await db.selectFrom('report_events').select((eb) => eb.fn.max('seq').as('seq')).where('report_id', '=', row.id).executeTakeFirst()
  const ev: ReportEventTable = {
    id: randomUUID(),
    community_id: row.community_id,
    report_id: row.id,
    seq: Number(last?.seq ?? 0) + 1,
    event: e.event,
    from_status: e.from,
    to_status: e.to,
    actor_user_id: e.actorUserId,
    actor_kind: e.actorKind,
    message: e.message ?? null,
    created_at: e.at,
  }
  await db.insertInto('report_events').values(ev).execute()
  return ev.id
}

export async function eventsOf(db: DbOrTx, communityId: string, reportId: string): Promise<ReportEventTable[]> {
  return db.selectFrom('report_events').selectAll().where('community_id', '=', communityId).where('report_id', '=', reportId).orderBy('seq').execute()
}
