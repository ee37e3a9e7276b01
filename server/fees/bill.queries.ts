import {
  BILL_STATUS_LABELS, PAYMENT_METHOD_LABELS, PRICE_COMPLAINT_PHONE, REMINDER_KIND_LABELS, periodLabel,
  type BillDetail, type BillSummary, type MyBills, type PaymentView, type ReminderView, type YearStatement,
} from '../../src/contracts/fees'
import { unitLabel } from '../../src/contracts/units'
import { requireActor, type Ctx } from '../context'
import { sameCommunity } from '../db/colocation'
import type { DbOrTx } from '../db/database'
import { AppError } from '../errors'
import { billOrNotFound, ownedUnitIds, ownedUnitsQuery, owedOf, type BillRow } from './bill.repository'
import { beijingDate } from '../../src/contracts/time'
import { sharedUnitIds, sharedUnitsQuery, tenantsOfUnits } from './bill.sharing'
import { canBill, feeBodies } from './fee.policy'
import { lateFeeOfBill } from './late-fee'
import type { FeePaymentTable, FeeReminderTable } from './fee.table'
import { sql, type Selectable } from 'kysely'
import { compiledOnce, compiledPerLength } from '../db/compiled'

/** Owners' reads: their bills by unit, a bill's detail, a yearly statement. */

type SummaryRow = Pick<BillRow, 'id' | 'period' | 'unit_label' | 'amount_fen' | 'credited_fen' | 'paid_fen' | 'status' | 'due_on'>
const SUMMARY_COLUMNS = ['id', 'unit_id', 'period', 'first_month', 'unit_label', 'amount_fen', 'credited_fen', 'paid_fen', 'status', 'due_on'] as const

export function summaryOf(b: SummaryRow): BillSummary {
  return {
    id: b.id, period: b.period, periodLabel: periodLabel(b.period), unitLabel: b.unit_label, amountFen: b.amount_fen, creditedFen: b.credited_fen,
    paidFen: b.paid_fen, owedFen: owedOf(b), status: b.status, statusLabel: BILL_STATUS_LABELS[b.status], dueOn: b.due_on,
  }
}
export const reminderView = (r: Selectable<FeeReminderTable>): ReminderView => ({ kind: r.kind, kindLabel: REMINDER_KIND_LABELS[r.kind], note: r.note, deadlineOn: r.deadline_on, createdAt: r.created_at })
const paymentView = (p: Selectable<FeePaymentTable>): PaymentView => ({ receiptNo: p.receipt_no, amountFen: p.amount_fen, method: p.method, methodLabel: PAYMENT_METHOD_LABELS[p.method], reference: p.reference, paidOn: p.paid_on })

async function writtenNotices(db: DbOrTx, communityId: string, unitIds: string[]) {
  return writtenNoticesQuery(db, communityId, unitIds)
}

// Run by every owner's 缴费 tab and each bill read: compiled once per number of units (server/db/compiled.ts).
const writtenNoticesQuery = compiledPerLength((db, communityId, unitIds) =>
  db.selectFrom('fee_reminders').selectAll().where('community_id', '=', communityId).where('unit_id', 'in', unitIds).where('kind', '=', 'written').orderBy('created_at', 'desc'),
)

/**
 * The units the caller pays for here with their labels and every bill, oldest first, in one
 * statement: the units they own (ownedUnitsQuery) and, for a tenant, those whose owner shares the
 * bills with them (sharedUnitsQuery), each unit once (owned wins over shared); a unit without a
 * bill has one row with no bill. Built and compiled once for owners and once for tenants.
 */
