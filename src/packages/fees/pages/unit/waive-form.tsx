import { useState } from 'react'
import { View } from '@tarojs/components'
import type { BillSummary } from '../../../../contracts/fees'
import { formatFen } from '../../../../contracts/money'
import { Btn } from '../../../../components/btn'
import { TextField } from '../../../../components/field'
import { ErrorNote } from '../../../../components/page-state'
import { useSubmit } from '../../../../hooks/use-submit'
import { request } from '../../../../services/request'

/** The committee waives what is left of a bill, with a reason that stays on the bill. */
export function WaiveForm({ communityId, bill, onDone }: { communityId: string; bill: BillSummary; onDone: () => void }) {
  const [reason, setReason] = useState('')
  const submit = useSubmit([reason])
  async function waive() {
    if (!reason.trim()) return submit.fail('请写明减免的原因（例如：业主大会决定的困难户减免）')
    const r = await submit.run(() => request('waiveBill', { communityId, billId: bill.id, reason: reason.trim() }), {
      confirm: { title: '减免账单', content: `减免 ${bill.unitLabel} ${bill.periodLabel} 待缴的 ${formatFen(bill.owedFen)}，原因会记在账单上。减免后不能撤销。确定吗？`, confirmText: '确定减免', danger: true },
      success: '已减免',
    })
    if (r) onDone()
  }
  return (
    <View className='fee-form unit__waive'>
      <TextField label='减免原因' value={reason} maxlength={200} placeholder='例如：业主大会决定的困难户减免' onChange={setReason} />
      <ErrorNote message={submit.error} />
      <Btn className='gz-btn gz-btn--danger' loading={submit.busy} disabled={submit.busy} onClick={() => void waive()}>
        减免这张账单
      </Btn>
    </View>
  )
}
