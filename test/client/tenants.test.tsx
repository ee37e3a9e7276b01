import { act, fireEvent, render, screen, waitFor } from '@testing-library/react'
import Taro from '@tarojs/taro'
import { __pullDown, __reset } from './mocks/taro'
import TenantsPage from '../../src/packages/owner/pages/tenants/index'
import { setToken } from '../../src/services/token'
import { useSessionStore } from '../../src/stores/session'
import { mockApi, OWNER_ME } from './api'
import type { Tenancy } from '../../src/contracts/rosters'

const base: Pick<Tenancy, 'communityId' | 'unitId' | 'unitLabel' | 'tenantName'> = { communityId: 'c-bj', unitId: 'u-102', unitLabel: '1栋1单元102室', tenantName: null }
// 02:00 UTC is 10:00 in Beijing.
const OPEN: Tenancy = { ...base, id: 't-open', code: 'ABCD2345', status: 'invited', createdAt: '2026-11-26T02:00:00.000Z', expiresAt: '2026-12-03T02:00:00.000Z', expired: false }
const STALE: Tenancy = { ...base, id: 't-stale', code: 'WXYZ6789', status: 'invited', createdAt: '2026-11-01T02:00:00.000Z', expiresAt: '2026-11-08T02:00:00.000Z', expired: true }
const ACTIVE: Tenancy = { ...base, id: 't-active', code: 'QRST2345', status: 'active', tenantName: '小周', createdAt: '2026-10-01T02:00:00.000Z', expiresAt: null, expired: false }

beforeEach(() => {
  __reset()
  process.env.TARO_ENV = 'h5'
  setToken('tok')
  useSessionStore.setState({ token: 'tok', me: OWNER_ME, communityId: 'c-bj', status: 'ready', error: null })
})

describe('邀请租户 page', () => {
  it('shows an open invitation with its code and deadline, and an expired one as 已过期 without its dead code or a 撤销 button', async () => {
    mockApi({ me: () => OWNER_ME, listTenancies: () => [OPEN, STALE, ACTIVE] })
    render(<TenantsPage />)
    expect(await screen.findByText('邀请码：ABCD2345')).toBeTruthy()
    expect(screen.getByText('2026年12月3日 10:00 前有效')).toBeTruthy()
    expect(screen.getByText('已过期')).toBeTruthy()
    expect(screen.getByText('邀请码已过期（7 天内未被接受），如需要请重新生成')).toBeTruthy()
    expect(screen.queryByText('邀请码：WXYZ6789')).toBeNull()
    expect(screen.getByText('已入住')).toBeTruthy()
    // 撤销 for the open invitation and the tenant; none for the expired invitation.
    expect(screen.getAllByText('撤销')).toHaveLength(2)
  })

  it('tells the owner how long a fresh code works', async () => {
    mockApi({ me: () => OWNER_ME, listTenancies: () => [], inviteTenant: () => OPEN })
    render(<TenantsPage />)
    await screen.findByText('还没有邀请过租户。')
    fireEvent.click(screen.getByText('生成邀请码'))
    expect(await screen.findByText('ABCD2345')).toBeTruthy()
    expect(screen.getByText('邀请码 7 天内有效，2026年12月3日 10:00 后失效。')).toBeTruthy()
  })

  it('pull-down reads the list again, so the owner sees when the tenant has accepted', async () => {
    let accepted = false
    const calls = mockApi({ me: () => OWNER_ME, listTenancies: () => [accepted ? { ...OPEN, status: 'active', tenantName: '小周', expiresAt: null } : OPEN] })
    render(<TenantsPage />)
    await screen.findByText('等待租户接受')
    accepted = true
    await act(async () => {
      __pullDown()
    })
    expect(await screen.findByText('已入住')).toBeTruthy()
    expect(calls.filter((c) => c.action === 'listTenancies')).toHaveLength(2)
    await waitFor(() => expect(Taro.stopPullDownRefresh).toHaveBeenCalled())
  })
})
