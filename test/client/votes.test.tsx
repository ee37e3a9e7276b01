import { act, fireEvent, render, screen } from '@testing-library/react'
import Taro from '@tarojs/taro'
import { __pullDown, __reachBottom, __reset, __setRouterParams } from './mocks/taro'
import { Fail, mockApi } from './api'
import type { Bar, ElectorateVoter, MatterInfo, MatterProgress, MyBallot, MyVoter, VoteDetail, VoteProgress, VoteStatus, VoteSummary } from '../../src/contracts/votes'
import { setToken } from '../../src/services/token'
import { useSessionStore } from '../../src/stores/session'
import VotesPage from '../../src/pages/votes/index'
import VoteDetailPage from '../../src/pages/vote-detail/index'
import VoteCreatePage, { beijingDateAt } from '../../src/packages/committee/pages/vote-create/index'
import VoteManagePage, { VOTERS_PAGE } from '../../src/packages/committee/pages/vote-manage/index'

// The shared component mock has no Picker; the create page's date picker becomes a plain box here.
jest.mock('@tarojs/components', () => {
  const actual = jest.requireActual('@tarojs/components')
  return { ...actual, Picker: ({ children }: { children: unknown }) => children }
})
const T = Taro as unknown as Record<string, jest.Mock>
for (const name of ['chooseImage', 'openDocument']) T[name] = jest.fn(async () => ({ errMsg: 'ok' }))

const C = 'c-wq'
const V = 'v1'
const ME = (roles: string[]) => ({ userId: 'u1', nickname: '业主', communities: [{ id: C, name: '文清苑', roles }], units: [], bindings: [] })
function signIn(roles: string[]) {
  // The store first, then the token: a store that sees a new token without `me` goes to fetch it.
  useSessionStore.setState({ token: 'tok', me: ME(roles) as any, communityId: C, status: 'ready', error: null })
  setToken('tok')
}
const flush = () => act(async () => {
  await new Promise((r) => setTimeout(r, 0))
})

const matters: MatterInfo[] = [
  { id: 'm1', position: 1, item: 4, itemLabel: '选聘和解聘物业服务企业或者其他管理人', class: 'ordinary', title: '续聘物业', description: '' },
  { id: 'm2', position: 2, item: 7, itemLabel: '改建、重建建筑物及其附属设施', class: 'special', title: '加装电梯', description: '' },
]
const summary = (id: string, status: VoteStatus, over: Partial<VoteSummary> = {}): VoteSummary => ({
  id,
  communityId: C,
  title: `表决${id}`,
  status,
  scope: 'whole',
  announceAt: '2026-11-26T02:00:00.000Z',
  opensAt: '2026-12-12T00:00:00.000Z',
  closesAt: '2026-12-19T00:00:00.000Z',
  matterCount: 2,
  myPart: status === 'open' ? 'to_vote' : null,
  ...over,
})
const detail = (status: VoteStatus, over: Partial<VoteDetail> = {}): VoteDetail => ({
  ...summary(V, status),
  title: '2027 年物业选聘',
  description: '',
  matters,
  buildings: [],
  noticeDays: 15,
  announceNoticeId: 'n-a',
  resultNoticeId: null,
  openedAt: null,
  closedAt: null,
  canManage: false,
  acceptsPaper: false,
  countingDays: 0,
  countingEndsAt: null,
  cancelledAt: null,
  cancelNoticeId: null,
  correctionNoticeId: null,
  ...over,
})
const bar = (value: number, total: number, needed: number): Bar => ({ value, total, needed, met: value >= needed })
const matterProgress = (m: MatterInfo, over: Partial<MatterProgress> = {}): MatterProgress => ({
  matterId: m.id,
  position: m.position,
  item: m.item,
  class: m.class,
  title: m.title,
  totalAreaCentiM2: 60000,
  totalHeadcount: 6,
  participatingAreaCentiM2: 20000,
  participatingHeadcount: 2,
  agreeAreaCentiM2: 20000,
  agreeHeadcount: 2,
  opposeAreaCentiM2: 0,
  opposeHeadcount: 0,
  abstainAreaCentiM2: 0,
  abstainHeadcount: 0,
  invalidAreaCentiM2: 0,
  invalidHeadcount: 0,
  quorumMet: false,
  passed: false,
  bars: { quorumArea: bar(20000, 60000, 40000), quorumHeadcount: bar(2, 6, 4), passArea: bar(20000, 20000, 10001), passHeadcount: bar(2, 2, 2) },
  ...over,
})
const progress = (status: VoteStatus, final = false): VoteProgress => ({ voteId: V, status, asOf: '2026-12-13T00:00:00.000Z', final, matters: matters.map((m) => matterProgress(m)), conflicts: 0 })
const multiVoter = (ballot: MyBallot | null = null): MyVoter => ({
  voterKey: 'p:guo',
  kind: 'sole',
  units: [
    { unitId: 'a', label: '2栋2单元501室', areaCentiM2: 8000 },
    { unitId: 'b', label: '2栋2单元502室', areaCentiM2: 9050 },
    { unitId: 'c', label: '4栋1单元101室', areaCentiM2: 6000 },
  ],
  areaCentiM2: 23050,
  ballot,
})

