import { Text, View } from '@tarojs/components'
import type { BillStatus, BillSummary, ReminderView } from '../../contracts/fees'
import { formatFen } from '../../contracts/money'
import './fee-ui.scss'

/**
 * Pieces of the fee screens shared by the 缴费 tab, the bill and statement pages and the staff's
 * pages: a bill as one big row, a status badge, a written 催缴 notice with its deadline, a money
 * line. Amounts are shown only with formatFen.
 */

const STATUS_BADGE: Record<BillStatus, string> = {
  issued: 'badge--rejected',
  partly_paid: 'badge--pending',
  paid: 'badge--approved',
  waived: 'badge--approved',
  written_off: 'badge--pending',
}

export function BillStatusBadge({ status, label }: { status: BillStatus; label: string }) {
  return <Text className={`badge fee-status ${STATUS_BADGE[status]}`}>{label}</Text>
}

/** One bill: its period and room, what is owed (or was paid), the due date; opens the bill. */
export function BillRow({ bill, showUnit, onOpen }: { bill: BillSummary; showUnit?: boolean; onOpen?: (bill: BillSummary) => void }) {
  const owing = bill.owedFen > 0
  return (
    <View className={`fee-bill ${owing ? 'fee-bill--owing' : ''}`} onClick={() => onOpen?.(bill)}>
      <View className='row'>
        <Text className='fee-bill__period'>{bill.periodLabel}</Text>
        <BillStatusBadge status={bill.status} label={bill.statusLabel} />
      </View>
      {showUnit ? <Text className='line muted'>{bill.unitLabel}</Text> : null}
      <View className='row fee-bill__amounts'>
        <Text className='fee-bill__amount'>{owing ? `待缴 ${formatFen(bill.owedFen)}` : `应缴 ${formatFen(bill.amountFen)}`}</Text>
        {onOpen ? <Text className='fee-bill__more'>详情 ›</Text> : null}
      </View>
      {owing && bill.paidFen > 0 ? <Text className='line muted'>账单 {formatFen(bill.amountFen)}，已缴 {formatFen(bill.paidFen)}</Text> : null}
      {owing ? <Text className='line muted'>缴费期限：{bill.dueOn}</Text> : null}
    </View>
  )
}

/** A written 催缴 notice, as the owner must see it: plainly, with its deadline. */
export function WrittenNotice({ notice }: { notice: ReminderView }) {
  return (
    <View className='fee-notice'>
      <Text className='fee-notice__title'>{notice.kindLabel}</Text>
      <Text className='line'>{notice.note}</Text>
      {notice.deadlineOn ? <Text className='fee-notice__deadline'>请在 {notice.deadlineOn} 前缴清</Text> : null}
      <Text className='line muted'>{notice.createdAt.slice(0, 10)} 送达</Text>
    </View>
  )
}

/** A label and an amount on one line (应缴 ¥1,234.56). */
export function MoneyLine({ label, fen, strong }: { label: string; fen: number; strong?: boolean }) {
  return (
    <View className={`row fee-money ${strong ? 'fee-money--strong' : ''}`}>
      <Text className='fee-money__label'>{label}</Text>
      <Text className='fee-money__value'>{formatFen(fen)}</Text>
    </View>
  )
}

/** A fresh idempotency key for one payment form: a double tap sends the same key and records once. */
export function newPaymentKey(): string {
  return `pay-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`
}
