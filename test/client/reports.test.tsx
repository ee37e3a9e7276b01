import { act, fireEvent, render, screen } from '@testing-library/react'
import Taro from '@tarojs/taro'
import { __reset, __setRouterParams, __storage, showModal } from './mocks/taro'
import { Fail, mockApi } from './api'
import type { Me } from '../../src/contracts/identity'
import type { ReportDetail, ReportPlaceOptions, ReportSummary } from '../../src/contracts/reports'
import { setToken } from '../../src/services/token'
import { useSessionStore } from '../../src/stores/session'
import { draftKey } from '../../src/utils/report-draft'
import ReportsPage from '../../src/pages/reports/index'
import ReportNewPage from '../../src/packages/reports/pages/new/index'
import ReportDetailPage from '../../src/packages/reports/pages/detail/index'
import ReportInboxPage from '../../src/packages/reports/pages/inbox/index'

const C = 'c-bj'
const me = (roles: string[]): Me => ({
  userId: 'u1', nickname: '邓雨英',
  communities: [{ id: C, name: '滨江花园', isOld: false, governance: 'committee', roles: roles as Me['communities'][number]['roles'] }],
  units: roles.includes('owner') ? [{ unitId: 'u-102', communityId: C, label: '1栋1单元102室', areaCentiM2: 11820, relation: 'owner' }] : [],
  bindings: [],
})
function signIn(roles: string[]) {
  useSessionStore.setState({ token: 'tok', me: me(roles), communityId: C, status: 'ready', error: null })
  setToken('tok')
}
const flush = () => act(async () => {
  await new Promise((r) => setTimeout(r, 0))
})

const summary = (id: string, over: Partial<ReportSummary> = {}): ReportSummary => ({
  id, communityId: C, communityName: '滨江花园', category: 'repair', categoryLabel: '物业维修', status: 'submitted', statusLabel: '待受理', urgency: 'ordinary',
  excerpt: `厨房水管漏水 ${id}`, place: { kind: 'unit', label: '1栋1单元102室' }, handler: 'property', handlerLabel: '物业服务中心', anonymous: false, overdue: false,
  dueAt: '2026-05-07T02:00:00.000Z', reporter: null, mine: true, createdAt: '2026-05-06T02:00:00.000Z', ...over,
})
const detail = (over: Partial<ReportDetail> = {}): ReportDetail => ({
  ...summary('r1'), description: '厨房水管漏水，地面积水', photos: [], reopenCount: 0, rating: null, ratingComment: null, acceptedAt: null, resolvedAt: null, confirmedAt: null,
  timeline: [{ event: 'submit', label: '提交报事', fromStatus: null, toStatus: 'submitted', actor: '报事人', message: null, photos: [], at: '2026-05-06T02:00:00.000Z' }],
  actions: [], ...over,
})
const OPTIONS: ReportPlaceOptions = { units: [{ id: 'u-102', label: '1栋1单元102室' }], buildings: [{ id: 'b1', name: '1栋' }], commonAreas: ['小区大门', '地下车库'] }

beforeEach(() => {
  __reset()
  process.env.TARO_ENV = 'h5'
})

