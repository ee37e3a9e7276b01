import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { periodLabel, periodMonths, type FeeSetup, type GenerateBillsResult } from '../../../../contracts/fees'
import { beijingDate } from '../../../../contracts/time'
import { Btn } from '../../../../components/btn'
import { Chips } from '../../../../components/chips'
import { DateTimePicker, Field } from '../../../../components/field'
import { ErrorNote } from '../../../../components/page-state'
import { useSubmit } from '../../../../hooks/use-submit'
import { request } from '../../../../services/request'
import { go } from '../../../../routes'
import { FeePage, useFeeSetup } from '../../fee-page'

type Span = 'month' | 'quarter' | 'year'
const SPANS = [
  { value: 'month' as const, label: '按月' },
  { value: 'quarter' as const, label: '按季度' },
  { value: 'year' as const, label: '按年度' },
]

function periodOf(span: Span, year: number, part: number): string {
  if (span === 'year') return String(year)
  if (span === 'quarter') return `${year}-Q${part}`
  return `${year}-${String(part).padStart(2, '0')}`
}

/** The last day of a YYYY-MM month (the server's default due date). */
function lastDay(month: string): string {
  const [y, m] = month.split('-').map(Number)
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
  return `${month}-${days}`
}

/**
 * Generates a period's bills: one per unit, from the schedule in force. Shows what it will create
 * first; a period already generated creates nothing new, so generating twice is harmless.
 */
export default function FeeGeneratePage() {
  const { communityId, name, setup } = useFeeSetup()
  return (
    <FeePage title='生成账单' className='generate' communityId={communityId} name={name} setup={setup}>
      {(s) => <GenerateBody communityId={communityId} setup={s} onDone={() => void setup.reload()} />}
    </FeePage>
  )
}

function GenerateBody({ communityId, setup, onDone }: { communityId: string; setup: FeeSetup; onDone: () => void }) {
  const today = beijingDate(new Date())
  const thisYear = Number(today.slice(0, 4))
  const [span, setSpan] = useState<Span>('quarter')
  const [year, setYear] = useState(thisYear)
  const [part, setPart] = useState((Number(today.slice(5, 7)) + 2 - ((Number(today.slice(5, 7)) + 2) % 3)) / 3)
  const [dueOn, setDueOn] = useState<string | null>(null)
  const [result, setResult] = useState<GenerateBillsResult | null>(null)
  const submit = useSubmit([span, year, part, dueOn])

  const period = periodOf(span, year, span === 'year' ? 1 : part)
  const { firstMonth, months } = periodMonths(period)
  const due = dueOn ?? lastDay(firstMonth)
  const already = setup.periods.find((p) => p.period === period)
  const parts = span === 'quarter' ? [1, 2, 3, 4].map((q) => ({ value: q, label: `第${q}季度` })) : Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: `${i + 1}月` }))

  function pickSpan(next: Span) {
    setSpan(next)
    setPart(1)
    setResult(null)
  }

  async function generate() {
    const r = await submit.run(() => request('generateBills', { communityId, period, ...(dueOn ? { dueOn } : {}) }), {
      confirm: { title: '生成账单', content: `将为每套房屋生成「${periodLabel(period)}」的账单（${months} 个月），缴费期限 ${due}。生成后账单不能修改，错误只能冲减。确定生成吗？`, confirmText: '生成账单' },
    })
    if (r) {
      setResult(r)
      onDone()
    }
  }

  if (!setup.schedule) {
    return (
      <View className='card'>
        <Text className='line'>还没有收费标准，不能生成账单。</Text>
        <Btn className='gz-btn gz-btn--primary' onClick={() => go('feeSchedule', { communityId })}>
          先设置收费标准
        </Btn>
      </View>
    )
  }
  return (
    <>
      <Field label='账期'>
        <Chips options={SPANS} value={span} onChange={pickSpan} />
        <Chips options={[thisYear - 1, thisYear, thisYear + 1].map((y) => ({ value: y, label: `${y}年` }))} value={year} onChange={(y) => {
            setYear(y)
            setResult(null)
          }} />
        {span !== 'year' ? <Chips options={parts} value={part} onChange={(p) => {
              setPart(p)
              setResult(null)
            }} /> : null}
      </Field>
      <Field label='缴费期限' hint='不选：账期第一个月的最后一天'>
        <DateTimePicker date={due} start={`${firstMonth}-01`} onChange={(d) => setDueOn(d)} dateText={`缴费期限：${due}`} />
      </Field>

      <View className='card generate__preview'>
        <Text className='card-title'>将要生成</Text>
        <Text className='line'>
          {periodLabel(period)}（{firstMonth} 起 {months} 个月）的账单，每套房屋一张
        </Text>
        <Text className='line muted'>按第 {setup.schedule.version} 版收费标准计算：{setup.schedule.items.map((i) => `${i.name} ${i.rateText}`).join('；')}</Text>
        <Text className='line muted'>未售房屋的账单由开发建设单位缴纳；收费单位：{setup.payeeName}</Text>
        {already ? <Text className='line generate__already'>这个账期已经生成过 {already.billCount} 张账单，再次生成不会新增。</Text> : null}
      </View>
      <ErrorNote message={submit.error} />
      <Btn className='gz-btn gz-btn--primary generate__submit' loading={submit.busy} disabled={submit.busy} onClick={() => void generate()}>
        生成账单
      </Btn>
      {result ? (
        <View className='card generate__result'>
          <Text className='card-title'>{result.created > 0 ? `已生成 ${result.created} 张账单` : '没有新增账单'}</Text>
          <Text className='line'>{result.created > 0 ? `${periodLabel(result.period)}共 ${result.total} 张。业主在“缴费”里就能看到。` : `${periodLabel(result.period)}此前已生成 ${result.total} 张，这次没有重复生成。`}</Text>
        </View>
      ) : null}

      <View className='card'>
        <Text className='card-title'>已生成的账期</Text>
        {setup.periods.length === 0 ? <Text className='line muted'>还没有。</Text> : null}
        {setup.periods.map((p) => (
          <View key={p.period} className='fee-line'>
            <Text className='fee-item'>{p.label}</Text>
            <Text className='line muted'>
              {p.billCount} 张 · 缴费期限 {p.dueOn}
            </Text>
          </View>
        ))}
      </View>
    </>
  )
}
