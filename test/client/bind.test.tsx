import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import { __reset } from './mocks/taro'
import BindPage from '../../src/pages/bind/index'
import { setToken } from '../../src/services/token'
import { useSessionStore } from '../../src/stores/session'
import { Fail, mockApi } from './api'
import type { Me } from '../../src/contracts/identity'

const DIRECTORY = [
  { id: 'c-bj', name: '滨江花园', officeName: '东阳社区居委会', governance: 'committee' as const },
  { id: 'c-wq', name: '文清苑', officeName: '东阳社区居委会', governance: 'pmc' as const },
]
const TREE = {
  buildings: [
    { name: '1栋', stairs: [{ name: '1单元', rooms: ['101', '102'] }, { name: '2单元', rooms: ['201'] }] },
    { name: '2栋', stairs: [{ name: '1单元', rooms: ['101'] }] },
  ],
}
const ME: Me = { userId: 'u1', nickname: '韩晨梅', communities: [], units: [], bindings: [] }

beforeEach(() => {
  __reset()
  process.env.TARO_ENV = 'h5'
  setToken('tok')
  useSessionStore.setState({ token: 'tok', me: ME, communityId: null, status: 'ready', error: null })
})

async function pickUnit() {
  fireEvent.click(await screen.findByText('滨江花园'))
  fireEvent.click(await screen.findByText('1栋'))
  fireEvent.click(await screen.findByText('2单元'))
  fireEvent.click(await screen.findByText('201'))
  expect(screen.getByText('已选：1栋2单元201室')).toBeTruthy()
}

