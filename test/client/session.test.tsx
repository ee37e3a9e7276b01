import { render, screen } from '@testing-library/react'
import Taro from '@tarojs/taro'
import { __reset } from './mocks/taro'
import TenantsPage from '../../src/packages/owner/pages/tenants/index'
import { setToken } from '../../src/services/token'
import { useSessionStore } from '../../src/stores/session'
import { Fail, mockApi, OWNER_ME } from './api'
import type { Tenancy } from '../../src/contracts/rosters'

const ACTIVE: Tenancy = { id: 't1', communityId: 'c-bj', unitId: 'u-102', unitLabel: '1栋1单元102室', code: 'QRST2345', status: 'active', tenantName: '小周', createdAt: '2026-10-01T02:00:00.000Z', expiresAt: null, expired: false }

beforeEach(() => {
  __reset()
  process.env.TARO_ENV = 'weapp'
})

afterAll(() => {
  process.env.TARO_ENV = 'h5'
})

describe('session store across a silent WeChat re-login (mini-program over HTTPS)', () => {
  it('a page whose call found the session expired still shows its content once WeChat has signed the person in again', async () => {
    setToken('old')
    useSessionStore.setState({ token: 'old', me: OWNER_ME, communityId: 'c-bj', status: 'ready', error: null })
    ;(Taro.login as jest.Mock).mockResolvedValue({ code: 'fresh-code' })
    const calls = mockApi({
      me: (_i, auth) => (auth === 'Bearer new' ? OWNER_ME : new Fail('SessionExpired', '登录已过期，请重新登录')),
      login: () => ({ token: 'new', expiresAt: '2030-01-01T00:00:00.000Z' }),
      listTenancies: (_i, auth) => (auth === 'Bearer new' ? [ACTIVE] : new Fail('SessionExpired', '登录已过期，请重新登录')),
    })
    render(<TenantsPage />)
    // The expired token was cleared (and `me` with it) before the re-login; the store reads `me` again.
    expect(await screen.findByText('小周')).toBeTruthy()
    expect(screen.getByText('1栋1单元102室')).toBeTruthy()
    expect(useSessionStore.getState()).toMatchObject({ token: 'new', status: 'ready', me: { nickname: '邓雨英' } })
    expect(calls.filter((c) => c.action === 'login')).toHaveLength(1)
  })
})
