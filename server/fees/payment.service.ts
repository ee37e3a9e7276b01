import { randomUUID } from 'node:crypto'
import * as v from 'valibot'
import { BILL_STATUS_LABELS, periodLabel, type BillDecision, type CreditNoteInput, type DecideBillInput, type PaymentResult, type RecordPaymentInput } from '../../src/contracts/fees'
import { formatFen } from '../../src/contracts/money'
import { beijingDate } from '../../src/contracts/time'
import { requireActor, withTx, type Ctx } from '../context'
import { sameCommunity } from '../db/colocation'
import { AppError } from '../errors'
import { closeBill, isOpenBill, statusAfterMoney } from './bill.lifecycle'
import { billOrNotFound, isUniqueViolation, nextCounter, owedOf, updateBillIfUnchanged, type BillRow } from './bill.repository'
import { assertCanBill, assertCanDecide, seesFullArrears } from './fee.policy'
import { maskRoom } from './arrears.service'
import { BILL_LIFECYCLE } from './bill.lifecycle'
import { refusalMessage } from '../lifecycle'

export type PaymentArgs = v.InferOutput<typeof RecordPaymentInput>

const resultOf = (b: BillRow, receiptNo: string, duplicate: boolean): PaymentResult => ({
  receiptNo,
  billId: b.id,
  status: b.status,
  paidFen: b.paid_fen,
  owedFen: owedOf(b),
  duplicate,
})

async function byKey(ctx: Ctx, communityId: string, key: string) {
  return ctx.db.selectFrom('fee_payments').select(['bill_id', 'receipt_no']).where('community_id', '=', communityId).where('idempotency_key', '=', key).executeTakeFirst()
}

async function duplicateOf(ctx: Ctx, a: PaymentArgs): Promise<PaymentResult | null> {
  const prior = await byKey(ctx, a.communityId, a.idempotencyKey)
  if (!prior) return null
  if (prior.bill_id !== a.billId) throw new AppError('Conflict', '这次提交的防重复编号已用于另一张账单，请刷新页面后重新登记')
  return resultOf(await billOrNotFound(ctx.db, a.communityId, a.billId), prior.receipt_no, true)
}

/**
 * Records a payment staff received (cash, bank transfer, a WeChat Pay reference) against one bill,
 * in full or in part, and gives it a receipt number. The idempotency key makes a double tap record
 * once: a second call with the key answers the first payment, and when two race, the database's
 * unique key refuses the second, which then answers the first too. Never more than is owed.
 */
export async function recordPayment(ctx: Ctx, a: PaymentArgs): Promise<PaymentResult> {
  const actor = requireActor(ctx)
  await assertCanBill(ctx.db, a.communityId, actor.roles)
  const today = beijingDate(ctx.now())
  const paidOn = a.paidOn ?? today
  if (paidOn > today) throw new AppError('BadInput', '缴费日期不能晚于今天')
  const dup = await duplicateOf(ctx, a)
  if (dup) return dup
  try {
    return await withTx(ctx, (tx) => recordInTx(tx, a, paidOn, actor.userId))
  } catch (err) {
    if (!isUniqueViolation(err)) throw err
    const again = await duplicateOf(ctx, a)
    if (again) return again
    throw err
  }
}