describe('报事 tab', () => {
  it('shows a resident my reports with their status, 我要报事 and 联系我们; a kept draft turns the button into 继续填写', async () => {
    const calls = mockApi({
      me: () => me(['owner']),
      myReports: () => ({ items: [summary('r1', { status: 'resolved', statusLabel: '已办结待确认' }), summary('r2')], nextCursor: null }),
    })
    signIn(['owner'])
    __storage().set(draftKey(C), { category: 'repair', description: '楼道灯不亮', savedAt: Date.now() })
    render(<ReportsPage />)
    expect(await screen.findByText('厨房水管漏水 r1')).toBeTruthy()
    expect(screen.getByText('已办结待确认')).toBeTruthy()
    expect(screen.getByText('已办结，请确认 ›')).toBeTruthy()
    expect(screen.getByText('待受理')).toBeTruthy()
    expect(screen.getByText('继续填写未提交的报事')).toBeTruthy()
    expect(calls.filter((c) => c.action === 'myReports').map((c) => c.input)).toEqual([{ communityId: C }])
    fireEvent.click(screen.getByText('联系我们'))
    expect((Taro.navigateTo as jest.Mock).mock.calls[0][0].url).toBe(`/packages/reports/pages/contact/index?communityId=${C}`)
    expect(screen.queryByText('报事处理')).toBeNull()
  })

  it('sends property staff to their inbox without asking for "my reports"', async () => {
    const calls = mockApi({ me: () => me(['property_staff']) })
    signIn(['property_staff'])
    render(<ReportsPage />)
    fireEvent.click(await screen.findByText('报事处理'))
    expect((Taro.navigateTo as jest.Mock).mock.calls[0][0].url).toBe(`/packages/reports/pages/inbox/index?communityId=${C}`)
    await flush()
    expect(calls.some((c) => c.action === 'myReports')).toBe(false)
    expect(screen.queryByText('我要报事')).toBeNull()
  })
})

describe('report form', () => {
  it('keeps what was written when the page is left, restores it, and sends category, place, urgency and words', async () => {
    const calls = mockApi({ reportPlaceOptions: () => OPTIONS, createReport: () => detail({ id: 'r9' }) })
    signIn(['owner'])
    __setRouterParams({ communityId: C })
    const first = render(<ReportNewPage />)
    fireEvent.click(await screen.findByText('物业维修'))
    fireEvent.click(screen.getByText('紧急'))
    fireEvent.change(screen.getByPlaceholderText('例如：厨房水管漏水，地面有积水'), { target: { value: '楼上漏水到我家天花板' } })
    first.unmount()

    render(<ReportNewPage />)
    expect(await screen.findByText('已恢复上次没有提交的内容。')).toBeTruthy()
    expect((screen.getByPlaceholderText('例如：厨房水管漏水，地面有积水') as HTMLTextAreaElement).value).toBe('楼上漏水到我家天花板')
    expect(screen.getByText('物业维修').className).toContain('chip--active')
    expect(screen.getByText('紧急').className).toContain('chip--active')
    // The one own unit is chosen as the place.
    expect(screen.getByText('我家').className).toContain('chip--active')
    fireEvent.click(screen.getByText('提交报事'))
    await flush()
    expect(calls.filter((c) => c.action === 'createReport').map((c) => c.input)).toEqual([
      { communityId: C, category: 'repair', description: '楼上漏水到我家天花板', place: { kind: 'unit', unitId: 'u-102' }, urgency: 'urgent', anonymous: false, photoIds: [] },
    ])
    expect(__storage().has(draftKey(C))).toBe(false)
    expect((Taro.redirectTo as jest.Mock).mock.calls[0][0].url).toBe(`/packages/reports/pages/detail/index?communityId=${C}&reportId=r9`)
  })

  it('shows the server\'s refusal of a 21st report in a day and keeps the draft', async () => {
    const limit = '您今天已提交 20 条报事，达到每日上限，请明天再提交；紧急情况请直接拨打物业或社区电话'
    mockApi({ reportPlaceOptions: () => OPTIONS, createReport: () => new Fail('RateLimited', limit) })
    signIn(['owner'])
    __setRouterParams({ communityId: C })
    render(<ReportNewPage />)
    fireEvent.click(await screen.findByText('建议'))
    fireEvent.click(screen.getByText('公共区域'))
    fireEvent.click(screen.getByText('地下车库'))
    fireEvent.change(screen.getByPlaceholderText('例如：厨房水管漏水，地面有积水'), { target: { value: '建议车库加装照明' } })
    fireEvent.click(screen.getByText('提交报事'))
    expect(await screen.findByText(limit)).toBeTruthy()
    expect(Taro.redirectTo).not.toHaveBeenCalled()
    expect(__storage().get(draftKey(C))).toMatchObject({ category: 'suggestion', placeKind: 'area', area: '地下车库', description: '建议车库加装照明' })
  })

  it('asks for a category first and for enough words, before sending anything', async () => {
    const calls = mockApi({ reportPlaceOptions: () => OPTIONS })
    signIn(['owner'])
    __setRouterParams({ communityId: C })
    render(<ReportNewPage />)
    fireEvent.click(await screen.findByText('提交报事'))
    expect(await screen.findByText('请先选择报事类别')).toBeTruthy()
    fireEvent.click(screen.getByText('清扫保洁'))
    fireEvent.change(screen.getByPlaceholderText('例如：厨房水管漏水，地面有积水'), { target: { value: '脏' } })
    fireEvent.click(screen.getByText('提交报事'))
    expect(await screen.findByText('请把问题描述清楚（至少 5 个字）')).toBeTruthy()
    expect(calls.some((c) => c.action === 'createReport')).toBe(false)
  })
})

