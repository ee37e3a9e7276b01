import { act, fireEvent, render, screen } from '@testing-library/react'
import Taro from '@tarojs/taro'
import { __reset, __setRouterParams } from './mocks/taro'
import { Fail, flush, mockApi } from './api'
import FundExpensePage from '../../src/packages/fund/pages/expense/index'
import FundMinePage from '../../src/packages/fund/pages/mine/index'
import type { ExpenseResult, FundExpenseView, FundLedger, FundSetup } from '../../src/contracts/fund'
import type { Me } from '../../src/contracts/identity'
import { setToken } from '../../src/services/token'
import { useSessionStore } from '../../src/stores/session'

const T = Taro as unknown as Record<string, jest.Mock>
T.chooseImage = jest.fn()

const C = 'c-wq'
const PMC: Me = {
  userId: 'u-pmc', nickname: '物管会委员', communities: [{ id: C, name: '文清苑', isOld: true, governance: 'pmc', roles: ['committee_member'] }], units: [], bindings: [],
}
const OWNER: Me = { ...PMC, userId: 'u-sun', nickname: '孙丽', communities: [{ ...PMC.communities[0], roles: ['owner'] }], units: [{ unitId: 'u-101', communityId: C, label: '1栋1单元101室', areaCentiM2: 6000, relation: 'owner' }] }
const SETUP: FundSetup = {
  communityName: '文清苑', isOld: true, policyClause: '章贡区物业管理政策 三.(三).2',
  buildings: [{ id: 'b1', name: '1栋', hasElevator: false, capFen: 5500, schemes: [] }],
  decisions: [{ voteId: 'v5', title: '使用维修资金维修屋面', item: 5, matterTitle: '使用维修资金维修屋面', closedAt: '2026-11-20T02:00:00.000Z', buildingIds: ['b1'] }],
}
const EXPENSE: FundExpenseView = {
  id: 'x1', purpose: '1栋屋面防水', contractor: '章贡建筑公司', amountFen: 100_000, spentOn: '2026-11-26', kind: 'ordinary', emergencyLabel: null, voteId: 'v5', voteTitle: '使用维修资金维修屋面',
  noticeId: null, buildings: ['1栋'], reversed: false, unitCount: 4,
  documents: [
    { kind: '报价', name: '报价单', fileId: 'f-quote', mime: 'application/pdf', sizeBytes: 20_480 },
    { kind: '验收照片', name: '竣工验收照片', fileId: 'f-photo', mime: 'image/jpeg', sizeBytes: 2_048 },
    { kind: '合同', name: '施工合同', fileId: null, mime: null, sizeBytes: null },
  ],
}
const settle = () => act(async () => {
  await flush()
})

beforeEach(() => {
  __reset()
  process.env.TARO_ENV = 'h5'
  setToken('tok')
})
const signIn = (me: Me) => useSessionStore.setState({ token: 'tok', me, communityId: C, status: 'ready', error: null })

