import { randomUUID } from 'node:crypto'
import type * as v from 'valibot'
import { REPORT_REOPEN_MAX, type CreateReportInput, type ReportDetail, type ReportHandler } from '../../src/contracts/reports'
import { COMMITTEE_ROLES, hasAnyRole } from '../../src/contracts/roles'
import { beijingDate } from '../../src/contracts/time'
import { unitLabel } from '../../src/contracts/units'
import { requireActor, withTx, type Ctx } from '../context'
import { sameCommunity } from '../db/colocation'
import { AppError } from '../errors'
import { unitsOfUser } from '../rosters/binding.repository'
import { attachPhotos, discardPhotos } from './report.photos'
import { applyReportEvent, type ReportEvent } from './report.lifecycle'
import { assertHandler, assertReporter, assertResident, reportBodies, routeOf } from './report.policy'
import { getReport } from './report.queries'
import { appendEvent, requireReport, updateReportFrom } from './report.repository'
import { commonAreasOf, loadSettings, targetsOf } from './report.settings'
import type { ReportTable } from './report.table'
import { loadCalendar, responseDue } from './workdays'

/**
 * Filing a report and every step of its life. Each command reads the report, asks the lifecycle
 * table for the next status (refusing an illegal step with a readable Conflict), writes the status
 * only if nobody changed it meanwhile, and appends the step to the timeline with its message and
 * photos — all in one transaction. A refused command deletes the photos it named.
 */
async function refusingPhotos<T>(ctx: Ctx, communityId: string, photoIds: readonly string[] | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    await discardPhotos(ctx, communityId, photoIds).catch(() => undefined)
    throw err
  }
}

type CreateInput = v.InferOutput<typeof CreateReportInput>

export async function createReport(ctx: Ctx, input: CreateInput): Promise<ReportDetail> {
  const actor = requireActor(ctx)
  const id = await refusingPhotos(ctx, input.communityId, input.photoIds, () => withTx(ctx, async (tx) => {
    assertResident(actor.roles)
    const [bodies, settings] = await Promise.all([reportBodies(tx.db, input.communityId), loadSettings(tx.db, input.communityId, tx.now())])
    if (input.urgency && input.category !== 'repair') throw new AppError('BadInput', '只有物业维修可以选择紧急程度')
    const place = await resolvePlace(tx, input, commonAreasOf(settings))
    const now = tx.now()
    const counted = await tx.db
      .insertInto('report_daily_counts')
      .values({ community_id: input.communityId, user_id: actor.userId, day: beijingDate(now), count: 1 })
      .onConflict((oc) => oc.columns(['community_id', 'user_id', 'day']).doUpdateSet((eb) => ({ count: eb('report_daily_counts.count', '+', 1) })).where('report_daily_counts.count', '<', settings.daily_limit))
      .returning('count')
      .executeTakeFirst()
    if (!counted) throw new AppError('RateLimited', `您今天已提交 ${settings.daily_limit} 条报事，达到每日上限，请明天再提交；紧急情况请直接拨打物业或社区电话`)
    const urgency = input.category === 'repair' ? input.urgency ?? 'ordinary' : null
    const due = responseDue(input.category, urgency, now, targetsOf(settings), await loadCalendar(tx.db, bodies.districtId))
    const row: ReportTable = {
      id: randomUUID(), community_id: input.communityId, office_id: bodies.officeId, street_id: bodies.streetId, district_id: bodies.districtId, category: input.category, description: input.description,
      ...place, urgency, anonymous: input.anonymous ? 1 : 0, reporter_user_id: actor.userId,
      handler: routeOf(input.category, bodies), status: 'submitted', reopen_count: 0,
      due_at: due?.toISOString() ?? null, responded_at: null, overdue_at: null, overdue_rank: 0,
      accepted_at: null, resolved_at: null, confirmed_at: null, auto_confirmed: 0, rating: null, rating_comment: null,
      created_at: now.toISOString(), updated_at: now.toISOString(),
    }
    await tx.db.insertInto('reports').values(row).execute()
    await appendEvent(tx.db, row, { event: 'submit', from: null, to: 'submitted', actorUserId: actor.userId, actorKind: 'reporter', at: row.created_at })
    await attachPhotos(tx.db, { communityId: row.community_id, userId: actor.userId, reportId: row.id, eventId: null, photoIds: input.photoIds ?? [] })
    return row.id
  }))
  return getReport(ctx, { communityId: input.communityId, reportId: id })
}

