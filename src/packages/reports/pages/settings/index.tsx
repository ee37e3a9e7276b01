import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import type { ReportSettingsView } from '../../../../contracts/reports'
import { AsyncView } from '../../../../components/async-view'
import { Btn } from '../../../../components/btn'
import { TextField } from '../../../../components/field'
import { Page } from '../../../../components/page'
import { ErrorNote } from '../../../../components/page-state'
import { useAsync } from '../../../../hooks/use-async'
import { useCommunityParam } from '../../../../hooks/use-community-param'
import { usePullRefresh } from '../../../../hooks/use-pull-refresh'
import { useSubmit } from '../../../../hooks/use-submit'
import { request } from '../../../../services/request'
import '../../reports.scss'

/** The form's text for each setting; an empty phone or hours is "not published" (null). */
interface Draft {
  areas: string[]
  newArea: string
  propertyPhone: string
  propertyHours: string
  committeePhone: string
  committeeHours: string
  officePhone: string
  officeAddress: string
  urgentMinutes: string
  ordinaryHours: string
  complaintDays: string
  dailyLimit: string
}

const draftOf = (s: ReportSettingsView): Draft => ({
  areas: s.commonAreas,
  newArea: '',
  propertyPhone: s.property?.phone ?? '',
  propertyHours: s.property?.hours ?? '',
  committeePhone: s.committee.phone ?? '',
  committeeHours: s.committee.hours ?? '',
  officePhone: s.office.phone ?? '',
  officeAddress: s.office.address ?? '',
  urgentMinutes: String(s.urgentAcceptMinutes),
  ordinaryHours: String(Math.round((s.ordinaryAcceptMinutes / 60) * 10) / 10),
  complaintDays: String(s.complaintAnswerWorkdays),
  dailyLimit: String(s.dailyLimit),
})

const orNull = (s: string) => (s.trim() ? s.trim() : null)
const whole = (s: string) => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : null)

/**
 * 报事设置, for the committee (业委会/物管会) and the community office: the common areas a resident
 * may name when filing, the public phones and hours shown on 联系我们 (never a mobile: the server
 * refuses one), and the response targets, which are this app's defaults and not the policy's.
 */
export default function ReportSettingsPage() {
  const { communityId } = useCommunityParam()
  const state = useAsync(() => request('reportSettings', { communityId }))
  usePullRefresh(() => state.reload())
  return (
    <Page title='报事设置' subtitle={state.data?.communityName} className='report-settings'>
      <AsyncView status={state.status} error={state.error} code={state.code} onRetry={() => void state.reload()}>
        {() => (state.data ? <SettingsForm communityId={communityId} initial={state.data} /> : null)}
      </AsyncView>
    </Page>
  )
}

