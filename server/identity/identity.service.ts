import type { Me, Persona, SessionInfo } from '../../src/contracts/identity'
import { requireCaller, type Ctx } from '../context'
import { DEMO_PERSONAS, demoOpenid } from '../demo/personas'
import { AppError } from '../errors'
import { bindingsOfUser, unitsOfUser } from '../rosters/binding.repository'
import { closeSession, openSession } from './session.service'
import { userWithCommunities } from './me.repository'
import { findOrCreateUser, findUserByOpenid } from './user.repository'

/** WeChat login: exchange the wx.login code for the openid (the user is created on first login) and open a session. */
export async function loginWithWeChat(ctx: Ctx, input: { code: string }): Promise<SessionInfo> {
  const { openid } = await ctx.wechat.code2Session(input.code)
  const user = await findOrCreateUser(ctx.db, openid, '微信用户', ctx.now())
  return openSession(ctx, { userId: user.id })
}

/** The personas a visitor may try, in demo mode only. */
export async function demoPersonas(ctx: Ctx): Promise<Persona[]> {
  return ctx.config.demo ? DEMO_PERSONAS : []
}

/** Logs in as a demo persona (seeded by the demo seed), in demo mode only. */
export async function demoLogin(ctx: Ctx, input: { persona: string }): Promise<SessionInfo> {
  if (!ctx.config.demo) throw new AppError('DemoDisabled', '演示登录未开启')
  // Only the listed personas: no other demo:… account can be logged into by name.
  if (!DEMO_PERSONAS.some((p) => p.key === input.persona)) throw new AppError('NotFound', '没有这个演示身份')
  const user = await findUserByOpenid(ctx.db, demoOpenid(input.persona))
  if (!user) throw new AppError('NotFound', '没有这个演示身份')
  return openSession(ctx, { userId: user.id })
}

/** Ends the session the request came with (the cloud function has none: WeChat vouches for each call). */
export async function logout(ctx: Ctx): Promise<{ loggedOut: true }> {
  if (ctx.sessionToken) await closeSession(ctx, { token: ctx.sessionToken })
  return { loggedOut: true }
}

/** Who am I: 小区 and roles, units owned or rented, binding requests and their outcome. */
export async function whoAmI(ctx: Ctx): Promise<Me> {
  const userId = requireCaller(ctx).userId
  // The nickname and the 小区 with roles in one statement (me.repository.ts).
  const user = await userWithCommunities(ctx.db, userId)
  if (!user) throw new Error(`whoAmI: no user ${userId} behind a live session`)
  return {
    userId,
    nickname: user.nickname,
    communities: user.communities,
    units: await unitsOfUser(ctx.db, userId),
    bindings: await bindingsOfUser(ctx.db, userId),
  }
}