beforeEach(() => {
  __reset()
  for (const fn of Object.values(T)) if (typeof fn?.mockClear === 'function') fn.mockClear()
  process.env.TARO_ENV = 'h5'
})

describe('议事 tab', () => {
  it('says 已投票 on an open vote the owner has already voted in', async () => {
    signIn(['owner'])
    mockApi({ listVotes: () => [summary('b', 'open', { myPart: 'voted' })] })
    render(<VotesPage />)
    await screen.findByText('已投票，查看 ›')
    expect(screen.queryByText('去投票 ›')).toBeNull()
  })

  it('lists open votes first and opens one; the committee also gets 发起表决', async () => {
    signIn(['owner', 'committee_member'])
    mockApi({ listVotes: () => [summary('a', 'closed'), summary('b', 'open'), summary('c', 'announced')] })
    render(<VotesPage />)
    await screen.findByText('表决b')
    expect(screen.getAllByText(/^表决[abc]$/).map((e) => e.textContent)).toEqual(['表决b', '表决c', '表决a'])
    expect(screen.getByText('投票中')).toBeTruthy()
    expect(screen.getByText('去投票 ›')).toBeTruthy()
    expect(screen.getAllByText('查看 ›')).toHaveLength(2)
    fireEvent.click(screen.getByText('发起表决'))
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/packages/committee/pages/vote-create/index?communityId=${C}` })
    fireEvent.click(screen.getByText('表决b'))
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/pages/vote-detail/index?communityId=${C}&voteId=b` })
  })

  it('a tenant is told votes are for owners and the server is not asked', async () => {
    signIn(['tenant'])
    const calls = mockApi({})
    render(<VotesPage />)
    expect(await screen.findByText('业主大会表决只对业主开放')).toBeTruthy()
    expect(calls.some((c) => c.action === 'listVotes')).toBe(false)
  })
})

