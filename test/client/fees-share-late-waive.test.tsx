import { fireEvent, render, screen } from '@testing-library/react'
import { __reset, __setRouterParams, showModal } from './mocks/taro'
import { flush, mockApi } from './api'
import FeesPage from '../../src/pages/fees/index'
import BillPage from '../../src/packages/owner/pages/bill/index'
import FeeSchedulePage from '../../src/packages/fees/pages/schedule/index'
import FeeArrearsPage from '../../src/packages/fees/pages/arrears/index'
import { parseLateFee } from '../../src/packages/fees/pages/schedule/late-fee-editor'
import type { ArrearsList, BillDetail, BillSummary, FeeSetup, MyBills } from '../../src/contracts/fees'
import type { Me } from '../../src/contracts/identity'
import { setToken } from '../../src/services/token'
import { useSessionStore } from '../../src/stores/session'

// The shared component mock has no Picker; the arrears page's date picker becomes a plain box here.
jest.mock('@tarojs/components', () => {
  const actual = jest.requireActual('@tarojs/components')
  return { ...actual, Picker: ({ children }: { children: unknown }) => children }
})

/** Issue 10's last pieces on the client: sharing bills with a tenant, the contract late fee, the committee's waiver from masked rooms. */
const C = 'c-bj'
const bill = (id: string, periodLabel: string, amountFen: number, unitLabel = '1栋1单元102室'): BillSummary => ({
  id, period: '2026-Q3', periodLabel, unitLabel, amountFen, creditedFen: 0, paidFen: 0, owedFen: amountFen, status: 'issued', statusLabel: '待缴', dueOn: '2026-07-31',
})
const me = (roles: Me['communities'][number]['roles'], relation: 'owner' | 'tenant' | null): Me => ({
  userId: 'u', nickname: '邓雨英',
  communities: [{ id: C, name: '滨江花园', isOld: false, governance: 'committee', roles }],
  units: relation ? [{ unitId: 'u-102', communityId: C, label: '1栋1单元102室', areaCentiM2: 11820, relation }] : [],
  bindings: [],
})
const unitBills = (extra: Partial<MyBills['units'][number]>): MyBills => ({
  totalOwedFen: 79_707,
  note: null,
  units: [{ unitId: 'u-102', unitLabel: '1栋1单元102室', owedFen: 79_707, unpaid: [bill('b-q3', '2026年第3季度', 79_707)], history: [], writtenNotices: [], sharedWithMe: false, tenants: [], ...extra }],
})
const signIn = (m: Me) => useSessionStore.setState({ token: 'tok', me: m, communityId: C, status: 'ready', error: null })

beforeEach(() => {
  __reset()
  process.env.TARO_ENV = 'h5'
  setToken('tok')
})

describe('sharing a unit’s bills with its tenant', () => {
  it('the owner sees the tenant, shares after confirming, and the list is read again', async () => {
    let shared = false
    const calls = mockApi({
      me: () => me(['owner'], 'owner'),
      myBills: () => unitBills({ tenants: [{ tenancyId: 't-1', tenantName: '小周', shared }] }),
      shareBillsWithTenant: (input) => {
        shared = input.shared
        return { tenancyId: input.tenancyId, tenantName: '小周', shared: input.shared }
      },
    })
    signIn(me(['owner'], 'owner'))
    render(<FeesPage />)
    expect(await screen.findByText('小周')).toBeTruthy()
    expect(screen.getByText('未共享账单')).toBeTruthy()
    // Cancelling sends nothing.
    showModal.mockResolvedValueOnce({ confirm: false, cancel: true })
    fireEvent.click(screen.getByText('与租户共享账单'))
    await flush()
    expect(calls.some((c) => c.action === 'shareBillsWithTenant')).toBe(false)
    expect((showModal.mock.calls as unknown as [{ content: string }][])[0][0].content).toContain('只有这套房屋')
    fireEvent.click(screen.getByText('与租户共享账单'))
    expect(await screen.findByText('已共享账单')).toBeTruthy()
    expect(calls.filter((c) => c.action === 'shareBillsWithTenant').map((c) => c.input)).toEqual([{ communityId: C, tenancyId: 't-1', shared: true }])
    fireEvent.click(screen.getByText('停止共享账单'))
    expect(await screen.findByText('未共享账单')).toBeTruthy()
    expect(calls.filter((c) => c.action === 'shareBillsWithTenant').map((c) => c.input.shared)).toEqual([true, false])
  })

  it('a tenant with a shared unit sees its bills, says they are shared, and offers no statement', async () => {
    const calls = mockApi({ me: () => me(['tenant'], 'tenant'), myBills: () => unitBills({ sharedWithMe: true }) })
    signIn(me(['tenant'], 'tenant'))
    render(<FeesPage />)
    expect(await screen.findByText('业主与您共享的这套房屋的账单；缴费请与业主商量。')).toBeTruthy()
    expect(screen.getAllByText('待缴 ¥797.07').length).toBeGreaterThan(0)
    expect(screen.queryByText('年度对账单')).toBeNull()
    expect(screen.queryByText('与租户共享账单')).toBeNull()
    expect(calls.filter((c) => c.action === 'myBills')).toHaveLength(1)
  })
})