async function resolvePlace(ctx: Ctx, input: CreateInput, areas: string[]): Promise<Pick<ReportTable, 'place_kind' | 'place_unit_id' | 'building_id' | 'place_label'>> {
  const p = input.place
  if (p.kind === 'unit') {
    if (input.anonymous) throw new AppError('BadInput', '匿名报事不能以本户为地点（会暴露您的身份），请选择楼栋或公共区域')
    const mine = (await unitsOfUser(ctx.db, requireActor(ctx).userId)).find((u) => u.unitId === p.unitId && u.communityId === input.communityId)
    if (!mine) throw new AppError('BadInput', '只能选择您本人在本小区的房屋')
    const u = await ctx.db.selectFrom('units as u').innerJoin('buildings as b', (j) => sameCommunity(j, 'b.id', 'u.building_id'))
      .select(['u.building_id', 'b.name', 'u.stair', 'u.room']).where('u.community_id', '=', input.communityId).where('u.id', '=', p.unitId).executeTakeFirstOrThrow()
    return { place_kind: 'unit', place_unit_id: p.unitId, building_id: u.building_id, place_label: unitLabel(u.name, u.stair, u.room) }
  }
  if (p.kind === 'building') {
    const b = await ctx.db.selectFrom('buildings').select(['id', 'name']).where('community_id', '=', input.communityId).where('id', '=', p.buildingId).executeTakeFirst()
    if (!b) throw new AppError('BadInput', '楼栋不存在')
    return { place_kind: 'building', place_unit_id: null, building_id: b.id, place_label: b.name }
  }
  if (!areas.includes(p.area)) throw new AppError('BadInput', `公共区域「${p.area}」不在本小区的列表中，请从列表中选择`)
  return { place_kind: 'area', place_unit_id: null, building_id: null, place_label: p.area }
}

/** Which body a handler's step speaks for on the timeline. */
function actorKindOf(ctx: Ctx, handler: ReportHandler): string {
  if (handler === 'committee' && !hasAnyRole(requireActor(ctx).roles, COMMITTEE_ROLES)) return 'office'
  return handler
}

export interface StepInput { communityId: string; reportId: string; message?: string; photoIds?: string[] }

/** A handler's step: accept, start or resolve, with an optional message and photos. */
export async function handlerStep(ctx: Ctx, input: StepInput, event: Extract<ReportEvent, 'accept' | 'start' | 'resolve'>): Promise<ReportDetail> {
  const actor = requireActor(ctx)
  await refusingPhotos(ctx, input.communityId, input.photoIds, () => withTx(ctx, async (tx) => {
    const row = await requireReport(tx.db, input.communityId, input.reportId)
    assertHandler(row, actor.roles, await reportBodies(tx.db, row.community_id))
    const to = applyReportEvent(row.status, event)
    const at = tx.now().toISOString()
    await updateReportFrom(tx.db, row, {
      status: to, updated_at: at, responded_at: row.responded_at ?? at, overdue_rank: 0,
      ...(event === 'accept' ? { accepted_at: row.accepted_at ?? at } : {}),
      ...(event === 'resolve' ? { resolved_at: at } : {}),
    })
    const eventId = await appendEvent(tx.db, row, { event, from: row.status, to, actorUserId: actor.userId, actorKind: actorKindOf(tx, row.handler), message: input.message, at })
    await attachPhotos(tx.db, { communityId: row.community_id, userId: actor.userId, reportId: row.id, eventId, photoIds: input.photoIds ?? [] })
  }))
  return getReport(ctx, input)
}

/** A handler's reply (no status change); the first reply answers a complaint in time. */
export async function replyReport(ctx: Ctx, input: StepInput & { message: string }): Promise<ReportDetail> {
  const actor = requireActor(ctx)
  await refusingPhotos(ctx, input.communityId, input.photoIds, () => withTx(ctx, async (tx) => {
    const row = await requireReport(tx.db, input.communityId, input.reportId)
    assertHandler(row, actor.roles, await reportBodies(tx.db, row.community_id))
    if (row.status === 'confirmed') throw new AppError('Conflict', '这条报事已确认办结，不能再回复')
    const at = tx.now().toISOString()
    await updateReportFrom(tx.db, row, { updated_at: at, responded_at: row.responded_at ?? at, overdue_rank: 0 })
    const eventId = await appendEvent(tx.db, row, { event: 'reply', from: row.status, to: row.status, actorUserId: actor.userId, actorKind: actorKindOf(tx, row.handler), message: input.message, at })
    await attachPhotos(tx.db, { communityId: row.community_id, userId: actor.userId, reportId: row.id, eventId, photoIds: input.photoIds ?? [] })
  }))
  return getReport(ctx, input)
}

