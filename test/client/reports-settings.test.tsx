import { act, fireEvent, render, screen } from '@testing-library/react'
import { __reset, __setRouterParams, showModal } from './mocks/taro'
import { Fail, flush, mockApi } from './api'
import type { ReportSettingsView, WorkCalendarView } from '../../src/contracts/reports'
import { setToken } from '../../src/services/token'
import { useSessionStore } from '../../src/stores/session'
import ReportSettingsPage from '../../src/packages/reports/pages/settings/index'
import ReportHolidaysPage from '../../src/packages/reports/pages/holidays/index'

const C = 'c-bj'
const D = 'd-zg'
const SETTINGS: ReportSettingsView = {
  communityName: '滨江花园',
  property: { name: '安居物业物业服务中心', phone: null, hours: null },
  committee: { name: '滨江花园业主委员会', phone: '0797-8765432', hours: null },
  office: { name: '东阳社区', phone: null, address: null },
  hotlines: [{ name: '12345 政务服务便民热线', phone: '12345' }],
  commonAreas: ['小区大门', '地下车库'],
  urgentAcceptMinutes: 30, ordinaryAcceptMinutes: 1440, complaintAnswerWorkdays: 1, dailyLimit: 20,
  targetsNote: '以上时限为本应用的默认设置，并非政策规定，小区可调整',
}
const CALENDAR: WorkCalendarView = {
  districtId: D, districtName: '章贡区', year: new Date().getFullYear(), source: 'builtin',
  days: [{ day: `${new Date().getFullYear()}-10-01`, kind: 'off', name: '国庆节', weekday: new Date(`${new Date().getFullYear()}-10-01T12:00:00+08:00`).getUTCDay() }],
  updatedAt: null, note: '修改只影响此后提交或重新打开的报事',
}

/** The text box of the field labelled so. */
const box = (label: string) => screen.getByText(label).closest('.field')!.querySelector('input')!
const settle = () => act(async () => {
  await flush()
})

beforeEach(() => {
  __reset()
  useSessionStore.setState({ token: 'tok', me: null, communityId: C, status: 'ready', error: null })
  setToken('tok')
})

describe('report settings page', () => {
  it('shows the current settings and the note that the targets are the app\'s defaults, and sends what was changed', async () => {
    const calls = mockApi({
      reportSettings: () => SETTINGS,
      saveReportSettings: (input) => ({ ...SETTINGS, commonAreas: input.commonAreas ?? SETTINGS.commonAreas, urgentAcceptMinutes: input.urgentAcceptMinutes ?? 30 }),
    })
    __setRouterParams({ communityId: C })
    render(<ReportSettingsPage />)
    expect(await screen.findByText('地下车库')).toBeTruthy()
    expect(screen.getByText(SETTINGS.targetsNote)).toBeTruthy()
    expect(box('滨江花园业主委员会电话').value).toBe('0797-8765432')
    expect(box('紧急维修：受理时限（分钟）').value).toBe('30')
    expect(box('一般报事：受理时限（小时）').value).toBe('24')

    // Remove 地下车库, add 东门岗亭, tighten the urgent target, publish the property's phone.
    fireEvent.click(screen.getAllByText('删除')[1])
    fireEvent.change(screen.getByPlaceholderText('例如：东门岗亭'), { target: { value: '东门岗亭' } })
    fireEvent.click(screen.getByText('添加'))
    fireEvent.change(box('紧急维修：受理时限（分钟）'), { target: { value: '20' } })
    fireEvent.change(box('物业服务中心电话'), { target: { value: '0797-8123456' } })
    fireEvent.click(screen.getByText('保存设置'))
    await settle()
    expect(calls.filter((c) => c.action === 'saveReportSettings').map((c) => c.input)).toEqual([{
      communityId: C, commonAreas: ['小区大门', '东门岗亭'], propertyPhone: '0797-8123456', propertyHours: null, committeePhone: '0797-8765432', committeeHours: null,
      officePhone: null, officeAddress: null, urgentAcceptMinutes: 20, ordinaryAcceptMinutes: 1440, complaintAnswerWorkdays: 1, dailyLimit: 20,
    }])
  })

  it('refuses an area twice and a target that is not a number before sending; shows the server\'s refusal of a mobile', async () => {
    const mobile = '请填写座机或服务号码，不能填写个人手机号'
    const calls = mockApi({ reportSettings: () => SETTINGS, saveReportSettings: () => new Fail('BadInput', mobile) })
    __setRouterParams({ communityId: C })
    render(<ReportSettingsPage />)
    await screen.findByText('地下车库')
    fireEvent.change(screen.getByPlaceholderText('例如：东门岗亭'), { target: { value: '小区大门' } })
    fireEvent.click(screen.getByText('添加'))
    expect(await screen.findByText('“小区大门”已在列表中')).toBeTruthy()
    fireEvent.change(box('投诉：答复时限（工作日）'), { target: { value: '一天' } })
    fireEvent.click(screen.getByText('保存设置'))
    expect(await screen.findByText('投诉答复时限请填写整数个工作日')).toBeTruthy()
    expect(calls.some((c) => c.action === 'saveReportSettings')).toBe(false)
    fireEvent.change(box('投诉：答复时限（工作日）'), { target: { value: '1' } })
    fireEvent.change(box('滨江花园业主委员会电话'), { target: { value: '13958881297' } })
    fireEvent.click(screen.getByText('保存设置'))
    expect(await screen.findByText(mobile)).toBeTruthy()
  })
})