describe('the contract late fee', () => {
  const detail = (lateFee: BillDetail['lateFee']): BillDetail => ({
    ...bill('b-q3', '2026年第3季度', 79_707), areaCentiM2: 11820, payer: 'owner', payeeName: '赣州安居物业服务有限公司', priceComplaintPhone: '12358',
    lines: [], payments: [], credits: [], closedReason: null, writtenNotices: [], lateFee,
  })

  it('shows 违约金（合同约定） with its amount, basis, day and clause', async () => {
    const lateFee = { label: '违约金（合同约定）', amountFen: 30, asOf: '2026-09-15', basis: '未缴 ¥30.00 × 33 天 × 每日万分之3 = ¥0.30（合计后四舍五入到分，不计复利）', clause: '《物业服务合同》第十二条' }
    mockApi({ me: () => me(['owner'], 'owner'), getBill: () => detail(lateFee) })
    signIn(me(['owner'], 'owner'))
    __setRouterParams({ communityId: C, billId: 'b-q3' })
    render(<BillPage />)
    expect(await screen.findByText('违约金（合同约定）')).toBeTruthy()
    expect(screen.getByText('¥0.30')).toBeTruthy()
    expect(screen.getByText(lateFee.basis)).toBeTruthy()
    expect(screen.getByText('依据：《物业服务合同》第十二条')).toBeTruthy()
    expect(screen.getByText('计算到 2026-09-15；只按未缴的物业费计算，不计复利。')).toBeTruthy()
  })

  it('says no late fee is charged when the contract has none', async () => {
    mockApi({ me: () => me(['owner'], 'owner'), getBill: () => detail(null) })
    signIn(me(['owner'], 'owner'))
    __setRouterParams({ communityId: C, billId: 'b-q3' })
    render(<BillPage />)
    expect(await screen.findByText('每项金额按标准计算后四舍五入到分；未经服务合同约定，不收取滞纳金。')).toBeTruthy()
    expect(screen.queryByText('违约金（合同约定）')).toBeNull()
  })

  it('the form reads whole numbers only and needs the clause', () => {
    const on = { on: true, rate: '3', clause: '第十二条', startDays: '30' }
    expect(parseLateFee({ ...on, on: false })).toEqual({ ok: true, value: null })
    expect(parseLateFee(on)).toEqual({ ok: true, value: { ratePer10k: 3, clause: '第十二条', startAfterDays: 30 } })
    for (const bad of [{ ...on, rate: '0' }, { ...on, rate: '2.5' }, { ...on, rate: '51' }, { ...on, clause: ' ' }, { ...on, startDays: '-1' }, { ...on, startDays: '400' }]) expect(parseLateFee(bad).ok).toBe(false)
  })

  it('the schedule sends no late fee by default, and the contract’s terms once chosen', async () => {
    let setup: FeeSetup = { schedule: null, buildings: [{ id: 'b1', name: '1栋' }], payeeName: '赣州安居物业服务有限公司', canBill: true, canDecide: false, periods: [] }
    const calls = mockApi({
      me: () => me(['property_staff'], null),
      feeSetup: () => setup,
      saveFeeSchedule: (input) => {
        const schedule = { id: 's', version: 1, effectiveFrom: input.effectiveFrom, noticeId: 'n', items: [{ name: '物业服务费', kind: 'area' as const, rateFen: 180, buildingIds: [], rateText: '1.80 元/㎡/月', scopeText: '全部楼栋' }], lateFee: null }
        setup = { ...setup, schedule }
        return schedule
      },
    })
    signIn(me(['property_staff'], null))
    __setRouterParams({ communityId: C })
    render(<FeeSchedulePage />)
    fireEvent.input(await screen.findByPlaceholderText('例如：物业服务费'), { target: { value: '物业服务费' } })
    fireEvent.input(screen.getByPlaceholderText('0.00'), { target: { value: '1.80' } })
    fireEvent.click(screen.getByText('保存并发布公示'))
    await flush()
    expect(calls.find((c) => c.action === 'saveFeeSchedule')!.input.lateFee).toBeNull()

    expect(await screen.findByText('不收取违约金（服务合同未约定）')).toBeTruthy()
    fireEvent.click(screen.getByText('调整收费标准'))
    fireEvent.click(await screen.findByText('按服务合同约定收取'))
    fireEvent.input(document.querySelector('.schedule__late-rate')!, { target: { value: '3' } })
    fireEvent.click(screen.getByText('保存并发布公示'))
    expect(await screen.findByText('请填写服务合同中约定违约金的条款原文')).toBeTruthy()
    fireEvent.input(document.querySelector('.schedule__late-clause')!, { target: { value: '《物业服务合同》第十二条' } })
    fireEvent.input(document.querySelector('.schedule__late-start')!, { target: { value: '30' } })
    fireEvent.click(screen.getByText('保存并发布公示'))
    await flush()
    const sent = calls.filter((c) => c.action === 'saveFeeSchedule')
    expect(sent).toHaveLength(2)
    expect(sent[1].input.lateFee).toEqual({ ratePer10k: 3, clause: '《物业服务合同》第十二条', startAfterDays: 30 })
  })
})

