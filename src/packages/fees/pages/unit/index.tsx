import { useEffect, useState } from 'react'
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import type { BillSummary, FeeSetup, PaymentResult, ReminderView } from '../../../../contracts/fees'
import { formatFen } from '../../../../contracts/money'
import { AsyncView } from '../../../../components/async-view'
import { Btn } from '../../../../components/btn'
import { useAsync } from '../../../../hooks/use-async'
import { request } from '../../../../services/request'
import { go } from '../../../../routes'
import { BillRow } from '../../../../pages/fees/fee-ui'
import { FeePage, useFeeSetup } from '../../fee-page'
import { PaidNote, PaymentForm } from './payment-form'
import { ReminderForm } from './reminder-form'
import { WaiveForm } from './waive-form'

/** The unit's bills over every year that has a billed period (the statement per year), newest first. */
async function unitBills(communityId: string, unitId: string, setup: FeeSetup) {
  const years = [...new Set(setup.periods.map((p) => Number(p.period.slice(0, 4))))].sort((a, b) => b - a)
  const statements = await Promise.all(years.map((year) => request('yearStatement', { communityId, unitId, year })))
  const bills = statements.flatMap((s) => [...s.bills].reverse())
  return { unitLabel: statements[0]?.unitLabel ?? '', bills }
}

/** One unit at the fee counter: its unpaid bills with 登记收款 (and 减免 for the committee), a 催缴 form, and every bill. */
export default function FeeUnitPage() {
  const { communityId, name, setup } = useFeeSetup()
  const { params } = useRouter()
  const unitId = params?.unitId ?? ''
  const s = setup.data
  const bills = useAsync(() => unitBills(communityId, unitId, s!), { auto: false })
  useEffect(() => {
    if (s) void bills.reload()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [s])

  return (
    <FeePage title={bills.data?.unitLabel || '房屋账单'} className='unit' communityId={communityId} name={name} setup={setup} onRefresh={() => bills.reload()}>
      {(setupData) => (
        <AsyncView status={bills.status === 'error' && bills.data ? 'ready' : bills.status} error={bills.error} code={bills.code} onRetry={() => void bills.reload()}>
          {() => (bills.data ? <UnitBody communityId={communityId} unitId={unitId} setup={setupData} bills={bills.data.bills} reload={() => void bills.reload()} /> : null)}
        </AsyncView>
      )}
    </FeePage>
  )
}

function UnitBody({ communityId, unitId, setup, bills, reload }: { communityId: string; unitId: string; setup: FeeSetup; bills: BillSummary[]; reload: () => void }) {
  const [open, setOpen] = useState<{ billId: string; what: 'pay' | 'waive' } | null>(null)
  const [paid, setPaid] = useState<PaymentResult | null>(null)
  const [reminded, setReminded] = useState<ReminderView | null>(null)
  const unpaid = bills.filter((b) => b.owedFen > 0).reverse()
  const owed = unpaid.reduce((sum, b) => sum + b.owedFen, 0)
  const toggle = (billId: string, what: 'pay' | 'waive') => setOpen(open?.billId === billId && open.what === what ? null : { billId, what })

  return (
    <>
      <View className='card'>
        <Text className='card-title'>{owed > 0 ? `待缴 ${formatFen(owed)}` : '没有待缴账单'}</Text>
        <Text className='line muted'>收费单位：{setup.payeeName}</Text>
      </View>
      {paid ? <PaidNote r={paid} /> : null}
      {unpaid.map((b) => (
        <View key={b.id} className='card unit__bill'>
          <BillRow bill={b} onOpen={() => go('bill', { communityId, billId: b.id })} />
          {setup.canBill ? (
            <Btn className={`gz-btn ${open?.billId === b.id && open.what === 'pay' ? '' : 'gz-btn--primary'} unit__open-pay`} onClick={() => toggle(b.id, 'pay')}>
              {open?.billId === b.id && open.what === 'pay' ? '收起' : '登记收款'}
            </Btn>
          ) : null}
          {open?.billId === b.id && open.what === 'pay' ? (
            <PaymentForm
              communityId={communityId}
              bill={b}
              onPaid={(r) => {
                setPaid(r)
                setOpen(null)
                reload()
              }}
            />
          ) : null}
          {setup.canDecide ? (
            <Btn className='gz-btn' onClick={() => toggle(b.id, 'waive')}>
              {open?.billId === b.id && open.what === 'waive' ? '收起' : '减免'}
            </Btn>
          ) : null}
          {open?.billId === b.id && open.what === 'waive' ? (
            <WaiveForm
              communityId={communityId}
              bill={b}
              onDone={() => {
                setOpen(null)
                reload()
              }}
            />
          ) : null}
        </View>
      ))}
      {setup.canBill && unpaid.length > 0 ? (
        <View className='card'>
          <Text className='card-title'>催缴</Text>
          {reminded ? <Text className='line unit__reminded'>已记录：{reminded.kindLabel}{reminded.deadlineOn ? `，期限 ${reminded.deadlineOn}` : ''}</Text> : null}
          <ReminderForm communityId={communityId} unitId={unitId} onDone={setReminded} />
        </View>
      ) : null}
      <View className='card'>
        <Text className='card-title'>全部账单</Text>
        {bills.length === 0 ? <Text className='line muted'>这套房屋还没有账单。</Text> : null}
        {bills.map((b) => (
          <BillRow key={b.id} bill={b} onOpen={() => go('bill', { communityId, billId: b.id })} />
        ))}
      </View>
    </>
  )
}
