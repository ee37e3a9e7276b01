import { useRef, useState } from 'react'
import { Text, View } from '@tarojs/components'
import { PAYMENT_METHOD_LABELS, PAYMENT_METHODS, type BillSummary, type PaymentMethod, type PaymentResult } from '../../../../contracts/fees'
import { fenDigits, formatFen, parseYuan } from '../../../../contracts/money'
import { Btn } from '../../../../components/btn'
import { Chips } from '../../../../components/chips'
import { Field, TextField } from '../../../../components/field'
import { ErrorNote } from '../../../../components/page-state'
import { useSubmit } from '../../../../hooks/use-submit'
import { request } from '../../../../services/request'
import { newPaymentKey } from '../../../../pages/fees/fee-ui'

/**
 * Records a payment against one bill: the amount in yuan (the amount owed to start with; less is a
 * partial payment), how it was paid and its reference. The form's idempotency key is made once,
 * so a double tap or a retry after a lost answer records once; a new key only after it worked.
 */
export function PaymentForm({ communityId, bill, onPaid }: { communityId: string; bill: BillSummary; onPaid: (r: PaymentResult) => void }) {
  const [amount, setAmount] = useState(fenDigits(bill.owedFen).replace(/,/g, ''))
  const [method, setMethod] = useState<PaymentMethod>('cash')
  const [reference, setReference] = useState('')
  const [key, setKey] = useState(newPaymentKey)
  const submit = useSubmit([amount, method, reference])
  // Set from the first tap, before the confirmation: a second tap meanwhile does nothing.
  const pending = useRef(false)

  async function record() {
    if (pending.current) return
    pending.current = true
    try {
      await confirmAndSend()
    } finally {
      pending.current = false
    }
  }

  async function confirmAndSend() {
    const amountFen = parseYuan(amount)
    if (amountFen === null || amountFen === 0) return submit.fail('金额不正确：请写成 123.45 这样的元数，最多两位小数', 'amount')
    if (amountFen > bill.owedFen) return submit.fail(`金额超过了待缴的 ${formatFen(bill.owedFen)}`, 'amount')
    if (method !== 'cash' && !reference.trim()) return submit.fail('转账和微信支付请填写流水号或交易单号，便于对账', 'reference')
    const r = await submit.run(
      () => request('recordPayment', { communityId, billId: bill.id, amountFen, method, ...(reference.trim() ? { reference: reference.trim() } : {}), idempotencyKey: key }),
      {
        confirm: {
          title: '确认收款',
          content: `${bill.unitLabel} ${bill.periodLabel}：收到${PAYMENT_METHOD_LABELS[method]} ${formatFen(amountFen)}${amountFen < bill.owedFen ? `（部分缴费，还差 ${formatFen(bill.owedFen - amountFen)}）` : ''}。登记后会出具收据号，不能撤销。确定吗？`,
          confirmText: '确认收款',
        },
        success: '已登记',
      },
    )
    if (r) {
      setKey(newPaymentKey())
      onPaid(r)
    }
  }

  return (
    <View className='fee-form unit__pay'>
      <TextField label='收款金额（元）' type='digit' value={amount} error={submit.errorOf('amount')} hint={`待缴 ${formatFen(bill.owedFen)}；少于待缴即为部分缴费`} onChange={setAmount} />
      <Field label='付款方式'>
        <Chips options={PAYMENT_METHODS.map((m) => ({ value: m, label: PAYMENT_METHOD_LABELS[m] }))} value={method} onChange={setMethod} />
      </Field>
      {method !== 'cash' ? (
        <TextField label={method === 'wechat' ? '微信支付交易单号' : '银行流水号'} value={reference} maxlength={64} error={submit.errorOf('reference')} onChange={setReference} />
      ) : null}
      {submit.field ? null : <ErrorNote message={submit.error} />}
      <Btn className='gz-btn gz-btn--primary unit__pay-submit' loading={submit.busy} disabled={submit.busy} onClick={() => void record()}>
        登记收款
      </Btn>
    </View>
  )
}

/** What a recorded payment says back: the receipt number and what is left. */
export function PaidNote({ r }: { r: PaymentResult }) {
  return (
    <View className='card unit__paid'>
      <Text className='card-title'>{r.duplicate ? '这笔收款已登记过' : '收款已登记'}</Text>
      <Text className='line'>收据号：{r.receiptNo}</Text>
      <Text className='line'>{r.owedFen > 0 ? `还差 ${formatFen(r.owedFen)}` : '这张账单已缴清'}</Text>
    </View>
  )
}
