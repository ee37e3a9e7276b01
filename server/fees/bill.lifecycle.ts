import { BILL_STATUS_LABELS, BILL_STATUSES, type BillStatus } from '../../src/contracts/fees'
import { applyTransition, defineLifecycle } from '../lifecycle'

/**
 * The life of a bill (domain.md "Property fees"): issued → partly paid → paid, or waived by the
 * committee with a reason, or written off. A bill's amounts are never edited: payments and credit
 * notes are rows of their own, and only its status moves, always through this table.
 */
export const BILL_LIFECYCLE = defineLifecycle({
  entity: '这张账单',
  states: BILL_STATUSES,
  stateLabels: BILL_STATUS_LABELS,
  transitions: {
    /** A payment or credit that leaves something owed, on a bill that has been paid in part. */
    part_pay: { from: ['issued', 'partly_paid'], to: 'partly_paid', label: '登记缴费' },
    /** A credit note that leaves something owed on a bill nobody has paid yet. */
    credit: { from: ['issued'], to: 'issued', label: '开具冲减单' },
    /** Nothing left owed, by payments, credits or both. */
    settle: { from: ['issued', 'partly_paid'], to: 'paid', label: '登记缴清' },
    waive: { from: ['issued', 'partly_paid'], to: 'waived', label: '减免' },
    write_off: { from: ['issued', 'partly_paid'], to: 'written_off', label: '核销' },
  },
})

export type BillEvent = keyof typeof BILL_LIFECYCLE.transitions

/** Whether a bill in this status still takes payments, credits, a waiver or a write-off. */
export const isOpenBill = (status: BillStatus): boolean => status === 'issued' || status === 'partly_paid'

/** The status after money arrives (a payment or a credit), or Conflict when the bill is closed. */
export function statusAfterMoney(status: BillStatus, paidFen: number, owedFen: number, by: 'payment' | 'credit'): BillStatus {
  if (owedFen === 0) return applyTransition(BILL_LIFECYCLE, status, 'settle')
  if (by === 'credit' && paidFen === 0) return applyTransition(BILL_LIFECYCLE, status, 'credit')
  return applyTransition(BILL_LIFECYCLE, status, 'part_pay')
}

/** The status a waiver or write-off leads to, or Conflict. */
export function closeBill(status: BillStatus, event: 'waive' | 'write_off'): BillStatus {
  return applyTransition(BILL_LIFECYCLE, status, event)
}
