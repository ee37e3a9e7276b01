import { act, fireEvent, render, screen } from '@testing-library/react'
import Taro from '@tarojs/taro'
import { __reset, __setRouterParams } from './mocks/taro'
import { flush, mockApi } from './api'
import BindingRequestsPage from '../../src/packages/committee/pages/binding-requests/index'
import type { BindingRequest } from '../../src/contracts/rosters'
import type { Me } from '../../src/contracts/identity'
import { setToken } from '../../src/services/token'
import { useSessionStore } from '../../src/stores/session'

const T = Taro as unknown as Record<string, jest.Mock>
T.chooseImage = jest.fn()

const C = 'c-bj'
const CHAIR: Me = { userId: 'u-chair', nickname: '王主任', communities: [{ id: C, name: '滨江花园', isOld: false, governance: 'committee', roles: ['committee_chair'] }], units: [], bindings: [] }
const base: Omit<BindingRequest, 'id' | 'claimedName' | 'rosterMatch' | 'needsProof'> = {
  unitId: 'u1', unitLabel: '1栋1单元101室', claimedPhone: '158****0865', rosterOwners: ['韩晨梅'], status: 'pending', reason: null, createdAt: '2026-11-28T02:00:00.000Z',
}
const MATCH: BindingRequest = { ...base, id: 'b-match', claimedName: '韩晨梅', rosterMatch: true, needsProof: false }
const NEW_OWNER: BindingRequest = { ...base, id: 'b-new', claimedName: '刘芳', rosterMatch: false, needsProof: true }
const settle = () => act(async () => {
  await flush()
})

beforeEach(() => {
  __reset()
  process.env.TARO_ENV = 'h5'
  setToken('tok')
  useSessionStore.setState({ token: 'tok', me: CHAIR, communityId: C, status: 'ready', error: null })
  __setRouterParams({ communityId: C })
})

describe('committee binding requests', () => {
  it('a request matching the roster says 与名册一致 and is approved in one tap, without a dialog or a photo', async () => {
    const calls = mockApi({
      listBindingRequests: () => ({ items: [MATCH], nextCursor: null }),
      decideBinding: () => ({ ...MATCH, status: 'approved' }),
    })
    render(<BindingRequestsPage />)
    expect(await screen.findByText('✓ 与名册一致')).toBeTruthy()
    fireEvent.click(screen.getByText('与名册一致，通过'))
    await settle()
    expect(calls.find((c) => c.action === 'decideBinding')?.input).toEqual({ communityId: C, bindingId: 'b-match', approve: true })
    expect(Taro.showModal).not.toHaveBeenCalled()
    expect(T.chooseImage).not.toHaveBeenCalled()
    expect(calls.some((c) => c.action === 'uploadBindingProof')).toBe(false)
  })

  it('an approval that adds an owner asks for the photo of the 不动产权证 first and sends its proofRef', async () => {
    T.chooseImage.mockResolvedValueOnce({ tempFiles: [{ path: 'blob:x', size: 3, originalFileObj: new File([new Uint8Array([0xff, 0xd8, 0xff])], '不动产权证.jpg') }] })
    const calls = mockApi({
      listBindingRequests: () => ({ items: [NEW_OWNER], nextCursor: null }),
      uploadBindingProof: () => ({ proofRef: 'bindings/c-bj/b-new/p.jpg#sha256=ab', sha256: 'ab' }),
      decideBinding: () => ({ ...NEW_OWNER, status: 'approved' }),
    })
    render(<BindingRequestsPage />)
    expect(await screen.findByText(/要先拍照上传不动产权证或购房合同/)).toBeTruthy()
    expect(screen.queryByText('✓ 与名册一致')).toBeNull()
    fireEvent.click(screen.getByText('通过'))
    await settle()
    expect(T.chooseImage).toHaveBeenCalledTimes(1)
    expect(calls.find((c) => c.action === 'uploadBindingProof')?.input).toMatchObject({ communityId: C, bindingId: 'b-new', fileName: '不动产权证.jpg', dataBase64: expect.any(String) })
    expect(Taro.showModal).toHaveBeenCalledTimes(1)
    expect(calls.find((c) => c.action === 'decideBinding')?.input).toEqual({ communityId: C, bindingId: 'b-new', approve: true, proofRef: 'bindings/c-bj/b-new/p.jpg#sha256=ab' })
  })

  it('no photo chosen: nothing is decided', async () => {
    T.chooseImage.mockRejectedValueOnce({ errMsg: 'chooseImage:fail cancel' })
    const calls = mockApi({ listBindingRequests: () => ({ items: [NEW_OWNER], nextCursor: null }) })
    render(<BindingRequestsPage />)
    fireEvent.click(await screen.findByText('通过'))
    await settle()
    expect(calls.some((c) => c.action === 'decideBinding' || c.action === 'uploadBindingProof')).toBe(false)
  })
})