describe('repair-fund expense documents', () => {
  it('the expense form uploads an acceptance photo as a file and records the expense naming it', async () => {
    T.chooseImage.mockResolvedValueOnce({ tempFiles: [{ path: 'blob:x', size: 3, originalFileObj: new File([new Uint8Array([0xff, 0xd8, 0xff])], 'IMG_0001.jpg') }] })
    const result: ExpenseResult = { expense: { ...EXPENSE, documents: [EXPENSE.documents[1]] }, shares: [] }
    const calls = mockApi({
      me: () => PMC,
      fundSetup: () => SETUP,
      uploadFundDocument: () => ({ id: 'f-new', name: 'IMG_0001', mime: 'image/jpeg', sizeBytes: 2_048 }),
      recordFundExpense: () => result,
    })
    signIn(PMC)
    __setRouterParams({ communityId: C })
    render(<FundExpensePage />)
    fireEvent.change(await screen.findByPlaceholderText('例如：1栋屋面防水'), { target: { value: '1栋屋面防水' } })
    fireEvent.change(screen.getByPlaceholderText('例如：章贡建筑公司'), { target: { value: '章贡建筑公司' } })
    fireEvent.change(screen.getByText('金额（元）').closest('.field')!.querySelector('input')!, { target: { value: '1000' } })
    fireEvent.click(screen.getByText('1栋'))
    fireEvent.click(screen.getByText(/使用维修资金维修屋面（/))
    fireEvent.click(screen.getByText('验收照片'))
    fireEvent.click(screen.getByText('拍照或选照片'))
    expect(await screen.findByText(/验收照片 · 照片 2 KB/)).toBeTruthy()
    const upload = calls.find((c) => c.action === 'uploadFundDocument')!
    expect(upload.input).toMatchObject({ communityId: C, fileName: 'IMG_0001.jpg', dataBase64: '/9j/' }) // the bytes FF D8 FF
    fireEvent.click(screen.getByText('登记支出', { selector: 'button' }))
    await settle()
    expect(calls.filter((c) => c.action === 'recordFundExpense').map((c) => c.input)).toEqual([{
      communityId: C, purpose: '1栋屋面防水', contractor: '章贡建筑公司', amountFen: 100_000, spentOn: expect.any(String), buildingIds: ['b1'], voteId: 'v5',
      documents: [{ kind: 'acceptance', name: '验收照片', fileId: 'f-new' }],
    }])
  })

  it('a refused upload says why in plain words and adds nothing', async () => {
    T.chooseImage.mockResolvedValueOnce({ tempFiles: [{ path: 'blob:x', size: 3, originalFileObj: new File([new Uint8Array([1, 2, 3])], 'scan.jpg') }] })
    mockApi({ me: () => PMC, fundSetup: () => SETUP, uploadFundDocument: () => new Fail('UnsupportedFile', '材料只能是照片（JPEG、PNG、WebP）或 PDF 文件（按文件内容识别，不看文件名）') })
    signIn(PMC)
    __setRouterParams({ communityId: C })
    render(<FundExpensePage />)
    fireEvent.click(await screen.findByText('拍照或选照片'))
    expect(await screen.findByText('材料只能是照片（JPEG、PNG、WebP）或 PDF 文件（按文件内容识别，不看文件名）')).toBeTruthy()
    expect(screen.getByText('材料（0 份，可不传）')).toBeTruthy()
  })

  it('an owner opens the acceptance photo of an expense in the ledger; a document recorded by name only says it has no file', async () => {
    const ledger: FundLedger = { communityName: '文清苑', isOld: true, totals: { depositedFen: 0, matchedFen: 0, earnedFen: 0, spentFen: 100_000, remainingFen: 0 }, expenses: [EXPENSE], recent: [] }
    const calls = mockApi({
      me: () => OWNER,
      myFund: () => ({ accounts: [] }),
      fundLedger: () => ledger,
      fundDocument: (input) => (input.fileId === 'f-photo' ? { fileName: '竣工验收照片.jpg', mime: 'image/jpeg', base64: '/9j/' } : new Fail('NotFound', '找不到这份材料')),
    })
    signIn(OWNER)
    __setRouterParams({ communityId: C })
    const { container } = render(<FundMinePage />)
    fireEvent.click(await screen.findByText('小区台账'))
    expect(await screen.findByText(/验收照片《竣工验收照片》 照片 2 KB/)).toBeTruthy()
    expect(screen.getByText(/报价《报价单》 PDF 20 KB/)).toBeTruthy()
    expect(screen.getByText('合同《施工合同》（仅登记名称，无文件）')).toBeTruthy()
    // Two files to open; the name-only one has no button.
    expect(screen.getAllByText('查看')).toHaveLength(2)
    fireEvent.click(screen.getAllByText('查看')[1])
    await settle()
    expect(calls.filter((c) => c.action === 'fundDocument').map((c) => c.input)).toEqual([{ communityId: C, expenseId: 'x1', fileId: 'f-photo' }])
    expect(container.querySelector('img.fund-doc__photo, .fund-doc__photo')?.getAttribute('src')).toBe('data:image/jpeg;base64,/9j/')
  })
})
