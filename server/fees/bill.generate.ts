import { randomUUID } from 'node:crypto'
import { periodMonths, addMonths } from '../../src/contracts/fees'
import { unitLabel } from '../../src/contracts/units'
import { withTx, type Ctx } from '../context'
import { sameCommunity } from '../db/colocation'
import { AppError } from '../errors'
import { computeLines, lastDayOf } from './bill.compute'
import { payeeName, type FeeBodies } from './fee.policy'
import { scheduleFor } from './schedule.service'

const CHUNK = 200

export interface GenerateArgs {
  communityId: string
  period: string
  dueOn?: string
  /** Who generated (null for the system: the demo seed). */
  userId: string | null
}

const overlaps = (a: { first: string; months: number }, b: { first: string; months: number }) =>
  a.first < addMonths(b.first, b.months) && b.first < addMonths(a.first, a.months)

/**
 * One bill per unit for a period, with its lines, from the schedule in force at the period's
 * first month. Idempotent: a period already generated answers what it made then and makes
 * nothing (the period row and, underneath, the unique (unit, period) key on bills). A period
 * overlapping another (2026-Q1 after 2026-02) is refused, so no month is billed twice.
 */
export async function generateBills(ctx: Ctx, bodies: FeeBodies, a: GenerateArgs): Promise<{ period: string; created: number; total: number }> {
  const { firstMonth, months } = periodMonths(a.period)
  const schedule = await scheduleFor(ctx.db, a.communityId, firstMonth)
  if (!schedule) throw new AppError('BadInput', `${firstMonth} 之前没有生效的收费标准，请先设置收费标准`)
  const dueOn = a.dueOn ?? lastDayOf(firstMonth)
  if (dueOn < `${firstMonth}-01`) throw new AppError('BadInput', '缴费期限不能早于账期开始')
  return withTx(ctx, async (tx) => {
    // One generator at a time per 小区 (a row lock on PostgreSQL; SQLite writes one at a time anyway).
    await tx.db.updateTable('communities').set((eb) => ({ id: eb.ref('id') })).where('id', '=', a.communityId).execute()
    const periods = await tx.db.selectFrom('fee_periods').select(['period', 'first_month', 'months', 'bill_count']).where('community_id', '=', a.communityId).execute()
    const same = periods.find((p) => p.period === a.period)
    if (same) return { period: a.period, created: 0, total: same.bill_count }
    const clash = periods.find((p) => overlaps({ first: p.first_month, months: p.months }, { first: firstMonth, months }))
    if (clash) throw new AppError('Conflict', `账期 ${a.period} 与已生成的账期 ${clash.period} 有重叠的月份`)

    const units = await tx.db
      .selectFrom('units as u')
      .innerJoin('buildings as b', (j) => sameCommunity(j, 'b.id', 'u.building_id'))
      .select(['u.id', 'u.building_id', 'b.name as building', 'u.stair', 'u.room', 'u.area_centi_m2', 'u.sold'])
      .where('u.community_id', '=', a.communityId)
      .orderBy('b.name')
      .orderBy('u.stair')
      .orderBy('u.room')
      .execute()
    const lines = computeLines(units.map((u) => ({ id: u.id, buildingId: u.building_id, areaCentiM2: u.area_centi_m2 })), schedule.items, months)
    const nowIso = tx.now().toISOString()
    const payee = payeeName(bodies)
    const bills = []
    const lineRows = []
    for (const u of units) {
      const ls = lines.get(u.id)!
      const amount = ls.reduce((s, l) => s + l.amountFen, 0)
      if (ls.length === 0 || amount === 0) continue
      const id = randomUUID()
      bills.push({
        id, community_id: a.communityId, unit_id: u.id, building_id: u.building_id, period: a.period, first_month: firstMonth, months, schedule_id: schedule.id,
        unit_label: unitLabel(u.building, u.stair, u.room), area_centi_m2: u.area_centi_m2, payer: u.sold ? ('owner' as const) : ('developer' as const),
        payee_name: payee, due_on: dueOn, amount_fen: amount, credited_fen: 0, paid_fen: 0, status: 'issued' as const,
        closed_reason: null, closed_by: null, closed_at: null, created_at: nowIso,
      })
      for (const l of ls) {
        lineRows.push({ id: randomUUID(), community_id: a.communityId, bill_id: id, position: l.position, item_name: l.itemName, kind: l.kind, rate_fen: l.rateFen, months: l.months, amount_fen: l.amountFen, basis: l.basis })
      }
    }
    for (let i = 0; i < bills.length; i += CHUNK) {
      await tx.db.insertInto('fee_bills').values(bills.slice(i, i + CHUNK)).execute()
    }
    for (let i = 0; i < lineRows.length; i += CHUNK) await tx.db.insertInto('fee_bill_lines').values(lineRows.slice(i, i + CHUNK)).execute()
    await tx.db
      .insertInto('fee_periods')
      .values({ community_id: a.communityId, period: a.period, first_month: firstMonth, months, schedule_id: schedule.id, due_on: dueOn, bill_count: bills.length, generated_by: a.userId, generated_at: nowIso })
      .execute()
    return { period: a.period, created: bills.length, total: bills.length }
  })
}
