import { fireEvent, render, screen } from '@testing-library/react'
import { __reset } from './mocks/taro'
import FeesPage from '../../src/pages/fees/index'
import { setToken } from '../../src/services/token'
import { useSessionStore } from '../../src/stores/session'
import { mockApi } from './api'
import type { Me } from '../../src/contracts/identity'

/** An owner in 滨江花园 who also rents in 文清苑. */
const ME: Me = {
  userId: 'u1',
  nickname: '王伟',
  communities: [
    { id: 'c-bj', name: '滨江花园', isOld: false, governance: 'committee', roles: ['owner'] },
    { id: 'c-wq', name: '文清苑', isOld: true, governance: 'committee', roles: ['tenant'] },
  ],
  units: [
    { unitId: 'u-1', communityId: 'c-bj', label: '1栋1单元101室', areaCentiM2: 8956, relation: 'owner' },
    { unitId: 'u-2', communityId: 'c-wq', label: '3栋2单元302室', areaCentiM2: 10000, relation: 'tenant' },
  ],
  bindings: [],
}

beforeEach(() => {
  __reset()
  process.env.TARO_ENV = 'h5'
  setToken('tok')
})

describe('缴费 tab', () => {
  it('shows the units of the 小区 chosen above, and switching 小区 switches them', async () => {
    mockApi({
      me: () => ME,
      myBills: (input) =>
        input.communityId === 'c-bj'
          ? { totalOwedFen: 0, note: null, units: [{ unitId: 'u-1', unitLabel: '1栋1单元101室', owedFen: 0, unpaid: [], history: [], writtenNotices: [], sharedWithMe: false, tenants: [] }] }
          : { totalOwedFen: 0, note: '业主还没有与您共享账单', units: [] },
    })
    useSessionStore.setState({ token: 'tok', me: ME, communityId: 'c-bj', status: 'ready', error: null })
    render(<FeesPage />)
    expect(await screen.findByText('1栋1单元101室')).toBeTruthy()
    expect(screen.queryByText('缴费信息只对业主开放')).toBeNull()

    // In 文清苑 this person only rents and the owner shares nothing: no fee information, and no unit of 滨江花园 under it.
    fireEvent.click(screen.getByText('文清苑'))
    expect(await screen.findByText('缴费信息只对业主开放')).toBeTruthy()
    expect(screen.queryByText('1栋1单元101室')).toBeNull()
    expect(screen.queryByText('我名下的房屋')).toBeNull()
  })
})