describe('report detail', () => {
  it('lets the reporter confirm a resolved report with a rating, after asking', async () => {
    const resolved = detail({ status: 'resolved', statusLabel: '已办结待确认', actions: ['confirm', 'reopen'] })
    const calls = mockApi({ getReport: () => resolved, confirmReport: (i) => ({ ...resolved, status: 'confirmed', statusLabel: '已确认', rating: i.rating, actions: [] }) })
    signIn(['owner'])
    __setRouterParams({ communityId: C, reportId: 'r1' })
    render(<ReportDetailPage />)
    fireEvent.click(await screen.findByText('已解决，确认办结'))
    expect(await screen.findByText('请先给处理结果打分（1 到 5 星）')).toBeTruthy()
    fireEvent.click(screen.getByText('4 星'))
    fireEvent.click(screen.getByText('已解决，确认办结'))
    expect(await screen.findByText('已确认')).toBeTruthy()
    expect(showModal).toHaveBeenCalledTimes(1)
    expect(calls.filter((c) => c.action === 'confirmReport').map((c) => c.input)).toEqual([{ communityId: C, reportId: 'r1', rating: 4 }])
    expect(screen.queryByText('已解决，确认办结')).toBeNull()
  })
})

describe('handlers\' inbox', () => {
  it('filters by overdue and accepts the chosen reports at once', async () => {
    const calls = mockApi({
      feeSetup: () => new Fail('Forbidden', '无权查看'),
      reportInbox: (i) => ({ items: i.overdue ? [summary('r3', { overdue: true, mine: false })] : [summary('r1', { mine: false }), summary('r2', { mine: false })], nextCursor: null }),
      bulkAcceptReports: (i) => ({ accepted: i.reportIds, refused: [] }),
    })
    signIn(['property_staff'])
    __setRouterParams({ communityId: C })
    const { container } = render(<ReportInboxPage />)
    expect(await screen.findByText('厨房水管漏水 r2')).toBeTruthy()
    fireEvent.click(screen.getByText('只看超时'))
    expect(await screen.findByText('厨房水管漏水 r3')).toBeTruthy()
    expect(screen.getByText('已超过响应时限')).toBeTruthy()
    expect(calls.filter((c) => c.action === 'reportInbox').pop()!.input).toMatchObject({ communityId: C, status: 'open', overdue: true })
    fireEvent.click(screen.getByText('全部时限'))
    await screen.findByText('厨房水管漏水 r1')
    const boxes = container.querySelectorAll('.report-select__box')
    fireEvent.click(boxes[0])
    fireEvent.click(boxes[1])
    fireEvent.click(screen.getByText('受理选中的 2 条'))
    await flush()
    expect(calls.filter((c) => c.action === 'bulkAcceptReports').map((c) => c.input)).toEqual([{ communityId: C, reportIds: ['r1', 'r2'] }])
  })
})