/** The reporter confirms the resolution with a rating and an optional comment. */
export async function confirmReport(ctx: Ctx, input: { communityId: string; reportId: string; rating: number; comment?: string }): Promise<ReportDetail> {
  const actor = requireActor(ctx)
  await withTx(ctx, async (tx) => {
    const row = await requireReport(tx.db, input.communityId, input.reportId)
    assertReporter(row, actor.userId)
    const to = applyReportEvent(row.status, 'confirm')
    const at = tx.now().toISOString()
    await updateReportFrom(tx.db, row, { status: to, updated_at: at, confirmed_at: at, rating: input.rating, rating_comment: input.comment || null })
    await appendEvent(tx.db, row, { event: 'confirm', from: row.status, to, actorUserId: actor.userId, actorKind: 'reporter', message: input.comment || `评分 ${input.rating} 星`, at })
  })
  return getReport(ctx, input)
}

/**
 * The reporter is not satisfied: reopened with a reason, at most REPORT_REOPEN_MAX times; a further
 * objection escalates the report to the community office, with a new response target either way.
 */
export async function reopenReport(ctx: Ctx, input: { communityId: string; reportId: string; reason: string; photoIds?: string[] }): Promise<ReportDetail> {
  const actor = requireActor(ctx)
  await refusingPhotos(ctx, input.communityId, input.photoIds, () => withTx(ctx, async (tx) => {
    const row = await requireReport(tx.db, input.communityId, input.reportId)
    assertReporter(row, actor.userId)
    const escalate = row.reopen_count >= REPORT_REOPEN_MAX
    const event = escalate ? 'escalate' : 'reopen'
    const to = applyReportEvent(row.status, event)
    const now = tx.now()
    const settings = await loadSettings(tx.db, row.community_id, now)
    const due = responseDue(row.category, row.urgency, now, targetsOf(settings), await loadCalendar(tx.db, row.district_id))
    await updateReportFrom(tx.db, row, {
      status: to, updated_at: now.toISOString(), reopen_count: row.reopen_count + (escalate ? 0 : 1),
      handler: escalate ? 'office' : row.handler, due_at: due?.toISOString() ?? null, responded_at: null, overdue_rank: 0, resolved_at: null,
    })
    const eventId = await appendEvent(tx.db, row, { event, from: row.status, to, actorUserId: actor.userId, actorKind: 'reporter', message: input.reason, at: now.toISOString() })
    await attachPhotos(tx.db, { communityId: row.community_id, userId: actor.userId, reportId: row.id, eventId, photoIds: input.photoIds ?? [] })
  }))
  return getReport(ctx, input)
}

/** An officer hands a report in their jurisdiction to another body. */
export async function reassignReport(ctx: Ctx, input: { communityId: string; reportId: string; handler: ReportHandler; message?: string }): Promise<ReportDetail> {
  const actor = requireActor(ctx)
  await withTx(ctx, async (tx) => {
    const row = await requireReport(tx.db, input.communityId, input.reportId)
    if (row.status === 'confirmed') throw new AppError('Conflict', '这条报事已确认办结，不能转交')
    if (row.handler === input.handler) throw new AppError('Conflict', '这条报事已由该单位处理')
    const bodies = await reportBodies(tx.db, row.community_id)
    if (input.handler === 'property' && !bodies.companyName) throw new AppError('BadInput', '本小区没有物业服务企业，不能转交物业')
    const at = tx.now().toISOString()
    await updateReportFrom(tx.db, row, { handler: input.handler, updated_at: at })
    await appendEvent(tx.db, row, { event: 'reassign', from: row.status, to: row.status, actorUserId: actor.userId, actorKind: 'office', message: input.message ?? null, at })
  })
  return getReport(ctx, input)
}

/** Accepts each report that can be accepted; answers which were and why the others were not. */
export async function bulkAccept(ctx: Ctx, input: { communityId: string; reportIds: string[] }) {
  const accepted: string[] = []
  const refused: { reportId: string; message: string }[] = []
  for (const reportId of [...new Set(input.reportIds)]) {
    try {
      await handlerStep(ctx, { communityId: input.communityId, reportId }, 'accept')
      accepted.push(reportId)
    } catch (err) {
      if (!(err instanceof AppError)) throw err
      refused.push({ reportId, message: err.message })
    }
  }
  return { accepted, refused }
}
