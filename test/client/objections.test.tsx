import { act, fireEvent, render, screen } from '@testing-library/react'
import Taro from '@tarojs/taro'
import { __reset } from './mocks/taro'
import { Fail, mockApi } from './api'
import type { MyElectorate, ObjectionForCommittee } from '../../src/contracts/objections'
import type { RosterDuplicatePair } from '../../src/contracts/roster-duplicates'
import { setToken } from '../../src/services/token'
import { useSessionStore } from '../../src/stores/session'
import { MyElectorateCard } from '../../src/pages/vote-detail/my-electorate'
import { ObjectionsCard } from '../../src/packages/committee/pages/vote-manage/objections'
import { DuplicatePairs, DuplicateWarnings } from '../../src/packages/committee/pages/roster-import/duplicates'

const T = Taro as unknown as Record<string, jest.Mock>
const C = 'c-bj'
const REF = { communityId: C, voteId: 'v1' }
function signIn(roles: string[]) {
  useSessionStore.setState({ token: 'tok', me: { userId: 'u1', nickname: '田志', communities: [{ id: C, name: '滨江花园', roles }], units: [], bindings: [] } as any, communityId: C, status: 'ready', error: null })
  setToken('tok')
}
const flush = () => act(async () => {
  await new Promise((r) => setTimeout(r, 0))
})

beforeEach(() => {
  __reset()
  process.env.TARO_ENV = 'h5'
})

const entry = (over: Partial<MyElectorate> = {}): MyElectorate => ({
  voteId: 'v1',
  status: 'announced',
  basis: 'forecast',
  voters: [
    { kind: 'co_owned', units: [{ label: '1栋1单元201室', areaCentiM2: 8956 }], areaCentiM2: 8956, headcount: 1, howCounted: '与他人共有，共有人合计为一票：人数计 1 人。' },
    { kind: 'sole', units: [{ label: '2栋1单元201室', areaCentiM2: 9000 }], areaCentiM2: 9000, headcount: 1, howCounted: '您单独所有这套房屋：面积计入，人数计 1 人。' },
  ],
  note: '您单独所有的房屋与您和他人共有的房屋，按法律是两个不同的买受人：各计 1 人，各投一票。',
  totals: { units: 8, areaCentiM2: 75824, headcount: 7 },
  objections: [],
  canObject: true,
  objectionNote: '开始投票（2026年12月12日 10:00，北京时间）之前可以提出异议，业委会会答复。',
  ...over,
})

describe('我的表决权 on the owner’s vote page', () => {
  it('shows the owner’s units, area and how counted, and sends an objection after asking', async () => {
    signIn(['owner'])
    let raised = false
    const calls = mockApi({
      myElectorate: () =>
        raised ? entry({ objections: [{ id: 'o1', text: '2栋201室面积应为 90.12', raisedAt: '2026-11-27T02:00:00.000Z', answer: null, answeredAt: null }] }) : entry(),
      raiseObjection: (input) => {
        raised = true
        return { id: 'o1', text: input.text, raisedAt: '2026-11-27T02:00:00.000Z', answer: null, answeredAt: null }
      },
    })
    render(<MyElectorateCard ref_={REF} />)
    expect(await screen.findByText('我的表决权')).toBeTruthy()
    expect(screen.getByText('与他人共有：1栋1单元201室（89.56 平方米）')).toBeTruthy()
    expect(screen.getByText('本人单独所有：2栋1单元201室（90.00 平方米）')).toBeTruthy()
    expect(screen.getByText(/两个不同的买受人/)).toBeTruthy()
    expect(screen.getByText('全体：专有部分 8 套，总面积 758.24 平方米，业主 7 人。')).toBeTruthy()
    // Empty: said beside the box, nothing sent.
    fireEvent.click(screen.getByText('提交异议'))
    expect(await screen.findByText('请写下您的异议')).toBeTruthy()
    fireEvent.input(document.querySelector('textarea')!, { target: { value: '2栋201室面积应为 90.12' }, detail: { value: '2栋201室面积应为 90.12' } })
    fireEvent.click(screen.getByText('提交异议'))
    await flush()
    await flush()
    expect(T.showModal).toHaveBeenCalled()
    expect(calls.find((c) => c.action === 'raiseObjection')?.input).toMatchObject({ ...REF, text: '2栋201室面积应为 90.12' })
    expect(await screen.findByText('等待业委会答复')).toBeTruthy()
  })

  it('after opening there is no form: the frozen entry, the answer and why no more objections', async () => {
    signIn(['owner'])
    mockApi({
      myElectorate: () =>
        entry({
          basis: 'frozen',
          canObject: false,
          objectionNote: '投票已经开始，业主名单已经冻结，不能再提出异议；如有问题请直接联系业委会。',
          objections: [{ id: 'o1', text: '面积不对', raisedAt: '2026-11-27T02:00:00.000Z', answer: '已核对，登记无误', answeredAt: '2026-11-28T02:00:00.000Z' }],
        }),
    })
    render(<MyElectorateCard ref_={REF} />)
    expect(await screen.findByText(/开始投票时已按业主名册冻结/)).toBeTruthy()
    expect(screen.getByText(/业委会答复（.*）：已核对，登记无误/)).toBeTruthy()
    expect(screen.getByText(/不能再提出异议/)).toBeTruthy()
    expect(screen.queryByText('提交异议')).toBeNull()
  })
})