describe('voting', () => {
  it('an owner of several units sees them summed, chooses for every matter, confirms, and gets a receipt', async () => {
    signIn(['owner'])
    __setRouterParams({ communityId: C, voteId: V })
    let ballot: MyBallot | null = null
    const calls = mockApi({
      getVote: () => detail('open'),
      voteProgress: () => progress('open'),
      myVote: () => ({ voteId: V, status: 'open', voters: [multiVoter(ballot)] }),
      castBallot: (input) => {
        ballot = { receiptCode: 'K7QM2-XHD9R', channel: 'online', castAt: '2026-12-13T01:00:00.000Z', choices: input.choices, counted: true }
        return ballot
      },
    })
    render(<VoteDetailPage />)
    expect(await screen.findByText('2027 年物业选聘')).toBeTruthy()
    expect(screen.getByText(/2栋2单元501室、2栋2单元502室、4栋1单元101室/)).toBeTruthy()
    expect(screen.getByText('共 3 套，合计 230.50 平方米，计 1 人')).toBeTruthy()
    // Progress: both dimensions against the quorum, with the line to reach.
    expect(screen.getAllByText('2 人 / 6 人，三分之二需 4 人')).toHaveLength(2)
    expect(screen.getAllByText('200.00 ㎡ / 600.00 ㎡，三分之二需 400.00 ㎡')).toHaveLength(2)

    const submit = () => screen.getByText(/提交表决票|请为每个事项选择/).closest('button')!
    expect(submit().disabled).toBe(true)
    const agree = screen.getAllByText('同意').filter((e) => e.className.includes('vote-detail__chip'))
    const oppose = screen.getAllByText('反对').filter((e) => e.className.includes('vote-detail__chip'))
    fireEvent.click(agree[0])
    expect(submit().disabled).toBe(true)
    fireEvent.click(oppose[1])
    expect(submit().disabled).toBe(false)

    // Cancelling the confirmation sends nothing.
    T.showModal.mockResolvedValueOnce({ confirm: false, cancel: true })
    fireEvent.click(submit())
    await flush()
    expect(calls.some((c) => c.action === 'castBallot')).toBe(false)
    const [modal] = T.showModal.mock.calls[0]
    expect(modal.content).toContain('1. 续聘物业：同意')
    expect(modal.content).toContain('2. 加装电梯：反对')
    expect(modal.content).toContain('3 套房屋（合计 230.50 平方米）')
    expect(modal.content).toContain('提交后不能更改')

    fireEvent.click(submit())
    await flush()
    await flush()
    const cast = calls.find((c) => c.action === 'castBallot')!
    expect(cast.input).toEqual({ communityId: C, voteId: V, confirmed: true, choices: [{ matterId: 'm1', choice: 'agree' }, { matterId: 'm2', choice: 'oppose' }] })
    expect(await screen.findByText('K7QM2-XHD9R')).toBeTruthy()
    expect(screen.getByText('您已投票')).toBeTruthy()
    fireEvent.click(screen.getByText('复制回执码'))
    expect(Taro.setClipboardData).toHaveBeenCalledWith({ data: 'K7QM2-XHD9R' })
  })

  it('a co-owner whose co-owner already voted sees the refusal and the ballot that counts', async () => {
    signIn(['owner'])
    __setRouterParams({ communityId: C, voteId: V })
    let voted = false
    const coVoter = (): MyVoter => ({
      voterKey: 'c:a+b',
      kind: 'co_owned',
      units: [{ unitId: 'x', label: '3栋2单元302室', areaCentiM2: 7200 }],
      areaCentiM2: 7200,
      ballot: voted ? { receiptCode: 'AB12C-DE34F', channel: 'online', castAt: '2026-12-13T01:00:00.000Z', choices: [], counted: true } : null,
    })
    mockApi({
      getVote: () => detail('open'),
      voteProgress: () => progress('open'),
      myVote: () => ({ voteId: V, status: 'open', voters: [coVoter()] }),
      castBallot: () => {
        voted = true
        return new Fail('AlreadyVoted', '您已经投过票了，投票提交后不能更改')
      },
    })
    render(<VoteDetailPage />)
    expect(await screen.findByText(/共有房屋（共有人投一票）/)).toBeTruthy()
    for (const el of screen.getAllByText('弃权').filter((e) => e.className.includes('vote-detail__chip'))) fireEvent.click(el)
    fireEvent.click(screen.getByText('提交表决票'))
    expect(await screen.findByText('您已经投过票了，投票提交后不能更改')).toBeTruthy()
    expect(await screen.findByText('AB12C-DE34F')).toBeTruthy()
  })

  it('before opening there is no ballot form; after closing the result shows passed or not, with the notice and a receipt lookup', async () => {
    signIn(['owner'])
    __setRouterParams({ communityId: C, voteId: V })
    const calls = mockApi({
      getVote: () => detail('closed', { resultNoticeId: 'n-r' }),
      voteProgress: () => ({ ...progress('closed', true), matters: [matterProgress(matters[0], { passed: true, quorumMet: true }), matterProgress(matters[1])] }),
      myVote: () => ({ voteId: V, status: 'closed', voters: [multiVoter()] }),
      lookupReceipt: () => ({ receiptCode: 'K7QM2-XHD9R', channel: 'online', castOn: '2026-12-13', choices: [{ matterId: 'm1', position: 1, title: '续聘物业', choice: 'agree' }], counted: true }),
    })
    render(<VoteDetailPage />)
    expect(await screen.findByText('表决结果')).toBeTruthy()
    expect(screen.getByText('通过')).toBeTruthy()
    expect(screen.getByText('未通过')).toBeTruthy()
    expect(screen.queryByText('提交表决票')).toBeNull()
    expect(screen.getByText('未投票。')).toBeTruthy()
    fireEvent.click(screen.getByText('查看表决结果公告'))
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/pages/notice-detail/index?id=n-r&communityId=${C}` })
    fireEvent.change(screen.getByPlaceholderText(/输入回执码/), { target: { value: 'k7qm2xhd9r' } })
    fireEvent.click(screen.getByText('查询'))
    expect(await screen.findByText(/已计入/)).toBeTruthy()
    expect(calls.find((c) => c.action === 'lookupReceipt')!.input).toEqual({ communityId: C, voteId: V, receiptCode: 'k7qm2xhd9r' })
  })
})

describe('committee', () => {
  it('creating a vote: the class follows from the item, dates respect the notice period, and publishing asks first', async () => {
    signIn(['committee_member'])
    __setRouterParams({ communityId: C })
    const calls = mockApi({
      voteSetup: () => ({ noticeDays: 15, buildings: [{ id: 'b1', name: '1栋' }] }),
      createVote: () => detail('draft', { id: 'new-vote' }),
      announceVote: () => detail('announced', { id: 'new-vote' }),
    })
    render(<VoteCreatePage />)
    expect(await screen.findByText(/表决须在公告发布 15 天后开始/)).toBeTruthy()
    fireEvent.click(screen.getByText('发布表决公告'))
    expect(screen.getByText('请填写表决标题')).toBeTruthy()

    fireEvent.change(screen.getByPlaceholderText('例如：续聘物业服务企业'), { target: { value: '物业选聘' } })
    fireEvent.click(screen.getByText('6. 筹集维修资金'))
    expect(screen.getByText(/特别事项：同意的面积和人数都须达到参与表决的四分之三以上/)).toBeTruthy()
    fireEvent.click(screen.getByText('4. 选聘解聘物业'))
    expect(screen.getByText(/一般事项：同意的面积和人数都须超过参与表决的半数/)).toBeTruthy()
    fireEvent.change(screen.getByPlaceholderText('例如：续聘安居物业，服务期三年'), { target: { value: '续聘安居物业' } })
    fireEvent.click(screen.getByText('15 天'))
    fireEvent.click(screen.getByText('发布表决公告'))
    await flush()
    await flush()
    expect(T.showModal.mock.calls[0][0].content).toMatch(/事项和时间不能再修改/)
    const create = calls.find((c) => c.action === 'createVote')!.input
    expect(create).toMatchObject({ communityId: C, title: '物业选聘', scope: 'whole', matters: [{ item: 4, title: '续聘安居物业', description: '' }] })
    // Opening at 08:00 Beijing at least 15 days on; a 15-day window.
    expect(new Date(create.opensAt).getTime() - Date.now()).toBeGreaterThanOrEqual(15 * 86_400_000)
    expect(create.opensAt).toMatch(/T00:00:00\.000Z$/)
    expect(new Date(create.closesAt).getTime() - new Date(create.opensAt).getTime()).toBe(15 * 86_400_000)
    expect(calls.find((c) => c.action === 'announceVote')!.input).toEqual({ communityId: C, voteId: 'new-vote' })
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: `/pages/vote-detail/index?communityId=${C}&voteId=new-vote` })
    expect(beijingDateAt('2026-12-12', 8)).toBe('2026-12-12T00:00:00.000Z')
  })

  it('entering a paper ballot needs a choice per matter and a photo, and says when the voter also voted online', async () => {
    signIn(['committee_chair'])
    __setRouterParams({ communityId: C, voteId: V })
    const voters: ElectorateVoter[] = [
      { voterKey: 'p:tian', kind: 'sole', units: ['1栋1单元101室'], areaCentiM2: 9000, names: ['田志'], online: true, paper: false },
      { voterKey: 'p:li', kind: 'sole', units: ['1栋1单元102室'], areaCentiM2: 8000, names: ['李四'], online: false, paper: false },
    ]
    T.chooseImage.mockResolvedValueOnce({ tempFiles: [{ path: 'blob:x', size: 10, originalFileObj: new File([new Uint8Array([0xff, 0xd8, 0xff])], 'ballot.jpg') }] })
    const calls = mockApi({
      getVote: () => detail('open', { canManage: true }),
      voteProgress: () => progress('open'),
      voteElectorate: () => voters,
      voteConflicts: () => [],
      uploadBallotEvidence: () => ({ evidenceRef: 'votes/c/v/1.jpg#sha256=abc', sha256: 'abc' }),
      enterPaperBallot: () => ({ receiptCode: 'PAPER-00001', conflict: true }),
    })
    render(<VoteManagePage />)
    expect(await screen.findByText('投票情况（已投 1 / 共 2 人）')).toBeTruthy()
    // Pending only by default: 田志 has voted online.
    expect(screen.queryByText('1栋1单元101室')).toBeNull()
    fireEvent.click(screen.getByText('全部'))
    expect(screen.getByText('已线上投票')).toBeTruthy()
    fireEvent.click(screen.getAllByText('录入纸质票或委托书')[0])
    const save = () => screen.getByText(/录入这张纸质票|请选择每个事项并附照片/).closest('button')!
    for (const el of screen.getAllByText('同意')) fireEvent.click(el)
    expect(save().disabled).toBe(true) // no photo yet
    fireEvent.click(screen.getByText('拍摄或选择签字表决票照片'))
    expect(await screen.findByText(/已附照片：ballot.jpg/)).toBeTruthy()
    expect(calls.find((c) => c.action === 'uploadBallotEvidence')!.input).toMatchObject({ communityId: C, voteId: V, fileName: 'ballot.jpg' })
    fireEvent.click(save())
    await flush()
    await flush()
    expect(calls.find((c) => c.action === 'enterPaperBallot')!.input).toEqual({
      communityId: C,
      voteId: V,
      voterKey: 'p:tian',
      kind: 'ballot',
      choices: [{ matterId: 'm1', choice: 'agree' }, { matterId: 'm2', choice: 'agree' }],
      evidenceRef: 'votes/c/v/1.jpg#sha256=abc',
    })
    expect(T.showModal.mock.calls.some(([m]) => /按线上票计入/.test(m.content))).toBe(true)
  })
})

describe('paper ballots, counting, drafts and corrections (issue 8 items 7, 10)', () => {
  it('an owner sees the counting state plainly: 计票中, when the result comes, and that the figures are not final; no ballot form', async () => {
    signIn(['owner'])
    __setRouterParams({ communityId: C, voteId: V })
    mockApi({
      getVote: () => detail('counting', { acceptsPaper: true, countingDays: 3, countingEndsAt: '2026-12-22T00:00:00.000Z' }),
      voteProgress: () => progress('counting'),
      myVote: () => ({ voteId: V, status: 'counting', voters: [multiVoter()] }),
    })
    render(<VoteDetailPage />)
    expect(await screen.findByText(/计票中：投票已于/)).toBeTruthy()
    expect(screen.getAllByText('计票中').length).toBeGreaterThan(0)
    expect(screen.getByText('计票进度（未最终）')).toBeTruthy()
    expect(screen.queryByText('提交表决票')).toBeNull()
    expect(screen.getByText('未投票。')).toBeTruthy()
  })

  it('the co-owner who did not cast sees that the co-owned unit has voted', async () => {
    signIn(['owner'])
    __setRouterParams({ communityId: C, voteId: V })
    const ballot: MyBallot = { receiptCode: 'AB12C-DE34F', channel: 'online', castAt: '2026-12-13T01:00:00.000Z', choices: [], counted: true, castByMe: false }
    mockApi({
      getVote: () => detail('open'),
      voteProgress: () => progress('open'),
      myVote: () => ({ voteId: V, status: 'open', voters: [{ voterKey: 'c:a+b', kind: 'co_owned', units: [{ unitId: 'x', label: '3栋2单元302室', areaCentiM2: 7200 }], areaCentiM2: 7200, ballot }] }),
    })
    render(<VoteDetailPage />)
    expect(await screen.findByText('这套共有房屋已由共有人投票')).toBeTruthy()
    expect(screen.getByText('AB12C-DE34F')).toBeTruthy()
  })

  it('a rough draft is saved with a title alone; a correction of an announced vote needs its reason, asks first, and sends the whole vote with paper settings', async () => {
    signIn(['committee_member'])
    __setRouterParams({ communityId: C })
    const calls = mockApi({
      voteSetup: () => ({ noticeDays: 15, buildings: [] }),
      createVote: () => detail('draft', { id: 'rough' }),
    })
    const first = render(<VoteCreatePage />)
    fireEvent.change(await screen.findByPlaceholderText('例如：续聘物业服务企业'), { target: { value: '加装电梯意向' } })
    fireEvent.click(screen.getByText('保存草稿'))
    await flush()
    expect(calls.find((c) => c.action === 'createVote')!.input).toMatchObject({ title: '加装电梯意向', matters: [], acceptsPaper: false })
    first.unmount()

    __setRouterParams({ communityId: C, voteId: V, mode: 'correct' })
    const fixes = mockApi({
      voteSetup: () => ({ noticeDays: 15, buildings: [] }),
      getVote: () => detail('announced', { acceptsPaper: true, countingDays: 2, opensAt: '2027-03-01T00:00:00.000Z', closesAt: '2027-03-08T00:00:00.000Z' }),
      correctVote: () => detail('announced'),
    })
    render(<VoteCreatePage />)
    fireEvent.click(await screen.findByText('发布更正公告'))
    expect(screen.getByText('请写明更正原因（会写在更正公告里）')).toBeTruthy()
    fireEvent.change(screen.getByPlaceholderText('会写在更正公告里'), { target: { value: '服务期限写错' } })
    fireEvent.click(screen.getByText('发布更正公告'))
    await flush()
    await flush()
    expect(T.showModal.mock.calls.at(-1)![0].content).toMatch(/公告期从今天重新计算/)
    expect(fixes.find((c) => c.action === 'correctVote')!.input).toMatchObject({
      communityId: C,
      voteId: V,
      reason: '服务期限写错',
      title: '2027 年物业选聘',
      acceptsPaper: true,
      countingDays: 2,
      opensAt: '2027-03-01T00:00:00.000Z',
      closesAt: '2027-03-08T00:00:00.000Z',
      matters: [{ item: 4, title: '续聘物业', description: '' }, { item: 7, title: '加装电梯', description: '' }],
    })
  })

  it('in counting the committee finishes counting only after confirming', async () => {
    signIn(['committee_chair'])
    __setRouterParams({ communityId: C, voteId: V })
    const calls = mockApi({
      getVote: () => detail('counting', { canManage: true, acceptsPaper: true, countingDays: 2, countingEndsAt: '2026-12-21T00:00:00.000Z' }),
      voteProgress: () => progress('counting'),
      voteElectorate: () => [],
      voteConflicts: () => [],
      finishCounting: () => detail('closed', { canManage: true }),
    })
    render(<VoteManagePage />)
    fireEvent.click(await screen.findByText('结束计票并公布结果'))
    await flush()
    expect(T.showModal.mock.calls[0][0].content).toMatch(/结束后不能再录入/)
    expect(calls.some((c) => c.action === 'finishCounting')).toBe(true)
  })

  it('a draft is deleted after confirming; an announced vote is cancelled with its reason after confirming', async () => {
    signIn(['committee_chair'])
    __setRouterParams({ communityId: C, voteId: V })
    let status: VoteStatus = 'draft'
    const calls = mockApi({
      getVote: () => detail(status, { canManage: true, missing: [] }),
      voteProgress: () => progress(status),
      voteElectorate: () => [],
      voteConflicts: () => [],
      deleteDraft: () => ({ deleted: true }),
      cancelVote: () => detail('cancelled', { canManage: true }),
    })
    const { unmount } = render(<VoteManagePage />)
    T.showModal.mockResolvedValueOnce({ confirm: false, cancel: true })
    fireEvent.click(await screen.findByText('删除草稿'))
    await flush()
    expect(calls.some((c) => c.action === 'deleteDraft')).toBe(false)
    fireEvent.click(screen.getByText('删除草稿'))
    await flush()
    expect(calls.find((c) => c.action === 'deleteDraft')!.input).toEqual({ communityId: C, voteId: V })
    unmount()

    status = 'announced'
    render(<VoteManagePage />)
    fireEvent.click(await screen.findByText('撤销表决'))
    fireEvent.click(screen.getByText('发布撤销公告'))
    await flush()
    expect(screen.getByText('请写明撤销原因（会写在撤销公告里）')).toBeTruthy()
    fireEvent.change(screen.getByPlaceholderText('会写在撤销公告里'), { target: { value: '合同另议' } })
    fireEvent.click(screen.getByText('发布撤销公告'))
    await flush()
    expect(T.showModal.mock.calls.at(-1)![0].content).toMatch(/撤销后不能恢复/)
    expect(calls.find((c) => c.action === 'cancelVote')!.input).toEqual({ communityId: C, voteId: V, reason: '合同另议' })
  })
})

describe('what a user expects of the vote pages', () => {
  /** A page's config as Taro reads it (definePageConfig is a build-time global). */
  function pageConfig(path: string): Record<string, unknown> {
    const g = globalThis as unknown as { definePageConfig?: (c: object) => object }
    g.definePageConfig = (c) => c
    let config: Record<string, unknown> = {}
    jest.isolateModules(() => {
      config = require(path).default
    })
    return config
  }

  it('every vote page that reloads on pull-down enables the gesture in its config, and the 议事 tab reloads on it', async () => {
    for (const page of ['../../src/pages/votes/index.config', '../../src/pages/vote-detail/index.config', '../../src/packages/committee/pages/vote-manage/index.config']) {
      expect({ page, enablePullDownRefresh: pageConfig(page).enablePullDownRefresh }).toEqual({ page, enablePullDownRefresh: true })
    }
    signIn(['owner'])
    let n = 0
    const calls = mockApi({ listVotes: () => [summary(`v${++n}`, 'open')] })
    render(<VotesPage />)
    await screen.findByText(/^表决v\d$/)
    const before = calls.filter((c) => c.action === 'listVotes').length
    __pullDown()
    await flush()
    await flush()
    expect(calls.filter((c) => c.action === 'listVotes').length).toBe(before + 1)
    expect(Taro.stopPullDownRefresh).toHaveBeenCalled()
  })

  it('the ballot confirmation ends each matter with punctuation, so it reads right where line breaks are dropped', async () => {
    signIn(['owner'])
    __setRouterParams({ communityId: C, voteId: V })
    mockApi({ getVote: () => detail('open'), voteProgress: () => progress('open'), myVote: () => ({ voteId: V, status: 'open', voters: [multiVoter()] }) })
    render(<VoteDetailPage />)
    await screen.findByText('2027 年物业选聘')
    const chips = (label: string) => screen.getAllByText(label).filter((e) => e.className.includes('vote-detail__chip'))
    fireEvent.click(chips('同意')[0])
    fireEvent.click(chips('反对')[1])
    T.showModal.mockResolvedValueOnce({ confirm: false, cancel: true })
    fireEvent.click(screen.getByText('提交表决票'))
    await flush()
    const content: string = T.showModal.mock.calls[0][0].content
    expect(content.replace(/\s+/g, ' ')).toContain('1. 续聘物业：同意； 2. 加装电梯：反对。 这张票计入 3 套房屋')
  })

  it('a failed refresh keeps the figures and says so; a vote that cannot be found offers the way back to 议事', async () => {
    signIn(['owner'])
    __setRouterParams({ communityId: C, voteId: V })
    let down = false
    mockApi({
      getVote: () => (down ? new Fail('Unavailable', '网络不通，请稍后再试') : detail('open')),
      voteProgress: () => progress('open'),
      myVote: () => ({ voteId: V, status: 'open', voters: [multiVoter()] }),
    })
    const { unmount } = render(<VoteDetailPage />)
    await screen.findByText('2027 年物业选聘')
    down = true
    __pullDown()
    expect(await screen.findByText('没能刷新：网络不通，请稍后再试')).toBeTruthy()
    expect(screen.getByText('2027 年物业选聘')).toBeTruthy()
    unmount()

    mockApi({ getVote: () => new Fail('NotFound', '找不到这次表决'), voteProgress: () => progress('open'), myVote: () => ({ voteId: V, status: 'open', voters: [] }) })
    render(<VoteDetailPage />)
    expect(await screen.findByText('找不到这次表决')).toBeTruthy()
    fireEvent.click(screen.getByText('返回议事'))
    expect(Taro.switchTab).toHaveBeenCalledWith({ url: '/pages/votes/index' })
  })

  it('the committee\'s turnout list of a large 小区 shows a page of voters at a time: more with the button or at the bottom, from the top again after a search', async () => {
    signIn(['committee_chair'])
    __setRouterParams({ communityId: C, voteId: V })
    const voters = Array.from({ length: 100 }, (_, i): ElectorateVoter => ({ voterKey: `p:${i}`, kind: 'sole', units: [`9栋1单元${String(i + 100)}室`], areaCentiM2: 9000, names: [`业主${i}`], online: false, paper: false }))
    mockApi({ getVote: () => detail('open', { canManage: true }), voteProgress: () => progress('open'), voteElectorate: () => voters, voteConflicts: () => [] })
    render(<VoteManagePage />)
    expect(await screen.findByText('投票情况（已投 0 / 共 100 人）')).toBeTruthy()
    const rows = () => screen.queryAllByText(/^9栋1单元\d+室$/).length
    expect(rows()).toBe(VOTERS_PAGE)
    fireEvent.click(screen.getByText(`再显示 ${VOTERS_PAGE} 户（还有 ${100 - VOTERS_PAGE} 户）`))
    expect(rows()).toBe(2 * VOTERS_PAGE)
    act(() => __reachBottom())
    expect(rows()).toBe(3 * VOTERS_PAGE)
    act(() => __reachBottom())
    expect(rows()).toBe(100)
    expect(screen.queryByText(/再显示/)).toBeNull()
    fireEvent.change(screen.getByPlaceholderText('按房号或姓名查找'), { target: { value: '9栋1单元1' } })
    expect(rows()).toBe(VOTERS_PAGE)
    expect(screen.getByText(/再显示 \d+ 户（还有 \d+ 户）/)).toBeTruthy()
  })

  it('removing a matter that has text typed in asks first', async () => {
    signIn(['committee_member'])
    __setRouterParams({ communityId: C })
    mockApi({ voteSetup: () => ({ noticeDays: 15, buildings: [] }) })
    render(<VoteCreatePage />)
    await screen.findByText(/表决须在公告发布 15 天后开始/)
    fireEvent.click(screen.getByText('增加一个事项'))
    fireEvent.change(screen.getAllByPlaceholderText('例如：续聘安居物业，服务期三年')[1], { target: { value: '加装电梯' } })
    T.showModal.mockResolvedValueOnce({ confirm: false, cancel: true })
    fireEvent.click(screen.getAllByText('删除')[1])
    await flush()
    expect(T.showModal.mock.calls[0][0].content).toMatch(/已填写的内容会一并删除/)
    expect(screen.getByText('事项 2')).toBeTruthy()
    fireEvent.click(screen.getAllByText('删除')[1])
    await flush()
    await flush()
    expect(screen.queryByText('事项 2')).toBeNull()
    // An empty matter goes without asking.
    T.showModal.mockClear()
    fireEvent.click(screen.getByText('增加一个事项'))
    fireEvent.click(screen.getAllByText('删除')[1])
    await flush()
    expect(T.showModal).not.toHaveBeenCalled()
    expect(screen.queryByText('事项 2')).toBeNull()
  })

  it('the manage page of a vote not yet open says what will be there and when', async () => {
    signIn(['committee_chair'])
    __setRouterParams({ communityId: C, voteId: V })
    mockApi({ getVote: () => detail('announced', { canManage: true }), voteProgress: () => ({ ...progress('announced'), matters: [] }), voteElectorate: () => [], voteConflicts: () => [] })
    const { unmount } = render(<VoteManagePage />)
    expect(await screen.findByText(/开始投票后，这里会显示每户是否已投票，并可录入纸质表决票/)).toBeTruthy()
    unmount()
    mockApi({ getVote: () => detail('draft', { canManage: true }), voteProgress: () => ({ ...progress('draft'), matters: [] }), voteElectorate: () => [], voteConflicts: () => [] })
    render(<VoteManagePage />)
    expect(await screen.findByText(/这是草稿，业主还看不到/)).toBeTruthy()
    expect(screen.getByText('发布表决公告')).toBeTruthy()
  })
})