/** The payment inside a transaction (also used by the bank-statement import, all rows in one). */
export async function recordInTx(tx: Ctx, a: PaymentArgs, paidOn: string, userId: string): Promise<PaymentResult> {
  // The receipt counter's row lock orders this 小区's payments one after another.
  const seq = await nextCounter(tx.db, a.communityId, `receipt:${paidOn.slice(0, 4)}`)
  const bill = await billOrNotFound(tx.db, a.communityId, a.billId)
  if (!isOpenBill(bill.status)) throw new AppError('Conflict', refusalMessage(BILL_LIFECYCLE, bill.status, 'settle'))
  const owed = owedOf(bill)
  if (a.amountFen > owed) throw new AppError('BadInput', `缴费金额超过应缴金额（还应缴 ${formatFen(owed)}）`)
  const receiptNo = `SF${paidOn.slice(0, 4)}-${String(seq).padStart(6, '0')}`
  await tx.db
    .insertInto('fee_payments')
    .values({
      id: randomUUID(), community_id: a.communityId, bill_id: bill.id, amount_fen: a.amountFen, method: a.method, reference: a.reference || null,
      idempotency_key: a.idempotencyKey, receipt_no: receiptNo, paid_on: paidOn, recorded_by: userId, created_at: tx.now().toISOString(),
    })
    .execute()
  const paid = bill.paid_fen + a.amountFen
  const status = statusAfterMoney(bill.status, paid, owed - a.amountFen, 'payment')
  await updateBillIfUnchanged(tx.db, bill, { paid_fen: paid, status })
  return resultOf({ ...bill, paid_fen: paid, status }, receiptNo, false)
}

/** A credit note (红字冲减) for a mistake: lowers what is owed; the bill itself is never edited. */
export async function addCreditNote(ctx: Ctx, a: v.InferOutput<typeof CreditNoteInput>): Promise<PaymentResult> {
  const actor = requireActor(ctx)
  await assertCanBill(ctx.db, a.communityId, actor.roles)
  return withTx(ctx, async (tx) => {
    const bill = await billOrNotFound(tx.db, a.communityId, a.billId)
    if (!isOpenBill(bill.status)) throw new AppError('Conflict', refusalMessage(BILL_LIFECYCLE, bill.status, 'settle'))
    const owed = owedOf(bill)
    if (a.amountFen > owed) throw new AppError('BadInput', `冲减金额超过应缴金额（还应缴 ${formatFen(owed)}）`)
    await tx.db.insertInto('fee_credit_notes').values({ id: randomUUID(), community_id: a.communityId, bill_id: bill.id, amount_fen: a.amountFen, reason: a.reason, created_by: actor.userId, created_at: tx.now().toISOString() }).execute()
    const credited = bill.credited_fen + a.amountFen
    const status = statusAfterMoney(bill.status, bill.paid_fen, owed - a.amountFen, 'credit')
    await updateBillIfUnchanged(tx.db, bill, { credited_fen: credited, status })
    return resultOf({ ...bill, credited_fen: credited, status }, '', false)
  })
}

/**
 * Waives (减免) or writes off (核销) what is left of a bill, with a reason: the committee's decision.
 * It takes the bill's id, which a committee that sees arrears masked gets from the arrears list
 * (openBills' ref); the answer names the room masked for it and carries no amount.
 */
export async function decideBill(ctx: Ctx, a: v.InferOutput<typeof DecideBillInput>, event: 'waive' | 'write_off'): Promise<BillDecision> {
  const actor = requireActor(ctx)
  const bodies = await assertCanDecide(ctx.db, a.communityId, actor.roles)
  const full = seesFullArrears(bodies, actor.roles)
  return withTx(ctx, async (tx) => {
    const bill = await billOrNotFound(tx.db, a.communityId, a.billId)
    const status = closeBill(bill.status, event)
    const set = { status, closed_reason: a.reason, closed_by: actor.userId, closed_at: tx.now().toISOString() }
    await updateBillIfUnchanged(tx.db, bill, set)
    let unitLabel = bill.unit_label
    if (!full) {
      const u = await tx.db.selectFrom('units as u').innerJoin('buildings as b', (j) => sameCommunity(j, 'b.id', 'u.building_id')).select(['b.name', 'u.stair', 'u.room']).where('u.community_id', '=', a.communityId).where('u.id', '=', bill.unit_id).executeTakeFirstOrThrow()
      unitLabel = maskRoom(u.name, u.stair, u.room)
    }
    return { billId: bill.id, status, statusLabel: BILL_STATUS_LABELS[status], owedFen: 0, unitLabel, periodLabel: periodLabel(bill.period) }
  })
}
