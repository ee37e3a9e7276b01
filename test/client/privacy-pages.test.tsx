import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import Taro from '@tarojs/taro'
import { __reset } from './mocks/taro'
import { mockApi, OWNER_ME } from './api'
import PrivacyPage from '../../src/pages/privacy/index'
import MyDataPage from '../../src/packages/account/pages/my-data/index'
import DevicesPage from '../../src/packages/account/pages/devices/index'
import { getToken, setToken } from '../../src/services/token'
import { useSessionStore } from '../../src/stores/session'
import { PRIVACY_VERSION, type MyData, type MySession } from '../../src/contracts/privacy'

const PHONE: MySession = { id: 'aaaaaaaaaaaaaaaa', device: '微信小程序 · iPhone', createdAt: '2026-11-26T02:00:00.000Z', lastUsedAt: '2026-11-27T02:00:00.000Z', expiresAt: '2026-12-26T02:00:00.000Z', current: true }
const PC: MySession = { id: 'bbbbbbbbbbbbbbbb', device: 'Chrome 浏览器 · Windows 电脑', createdAt: '2026-11-20T02:00:00.000Z', lastUsedAt: null, expiresAt: '2026-12-20T02:00:00.000Z', current: false }
const DATA: MyData = {
  exportedAt: '2026-11-27T02:00:00.000Z',
  account: { userId: 'u1', nickname: '邓雨英', createdAt: '2026-01-01T02:00:00.000Z' },
  roles: [{ role: '业主', place: '滨江花园', since: '2026-01-02T02:00:00.000Z' }],
  rosterEntries: [{ communityName: '滨江花园', name: '邓雨英', phone: '13900000003', units: ['1栋1单元102室'] }],
  bindings: [{ communityName: '滨江花园', unitLabel: '1栋1单元102室', claimedName: '邓雨英', claimedPhone: '13900000003', status: '已绑定', reason: null, createdAt: '2026-01-02T02:00:00.000Z', decidedAt: null }],
  tenancies: [],
  reports: [{ communityName: '滨江花园', category: '报修', description: '厨房水管漏水', place: '1栋1单元102室', status: '待受理', anonymous: false, createdAt: '2026-11-01T02:00:00.000Z' }],
  ballots: [{ communityName: '滨江花园', voteTitle: '续聘物业', receiptCode: 'K7Q2-9XPL', castAt: '2026-10-01T02:00:00.000Z' }],
  consents: [{ version: PRIVACY_VERSION, acceptedAt: '2026-01-01T02:00:00.000Z' }],
  sessions: [PHONE],
}

beforeEach(() => {
  __reset()
  process.env.TARO_ENV = 'h5'
  setToken('tok')
  useSessionStore.setState({ token: 'tok', me: OWNER_ME, communityId: 'c-bj', status: 'ready', error: null })
})

describe('隐私保护指引 page', () => {
  it('shows what is collected and who sees it, and records the signed-in person’s acceptance of this version', async () => {
    let acceptedAt: string | null = null
    const calls = mockApi({
      privacyStatus: () => ({ version: PRIVACY_VERSION, acceptedAt }),
      acceptPrivacy: () => ((acceptedAt = '2026-11-27T02:00:00.000Z'), { version: PRIVACY_VERSION, acceptedAt }),
    })
    render(<PrivacyPage />)
    expect(screen.getByText('按角色看到的范围')).toBeTruthy()
    expect(screen.getByText('微信验证的手机号')).toBeTruthy()
    fireEvent.click(await screen.findByText('我已阅读并同意'))
    expect(await screen.findByText(`您已于 2026年11月27日 10:00 同意本指引（版本 ${PRIVACY_VERSION}）。`)).toBeTruthy()
    expect(calls.find((c) => c.action === 'acceptPrivacy')?.input).toEqual({ version: PRIVACY_VERSION })
  })
})

describe('个人信息 page', () => {
  it('shows everything stored, exports it as a JSON download, and deletes the account only with the typed words', async () => {
    const calls = mockApi({ myData: () => DATA, deleteMyAccount: () => ({ deleted: true, kept: [] }) })
    const created: Blob[] = []
    const url = URL as unknown as { createObjectURL: (b: Blob) => string; revokeObjectURL: () => void }
    url.createObjectURL = (b: Blob) => (created.push(b), 'blob:x')
    url.revokeObjectURL = () => undefined
    render(<MyDataPage />)
    expect(await screen.findByText('填写的姓名 邓雨英，手机号 13900000003；2026年1月2日 10:00 提交')).toBeTruthy()
    expect(screen.getByText('回执码 K7Q2-9XPL')).toBeTruthy()
    expect(screen.getByText('没有租住关系。')).toBeTruthy()

    fireEvent.click(screen.getByText('导出全部信息'))
    await waitFor(() => expect(created).toHaveLength(1))
    const text = await new Promise<string>((resolve) => {
      const reader = new FileReader()
      reader.onload = () => resolve(String(reader.result))
      reader.readAsText(created[0])
    })
    expect(JSON.parse(text)).toEqual(DATA)

    fireEvent.click(screen.getAllByText('注销账号')[1])
    expect(await screen.findByText('请输入“注销账号”确认')).toBeTruthy()
    expect(calls.some((c) => c.action === 'deleteMyAccount')).toBe(false)

    fireEvent.change(screen.getByRole('textbox'), { target: { value: '注销账号' } })
    fireEvent.click(screen.getAllByText('注销账号').at(-1)!)
    await waitFor(() => expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' }))
    expect(calls.find((c) => c.action === 'deleteMyAccount')?.input).toEqual({ confirm: '注销账号' })
    expect(getToken()).toBeNull()
  })
})

describe('登录设备 page', () => {
  it('lists the devices with when they were used and ends another one', async () => {
    let sessions = [PHONE, PC]
    const calls = mockApi({
      mySessions: () => sessions,
      endMySession: (input) => ((sessions = sessions.filter((s) => s.id !== input.id)), { ended: true, current: false }),
    })
    render(<DevicesPage />)
    expect(await screen.findByText('Chrome 浏览器 · Windows 电脑')).toBeTruthy()
    expect(screen.getByText('最近使用 2026年11月27日 10:00')).toBeTruthy()
    expect(screen.getByText('退出本机')).toBeTruthy()
    fireEvent.click(screen.getByText('让它退出'))
    await waitFor(() => expect(screen.queryByText('Chrome 浏览器 · Windows 电脑')).toBeNull())
    expect(calls.find((c) => c.action === 'endMySession')?.input).toEqual({ id: PC.id })
  })
})
