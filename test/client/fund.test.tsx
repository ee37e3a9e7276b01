import { fireEvent, render, screen } from '@testing-library/react'
import { __reset, __setRouterParams, navigateTo, showModal } from './mocks/taro'
import { Fail, flush, mockApi } from './api'
import FundMinePage from '../../src/packages/fund/pages/mine/index'
import FundManagePage from '../../src/packages/fund/pages/manage/index'
import FundDepositPage from '../../src/packages/fund/pages/deposit/index'
import MinePage from '../../src/pages/mine/index'
import { MATCH_HELD_IN, type FundAccount, type FundLedger, type FundSetup } from '../../src/contracts/fund'
import type { Me } from '../../src/contracts/identity'
import { setToken } from '../../src/services/token'
import { useSessionStore } from '../../src/stores/session'

const C = 'c-wq'
const OWNER: Me = {
  userId: 'u-sun', nickname: '孙丽',
  communities: [{ id: C, name: '文清苑', isOld: true, governance: 'pmc', roles: ['owner'] }],
  units: [{ unitId: 'u-101', communityId: C, label: '1栋1单元101室', areaCentiM2: 6000, relation: 'owner' }],
  bindings: [],
}
const PMC: Me = { ...OWNER, userId: 'u-pmc', nickname: '物管会委员', communities: [{ id: C, name: '文清苑', isOld: true, governance: 'pmc', roles: ['committee_member'] }], units: [] }
const entry = (id: string, kind: 'deposit' | 'match' | 'expense', amountFen: number, extra: object = {}) => ({
  id, kind, kindLabel: { deposit: '业主交存', match: '区财政配套', expense: '使用分摊' }[kind], amountFen, on: '2026-11-20', unitId: 'u-101', unitLabel: '1栋1单元101室',
  channel: null, receiptNo: null, heldIn: null, expenseId: null, reversesId: null, note: '', createdAt: '2026-11-20T02:00:00.000Z', ...extra,
})
const ACCOUNT: FundAccount = {
  unitId: 'u-101', unitLabel: '1栋1单元101室', areaCentiM2: 6000, requiredFen: 330_000, firstRequiredFen: 330_000, depositedFen: 330_000, matchedFen: 330_000,
  interestFen: 0, spentFen: 560_001, balanceFen: 99_999, outstandingFen: 0, needsTopUp: true,
  entries: [entry('e1', 'deposit', 330_000, { receiptNo: 'WQ-0001' }), entry('e2', 'match', 330_000, { heldIn: MATCH_HELD_IN }), entry('e3', 'expense', -560_001, { note: '1栋屋面防水' })],
}
const LEDGER: FundLedger = {
  communityName: '文清苑', isOld: true,
  totals: { depositedFen: 1_930_000, matchedFen: 1_930_000, earnedFen: 0, spentFen: 100_001, remainingFen: 3_759_999 },
  expenses: [{ id: 'x1', purpose: '1栋屋面防水', contractor: '章贡建筑公司', amountFen: 100_001, spentOn: '2026-11-26', kind: 'ordinary', emergencyLabel: null, voteId: 'v1', voteTitle: '使用维修资金维修屋面', noticeId: null, buildings: ['1栋'], documents: [{ kind: '报价', name: '报价单', fileId: 'f1', mime: 'application/pdf', sizeBytes: 20480 }], reversed: false, unitCount: 4 }],
  recent: [],
}
const SETUP: FundSetup = {
  communityName: '文清苑', isOld: true, policyClause: '章贡区物业管理政策 三.(三).2',
  buildings: [{ id: 'b1', name: '1栋', hasElevator: false, capFen: 5500, schemes: [] }],
  decisions: [],
}

beforeEach(() => {
  __reset()
  process.env.TARO_ENV = 'h5'
  setToken('tok')
})
const signIn = (me: Me) => useSessionStore.setState({ token: 'tok', me, communityId: C, status: 'ready', error: null })

