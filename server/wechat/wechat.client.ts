import { AppError } from '../errors'

/** The slice of WeChat's server API we use, against a configurable base URL (our fake in tests). */
export interface WeChatClient {
  code2Session(code: string): Promise<{ openid: string; unionid?: string }>
  sendSubscribeMessage(msg: SubscribeMessage): Promise<void>
  /**
   * The phone number WeChat verified for the code of `<button open-type="getPhoneNumber">`
   * (wxa/business/getuserphonenumber, with the same cached access token as the messages).
   * Optional so stand-ins written before it keep compiling; absent means not configured.
   */
  getPhoneNumber?(code: string): Promise<{ phone: string; countryCode: string }>
}

export interface SubscribeMessage {
  touser: string
  template_id: string
  page?: string
  data: Record<string, { value: string }>
  miniprogram_state?: 'developer' | 'trial' | 'formal'
  lang?: 'zh_CN'
}

interface WeChatError { errcode?: number; errmsg?: string }

const BUSY = -1

/** Answers every call without a request: WeChat's app id and secret are not configured. */
export const unconfiguredWeChat: WeChatClient = {
  async code2Session() {
    throw new AppError('WeChatNotConfigured', '微信登录未配置：服务器没有设置小程序的 AppID 和 AppSecret')
  },
  async sendSubscribeMessage() {
    throw new AppError('WeChatNotConfigured', '微信消息未配置：服务器没有设置小程序的 AppID 和 AppSecret')
  },
  async getPhoneNumber() {
    throw new AppError('WeChatNotConfigured', '微信手机号验证未配置：服务器没有设置小程序的 AppID 和 AppSecret')
  },
}

export function createWeChatClient(cfg: { appId: string | null; appSecret: string | null; baseUrl: string; fetchImpl?: typeof fetch }): WeChatClient {
  if (!cfg.appId || !cfg.appSecret) return unconfiguredWeChat
  const opts = { ...cfg, appId: cfg.appId, appSecret: cfg.appSecret }
  const fetchImpl = opts.fetchImpl ?? fetch
  let token: { value: string; expiresAt: number } | null = null

  async function getJson<T>(url: string, init?: RequestInit): Promise<T & WeChatError> {
    let res: Response
    try {
      res = await fetchImpl(url, { ...init, signal: AbortSignal.timeout(5000) })
    } catch {
      throw new AppError('WeChatUnavailable', '暂时连不上微信服务器，请稍后再试')
    }
    if (!res.ok) throw new AppError('WeChatUnavailable', `微信服务器返回 ${res.status}，请稍后再试`)
    return (await res.json()) as T & WeChatError
  }

  /** WeChat answers -1 when busy; one retry is what its docs advise. */
  async function withBusyRetry<T extends WeChatError>(call: () => Promise<T>): Promise<T> {
    const first = await call()
    return first.errcode === BUSY ? call() : first
  }

  async function accessToken(forceNew = false): Promise<string> {
    if (!forceNew && token && token.expiresAt > Date.now() + 60_000) return token.value
    const url = `${opts.baseUrl}/cgi-bin/token?grant_type=client_credential&appid=${encodeURIComponent(opts.appId)}&secret=${encodeURIComponent(opts.appSecret)}`
    const body = await withBusyRetry(() => getJson<{ access_token?: string; expires_in?: number }>(url))
    if (!body.access_token) throw new AppError('WeChatUnavailable', `获取微信接口凭证失败（${body.errcode}）`)
    token = { value: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 7200) * 1000 }
    return token.value
  }

  return {
    async code2Session(code) {
      const url =
        `${opts.baseUrl}/sns/jscode2session?appid=${encodeURIComponent(opts.appId)}&secret=${encodeURIComponent(opts.appSecret)}` +
        `&js_code=${encodeURIComponent(code)}&grant_type=authorization_code`
      const body = await withBusyRetry(() => getJson<{ openid?: string; unionid?: string }>(url))
      if (body.openid && !body.errcode) return { openid: body.openid, unionid: body.unionid }
      switch (body.errcode) {
        case 40029:
        case 40163:
          throw new AppError('Unauthenticated', '登录凭证已失效，请重新登录')
        case 45011:
          throw new AppError('RateLimited', '登录太频繁，请稍后再试')
        case 40226:
          throw new AppError('Forbidden', '微信判定该账号存在风险，暂时无法登录')
        default:
          throw new AppError('WeChatUnavailable', `微信登录失败（${body.errcode ?? '未知'}），请稍后再试`)
      }
    },

    async sendSubscribeMessage(msg) {
      const send = async (t: string) =>
        getJson<object>(`${opts.baseUrl}/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(t)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(msg),
        })
      let body = await withBusyRetry(async () => send(await accessToken()))
      // 40001 invalid / 42001 expired token: fetch a fresh one once.
      if (body.errcode === 40001 || body.errcode === 42001) body = await send(await accessToken(true))
      if (!body.errcode) return
      if (body.errcode === 43101) throw new AppError('Forbidden', '用户未订阅该消息')
      throw new AppError('WeChatUnavailable', `发送订阅消息失败（${body.errcode}）`)
    },

    async getPhoneNumber(code) {
      type PhoneBody = { phone_info?: { phoneNumber?: string; purePhoneNumber?: string; countryCode?: string; watermark?: { appid?: string } } }
      const ask = async (t: string) =>
        getJson<PhoneBody>(`${opts.baseUrl}/wxa/business/getuserphonenumber?access_token=${encodeURIComponent(t)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ code }),
        })
      let body = await withBusyRetry(async () => ask(await accessToken()))
      if (body.errcode === 40001 || body.errcode === 42001) body = await ask(await accessToken(true))
      const info = body.phone_info
      if (!body.errcode && info?.purePhoneNumber) {
        // The watermark names the mini-program the number was verified for: never another's.
        if (info.watermark?.appid && info.watermark.appid !== opts.appId) throw new AppError('Forbidden', '手机号验证结果不属于本小程序')
        return { phone: info.purePhoneNumber, countryCode: info.countryCode ?? '86' }
      }
      switch (body.errcode) {
        case 40029:
          throw new AppError('BadInput', '手机号验证凭证无效或已用过，请重新点“微信验证手机号”')
        case 45011:
          throw new AppError('RateLimited', '验证太频繁，请稍后再试')
        case 40013:
          throw new AppError('WeChatNotConfigured', '小程序的 AppID 配置有误，无法验证手机号')
        default:
          throw new AppError('WeChatUnavailable', `微信手机号验证失败（${body.errcode ?? '未知'}），请稍后再试，或改为手动填写`)
      }
    },
  }
}
