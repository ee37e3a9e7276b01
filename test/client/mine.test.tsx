import { act, fireEvent, render, screen } from '@testing-library/react'
import Taro from '@tarojs/taro'
import { __reset } from './mocks/taro'
import MinePage from '../../src/pages/mine/index'
import { getToken, setToken } from '../../src/services/token'
import { useSessionStore } from '../../src/stores/session'
import { Fail, mockApi } from './api'
import type { Me } from '../../src/contracts/identity'

const ME: Me = {
  userId: 'u1',
  nickname: '王主任',
  communities: [
    { id: 'c-bj', name: '滨江花园', isOld: false, governance: 'committee', roles: ['owner', 'committee_chair'] },
    { id: 'c-wq', name: '文清苑', isOld: true, governance: 'committee', roles: ['tenant'] },
  ],
  units: [
    { unitId: 'u-1', communityId: 'c-bj', label: '1栋1单元101室', areaCentiM2: 8956, relation: 'owner' },
    { unitId: 'u-2', communityId: 'c-wq', label: '3栋2单元302室', areaCentiM2: 10000, relation: 'tenant' },
  ],
  bindings: [
    { id: 'b1', communityId: 'c-bj', communityName: '滨江花园', governance: 'committee', unitLabel: '1栋1单元101室', status: 'approved', reason: null, createdAt: '2025-03-01T02:00:00.000Z' },
    { id: 'b2', communityId: 'c-bj', communityName: '滨江花园', governance: 'committee', unitLabel: '2栋1单元201室', status: 'rejected', reason: '姓名与名册不符', createdAt: '2025-03-02T02:00:00.000Z' },
    { id: 'b3', communityId: 'c-bj', communityName: '滨江花园', governance: 'committee', unitLabel: '2栋1单元202室', status: 'pending', reason: null, createdAt: '2025-03-03T17:00:00.000Z' },
  ],
}

beforeEach(() => {
  __reset()
  process.env.TARO_ENV = 'h5'
  setToken('tok')
  useSessionStore.setState({ token: 'tok', me: null, communityId: null, status: 'idle', error: null })
})

describe('我的 page', () => {
  it('shows my 小区 with roles in Chinese, my units and my binding requests with their status and reason', async () => {
    mockApi({ me: () => ME })
    render(<MinePage />)
    expect(await screen.findByText('王主任')).toBeTruthy()
    expect(screen.getByText('身份：业主、业委会主任')).toBeTruthy()
    expect(screen.getByText('身份：租户')).toBeTruthy()
    expect(screen.getAllByText('1栋1单元101室')).toHaveLength(2) // a unit and a binding request
    expect(screen.getByText('滨江花园 · 89.56 平方米')).toBeTruthy()
    expect(screen.getByText('已通过')).toBeTruthy()
    expect(screen.getByText('未通过')).toBeTruthy()
    expect(screen.getByText('说明：姓名与名册不符')).toBeTruthy()
    expect(screen.getByText('待审核')).toBeTruthy()
    // 17:00 UTC on 3 March is 1:00 on 4 March in Beijing.
    expect(screen.getByText('滨江花园 · 2025年3月4日 提交')).toBeTruthy()
  })

  it('offers the committee tools only in the 小区 where I hold a managing role, and 邀请租户 to an owner', async () => {
    mockApi({ me: () => ME })
    render(<MinePage />)
    await screen.findByText('王主任')
    expect(screen.getAllByText('业委会工作台')).toHaveLength(1)
    fireEvent.click(screen.getByText('导入名册'))
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/committee/pages/roster-import/index?communityId=c-bj' })
    fireEvent.click(screen.getByText('邀请租户'))
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/owner/pages/tenants/index' })
    fireEvent.click(screen.getByText('绑定房屋'))
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/bind/index' })
    expect(screen.queryByText('社区工作台')).toBeNull()
  })

  it('shows neither committee tools nor 邀请租户 to a tenant, and 社区工作台 to an officer', async () => {
    mockApi({
      me: () => ({
        ...ME,
        communities: [
          { id: 'c-bj', name: '滨江花园', isOld: false, governance: 'committee', roles: ['tenant'] },
          { id: 'c-wq', name: '文清苑', isOld: true, governance: 'committee', roles: ['community_officer'] },
        ],
        units: [ME.units[1]],
      }),
    })
    render(<MinePage />)
    await screen.findByText('王主任')
    expect(screen.queryByText('邀请租户')).toBeNull()
    expect(screen.getAllByText('业委会工作台')).toHaveLength(1) // the officer's 小区 only
    fireEvent.click(screen.getByText('社区工作台'))
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/officer/pages/overview/index' })
  })

  it('asks before signing out; cancelling keeps the session', async () => {
    const calls = mockApi({ me: () => ME, logout: () => ({ loggedOut: true }) })
    ;(Taro.showModal as jest.Mock).mockResolvedValueOnce({ confirm: false, cancel: true })
    render(<MinePage />)
    fireEvent.click(await screen.findByText('退出登录'))
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0))
    })
    expect(Taro.showModal).toHaveBeenCalledTimes(1)
    expect(calls.some((c) => c.action === 'logout')).toBe(false)
    expect(getToken()).toBe('tok')
  })

  it('signs out after confirmation: logout on the server, token gone, back to the login page', async () => {
    const calls = mockApi({ me: () => ME, logout: () => ({ loggedOut: true }) })
    render(<MinePage />)
    fireEvent.click(await screen.findByText('退出登录'))
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0))
    })
    expect(calls.some((c) => c.action === 'logout')).toBe(true)
    expect(getToken()).toBeNull()
    expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' })
  })

  it('shows the error with a retry when me fails', async () => {
    let fail = true
    mockApi({ me: () => (fail ? new Fail('Internal', '服务器出错了，请稍后再试') : ME) })
    render(<MinePage />)
    expect(await screen.findByText('服务器出错了，请稍后再试')).toBeTruthy()
    fail = false
    fireEvent.click(screen.getByText('重试'))
    expect(await screen.findByText('王主任')).toBeTruthy()
  })
})
