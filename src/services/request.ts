import Taro from '@tarojs/taro'
import type { ActionArgs, ActionName, ActionOutput } from '../contracts/api'
import type { Envelope } from '../contracts/errors'
import { ApiError } from './errors'
import { CLOUD_SESSION, clearToken, getToken, isSignedOut, setToken } from './token'

export { ApiError, isApiError, messageOf } from './errors'

/**
 * The only caller of Taro.cloud.callFunction and Taro.request.
 *
 * The transport is fixed at build time (config/index.ts): `cloud` calls the `api` cloud function,
 * where WeChat says who is calling; `http` POSTs to `${API_BASE_URL}/api/<action>` with the
 * session token as a bearer. Either way the answer is the envelope, unwrapped here: the data is
 * returned, a failure is thrown as an ApiError, nothing is ever swallowed.
 */

const NETWORK_MESSAGE = '网络连接失败，请检查网络后重试'
const LOGIN_PAGE = '/pages/login/index'
/** Actions that work without a session; an auth failure on them must not start a re-login. */
const PUBLIC_ACTIONS: ReadonlySet<string> = new Set<ActionName>(['login', 'demoLogin', 'demoPersonas'])

export type Transport = 'cloud' | 'http'

/** Read at call time (not import time) so tests can switch transports. */
export function currentTransport(): Transport {
  return typeof TARO_APP_TRANSPORT !== 'undefined' && TARO_APP_TRANSPORT === 'cloud' ? 'cloud' : 'http'
}

function apiBaseUrl(): string {
  return typeof TARO_APP_API_BASE_URL !== 'undefined' ? TARO_APP_API_BASE_URL : ''
}

function isEnvelope(x: unknown): x is Envelope<unknown> {
  if (typeof x !== 'object' || x === null || typeof (x as { ok?: unknown }).ok !== 'boolean') return false
  if ((x as { ok: boolean }).ok) return true
  const error = (x as { error?: { code?: unknown; message?: unknown } }).error
  return typeof error?.code === 'string' && typeof error?.message === 'string'
}

async function sendCloud(action: string, input: object): Promise<Envelope<unknown>> {
  let res: { result?: unknown }
  try {
    res = await Taro.cloud.callFunction({ name: 'api', data: { action, input } })
  } catch {
    throw new ApiError('Network', NETWORK_MESSAGE)
  }
  if (!isEnvelope(res?.result)) throw new ApiError('Internal', '服务器返回了无法识别的结果，请稍后再试')
  return res.result
}

async function sendHttp(action: string, input: object): Promise<Envelope<unknown>> {
  const header: Record<string, string> = { 'content-type': 'application/json' }
  const token = getToken()
  if (token && token !== CLOUD_SESSION) header.Authorization = `Bearer ${token}`
  let res: { statusCode: number; data: unknown }
  try {
    res = await Taro.request({
      url: `${apiBaseUrl()}/api/${action}`,
      method: 'POST',
      data: input,
      header,
      dataType: 'json',
      timeout: 20000,
    })
  } catch {
    throw new ApiError('Network', NETWORK_MESSAGE)
  }
  let body = res?.data
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body)
    } catch {
      // Not JSON (a proxy's error page, say): handled below.
    }
  }
  if (!isEnvelope(body)) {
    throw new ApiError('Internal', `服务器暂时无法响应（${res?.statusCode ?? '无状态'}），请稍后再试`)
  }
  return body
}

function send(action: string, input: object): Promise<Envelope<unknown>> {
  return currentTransport() === 'cloud' ? sendCloud(action, input) : sendHttp(action, input)
}

/**
 * Signs in with WeChat. With the http transport: Taro.login's code is exchanged by the server
 * (action `login`) for a session token, which is stored. With the cloud transport WeChat vouches
 * for the caller on every call, so there is no token to fetch; the marker is stored instead.
 */
export async function signInWithWeChat(): Promise<void> {
  if (currentTransport() === 'cloud') {
    setToken(CLOUD_SESSION)
    return
  }
  let code: string
  try {
    code = (await Taro.login()).code
  } catch {
    throw new ApiError('WeChatUnavailable', '微信登录失败，请稍后再试')
  }
  if (!code) throw new ApiError('WeChatUnavailable', '微信登录失败，请稍后再试')
  const session = await request('login', { code })
  setToken(session.token)
}

// Several calls can fail together when a session expires; they share one re-login.
let reLoginInFlight: Promise<void> | null = null
function reLogin(): Promise<void> {
  reLoginInFlight ??= signInWithWeChat().finally(() => {
    reLoginInFlight = null
  })
  return reLoginInFlight
}

let sentToLogin = false
/** H5 and demo: nobody to log in silently, so the person picks again on the login page. */
export function sendToLoginPage(): void {
  if (sentToLogin) return
  const pages = Taro.getCurrentPages?.() ?? []
  const here = pages[pages.length - 1]?.route ?? ''
  if (here && LOGIN_PAGE.endsWith(here.replace(/^\/?/, '/'))) return
  sentToLogin = true
  Promise.resolve(Taro.reLaunch({ url: LOGIN_PAGE }))
    .catch(() => undefined)
    .finally(() => {
      sentToLogin = false
    })
}

/**
 * Calls one action and returns its data, or throws an ApiError with a Chinese message. The name,
 * the input and the answer are typed by the action map (contracts/api.ts), which the server's
 * registry satisfies. When the session has expired (or there is none) the token is cleared; in
 * the mini-program it then logs in again through WeChat and retries the call once, elsewhere it
 * opens the login page.
 */
export async function request<A extends ActionName>(action: A, ...args: ActionArgs<A>): Promise<ActionOutput<A>> {
  const [input] = args
  // The envelope's data is what the server's handler answered, which the registry types as ActionOutput<A>.
  return (await call(action, input ?? {}, false)) as ActionOutput<A>
}

async function call(action: string, input: object, isRetry: boolean): Promise<unknown> {
  const envelope = await send(action, input)
  if (envelope.ok) return envelope.data
  const { code, message, details } = envelope.error
  const sessionLost = code === 'SessionExpired' || code === 'Unauthenticated'
  if (sessionLost && !PUBLIC_ACTIONS.has(action) && !isRetry) {
    clearToken()
    // In the mini-program WeChat can vouch for the person again, unless they chose to sign out.
    if (process.env.TARO_ENV === 'weapp' && !isSignedOut()) {
      await reLogin()
      return call(action, input, true)
    }
    sendToLoginPage()
  }
  throw new ApiError(code, message, details)
}
