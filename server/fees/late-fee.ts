import { LATE_FEE_LABEL, type BillLateFee, type LateFeeView } from '../../src/contracts/fees'
import { formatFen, lateFeeAmount } from '../../src/contracts/money'
import { addDays, beijingDate, beijingDaysBetween, beijingToDate } from '../../src/contracts/time'
import type { DbOrTx } from '../db/database'
import type { BillRow } from './bill.repository'

/**
 * The service contract's late fee (违约金), shown on the bill as 违约金（合同约定） with its basis.
 * None unless the 小区's fee schedule carries the contract's terms (domain.md: default off). It is
 * a daily rate in 万分之 of the fee still owed, from a start after the due date to the day the bill
 * is settled (or today), computed in integer fen and rounded half up once (money.ts
 * lateFeeAmount). It never compounds: it is charged on the unpaid fee only, never on itself, and a
 * payment or credit lowers it from its day on. A waived or written-off bill carries none.
 */
export interface LateFeeTerms {
  ratePer10k: number
  clause: string
  startAfterDays: number
}

export function lateFeeText(t: Pick<LateFeeTerms, 'ratePer10k' | 'startAfterDays'>): string {
  const start = t.startAfterDays === 0 ? '缴费期限次日起算' : `缴费期限过后第 ${t.startAfterDays + 1} 天起算`
  return `每日按未缴物业费的万分之${t.ratePer10k}计收，${start}；违约金不再计违约金`
}

export function lateFeeView(t: LateFeeTerms | null): LateFeeView | null {
  return t ? { ...t, text: lateFeeText(t) } : null
}

/** The terms as a schedule row stores them; null when the contract enables no late fee. */
export function termsOfRow(r: { late_fee_rate_per_10k: number; late_fee_clause: string | null; late_fee_start_days: number }): LateFeeTerms | null {
  if (!r.late_fee_rate_per_10k || !r.late_fee_clause) return null
  return { ratePer10k: Number(r.late_fee_rate_per_10k), clause: r.late_fee_clause, startAfterDays: Number(r.late_fee_start_days) }
}

const dayAfter = (day: string, n: number) => beijingDate(addDays(beijingToDate(day), n))
const daysFrom = (a: string, b: string) => beijingDaysBetween(beijingToDate(a), beijingToDate(b))

/** The first day a late fee accrues: startAfterDays after the due date, then the day after. */
export function lateFeeStart(dueOn: string, startAfterDays: number): string {
  return dayAfter(dueOn, startAfterDays + 1)
}

/**
 * What was owed on each overdue day from `startOn` to `asOf` (both counted), as spans: a payment
 * or credit lowers what is owed from its own day on.
 */
export function overdueSpans(principalFen: number, reductions: readonly { on: string; amountFen: number }[], startOn: string, asOf: string): { owedFen: number; days: number }[] {
  if (asOf < startOn) return []
  let owed = principalFen - reductions.filter((r) => r.on <= startOn).reduce((s, r) => s + r.amountFen, 0)
  const later = reductions.filter((r) => r.on > startOn && r.on <= asOf).sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0))
  const spans: { owedFen: number; days: number }[] = []
  let from = startOn
  for (const r of later) {
    const days = daysFrom(from, r.on)
    if (days > 0) spans.push({ owedFen: owed, days })
    owed -= r.amountFen
    from = r.on
  }
  spans.push({ owedFen: owed, days: daysFrom(from, asOf) + 1 })
  return spans.filter((s) => s.owedFen > 0 && s.days > 0)
}

export interface LateFeeBill {
  amountFen: number
  dueOn: string
  status: BillRow['status']
}

/** The bill's late fee as of today (or the day it was settled); null when none is charged. */
export function computeLateFee(terms: LateFeeTerms | null, bill: LateFeeBill, reductions: readonly { on: string; amountFen: number }[], today: string): BillLateFee | null {
  if (!terms || terms.ratePer10k <= 0) return null
  if (bill.status === 'waived' || bill.status === 'written_off') return null
  const settled = bill.status === 'paid' ? reductions.reduce((d, r) => (r.on > d ? r.on : d), '') : ''
  const asOf = settled && settled < today ? settled : today
  const spans = overdueSpans(bill.amountFen, reductions, lateFeeStart(bill.dueOn, terms.startAfterDays), asOf)
  const amountFen = lateFeeAmount(spans, terms.ratePer10k)
  const basis =
    spans.length === 0
      ? `未逾期，不计违约金（${lateFeeText(terms)}）`
      : `${spans.map((s) => `未缴 ${formatFen(s.owedFen)} × ${s.days} 天`).join(' + ')} × 每日万分之${terms.ratePer10k} = ${formatFen(amountFen)}（合计后四舍五入到分，不计复利）`
  return { label: LATE_FEE_LABEL, amountFen, asOf, basis, clause: terms.clause }
}

/** Loads the terms of the bill's schedule and its payments and credits, and computes the late fee. */
export async function lateFeeOfBill(db: DbOrTx, bill: BillRow, today: string): Promise<BillLateFee | null> {
  const s = await db
    .selectFrom('fee_schedules').select(['late_fee_rate_per_10k', 'late_fee_clause', 'late_fee_start_days'])
    .where('community_id', '=', bill.community_id).where('id', '=', bill.schedule_id).executeTakeFirst()
  const terms = s ? termsOfRow(s) : null
  if (!terms) return null
  const [payments, credits] = await Promise.all([
    db.selectFrom('fee_payments').select(['paid_on', 'amount_fen']).where('community_id', '=', bill.community_id).where('bill_id', '=', bill.id).execute(),
    db.selectFrom('fee_credit_notes').select(['created_at', 'amount_fen']).where('community_id', '=', bill.community_id).where('bill_id', '=', bill.id).execute(),
  ])
  const reductions = [
    ...payments.map((p) => ({ on: p.paid_on, amountFen: p.amount_fen })),
    ...credits.map((c) => ({ on: beijingDate(c.created_at), amountFen: c.amount_fen })),
  ]
  return computeLateFee(terms, { amountFen: bill.amount_fen, dueOn: bill.due_on, status: bill.status }, reductions, today)
}