describe('业主异议 on the committee’s vote page', () => {
  const objection = (over: Partial<ObjectionForCommittee> = {}): ObjectionForCommittee => ({
    id: 'o1', text: '面积不对', raisedAt: '2026-11-27T02:00:00.000Z', answer: null, answeredAt: null, raisedByName: '郭杰华', units: ['1栋1单元101室'], answeredByName: null, ...over,
  })
  it('lists objections with who and which units, and answers one after asking', async () => {
    signIn(['committee_chair'])
    let answered = false
    const calls = mockApi({
      voteObjections: () => (answered ? [objection({ answer: '已核对', answeredAt: '2026-11-28T02:00:00.000Z', answeredByName: 'chair' })] : [objection()]),
      answerObjection: (input) => {
        answered = true
        return objection({ answer: input.answer, answeredAt: '2026-11-28T02:00:00.000Z', answeredByName: 'chair' })
      },
    })
    render(<ObjectionsCard ref_={REF} />)
    expect(await screen.findByText('业主异议（1 条待答复）')).toBeTruthy()
    expect(screen.getByText(/郭杰华（1栋1单元101室）/)).toBeTruthy()
    fireEvent.input(document.querySelector('textarea')!, { target: { value: '已核对' }, detail: { value: '已核对' } })
    fireEvent.click(screen.getByText('提交答复'))
    expect(await screen.findByText('业主异议（均已答复）')).toBeTruthy()
    expect(calls.find((c) => c.action === 'answerObjection')?.input).toMatchObject({ ...REF, objectionId: 'o1', answer: '已核对' })
    expect(screen.queryByText('提交答复')).toBeNull()
  })

  it('shows nothing when there are no objections', async () => {
    signIn(['committee_chair'])
    const calls = mockApi({ voteObjections: () => [] })
    const { container } = render(<ObjectionsCard ref_={REF} />)
    await flush()
    expect(calls.map((c) => c.action)).toEqual(['voteObjections'])
    expect(container.textContent).toBe('')
  })
})

describe('same-name owners on the roster import page', () => {
  const pair = (over: Partial<RosterDuplicatePair> = {}): RosterDuplicatePair => ({
    name: '王芳',
    a: { personId: 'p1', name: '王芳', phone: '139****0005', hasIdDigits: false, bound: false, units: ['2栋1单元101室'] },
    b: { personId: 'p2', name: '王芳', phone: '139****0006', hasIdDigits: true, bound: false, units: ['2栋1单元102室'] },
    automatic: null,
    decision: null,
    decidedAt: null,
    countedAsOne: false,
    message: '联系方式不同，投票时算作两位业主（计 2 人）。如果是同一个人，请选“同一人，合并”。',
    ...over,
  })

  it('the preview says which rows share a name', () => {
    render(<DuplicateWarnings warnings={[{ name: '王芳', linesA: [6], linesB: [7], countedAsOne: false, message: '第 6 行与第 7 行：业主姓名都是“王芳”，但电话不同。' }]} />)
    expect(screen.getByText('有 1 处同名业主，联系方式不同')).toBeTruthy()
    expect(screen.getByText('第 6 行与第 7 行：业主姓名都是“王芳”，但电话不同。')).toBeTruthy()
  })

  it('the committee merges a pair after confirming; a refusal is shown', async () => {
    signIn(['committee_chair'])
    let decided: RosterDuplicatePair | null = null
    const calls = mockApi({
      listRosterDuplicates: () => [decided ?? pair()],
      decideRosterDuplicate: (input) => {
        if (input.decision === 'apart') return new Fail('Conflict', '两处“王芳”已绑定同一个微信账号，只能算作同一位业主，不能分开。')
        decided = pair({ decision: 'merge', countedAsOne: true, message: '已确认是同一人：投票时算作同一位业主（计 1 人）。' })
        return decided
      },
    })
    render(<DuplicatePairs communityId={C} />)
    expect(await screen.findByText('同名业主（1 处待确认）')).toBeTruthy()
    expect(screen.getByText('2栋1单元101室 · 139****0005 · 没有身份证后四位')).toBeTruthy()
    fireEvent.click(screen.getByText('不同的人，分开'))
    expect(await screen.findByText(/同一个微信账号/)).toBeTruthy()
    fireEvent.click(screen.getByText('同一人，合并'))
    expect(await screen.findByText('同名业主（均已确认）')).toBeTruthy()
    expect(screen.getByText('已确认是同一人：投票时算作同一位业主（计 1 人）。')).toBeTruthy()
    expect(calls.filter((c) => c.action === 'decideRosterDuplicate').map((c) => c.input)).toEqual([
      { communityId: C, personA: 'p1', personB: 'p2', decision: 'apart' },
      { communityId: C, personA: 'p1', personB: 'p2', decision: 'merge' },
    ])
    expect(T.showModal).toHaveBeenCalledTimes(2)
  })
})
