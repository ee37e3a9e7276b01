import { Text, View } from '@tarojs/components'
import { LATE_FEE_MAX_RATE_PER_10K, type LateFeeView } from '../../../../contracts/fees'
import { Chips } from '../../../../components/chips'
import { TextField } from '../../../../components/field'

/**
 * The service contract's late fee (违约金) in the schedule form: off unless the contract says so
 * (the default), then a daily rate in 万分之 of the fee still owed, the contract's clause it rests
 * on, and how many days after the due date it starts. It is never charged on itself.
 */
export interface LateFeeDraft {
  on: boolean
  rate: string
  clause: string
  startDays: string
}

export const lateFeeDraftOf = (v: LateFeeView | null): LateFeeDraft =>
  v ? { on: true, rate: String(v.ratePer10k), clause: v.clause, startDays: String(v.startAfterDays) } : { on: false, rate: '', clause: '', startDays: '0' }

/** The terms to send, null when off, or the reason the draft cannot be sent. */
export function parseLateFee(d: LateFeeDraft): { ok: true; value: { ratePer10k: number; clause: string; startAfterDays: number } | null } | { ok: false; message: string } {
  if (!d.on) return { ok: true, value: null }
  const rate = d.rate.trim()
  if (!/^\d{1,2}$/.test(rate) || Number(rate) < 1 || Number(rate) > LATE_FEE_MAX_RATE_PER_10K) return { ok: false, message: `每日违约金比例请填 1 到 ${LATE_FEE_MAX_RATE_PER_10K} 的整数（万分之几）` }
  if (!d.clause.trim()) return { ok: false, message: '请填写服务合同中约定违约金的条款原文' }
  const start = d.startDays.trim() || '0'
  if (!/^\d{1,3}$/.test(start) || Number(start) > 365) return { ok: false, message: '起算天数请填 0 到 365 的整数' }
  return { ok: true, value: { ratePer10k: Number(rate), clause: d.clause.trim(), startAfterDays: Number(start) } }
}

export function LateFeeEditor({ draft, onChange }: { draft: LateFeeDraft; onChange: (next: LateFeeDraft) => void }) {
  return (
    <View className='card schedule__late-fee'>
      <Text className='card-title'>违约金（滞纳金）</Text>
      <Text className='line muted'>只有物业服务合同约定了违约金，才可以收取；没有约定就选“不收取”。</Text>
      <Chips
        className='schedule__late-fee-choice'
        options={[
          { value: false, label: '不收取（默认）' },
          { value: true, label: '按服务合同约定收取' },
        ]}
        value={draft.on}
        onChange={(on) => onChange({ ...draft, on })}
      />
      {draft.on ? (
        <>
          <TextField label='每日比例：万分之几' hint='例如合同写“每日万分之三”，填 3' inputClassName='schedule__late-rate' type='number' value={draft.rate} maxlength={2} onChange={(rate) => onChange({ ...draft, rate })} />
          <TextField label='合同约定条款' hint='抄录服务合同中约定违约金的条款，会写在公示和每张账单上' inputClassName='schedule__late-clause' multiline counter value={draft.clause} maxlength={300} onChange={(clause) => onChange({ ...draft, clause })} />
          <TextField label='缴费期限过后几天起算' hint='0 表示期限次日起算' inputClassName='schedule__late-start' type='number' value={draft.startDays} maxlength={3} onChange={(startDays) => onChange({ ...draft, startDays })} />
          <Text className='line muted'>违约金只按未缴的物业费计算，不对违约金再计违约金；缴费后从缴费当天起按剩余金额计算。</Text>
        </>
      ) : null}
    </View>
  )
}
