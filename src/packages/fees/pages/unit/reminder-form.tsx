import { useState } from 'react'
import { View } from '@tarojs/components'
import { REMINDER_KIND_LABELS, REMINDER_KINDS, type ReminderKind, type ReminderView } from '../../../../contracts/fees'
import { addDaysIso, beijingDate } from '../../../../contracts/time'
import { Btn } from '../../../../components/btn'
import { Chips } from '../../../../components/chips'
import { DateTimePicker, Field, TextField } from '../../../../components/field'
import { ErrorNote } from '../../../../components/page-state'
import { useSubmit } from '../../../../hooks/use-submit'
import { request } from '../../../../services/request'

const NOTE_HINT: Record<ReminderKind, string> = {
  visit: '例如：上门送达缴费通知，业主说下周缴纳',
  call: '例如：电话联系业主，答应月底前缴纳',
  written: '例如：书面催缴通知已送达，请在期限内缴清物业费',
}

/** Records a 催缴 against the unit, in the policy's order: a visit, a call, a written notice with a deadline (the owner sees it). */
export function ReminderForm({ communityId, unitId, onDone }: { communityId: string; unitId: string; onDone: (r: ReminderView) => void }) {
  const [kind, setKind] = useState<ReminderKind>('visit')
  const [note, setNote] = useState('')
  const [deadline, setDeadline] = useState(beijingDate(addDaysIso(new Date(), 15)))
  const submit = useSubmit([kind, note, deadline])

  async function save() {
    if (!note.trim()) return submit.fail('请写下这次催缴的情况', 'note')
    const r = await submit.run(
      () => request('recordReminder', { communityId, unitId, kind, note: note.trim(), ...(kind === 'written' ? { deadlineOn: deadline } : {}) }),
      kind === 'written'
        ? { confirm: { title: '书面催缴', content: `业主会在“缴费”里看到这份书面通知，缴费期限 ${deadline}。期限过后业委会才可以公示欠费。确定吗？`, confirmText: '确定' }, success: '已记录' }
        : { success: '已记录' },
    )
    if (r) {
      setNote('')
      onDone(r)
    }
  }

  return (
    <View className='fee-form unit__remind'>
      <Field label='催缴方式'>
        <Chips options={REMINDER_KINDS.map((k) => ({ value: k, label: REMINDER_KIND_LABELS[k] }))} value={kind} onChange={setKind} />
      </Field>
      <TextField label='催缴记录' multiline value={note} maxlength={300} counter placeholder={NOTE_HINT[kind]} error={submit.errorOf('note')} onChange={setNote} />
      {kind === 'written' ? (
        <Field label='缴费期限' hint='书面通知须写明期限；期限过后仍未缴清，业委会才可以公示'>
          <DateTimePicker date={deadline} start={beijingDate(addDaysIso(new Date(), 1))} onChange={(d) => setDeadline(d)} dateText={`缴费期限：${deadline}`} />
        </Field>
      ) : null}
      {submit.field ? null : <ErrorNote message={submit.error} />}
      <Btn className='gz-btn gz-btn--primary unit__remind-submit' loading={submit.busy} disabled={submit.busy} onClick={() => void save()}>
        记录催缴
      </Btn>
    </View>
  )
}