describe('the committee waives from the masked arrears list', () => {
  it('picks a period of a masked room, writes the reason, confirms, and sees the masked room waived', async () => {
    const setup: FeeSetup = { schedule: null, buildings: [], payeeName: '赣州安居物业服务有限公司', canBill: false, canDecide: true, periods: [] }
    let list: ArrearsList = {
      masked: true,
      units: [{ unitLabel: '1栋1单元**2室', unitId: null, billCount: 2, owedFen: null, lastReminder: null, postable: false, openBills: [{ ref: 'b-q3', periodLabel: '2026年第3季度', dueOn: '2026-07-31' }, { ref: 'b-q4', periodLabel: '2026年第4季度', dueOn: '2026-10-31' }] }],
    }
    const calls = mockApi({
      me: () => me(['committee_chair'], null),
      feeSetup: () => setup,
      arrearsList: () => list,
      waiveBill: (input) => {
        list = { ...list, units: [{ ...list.units[0], billCount: 1, openBills: list.units[0].openBills.filter((b) => b.ref !== input.billId) }] }
        return { billId: input.billId, status: 'waived', statusLabel: '已减免', owedFen: 0, unitLabel: '1栋1单元**2室', periodLabel: '2026年第3季度' }
      },
    })
    signIn(me(['committee_chair'], null))
    __setRouterParams({ communityId: C })
    render(<FeeArrearsPage />)
    expect(await screen.findByText('2026年第3季度（缴费期限 2026-07-31）')).toBeTruthy()
    expect(screen.queryByText(/¥/)).toBeNull()
    fireEvent.click(screen.getAllByText('减免')[0])
    fireEvent.click(screen.getByText('减免这一期'))
    expect(await screen.findByText('请写明减免的原因（例如：业主大会决定的困难户减免）')).toBeTruthy()
    expect(calls.some((c) => c.action === 'waiveBill')).toBe(false)
    fireEvent.input(document.querySelector('.arrears__waive-form input')!, { target: { value: '业主大会决定的困难户减免' } })
    fireEvent.click(screen.getByText('减免这一期'))
    expect(await screen.findByText('已减免：1栋1单元**2室 2026年第3季度')).toBeTruthy()
    expect(calls.filter((c) => c.action === 'waiveBill').map((c) => c.input)).toEqual([{ communityId: C, billId: 'b-q3', reason: '业主大会决定的困难户减免' }])
    await flush()
    expect(screen.queryByText('2026年第3季度（缴费期限 2026-07-31）')).toBeNull()
    expect(screen.getByText('2026年第4季度（缴费期限 2026-10-31）')).toBeTruthy()
  })
})
