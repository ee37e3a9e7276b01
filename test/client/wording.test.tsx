import { render, screen } from '@testing-library/react'
import { __reset } from './mocks/taro'
import MinePage from '../../src/pages/mine/index'
import VotesPage from '../../src/pages/votes/index'
import FeesPage from '../../src/pages/fees/index'
import { setToken } from '../../src/services/token'
import { useSessionStore } from '../../src/stores/session'
import type { Me } from '../../src/contracts/identity'
import type { Role } from '../../src/contracts/roles'
import { mockApi } from './api'

const W = 'c-wq'

/** Someone in 文清苑 (run by a 物管会, or by the community office in stand-in mode). */
function person(roles: Role[], governance: Me['communities'][number]['governance'], units: Me['units'] = []): Me {
  return { userId: 'u1', nickname: '李委员', communities: [{ id: W, name: '文清苑', isOld: true, governance, roles }], units, bindings: [] }
}

function signIn(me: Me) {
  useSessionStore.setState({ token: 'tok', me, communityId: W, status: 'ready', error: null })
  setToken('tok')
  mockApi({ me: () => me, listVotes: () => [] })
}

beforeEach(() => {
  __reset()
  process.env.TARO_ENV = 'h5'
})

describe('a 小区 run by a 物管会 says 物管会, and 社区代管 in stand-in mode', () => {
  it('its committee member sees 物管会工作台 and is called 物管会委员', async () => {
    signIn(person(['owner', 'committee_member'], 'pmc'))
    render(<MinePage />)
    expect(await screen.findByText('物管会工作台')).toBeTruthy()
    expect(screen.getByText('身份：业主、物管会委员')).toBeTruthy()
    expect(screen.queryByText(/业委会/)).toBeNull()
  })

  it('its owners read that the 物管会 starts votes', async () => {
    signIn(person(['owner'], 'pmc'))
    render(<VotesPage />)
    expect(await screen.findByText('物管会发起表决后，您可以在这里查看并投票。')).toBeTruthy()
  })

  it('in stand-in mode the officer\'s tools are the 社区代管工作台', async () => {
    signIn(person(['community_officer'], 'office_acting'))
    render(<MinePage />)
    expect(await screen.findByText('社区代管工作台')).toBeTruthy()
  })
})

describe('property staff are never told they are tenants or asked to bind a unit', () => {
  const staff = person(['property_staff'], 'pmc')

  it('我的 shows no unit card, no 绑定房屋 and no 我是租户', async () => {
    signIn(staff)
    render(<MinePage />)
    expect(await screen.findByText('身份：物业人员')).toBeTruthy()
    expect(screen.queryByText('绑定房屋')).toBeNull()
    expect(screen.queryByText('我是租户，填写邀请码')).toBeNull()
    expect(screen.queryByText('还没有绑定房屋。')).toBeNull()
  })

  it('缴费 does not offer 绑定房屋, and 议事 does not speak of tenants', async () => {
    signIn(staff)
    const { unmount } = render(<FeesPage />)
    expect(await screen.findByText('缴费', { selector: '.page-title' })).toBeTruthy()
    expect(await screen.findByText('文清苑')).toBeTruthy()
    expect(screen.queryByText('绑定房屋')).toBeNull()
    expect(screen.queryByText(/绑定房屋后/)).toBeNull()
    expect(screen.queryByText(/租户/)).toBeNull()
    unmount()

    render(<VotesPage />)
    expect(await screen.findByText('业主大会表决只对业主开放')).toBeTruthy()
    expect(screen.queryByText(/租户/)).toBeNull()
  })

  it('a tenant is still told so', async () => {
    signIn(person(['tenant'], 'pmc', [{ unitId: 'u-9', communityId: W, label: '3栋2单元302室', areaCentiM2: 10000, relation: 'tenant' }]))
    render(<VotesPage />)
    expect(await screen.findByText('租户可以在“公告”中看到表决公告和结果。')).toBeTruthy()
  })
})