function SettingsForm({ communityId, initial }: { communityId: string; initial: ReportSettingsView }) {
  const [d, setD] = useState<Draft>(() => draftOf(initial))
  const set = <K extends keyof Draft>(k: K) => (value: Draft[K]) => setD((x) => ({ ...x, [k]: value }))
  const submit = useSubmit([d])

  function addArea() {
    const name = d.newArea.trim()
    if (!name) return submit.fail('请先填写公共区域的名称', 'area')
    if (d.areas.includes(name)) return submit.fail(`“${name}”已在列表中`, 'area')
    setD((x) => ({ ...x, areas: [...x.areas, name], newArea: '' }))
  }

  async function save() {
    const urgent = whole(d.urgentMinutes)
    const hours = Number(d.ordinaryHours.trim())
    const days = whole(d.complaintDays)
    const limit = whole(d.dailyLimit)
    if (d.areas.length === 0) return submit.fail('至少保留一个公共区域，居民报事时要选择地点', 'area')
    if (urgent === null) return submit.fail('紧急维修时限请填写整数分钟', 'urgent')
    if (!d.ordinaryHours.trim() || !Number.isFinite(hours) || hours <= 0) return submit.fail('一般报事时限请填写小时数', 'ordinary')
    if (days === null) return submit.fail('投诉答复时限请填写整数个工作日', 'complaint')
    if (limit === null) return submit.fail('每人每日上限请填写整数', 'limit')
    const saved = await submit.run(
      () =>
        request('saveReportSettings', {
          communityId,
          commonAreas: d.areas,
          ...(initial.property ? { propertyPhone: orNull(d.propertyPhone), propertyHours: orNull(d.propertyHours) } : {}),
          committeePhone: orNull(d.committeePhone),
          committeeHours: orNull(d.committeeHours),
          officePhone: orNull(d.officePhone),
          officeAddress: orNull(d.officeAddress),
          urgentAcceptMinutes: urgent,
          ordinaryAcceptMinutes: Math.round(hours * 60),
          complaintAnswerWorkdays: days,
          dailyLimit: limit,
        }),
      { success: '已保存' },
    )
    // What the server kept (areas without duplicates, phones as written): shown as it will be used.
    if (saved) setD(draftOf(saved))
  }

  return (
    <>
      <View className='card report-settings__areas'>
        <Text className='card-title'>公共区域</Text>
        <Text className='line muted'>居民报事时可以选择的地点。</Text>
        {d.areas.map((a) => (
          <View key={a} className='row report-settings__area'>
            <Text className='line'>{a}</Text>
            <Btn className='gz-btn gz-btn--small' onClick={() => set('areas')(d.areas.filter((x) => x !== a))}>
              删除
            </Btn>
          </View>
        ))}
        <TextField label='新增公共区域' value={d.newArea} onChange={set('newArea')} placeholder='例如：东门岗亭' maxlength={40} error={submit.errorOf('area')} onConfirm={addArea} />
        <Btn className='gz-btn report-settings__add' onClick={addArea}>
          添加
        </Btn>
      </View>

      <View className='card'>
        <Text className='card-title'>公开电话（显示在“联系我们”）</Text>
        <Text className='line muted'>只能填写座机或服务号码（如 0797-8123456、400 开头），不能填写个人手机号。不填表示暂未公布。</Text>
        {initial.property ? (
          <>
            <TextField label='物业服务中心电话' value={d.propertyPhone} onChange={set('propertyPhone')} type='text' placeholder='0797-8123456' />
            <TextField label='物业服务时间' value={d.propertyHours} onChange={set('propertyHours')} placeholder='例如：每天 8:00-18:00' maxlength={60} />
          </>
        ) : null}
        <TextField label={`${initial.committee.name}电话`} value={d.committeePhone} onChange={set('committeePhone')} type='text' />
        <TextField label='接待时间' value={d.committeeHours} onChange={set('committeeHours')} placeholder='例如：每周六 9:00-11:00' maxlength={60} />
        <TextField label={`${initial.office.name}电话`} value={d.officePhone} onChange={set('officePhone')} type='text' />
        <TextField label='社区地址' value={d.officeAddress} onChange={set('officeAddress')} maxlength={80} />
      </View>

      <View className='card'>
        <Text className='card-title'>响应时限</Text>
        <Text className='line muted report-settings__note'>{initial.targetsNote}</Text>
        <TextField label='紧急维修：受理时限（分钟）' value={d.urgentMinutes} onChange={set('urgentMinutes')} type='number' error={submit.errorOf('urgent')} />
        <TextField label='一般报事：受理时限（小时）' value={d.ordinaryHours} onChange={set('ordinaryHours')} type='digit' error={submit.errorOf('ordinary')} />
        <TextField label='投诉：答复时限（工作日）' hint='工作日不含周末和法定节假日（节假日由区里统一设置）' value={d.complaintDays} onChange={set('complaintDays')} type='number' error={submit.errorOf('complaint')} />
        <TextField label='每位居民每天最多提交（条）' value={d.dailyLimit} onChange={set('dailyLimit')} type='number' error={submit.errorOf('limit')} />
      </View>

      <ErrorNote message={submit.field ? null : submit.error} />
      <Btn className='gz-btn gz-btn--primary report-settings__save' loading={submit.busy} disabled={submit.busy} onClick={() => void save()}>
        保存设置
      </Btn>
    </>
  )
}