describe('holidays page', () => {
  it('shows the year\'s calendar and where it comes from; a make-up working day on a weekday is refused before sending; the saved list is sent after confirming', async () => {
    const y = CALENDAR.year
    const calls = mockApi({
      workCalendar: () => CALENDAR,
      saveWorkCalendar: (input) => ({ ...CALENDAR, source: 'district', updatedAt: '2026-11-29T10:00:00.000Z', days: input.days.map((d) => ({ ...d, weekday: new Date(`${d.day}T12:00:00+08:00`).getUTCDay() })) }),
    })
    __setRouterParams({ districtId: D })
    render(<ReportHolidaysPage />)
    expect(await screen.findByText(`${y}-10-01（周${'日一二三四五六'[new Date(`${y}-10-01T12:00:00+08:00`).getUTCDay()]}）国庆节`)).toBeTruthy()
    expect(screen.getByText('目前使用本应用内置的国务院节假日安排；保存后以区里的设置为准。')).toBeTruthy()

    // A Wednesday in the year as a make-up working day: refused here.
    const wed = Array.from({ length: 7 }, (_, i) => `${y}-03-0${i + 1}`).find((d) => new Date(`${d}T12:00:00+08:00`).getUTCDay() === 3)!
    const sat = Array.from({ length: 7 }, (_, i) => `${y}-03-0${i + 1}`).find((d) => new Date(`${d}T12:00:00+08:00`).getUTCDay() === 6)!
    fireEvent.change(box('日期'), { target: { value: wed } })
    fireEvent.click(screen.getByText('调休上班'))
    fireEvent.change(screen.getByPlaceholderText('例如：国庆节'), { target: { value: '调休' } })
    fireEvent.click(screen.getByText('添加到列表'))
    expect(await screen.findByText(`${wed} 是周三，本来就是工作日；调休上班日应为周六或周日`)).toBeTruthy()
    fireEvent.change(box('日期'), { target: { value: sat } })
    fireEvent.click(screen.getByText('添加到列表'))
    fireEvent.click(screen.getByText(`保存 ${y} 年节假日`))
    await settle()
    expect(showModal).toHaveBeenCalled()
    expect(calls.filter((c) => c.action === 'saveWorkCalendar').map((c) => c.input)).toEqual([
      { districtId: D, year: y, days: [{ day: sat, kind: 'work', name: '调休' }, { day: `${y}-10-01`, kind: 'off', name: '国庆节' }] },
    ])
    expect(await screen.findByText('这是区里保存的节假日安排。')).toBeTruthy()
  })

  it('finds the district from the officer\'s posts; someone without a district post is told who sets holidays', async () => {
    mockApi({ myJurisdictions: () => [{ level: 'street', id: 's1', name: '解放街道', roles: ['street_officer'] }] })
    __setRouterParams({})
    render(<ReportHolidaysPage />)
    expect(await screen.findByText('只有区级工作人员可以设置节假日')).toBeTruthy()
  })
})
