import { act, fireEvent, render, screen } from '@testing-library/react'
import Taro from '@tarojs/taro'
import { __reset } from './mocks/taro'
import LoginPage from '../../src/pages/login/index'
import { getToken } from '../../src/services/token'
import { useSessionStore } from '../../src/stores/session'
import { Fail, mockApi } from './api'

const PERSONAS = [
  { key: 'owner-new', label: '韩晨梅（业主）', description: '滨江花园 1栋1单元101 业主，尚未绑定房屋' },
  { key: 'committee', label: '王主任（业委会主任）', description: '滨江花园业主委员会主任' },
]
const ME = { userId: 'u1', nickname: '韩晨梅', communities: [], units: [], bindings: [] }

beforeEach(() => {
  __reset()
  process.env.TARO_ENV = 'h5'
  useSessionStore.setState({ token: null, me: null, communityId: null, status: 'idle', error: null })
})

describe('login page (browser / demo)', () => {
  it('lists the demo personas from demoPersonas', async () => {
    mockApi({ demoPersonas: () => PERSONAS })
    render(<LoginPage />)
    expect(await screen.findByText('韩晨梅（业主）')).toBeTruthy()
    expect(screen.getByText('王主任（业委会主任）')).toBeTruthy()
    expect(screen.getByText('滨江花园业主委员会主任')).toBeTruthy()
    expect(screen.queryByText('微信登录')).toBeNull()
  })

  it('tapping a persona calls demoLogin with its key, stores the token, loads me and opens the 公告 tab', async () => {
    const calls = mockApi({
      demoPersonas: () => PERSONAS,
      demoLogin: (input) => (input.persona === 'committee' ? { token: 'tok-committee', expiresAt: '2030-01-01T00:00:00Z' } : new Fail('NotFound', '没有这个演示身份')),
      me: (_i, auth) => (auth === 'Bearer tok-committee' ? { ...ME, nickname: '王主任' } : new Fail('Unauthenticated', '请先登录')),
    })
    render(<LoginPage />)
    fireEvent.click(await screen.findByText('王主任（业委会主任）'))
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0))
    })
    expect(calls.find((c) => c.action === 'demoLogin')?.input).toEqual({ persona: 'committee' })
    expect(getToken()).toBe('tok-committee')
    expect(useSessionStore.getState().me?.nickname).toBe('王主任')
    expect(Taro.switchTab).toHaveBeenCalledWith({ url: '/pages/notices/index' })
  })

  it('shows the server message when demo login fails, and stays on the page', async () => {
    mockApi({ demoPersonas: () => PERSONAS, demoLogin: () => new Fail('DemoDisabled', '演示登录未开启') })
    render(<LoginPage />)
    fireEvent.click(await screen.findByText('韩晨梅（业主）'))
    expect(await screen.findByText('演示登录未开启')).toBeTruthy()
    expect(Taro.switchTab).not.toHaveBeenCalled()
    expect(getToken()).toBeNull()
  })

  it('says plainly that demo mode is off when the server offers no personas', async () => {
    mockApi({ demoPersonas: () => [] })
    render(<LoginPage />)
    expect(await screen.findByText('演示登录未开启')).toBeTruthy()
    expect(screen.getByText(/DEMO=1/)).toBeTruthy()
  })

  it('shows an error with 重试 when the server cannot be reached, and retries', async () => {
    ;(Taro.request as jest.Mock).mockRejectedValueOnce(new Error('fail'))
    render(<LoginPage />)
    expect(await screen.findByText(/网络连接失败/)).toBeTruthy()
    mockApi({ demoPersonas: () => PERSONAS })
    fireEvent.click(screen.getByText('重试'))
    expect(await screen.findByText('韩晨梅（业主）')).toBeTruthy()
  })
})

describe('login page (mini-program)', () => {
  it('one tap on 微信登录 sends the wx.login code to login and stores the token', async () => {
    process.env.TARO_ENV = 'weapp'
    ;(Taro.login as jest.Mock).mockResolvedValue({ code: 'code-123' })
    const calls = mockApi({
      demoPersonas: () => [],
      login: (input) => (input.code === 'code-123' ? { token: 'wx-token', expiresAt: '2030-01-01T00:00:00Z' } : new Fail('BadInput', 'bad')),
      me: () => ME,
    })
    render(<LoginPage />)
    fireEvent.click(screen.getByText('微信登录'))
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0))
    })
    expect(calls.map((c) => c.action)).toEqual(['demoPersonas', 'login', 'me'])
    expect(getToken()).toBe('wx-token')
    expect(Taro.switchTab).toHaveBeenCalledWith({ url: '/pages/notices/index' })
    // No demo list in the mini-program when the server has none.
    expect(screen.queryByText('演示登录未开启')).toBeNull()
  })
})
