import { act, fireEvent, render, screen } from '@testing-library/react'
import Taro from '@tarojs/taro'
import { __reset } from './mocks/taro'
import { flush } from './api'
import { PrivacyDialog } from '../../src/components/privacy-dialog'
import { pickRosterFile } from '../../src/services/pick-file'
import { pickImages } from '../../src/services/notice-files'
import { PRIVACY_AGREE_BUTTON_ID } from '../../src/services/privacy'

type ResolveOption = { event: string; buttonId?: string }
type Listener = (resolve: (o: ResolveOption) => void, info: { referrer: string }) => void

/**
 * WeChat's privacy gate as the base library runs it: a privacy API called before the person agreed
 * stays pending and fires the onNeedPrivacyAuthorization listener; resolve({ event: 'agree' }) lets
 * it go on, resolve({ event: 'disagree' }) makes it fail with errno 104.
 */
const wx = Taro as unknown as Record<string, unknown>
let listener: Listener | null = null
let agreed = false
const answers: ResolveOption[] = []
wx.onNeedPrivacyAuthorization = jest.fn((l: Listener) => {
  listener = l
})
wx.openPrivacyContract = jest.fn()

function privacyApi<T>(name: string, result: T) {
  return jest.fn(
    () =>
      new Promise<T>((resolve, reject) => {
        if (agreed) return resolve(result)
        listener!((o) => {
          answers.push(o)
          if (o.event === 'agree') {
            agreed = true
            resolve(result)
          } else if (o.event === 'disagree') {
            reject({ errMsg: `${name}:fail privacy permission is not authorized`, errno: 104 })
          }
        }, { referrer: name })
      }),
  )
}

/** Starts a call whose privacy question updates the dialog, inside act. */
function start<T>(call: () => Promise<T>): Promise<T> {
  let p!: Promise<T>
  act(() => {
    p = call()
  })
  return p
}

beforeEach(() => {
  __reset()
  delete process.env.TARO_ENV
  agreed = false
  answers.length = 0
})

describe('a privacy API waits for the person’s answer to the privacy dialog', () => {
  it('resumes the pending file pick after 同意, and the next pick goes through without asking', async () => {
    const file = { path: 'wxfile://tmp/r.csv', name: '业主名册.csv', size: 120 }
    ;(Taro.chooseMessageFile as jest.Mock).mockImplementation(privacyApi('chooseMessageFile', { tempFiles: [file] }))
    render(<PrivacyDialog />)
    expect(screen.queryByText('隐私保护提示')).toBeNull()

    let picked: unknown = 'pending'
    const picking = start(() => pickRosterFile().then((f) => (picked = f)))
    await act(flush)
    // The call is pending, the dialog asks, and WeChat was told it was shown.
    expect(picked).toBe('pending')
    expect(screen.getByText('隐私保护提示')).toBeTruthy()
    expect(answers).toEqual([{ event: 'exposureAuthorization' }])

    fireEvent.click(screen.getByText('《共治隐私保护指引》'))
    expect(wx.openPrivacyContract).toHaveBeenCalled()

    fireEvent.click(screen.getByText('同意并继续'))
    await act(() => picking)
    expect(answers[1]).toEqual({ event: 'agree', buttonId: PRIVACY_AGREE_BUTTON_ID })
    expect(picked).toEqual({ name: '业主名册.csv', size: 120, path: 'wxfile://tmp/r.csv' })
    expect(screen.queryByText('隐私保护提示')).toBeNull()

    await expect(pickRosterFile()).resolves.toMatchObject({ name: '业主名册.csv' })
    expect(answers).toHaveLength(2)
  })

  it('fails the pending pick with a clear Chinese message after 不同意, and says how to go on', async () => {
    ;(Taro.chooseMessageFile as jest.Mock).mockImplementation(privacyApi('chooseMessageFile', { tempFiles: [] }))
    render(<PrivacyDialog />)
    const picking = start(() => pickRosterFile())
    const outcome = picking.then(
      () => 'resolved',
      (e: { code: string; message: string }) => e,
    )
    await act(flush)
    fireEvent.click(screen.getByText('不同意'))
    const err = (await act(() => outcome)) as { code: string; message: string }
    expect(answers.map((a) => a.event)).toEqual(['exposureAuthorization', 'disagree'])
    expect(err.code).toBe('PrivacyDeclined')
    expect(err.message).toBe('您没有同意《共治隐私保护指引》，无法从微信聊天选择文件。其他功能照常使用；想上传文件时再点一次并选择同意，或在电脑浏览器上打开共治上传。')
    expect(screen.queryByText('隐私保护提示')).toBeNull()
  })

  it('photos too: refused photos say the notice can go on without them; agreed photos come back', async () => {
    const photos = { tempFiles: [{ path: 'wxfile://tmp/p.jpg', size: 2048 }], tempFilePaths: ['wxfile://tmp/p.jpg'] }
    wx.chooseImage = privacyApi('chooseImage', photos)
    render(<PrivacyDialog />)

    const refused = start(() => pickImages(3).catch((e: Error) => e))
    await act(flush)
    fireEvent.click(screen.getByText('不同意'))
    expect(((await act(() => refused)) as Error).message).toBe('您没有同意《共治隐私保护指引》，无法选择照片。可以不带照片继续；想加照片时再点一次并选择同意。')

    const taken = start(() => pickImages(3))
    await act(flush)
    fireEvent.click(screen.getByText('同意并继续'))
    expect(await act(() => taken)).toEqual([{ name: 'p.jpg', size: 2048, path: 'wxfile://tmp/p.jpg' }])
  })

  it('with no dialog on screen the call is refused at once rather than left hanging', async () => {
    ;(Taro.chooseMessageFile as jest.Mock).mockImplementation(privacyApi('chooseMessageFile', { tempFiles: [] }))
    await expect(pickRosterFile()).rejects.toMatchObject({ code: 'PrivacyDeclined' })
    expect(answers).toEqual([{ event: 'disagree' }])
  })
})
