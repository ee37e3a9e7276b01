import { DemoLoginInput, EmptyInput, LoginInput } from '../../src/contracts/identity'
import type { Me, Persona, SessionInfo } from '../../src/contracts/identity'
import { requireCaller } from '../context'
import { communitiesOfUser } from '../communities/membership.repository'
import { DEMO_PERSONAS, demoOpenid } from '../demo/personas'
import { AppError } from '../errors'
import { action } from '../registry'
import { bindingsOfUser, unitsOfUser } from '../rosters/binding.repository'
import { findOrCreateUser, findUserByOpenid, getUser } from './user.repository'
import { closeSession, openSession } from './session.service'

export const identityActions = {
  /** WeChat login: exchange the wx.login code for the openid and open a session. */
  login: action({
    input: LoginInput,
    access: 'public',
    handler: async (input, ctx): Promise<SessionInfo> => {
      const { openid } = await ctx.wechat.code2Session(input.code)
      const user = await findOrCreateUser(ctx.db, openid, '微信用户', ctx.now())
      return openSession(ctx.db, user.id, ctx.now(), ctx.config.sessionDays)
    },
  }),

  demoPersonas: action({
    input: EmptyInput,
    access: 'public',
    handler: async (_input, ctx): Promise<Persona[]> => (ctx.config.demo ? DEMO_PERSONAS : []),
  }),

  demoLogin: action({
    input: DemoLoginInput,
    access: 'public',
    handler: async (input, ctx): Promise<SessionInfo> => {
      if (!ctx.config.demo) throw new AppError('DemoDisabled', '演示登录未开启')
      const user = await findUserByOpenid(ctx.db, demoOpenid(input.persona))
      if (!user) throw new AppError('NotFound', '没有这个演示身份')
      return openSession(ctx.db, user.id, ctx.now(), ctx.config.sessionDays)
    },
  }),

  logout: action({
    input: EmptyInput,
    access: 'user',
    handler: async (_input, ctx): Promise<{ loggedOut: true }> => {
      if (ctx.sessionToken) await closeSession(ctx.db, ctx.sessionToken, ctx.now())
      return { loggedOut: true }
    },
  }),

  /** Who am I: 小区 and roles, units owned or rented, binding requests and their outcome. */
  me: action({
    input: EmptyInput,
    access: 'user',
    handler: async (_input, ctx): Promise<Me> => {
      const caller = requireCaller(ctx)
      const user = await getUser(ctx.db, caller.userId)
      return {
        userId: user.id,
        nickname: user.nickname,
        communities: await communitiesOfUser(ctx.db, user.id),
        units: await unitsOfUser(ctx.db, user.id),
        bindings: await bindingsOfUser(ctx.db, user.id),
      }
    },
  }),
}
