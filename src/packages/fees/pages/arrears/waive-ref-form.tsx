import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import type { ArrearsUnit, BillDecision } from '../../../../contracts/fees'
import { Btn } from '../../../../components/btn'
import { TextField } from '../../../../components/field'
import { ErrorNote } from '../../../../components/page-state'
import { useSubmit } from '../../../../hooks/use-submit'
import { request } from '../../../../services/request'

/**
 * The committee waives one open bill of a unit in arrears, from what it can see: the room (masked
 * where the 小区 has a company) and the bill's period. The reason stays on the bill; the answer
 * names the room and period only, never an amount.
 */
export function ArrearsWaive({ communityId, unit, onDone }: { communityId: string; unit: ArrearsUnit; onDone: (d: BillDecision) => void }) {
  const [open, setOpen] = useState<string | null>(null)
  if (unit.openBills.length === 0) return null
  return (
    <View className='arrears__waive'>
      {unit.openBills.map((b) => (
        <View key={b.ref} className='arrears__waive-bill'>
          <View className='row'>
            <Text className='line'>{b.periodLabel}（缴费期限 {b.dueOn}）</Text>
            <Btn className='gz-btn arrears__waive-open' onClick={() => setOpen(open === b.ref ? null : b.ref)}>
              {open === b.ref ? '收起' : '减免'}
            </Btn>
          </View>
          {open === b.ref ? (
            <WaiveRefForm
              communityId={communityId}
              billRef={b.ref}
              what={`${unit.unitLabel} ${b.periodLabel}`}
              onDone={(d) => {
                setOpen(null)
                onDone(d)
              }}
            />
          ) : null}
        </View>
      ))}
    </View>
  )
}

function WaiveRefForm({ communityId, billRef, what, onDone }: { communityId: string; billRef: string; what: string; onDone: (d: BillDecision) => void }) {
  const [reason, setReason] = useState('')
  const submit = useSubmit([reason])
  async function waive() {
    if (!reason.trim()) return submit.fail('请写明减免的原因（例如：业主大会决定的困难户减免）')
    const r = await submit.run(() => request('waiveBill', { communityId, billId: billRef, reason: reason.trim() }), {
      confirm: { title: '减免账单', content: `减免 ${what} 这一期未缴的物业费，原因会记在账单上。减免后不能撤销。确定吗？`, confirmText: '确定减免', danger: true },
      success: '已减免',
    })
    if (r) onDone(r)
  }
  return (
    <View className='fee-form arrears__waive-form'>
      <TextField label='减免原因' value={reason} maxlength={200} placeholder='例如：业主大会决定的困难户减免' onChange={setReason} />
      <ErrorNote message={submit.error} />
      <Btn className='gz-btn gz-btn--danger' loading={submit.busy} disabled={submit.busy} onClick={() => void waive()}>
        减免这一期
      </Btn>
    </View>
  )
}