describe('维修资金 for owners', () => {
  it('shows each owned unit with its balance, the top-up flag, the match held in the district account, and the 小区 ledger', async () => {
    __setRouterParams({ communityId: C })
    const calls = mockApi({ me: () => OWNER, myFund: () => ({ accounts: [ACCOUNT] }), fundLedger: () => LEDGER })
    signIn(OWNER)
    render(<FundMinePage />)
    expect(await screen.findByText('1栋1单元101室')).toBeTruthy()
    expect(screen.getByText('¥999.99')).toBeTruthy()
    expect(screen.getByText('余额已低于首次交存额的 30%，需要续交')).toBeTruthy()
    expect(screen.getByText(`存于${MATCH_HELD_IN}`)).toBeTruthy()
    expect(screen.getByText('+¥3,300.00', { selector: '.fund-entry--match .fund-entry__amount' })).toBeTruthy()
    expect(calls.filter((c) => c.action === 'myFund').map((c) => c.input)).toEqual([{ communityId: C }])
    fireEvent.click(screen.getByText('小区台账'))
    expect(await screen.findByText('¥37,599.99')).toBeTruthy()
    expect(screen.getByText('施工单位：章贡建筑公司')).toBeTruthy()
    expect(screen.getByText(/依据表决：使用维修资金维修屋面/)).toBeTruthy()
  })

  it('我的 offers 维修资金 to an owner, not to a tenant', async () => {
    mockApi({ me: () => OWNER })
    signIn(OWNER)
    const { unmount } = render(<MinePage />)
    fireEvent.click(await screen.findByText('维修资金'))
    expect((navigateTo.mock.calls as unknown as [{ url: string }][])[0][0].url).toBe(`/packages/fund/pages/mine/index?communityId=${C}`)
    unmount()
    const tenant: Me = { ...OWNER, communities: [{ ...OWNER.communities[0], roles: ['tenant'] }], units: [{ ...OWNER.units[0], relation: 'tenant' }] }
    mockApi({ me: () => tenant })
    signIn(tenant)
    render(<MinePage />)
    await flush()
    expect(screen.queryByText('维修资金')).toBeNull()
  })
})

describe('维修资金 for the committee', () => {
  it('asks before setting a rate and shows the server\'s refusal with the policy clause', async () => {
    __setRouterParams({ communityId: C })
    const calls = mockApi({
      me: () => PMC, fundSetup: () => SETUP, fundLedger: () => LEDGER, fundArrears: () => [],
      setFundScheme: () => new Fail('BadInput', '文清苑是老旧小区，1栋无电梯，维修资金交存标准不得高于 55.00 元/㎡（所填 55.01 元/㎡）。依据：章贡区物业管理政策 三.(三).2'),
    })
    signIn(PMC)
    render(<FundManagePage />)
    expect(await screen.findByText(/上限 ¥55.00\/㎡/)).toBeTruthy()
    fireEvent.click(screen.getByText('1栋', { selector: '.chip, .chip *' }))
    fireEvent.input(screen.getByPlaceholderText('例如：55'), { target: { value: '55.01' } })
    fireEvent.click(screen.getByText('设定交存标准', { selector: 'button, button *' }))
    expect(await screen.findByText(/不得高于 55.00 元\/㎡/)).toBeTruthy()
    expect(showModal).toHaveBeenCalledTimes(1)
    expect(calls.filter((c) => c.action === 'setFundScheme').map((c) => c.input)).toEqual([{ communityId: C, buildingIds: ['b1'], rateFen: 5501 }])
  })

  it('records a deposit after confirming and shows the district match beside it', async () => {
    __setRouterParams({ communityId: C, unitId: 'u-101' })
    const { entries: _e, ...account } = ACCOUNT
    void _e
    const calls = mockApi({
      me: () => PMC, fundSetup: () => SETUP,
      fundArrears: () => [{ buildingId: 'b1', buildingName: '1栋', units: 1, requiredFen: 330_000, depositedFen: 0, outstandingFen: 330_000, unpaidUnits: [{ unitId: 'u-101', unitLabel: '1栋1单元101室', outstandingFen: 330_000 }] }],
      recordFundDeposit: () => ({ entry: entry('e1', 'deposit', 330_000, { receiptNo: 'WQ-0001' }), match: entry('e2', 'match', 330_000, { heldIn: MATCH_HELD_IN }), account: { ...account, needsTopUp: false } }),
    })
    signIn(PMC)
    render(<FundDepositPage />)
    expect(await screen.findByText('1栋1单元101室 欠 ¥3,300.00')).toBeTruthy()
    fireEvent.input(screen.getByPlaceholderText('例如：3300'), { target: { value: '3300' } })
    fireEvent.input(screen.getByPlaceholderText('例如：WQ-0001'), { target: { value: 'WQ-0001' } })
    fireEvent.click(screen.getByText('登记交存', { selector: 'button, button *' }))
    expect(await screen.findByText(`存于${MATCH_HELD_IN}`)).toBeTruthy()
    expect((showModal.mock.calls as unknown as [{ content: string }][])[0][0].content).toContain('1栋1单元101室 交存 ¥3,300.00')
    expect(calls.find((c) => c.action === 'recordFundDeposit')?.input).toMatchObject({ communityId: C, unitId: 'u-101', amountFen: 330_000, channel: 'bank', receiptNo: 'WQ-0001' })
  })
})