const payerUnitsQuery = (tenant: boolean) =>
  compiledOnce((db: DbOrTx, communityId: string, userId: string) => {
    const owned = ownedUnitsQuery(db, communityId, userId).select(sql<number>`0`.as('shared'))
    const mine = tenant ? owned.unionAll(sharedUnitsQuery(db, communityId, userId).select(sql<number>`1`.as('shared'))) : owned
    const units = db.selectFrom(mine.as('x')).select(['x.unit_id', (eb) => eb.fn.min<number>('x.shared').as('shared')]).groupBy('x.unit_id')
    return db
      .selectFrom(units.as('mu'))
      .innerJoin('units as u', (j) => j.onRef('u.id', '=', 'mu.unit_id').on('u.community_id', '=', communityId))
      .innerJoin('buildings as b', (j) => sameCommunity(j, 'b.id', 'u.building_id'))
      .leftJoin('fee_bills as f', (j) => j.onRef('f.unit_id', '=', 'u.id').on('f.community_id', '=', communityId))
      .select(['mu.unit_id', 'mu.shared', 'b.name as building', 'u.stair', 'u.room', ...SUMMARY_COLUMNS.filter((c) => c !== 'unit_id').map((c) => `f.${c}` as const)])
      .orderBy('f.first_month', 'asc')
  })
const payerUnits = { owner: payerUnitsQuery(false), tenant: payerUnitsQuery(true) }

/**
 * The 缴费 tab: each unit the caller owns (co-owners each see the unit's bills), unpaid bills first
 * (oldest first) with the total owed, then the history (newest first), the written 催缴 notices
 * with their deadlines, and the unit's tenants with whether its bills are shared with each. A
 * tenant sees only the bills of the units whose owner shares them (bill.sharing.ts), nothing else.
 */
export async function myBills(ctx: Ctx, communityId: string): Promise<MyBills> {
  const actor = requireActor(ctx)
  const tenant = actor.roles.includes('tenant')
  const rows = await payerUnits[tenant ? 'tenant' : 'owner'](ctx.db, communityId, actor.userId)
  if (rows.length === 0) {
    return { totalOwedFen: 0, units: [], note: tenant ? '业主还没有与您共享账单。账单只向业主显示；如需查看，请联系业主' : '您在本小区还没有绑定房屋' }
  }
  const units = new Map<string, MyBills['units'][number]>()
  for (const r of rows) {
    let u = units.get(r.unit_id)
    if (!u) {
      // The label of the latest bill (rows come oldest first), else the unit's own.
      u = { unitId: r.unit_id, unitLabel: unitLabel(r.building, r.stair, r.room), owedFen: 0, unpaid: [], history: [], writtenNotices: [], sharedWithMe: Number(r.shared) === 1, tenants: [] }
      units.set(r.unit_id, u)
    }
    if (r.id === null) continue
    const s = summaryOf(r as SummaryRow)
    u.unitLabel = s.unitLabel
    if (s.owedFen > 0) {
      u.unpaid.push(s)
      u.owedFen += s.owedFen
    } else u.history.unshift(s)
  }
  // The 催缴 notices and the tenants are the owner's: of owned units only (no statement when none is).
  const owned = [...units.values()].filter((u) => !u.sharedWithMe).map((u) => u.unitId)
  const [notices, tenants] = await Promise.all([writtenNotices(ctx.db, communityId, owned), tenantsOfUnits(ctx.db, communityId, owned)])
  for (const n of notices) units.get(n.unit_id)!.writtenNotices.push(reminderView(n))
  for (const [id, list] of tenants) units.get(id)!.tenants = list
  const list = [...units.values()].sort((a, b) => a.unitLabel.localeCompare(b.unitLabel, 'zh'))
  return { totalOwedFen: list.reduce((s, u) => s + u.owedFen, 0), units: list, note: null }
}

/**
 * A bill is read by the fee staff (those who bill: full rooms and amounts), its unit's owners, and
 * a tenant the owner shares the unit's bills with (without the 催缴 notices); to anyone else it does
 * not exist. A committee that sees arrears masked does not read bills: it waives by the reference
 * the arrears list gives (overview.service.ts).
 */
async function readableBill(ctx: Ctx, communityId: string, billId: string): Promise<{ bill: BillRow; asTenant: boolean }> {
  const actor = requireActor(ctx)
  const bill = await billOrNotFound(ctx.db, communityId, billId)
  const bodies = await feeBodies(ctx.db, communityId)
  if (canBill(bodies, actor.roles)) return { bill, asTenant: false }
  if ((await ownedUnitIds(ctx.db, communityId, actor.userId)).includes(bill.unit_id)) return { bill, asTenant: false }
  if (actor.roles.includes('tenant') && (await sharedUnitIds(ctx.db, communityId, actor.userId)).includes(bill.unit_id)) return { bill, asTenant: true }
  throw new AppError('NotFound', '账单不存在')
}

