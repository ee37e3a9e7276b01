import { fireEvent, render, screen } from '@testing-library/react'
import { __reset } from './mocks/taro'
import BindPage from '../../src/pages/bind/index'
import { setToken } from '../../src/services/token'
import { useSessionStore } from '../../src/stores/session'
import { mockApi } from './api'
import { DEMO_PHONE_CODE } from '../../src/contracts/privacy'
import type { Me } from '../../src/contracts/identity'

const ME: Me = { userId: 'u1', nickname: '韩晨梅', communities: [], units: [], bindings: [] }
const TREE = { buildings: [{ name: '1栋', stairs: [{ name: '1单元', rooms: ['101'] }] }] }

beforeEach(() => {
  __reset()
  process.env.TARO_ENV = 'h5'
  setToken('tok')
  useSessionStore.setState({ token: 'tok', me: ME, communityId: null, status: 'ready', error: null })
})

describe('bind page: phone verification', () => {
  it('the browser demo’s stand-in sends the verification code, not a phone, down the same call path', async () => {
    const calls = mockApi({
      communityDirectory: () => [{ id: 'c-bj', name: '滨江花园', officeName: '东阳社区居委会', governance: 'committee' as const }],
      unitTree: () => TREE,
      bindUnit: () => ({ bindingId: 'b1', status: 'approved', message: '微信验证的手机号与名册一致，已绑定 1栋1单元101室' }),
      me: () => ME,
    })
    render(<BindPage />)
    fireEvent.click(await screen.findByText('滨江花园'))
    fireEvent.click(await screen.findByText('1栋'))
    fireEvent.click(await screen.findByText('1单元'))
    fireEvent.click(await screen.findByText('101'))
    fireEvent.change(screen.getByPlaceholderText('例如：张三'), { target: { value: '韩晨梅' } })
    fireEvent.click(screen.getByText('演示：模拟微信验证手机号'))
    expect(await screen.findByText('绑定成功')).toBeTruthy()
    expect(calls.find((c) => c.action === 'bindUnit')?.input).toEqual({ communityId: 'c-bj', building: '1栋', stair: '1单元', room: '101', name: '韩晨梅', phoneCode: DEMO_PHONE_CODE })
  })
})
