import { requireCaller, type Ctx } from '../context'
import { DEMO_BINDING } from '../demo/personas'
import { AppError } from '../errors'
import { DEMO_PHONE_CODE } from '../../src/contracts/privacy'

export { DEMO_PHONE_CODE }
/** The demo persona whose phone the stand-in vouches for: the one meant to try binding. */
const DEMO_PHONES: Record<string, string> = { 'demo:owner-new': DEMO_BINDING.phone }

/**
 * The phone number WeChat verified for the caller, from the code of the getPhoneNumber button:
 * exchanged by the server at wxa/business/getuserphonenumber, never a number the client asserts.
 * In demo mode (the browser has no WeChat) a stand-in answers for the demo persona that binds,
 * through the same call path; it answers nobody else.
 */
export async function verifiedPhone(ctx: Ctx, code: string): Promise<string> {
  if (code === DEMO_PHONE_CODE) {
    const phone = ctx.config.demo ? DEMO_PHONES[requireCaller(ctx).openid] : undefined
    if (!phone) throw new AppError('BadInput', '演示验证只在演示版本中、为演示业主韩晨梅提供；请改为手动填写')
    return phone
  }
  if (!ctx.wechat.getPhoneNumber) throw new AppError('WeChatNotConfigured', '微信手机号验证未配置，请改为手动填写')
  const { phone, countryCode } = await ctx.wechat.getPhoneNumber(code)
  if (countryCode !== '86') throw new AppError('BadInput', '名册只登记中国大陆手机号，请改为手动填写，由业委会审核')
  return phone
}