export async function getBill(ctx: Ctx, communityId: string, billId: string): Promise<BillDetail> {
  const { bill, asTenant } = await readableBill(ctx, communityId, billId)
  const [lines, payments, credits, notices, lateFee] = await Promise.all([
    ctx.db.selectFrom('fee_bill_lines').selectAll().where('bill_id', '=', bill.id).orderBy('position').execute(),
    ctx.db.selectFrom('fee_payments').selectAll().where('bill_id', '=', bill.id).orderBy('created_at').execute(),
    ctx.db.selectFrom('fee_credit_notes').selectAll().where('bill_id', '=', bill.id).orderBy('created_at').execute(),
    asTenant ? Promise.resolve([]) : writtenNotices(ctx.db, communityId, [bill.unit_id]),
    lateFeeOfBill(ctx.db, bill, beijingDate(ctx.now())),
  ])
  return {
    ...summaryOf(bill),
    areaCentiM2: bill.area_centi_m2,
    payer: bill.payer,
    payeeName: bill.payee_name,
    priceComplaintPhone: PRICE_COMPLAINT_PHONE,
    lines: lines.map((l) => ({ itemName: l.item_name, kind: l.kind, rateFen: l.rate_fen, months: l.months, amountFen: l.amount_fen, basis: l.basis })),
    payments: payments.map(paymentView),
    credits: credits.map((c) => ({ amountFen: c.amount_fen, reason: c.reason, createdAt: c.created_at })),
    closedReason: bill.closed_reason,
    writtenNotices: notices.map(reminderView),
    lateFee,
  }
}

/** A unit's year: the bills of periods starting in it, their payments, and the totals. */
export async function yearStatement(ctx: Ctx, communityId: string, unitId: string, year: number): Promise<YearStatement> {
  const actor = requireActor(ctx)
  const bodies = await feeBodies(ctx.db, communityId)
  const staff = canBill(bodies, actor.roles)
  if (!staff && !(await ownedUnitIds(ctx.db, communityId, actor.userId)).includes(unitId)) throw new AppError('NotFound', '房屋不存在')
  const bills = await ctx.db
    .selectFrom('fee_bills').selectAll().where('community_id', '=', communityId).where('unit_id', '=', unitId)
    .where('first_month', '>=', `${year}-01`).where('first_month', '<=', `${year}-12`).orderBy('first_month').execute()
  const payments = bills.length
    ? await ctx.db.selectFrom('fee_payments').selectAll().where('bill_id', 'in', bills.map((b) => b.id)).orderBy('paid_on').orderBy('receipt_no').execute()
    : []
  const periodOf = new Map(bills.map((b) => [b.id, b.period]))
  const label = bills[0]?.unit_label ?? (await unitLabelOf(ctx.db, communityId, unitId))
  const summaries = bills.map(summaryOf)
  return {
    unitLabel: label,
    year,
    bills: summaries,
    payments: payments.map((p) => ({ ...paymentView(p), period: periodOf.get(p.bill_id)! })),
    billedFen: bills.reduce((s, b) => s + b.amount_fen, 0),
    creditedFen: bills.reduce((s, b) => s + b.credited_fen, 0),
    paidFen: bills.reduce((s, b) => s + b.paid_fen, 0),
    owedFen: summaries.reduce((s, b) => s + b.owedFen, 0),
  }
}

async function unitLabelOf(db: DbOrTx, communityId: string, unitId: string): Promise<string> {
  const r = await db.selectFrom('units as u').innerJoin('buildings as b', (j) => sameCommunity(j, 'b.id', 'u.building_id')).select(['b.name', 'u.stair', 'u.room']).where('u.community_id', '=', communityId).where('u.id', '=', unitId).executeTakeFirst()
  if (!r) throw new AppError('NotFound', '房屋不存在')
  return unitLabel(r.name, r.stair, r.room)
}
