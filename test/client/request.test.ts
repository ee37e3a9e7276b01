import Taro from '@tarojs/taro'
import { __reset } from './mocks/taro'
import { ApiError, request } from '../../src/services/request'
import { getToken, setToken } from '../../src/services/token'
import { Fail, mockRawApi } from './api'

const g = globalThis as { TARO_APP_TRANSPORT?: string }

beforeEach(() => {
  __reset()
  delete g.TARO_APP_TRANSPORT
  process.env.TARO_ENV = 'h5'
})

afterAll(() => {
  delete process.env.TARO_ENV
})

describe('request over http', () => {
  it('posts the input to /api/<action> with the bearer token and returns the envelope data', async () => {
    setToken('tok-1')
    const calls = mockRawApi({ me: (input) => ({ echoed: input, nickname: '王主任' }) })
    const data = await request('me', { a: 1 })
    expect(data).toEqual({ echoed: { a: 1 }, nickname: '王主任' })
    expect(calls).toEqual([{ action: 'me', input: { a: 1 }, authorization: 'Bearer tok-1' }])
    const opts = (Taro.request as jest.Mock).mock.calls[0][0]
    expect(opts.method).toBe('POST')
    expect(opts.url).toBe('/api/me')
  })

  it('sends no Authorization header without a token, and {} when there is no input', async () => {
    const calls = mockRawApi({ demoPersonas: () => [] })
    await request('demoPersonas')
    expect(calls).toEqual([{ action: 'demoPersonas', input: {}, authorization: undefined }])
  })

  it('throws a typed ApiError carrying the code, message and details of ok:false', async () => {
    mockRawApi({ bindUnit: () => new Fail('Forbidden', '您不是该小区的成员', { why: 1 }) })
    const err = await request('bindUnit', { communityId: 'c1', building: '1栋', stair: '1单元', room: '101', name: '王' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({ code: 'Forbidden', message: '您不是该小区的成员', details: { why: 1 } })
  })

  it('turns a network failure into an ApiError with a Chinese message', async () => {
    ;(Taro.request as jest.Mock).mockRejectedValue(new Error('request:fail timeout'))
    const err = await request('me').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).code).toBe('Network')
    expect((err as ApiError).message).toMatch(/网络/)
  })

  it('turns an answer that is not an envelope (a proxy error page) into an ApiError, never undefined', async () => {
    ;(Taro.request as jest.Mock).mockResolvedValue({ statusCode: 502, data: '<html>Bad Gateway</html>' })
    const err = await request('me').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).code).toBe('Internal')
    expect((err as ApiError).message).toContain('502')
  })
})

describe('request over the cloud function', () => {
  it('calls the api function with { action, input } and unwraps result.result', async () => {
    g.TARO_APP_TRANSPORT = 'cloud'
    ;(Taro.cloud.callFunction as jest.Mock).mockResolvedValue({ result: { ok: true, data: { n: 2 } } })
    await expect(request('unitTree', { communityId: 'c1' })).resolves.toEqual({ n: 2 })
    expect(Taro.cloud.callFunction).toHaveBeenCalledWith({ name: 'api', data: { action: 'unitTree', input: { communityId: 'c1' } } })
    expect(Taro.request).not.toHaveBeenCalled()
  })

  it('throws the typed error of a cloud envelope, and a Chinese network error when the call fails', async () => {
    g.TARO_APP_TRANSPORT = 'cloud'
    ;(Taro.cloud.callFunction as jest.Mock).mockResolvedValueOnce({ result: { ok: false, error: { code: 'NotFound', message: '没有这个小区' } } })
    await expect(request('unitTree', { communityId: 'c1' })).rejects.toMatchObject({ code: 'NotFound', message: '没有这个小区' })
    ;(Taro.cloud.callFunction as jest.Mock).mockRejectedValueOnce({ errCode: -404011 })
    await expect(request('unitTree', { communityId: 'c1' })).rejects.toMatchObject({ code: 'Network', message: expect.stringMatching(/网络/) })
  })
})

describe('an expired session', () => {
  it('in the mini-program: clears the token, logs in through WeChat and retries the call once', async () => {
    process.env.TARO_ENV = 'weapp'
    setToken('old')
    ;(Taro.login as jest.Mock).mockResolvedValue({ code: 'fresh-code' })
    const calls = mockRawApi({
      me: (_input, auth) => (auth === 'Bearer new' ? { nickname: '邓雨英' } : new Fail('SessionExpired', '登录已过期，请重新登录')),
      login: (input) => (input.code === 'fresh-code' ? { token: 'new', expiresAt: '2030-01-01T00:00:00.000Z' } : new Fail('BadInput', 'bad code')),
    })
    await expect(request('me')).resolves.toEqual({ nickname: '邓雨英' })
    expect(calls.map((c) => `${c.action} ${c.authorization ?? '-'}`)).toEqual(['me Bearer old', 'login -', 'me Bearer new'])
    expect(getToken()).toBe('new')
  })

  it('retries only once: a second SessionExpired is thrown, not looped', async () => {
    process.env.TARO_ENV = 'weapp'
    setToken('old')
    const calls = mockRawApi({
      me: () => new Fail('SessionExpired', '登录已过期，请重新登录'),
      login: () => ({ token: 'new', expiresAt: '2030-01-01T00:00:00.000Z' }),
    })
    await expect(request('me')).rejects.toMatchObject({ code: 'SessionExpired' })
    expect(calls.map((c) => c.action)).toEqual(['me', 'login', 'me'])
  })

  it('shares one WeChat login between calls that fail together', async () => {
    process.env.TARO_ENV = 'weapp'
    setToken('old')
    const calls = mockRawApi({
      me: (_i, auth) => (auth === 'Bearer new' ? 'me-ok' : new Fail('Unauthenticated', '请先登录')),
      unitTree: (_i, auth) => (auth === 'Bearer new' ? 'tree-ok' : new Fail('SessionExpired', '登录已过期')),
      login: () => ({ token: 'new', expiresAt: '2030-01-01T00:00:00.000Z' }),
    })
    await expect(Promise.all([request('me'), request('unitTree', { communityId: 'c' })])).resolves.toEqual(['me-ok', 'tree-ok'])
    expect(calls.filter((c) => c.action === 'login')).toHaveLength(1)
    expect(Taro.login).toHaveBeenCalledTimes(1)
  })

  it('in the browser: clears the token, opens the login page and throws, without retrying', async () => {
    setToken('old')
    const calls = mockRawApi({ me: () => new Fail('SessionExpired', '登录已过期，请重新登录') })
    await expect(request('me')).rejects.toMatchObject({ code: 'SessionExpired', message: '登录已过期，请重新登录' })
    expect(getToken()).toBeNull()
    expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' })
    expect(calls).toHaveLength(1)
    expect(Taro.login).not.toHaveBeenCalled()
  })

  it('does not start a re-login when a public action (demoLogin) is refused', async () => {
    process.env.TARO_ENV = 'weapp'
    const calls = mockRawApi({ demoLogin: () => new Fail('Unauthenticated', '请先登录') })
    await expect(request('demoLogin', { persona: 'x' })).rejects.toMatchObject({ code: 'Unauthenticated' })
    expect(calls).toHaveLength(1)
    expect(Taro.login).not.toHaveBeenCalled()
  })
})
