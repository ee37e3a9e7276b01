import { useEffect, useState } from 'react'
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import type { WorkCalendarDayView, WorkCalendarView } from '../../../../contracts/reports'
import { beijingWeekday } from '../../../../contracts/time'
import { AsyncView } from '../../../../components/async-view'
import { Btn } from '../../../../components/btn'
import { Chips } from '../../../../components/chips'
import { TextField } from '../../../../components/field'
import { Page } from '../../../../components/page'
import { Empty, ErrorNote } from '../../../../components/page-state'
import { useAsync } from '../../../../hooks/use-async'
import { useSubmit } from '../../../../hooks/use-submit'
import { request } from '../../../../services/request'
import '../../reports.scss'

type Kind = WorkCalendarDayView['kind']
const KIND_LABELS: Record<Kind, string> = { off: '放假', work: '调休上班' }
const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六']
const SOURCE_TEXT: Record<WorkCalendarView['source'], string> = {
  district: '这是区里保存的节假日安排。',
  builtin: '目前使用本应用内置的国务院节假日安排；保存后以区里的设置为准。',
  none: '这一年还没有设置节假日，目前只把周六、周日算作非工作日。',
}


/**
 * 节假日设置, for the district office: the national holidays and make-up working days (调休) that
 * complaint deadlines count with, one year at a time, for every 小区 of the district. The list
 * saved is the year's whole calendar.
 */
export default function ReportHolidaysPage() {
  const params = (useRouter().params ?? {}) as { districtId?: string }
  const thisYear = new Date().getFullYear()
  const [year, setYear] = useState(thisYear)
  const posts = useAsync(() => (params.districtId ? Promise.resolve([]) : request('myJurisdictions', {})))
  const districtId = params.districtId ?? posts.data?.find((p) => p.level === 'district')?.id ?? null
  return (
    <Page title='节假日设置' className='report-holidays'>
      <AsyncView status={posts.status} error={posts.error} code={posts.code} onRetry={() => void posts.reload()}>
        {() =>
          districtId ? (
            <>
              <Chips options={[thisYear, thisYear + 1].map((y) => ({ value: y, label: `${y} 年` }))} value={year} onChange={setYear} />
              <YearCalendar key={`${districtId}:${year}`} districtId={districtId} year={year} />
            </>
          ) : (
            <Empty title='只有区级工作人员可以设置节假日' hint='法定节假日全区统一，由区里设置后用于各小区投诉答复时限的计算。' />
          )
        }
      </AsyncView>
    </Page>
  )
}

function YearCalendar({ districtId, year }: { districtId: string; year: number }) {
  const state = useAsync(() => request('workCalendar', { districtId, year }))
  const [days, setDays] = useState<WorkCalendarDayView[] | null>(null)
  const [source, setSource] = useState<WorkCalendarView | null>(null)
  const [day, setDay] = useState(`${year}-`)
  const [kind, setKind] = useState<Kind>('off')
  const [name, setName] = useState('')
  const submit = useSubmit([day, kind, name, days])

  useEffect(() => {
    if (state.data) {
      setDays(state.data.days)
      setSource(state.data)
    }
  }, [state.data])

  function add() {
    const d = day.trim()
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(beijingWeekday(d))) return submit.fail(`日期请写作 ${year}-01-01`, 'day')
    if (!d.startsWith(`${year}-`)) return submit.fail(`这里只设置 ${year} 年的日期`, 'day')
    if (!name.trim()) return submit.fail('请填写节日名称，例如：春节', 'name')
    const wd = beijingWeekday(d)
    if (kind === 'work' && wd !== 0 && wd !== 6) return submit.fail(`${d} 是${WEEKDAYS[wd]}，本来就是工作日；调休上班日应为周六或周日`, 'day')
    const rest = (days ?? []).filter((x) => x.day !== d)
    setDays([...rest, { day: d, kind, name: name.trim(), weekday: wd }].sort((a, b) => (a.day < b.day ? -1 : 1)))
    setDay(`${year}-`)
  }

  async function save() {
    if (!days) return
    const saved = await submit.run(() => request('saveWorkCalendar', { districtId, year, days: days.map(({ day: d, kind: k, name: n }) => ({ day: d, kind: k, name: n })) }), {
      confirm: { title: '保存节假日', content: `保存后，${year} 年全区各小区的投诉答复时限按这份安排计算（已提交的报事不变）。确定吗？`, confirmText: '保存' },
      success: '已保存',
    })
    if (saved) {
      setDays(saved.days)
      setSource(saved)
    }
  }

  return (
    <AsyncView status={state.status} error={state.error} code={state.code} onRetry={() => void state.reload()}>
      {() =>
        days && source ? (
          <>
            <View className='card'>
              <Text className='card-title'>{source.districtName} {year} 年</Text>
              <Text className='line muted report-holidays__source'>{SOURCE_TEXT[source.source]}</Text>
              <Text className='line muted'>{source.note}</Text>
            </View>
            <View className='card report-holidays__list'>
              {days.length === 0 ? <Text className='line muted'>没有放假日或调休上班日</Text> : null}
              {days.map((x) => (
                <View key={x.day} className='row report-holidays__day'>
                  <Text className='line'>
                    {x.day}（{WEEKDAYS[x.weekday]}）{x.name}
                  </Text>
                  <Text className={`badge ${x.kind === 'off' ? 'badge--approved' : 'badge--pending'}`}>{KIND_LABELS[x.kind]}</Text>
                  <Btn className='gz-btn gz-btn--small' onClick={() => setDays(days.filter((y) => y.day !== x.day))}>
                    删除
                  </Btn>
                </View>
              ))}
            </View>
            <View className='card'>
              <Text className='card-title'>添加日期</Text>
              <TextField label='日期' hint={`写作 ${year}-10-01`} value={day} onChange={setDay} error={submit.errorOf('day')} />
              <Chips options={(['off', 'work'] as Kind[]).map((k) => ({ value: k, label: KIND_LABELS[k] }))} value={kind} onChange={setKind} />
              <TextField label='节日名称' value={name} onChange={setName} placeholder='例如：国庆节' maxlength={20} error={submit.errorOf('name')} />
              <Btn className='gz-btn report-holidays__add' onClick={add}>
                添加到列表
              </Btn>
            </View>
            <ErrorNote message={submit.field ? null : submit.error} />
            <Btn className='gz-btn gz-btn--primary report-holidays__save' loading={submit.busy} disabled={submit.busy} onClick={() => void save()}>
              保存 {year} 年节假日
            </Btn>
          </>
        ) : null
      }
    </AsyncView>
  )
}