describe('bind page', () => {
  it('finds the 小区, picks building → stair → room from unitTree, submits bindUnit and shows the outcome', async () => {
    const calls = mockApi({
      communityDirectory: (input) => DIRECTORY.filter((c) => c.name.includes(input.query ?? '')),
      unitTree: (input) => (input.communityId === 'c-bj' ? TREE : new Fail('NotFound', '没有这个小区')),
      bindUnit: () => ({ bindingId: 'b1', status: 'pending', message: '信息与名册不一致，已交业委会审核，审核结果会在“我的”中显示。' }),
      me: () => ME,
    })
    render(<BindPage />)
    await pickUnit()
    fireEvent.change(screen.getByPlaceholderText('例如：张三'), { target: { value: ' 韩晨梅 ' } })
    fireEvent.change(screen.getByPlaceholderText('11 位手机号'), { target: { value: '139 0000 1111' } })
    fireEvent.click(screen.getByText('提交绑定'))

    expect(await screen.findByText('已提交，等待业委会审核')).toBeTruthy()
    expect(screen.getByText('信息与名册不一致，已交业委会审核，审核结果会在“我的”中显示。')).toBeTruthy()
    // The shared valibot contract trimmed the name and normalised the phone before sending.
    expect(calls.find((c) => c.action === 'bindUnit')?.input).toEqual({
      communityId: 'c-bj',
      building: '1栋',
      stair: '2单元',
      room: '201',
      name: '韩晨梅',
      phone: '13900001111',
    })
    expect(calls.find((c) => c.action === 'unitTree')?.input).toEqual({ communityId: 'c-bj' })
  })

  it('binds with the ID last 4 instead of the phone and says 绑定成功 on an exact match', async () => {
    const calls = mockApi({
      communityDirectory: () => DIRECTORY,
      unitTree: () => TREE,
      bindUnit: () => ({ bindingId: 'b2', status: 'approved', message: '与名册一致，已绑定。' }),
      me: () => ME,
    })
    render(<BindPage />)
    await pickUnit()
    fireEvent.change(screen.getByPlaceholderText('例如：张三'), { target: { value: '韩晨梅' } })
    fireEvent.click(screen.getByText('身份证后四位'))
    fireEvent.change(screen.getByPlaceholderText('例如：123X'), { target: { value: '123x' } })
    fireEvent.click(screen.getByText('提交绑定'))
    expect(await screen.findByText('绑定成功')).toBeTruthy()
    expect(calls.find((c) => c.action === 'bindUnit')?.input).toMatchObject({ idLast4: '123X' })
    expect(calls.find((c) => c.action === 'bindUnit')?.input.phone).toBeUndefined()
  })

  it('refuses a malformed phone on the phone itself, with the contract message, without calling the server', async () => {
    const calls = mockApi({ communityDirectory: () => DIRECTORY, unitTree: () => TREE })
    render(<BindPage />)
    await pickUnit()
    fireEvent.change(screen.getByPlaceholderText('例如：张三'), { target: { value: '韩晨梅' } })
    fireEvent.change(screen.getByPlaceholderText('11 位手机号'), { target: { value: '12345' } })
    fireEvent.click(screen.getByText('提交绑定'))
    expect(await screen.findByText('手机号应为 11 位数字')).toBeTruthy()
    expect(calls.some((c) => c.action === 'bindUnit')).toBe(false)
  })

  it('shows the server refusal in Chinese and keeps the form', async () => {
    mockApi({
      communityDirectory: () => DIRECTORY,
      unitTree: () => TREE,
      bindUnit: () => new Fail('Conflict', '您已提交过这套房屋的绑定申请，请等待审核'),
    })
    render(<BindPage />)
    await pickUnit()
    fireEvent.change(screen.getByPlaceholderText('例如：张三'), { target: { value: '韩晨梅' } })
    fireEvent.change(screen.getByPlaceholderText('11 位手机号'), { target: { value: '13900001111' } })
    fireEvent.click(screen.getByText('提交绑定'))
    expect(await screen.findByText('您已提交过这套房屋的绑定申请，请等待审核')).toBeTruthy()
    expect(screen.getByText('提交绑定')).toBeTruthy()
  })

  it('a tenant joins with the code: shows the 小区 and unit acceptTenancy answers, and makes that 小区 the current one', async () => {
    // An owner in 文清苑 who now rents a flat in 滨江花园 as well.
    const before: Me = { ...ME, communities: [{ id: 'c-wq', name: '文清苑', isOld: true, governance: 'committee', roles: ['owner'] }] }
    const after: Me = { ...before, communities: [...before.communities, { id: 'c-bj', name: '滨江花园', isOld: false, governance: 'committee', roles: ['tenant'] }] }
    useSessionStore.setState({ me: before, communityId: 'c-wq' })
    const calls = mockApi({
      communityDirectory: () => DIRECTORY,
      // What the server answers (server/rosters/tenancy.service.ts): the tenancy, now active.
      acceptTenancy: (input) => ({
        id: 't1',
        communityId: 'c-bj',
        unitId: 'u-102',
        unitLabel: '1栋1单元102室',
        code: input.code,
        status: 'active',
        tenantName: '韩晨梅',
        createdAt: '2026-11-26T02:00:00.000Z',
        expiresAt: null,
        expired: false,
      }),
      me: () => after,
    })
    render(<BindPage />)
    fireEvent.click(screen.getByText('我是租户'))
    fireEvent.change(screen.getByPlaceholderText('8 位邀请码'), { target: { value: ' abcd2345 ' } })
    fireEvent.click(screen.getByText('确认加入'))
    expect(await screen.findByText('已加入')).toBeTruthy()
    expect(calls.find((c) => c.action === 'acceptTenancy')?.input).toEqual({ code: 'ABCD2345' })
    expect(await screen.findByText('滨江花园 1栋1单元102室')).toBeTruthy()
    // The tabs now show the 小区 just joined, not the one shown before.
    await waitFor(() => expect(useSessionStore.getState().communityId).toBe('c-bj'))
  })

  it('searches the directory with the typed name and says so when nothing matches', async () => {
    const calls = mockApi({ communityDirectory: (input) => DIRECTORY.filter((c) => c.name.includes(input.query ?? '')) })
    render(<BindPage />)
    await screen.findByText('文清苑')
    fireEvent.change(screen.getByPlaceholderText('输入小区名称，如：滨江'), { target: { value: '不存在' } })
    fireEvent.click(screen.getByText('搜索'))
    expect(await screen.findByText('没有找到小区')).toBeTruthy()
    await waitFor(() => expect(calls.map((c) => c.input.query)).toEqual(['', '不存在']))
  })
})
