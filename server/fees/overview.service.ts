import { newWorkbook } from '../xlsx'
import { sql } from 'kysely'
import { periodLabel, type ArrearsList, type CollectionOverview, type CollectionRow } from '../../src/contracts/fees'
import { basisPoints, fenDigits, formatBasisPoints } from '../../src/contracts/money'
import { beijingDate } from '../../src/contracts/time'
import { unitLabel } from '../../src/contracts/units'
import type { ExportFile } from '../../src/contracts/votes'
import { requireActor, type Ctx } from '../context'
import { sameCommunity } from '../db/colocation'
import { maskRoom, postableUnitIds } from './arrears.service'
import { reminderView } from './bill.queries'
import { OPEN_STATUSES } from './bill.repository'
import { canDecide, feeBodies, seesFullArrears } from './fee.policy'

/**
 * The collection overview for the committee, the staff and the community officer: the rate by
 * period (the last 12, for the chart) and by building, the units in arrears (full rooms and
 * amounts for the fee staff, masked rooms for everyone else), and the same as .xlsx.
 * Billed = what was due after credits (a waived bill counts only what was paid on it).
 */
const billedExpr = sql<number>`sum(case when status = 'waived' then paid_fen else amount_fen - credited_fen end)`
const paidExpr = sql<number>`sum(paid_fen)`

const row = (billed: unknown, paid: unknown): CollectionRow => {
  const billedFen = Number(billed ?? 0)
  const paidFen = Number(paid ?? 0)
  return { billedFen, paidFen, rateBp: basisPoints(paidFen, billedFen) }
}

export async function collectionOverview(ctx: Ctx, communityId: string, period?: string): Promise<CollectionOverview> {
  const periods = await ctx.db
    .selectFrom('fee_bills')
    .select(['period', 'first_month', billedExpr.as('billed'), paidExpr.as('paid')])
    .where('community_id', '=', communityId)
    .groupBy(['period', 'first_month'])
    .orderBy('first_month', 'desc')
    .limit(12)
    .execute()
  const chosen = period ?? periods[0]?.period ?? null
  const buildings = chosen
    ? await ctx.db
        .selectFrom('fee_bills as f')
        .innerJoin('buildings as b', (j) => sameCommunity(j, 'b.id', 'f.building_id'))
        .select(['b.id', 'b.name', sql<number>`sum(case when f.status = 'waived' then f.paid_fen else f.amount_fen - f.credited_fen end)`.as('billed'), sql<number>`sum(f.paid_fen)`.as('paid')])
        .where('f.community_id', '=', communityId)
        .where('f.period', '=', chosen)
        .groupBy(['b.id', 'b.name'])
        .orderBy('b.name')
        .execute()
    : []
  return {
    periods: periods.reverse().map((p) => ({ period: p.period, label: periodLabel(p.period), ...row(p.billed, p.paid) })),
    period: chosen,
    buildings: buildings.map((b) => ({ buildingId: b.id, buildingName: b.name, ...row(b.billed, b.paid) })),
  }
}

export async function arrearsList(ctx: Ctx, communityId: string): Promise<ArrearsList> {
  const actor = requireActor(ctx)
  const bodies = await feeBodies(ctx.db, communityId)
  const full = seesFullArrears(bodies, actor.roles)
  const decides = canDecide(bodies, actor.roles)
  const units = await ctx.db
    .selectFrom('fee_bills as f')
    .innerJoin('units as u', (j) => sameCommunity(j, 'u.id', 'f.unit_id'))
    .innerJoin('buildings as b', (j) => sameCommunity(j, 'b.id', 'u.building_id'))
    .select(['u.id', 'b.name as building', 'u.stair', 'u.room', sql<number>`count(*)`.as('bills'), sql<number>`sum(f.amount_fen - f.credited_fen - f.paid_fen)`.as('owed')])
    .where('f.community_id', '=', communityId)
    .where('f.status', 'in', OPEN_STATUSES)
    .groupBy(['u.id', 'b.name', 'u.stair', 'u.room'])
    .orderBy('b.name')
    .orderBy('u.stair')
    .orderBy('u.room')
    .execute()
  const ids = units.map((u) => u.id)
  const reminders = ids.length
    ? await ctx.db.selectFrom('fee_reminders').selectAll().where('community_id', '=', communityId).where('unit_id', 'in', ids).orderBy('created_at', 'desc').execute()
    : []
  const postable = await postableUnitIds(ctx.db, communityId, beijingDate(ctx.now()))
  // Those who decide waivers get each open bill's reference by period (no amount), to waive from here.
  const open = decides && ids.length
    ? await ctx.db.selectFrom('fee_bills').select(['id', 'unit_id', 'period', 'due_on']).where('community_id', '=', communityId).where('status', 'in', OPEN_STATUSES).orderBy('first_month').execute()
    : []
  return {
    masked: !full,
    units: units.map((u) => {
      const last = reminders.find((r) => r.unit_id === u.id)
      return {
        unitLabel: full ? unitLabel(u.building, u.stair, u.room) : maskRoom(u.building, u.stair, u.room),
        unitId: full ? u.id : null,
        billCount: Number(u.bills),
        owedFen: full ? Number(u.owed) : null,
        lastReminder: full && last ? reminderView(last) : null,
        postable: postable.has(u.id),
        openBills: open.filter((b) => b.unit_id === u.id).map((b) => ({ ref: b.id, periodLabel: periodLabel(b.period), dueOn: b.due_on })),
      }
    }),
  }
}

export async function exportCollection(ctx: Ctx, communityId: string): Promise<ExportFile> {
  const [overview, arrears, bodies] = await Promise.all([collectionOverview(ctx, communityId), arrearsList(ctx, communityId), feeBodies(ctx.db, communityId)])
  const wb = await newWorkbook()
  const p = wb.addWorksheet('按账期')
  p.addRow(['账期', '应收（元）', '实收（元）', '收缴率'])
  for (const r of overview.periods) p.addRow([r.label, fenDigits(r.billedFen), fenDigits(r.paidFen), formatBasisPoints(r.rateBp)])
  const b = wb.addWorksheet('按楼栋')
  b.addRow([overview.period ? periodLabel(overview.period) : '暂无账期'])
  b.addRow(['楼栋', '应收（元）', '实收（元）', '收缴率'])
  for (const r of overview.buildings) b.addRow([r.buildingName, fenDigits(r.billedFen), fenDigits(r.paidFen), formatBasisPoints(r.rateBp)])
  const a = wb.addWorksheet('欠费房屋')
  a.addRow(arrears.masked ? ['房屋', '欠费账单数'] : ['房屋', '欠费账单数', '欠费（元）', '最近催缴'])
  for (const u of arrears.units) {
    a.addRow(arrears.masked ? [u.unitLabel, u.billCount] : [u.unitLabel, u.billCount, fenDigits(u.owedFen ?? 0), u.lastReminder ? `${u.lastReminder.kindLabel} ${u.lastReminder.createdAt.slice(0, 10)}` : ''])
  }
  const buf = Buffer.from(await wb.xlsx.writeBuffer())
  return {
    fileName: `${bodies.name}物业费收缴情况-${beijingDate(ctx.now())}.xlsx`,
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    base64: buf.toString('base64'),
  }
}
