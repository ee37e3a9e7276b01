import { DemoLoginInput, EmptyInput, LoginInput } from '../../src/contracts/identity'
import type { Me, Persona, SessionInfo } from '../../src/contracts/identity'
import { action } from '../registry'
import { demoLogin, demoPersonas, loginWithWeChat, logout, whoAmI } from './identity.service'

export const identityActions = {
  /** WeChat login: exchange the wx.login code for the openid and open a session. */
  login: action({
    input: LoginInput,
    access: 'public',
    handler: (input, ctx): Promise<SessionInfo> => loginWithWeChat(ctx, input),
  }),

  demoPersonas: action({
    input: EmptyInput,
    access: 'public',
    handler: (_input, ctx): Promise<Persona[]> => demoPersonas(ctx),
  }),

  demoLogin: action({
    input: DemoLoginInput,
    access: 'public',
    handler: (input, ctx): Promise<SessionInfo> => demoLogin(ctx, input),
  }),

  logout: action({
    input: EmptyInput,
    access: 'user',
    handler: (_input, ctx): Promise<{ loggedOut: true }> => logout(ctx),
  }),

  /** Who am I: 小区 and roles, units owned or rented, binding requests and their outcome. */
  me: action({
    input: EmptyInput,
    access: 'user',
    handler: (_input, ctx): Promise<Me> => whoAmI(ctx),
  }),
}
