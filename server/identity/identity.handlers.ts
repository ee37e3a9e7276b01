import { DemoLoginInput, EmptyInput, LoginInput } from '../../src/contracts/identity'
import type { Me, Persona, SessionInfo } from '../../src/contracts/identity'
import { AcceptPrivacyInput, DeleteAccountInput, EndSessionInput } from '../../src/contracts/privacy'
import type { DeleteAccountResult, MyData, MySession, PrivacyStatus } from '../../src/contracts/privacy'
import { action } from '../registry'
import { deleteMyAccount, myData } from './account.service'
import { demoLogin, demoPersonas, loginWithWeChat, logout, whoAmI } from './identity.service'
import { acceptPrivacy, privacyStatus } from './privacy.service'
import { endMySession, mySessions } from './session.service'

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

  /** The privacy policy's current version and whether the caller accepted it (PIPL arts. 13–17). */
  privacyStatus: action({
    input: EmptyInput,
    access: 'user',
    handler: (_input, ctx): Promise<PrivacyStatus> => privacyStatus(ctx),
  }),

  acceptPrivacy: action({
    input: AcceptPrivacyInput,
    access: 'user',
    handler: (input, ctx): Promise<PrivacyStatus> => acceptPrivacy(ctx, input),
  }),

  /** Everything stored about the caller, to see and export (PIPL arts. 45, 47). */
  myData: action({
    input: EmptyInput,
    access: 'user',
    handler: (_input, ctx): Promise<MyData> => myData(ctx),
  }),

  deleteMyAccount: action({
    input: DeleteAccountInput,
    access: 'user',
    handler: (_input, ctx): Promise<DeleteAccountResult> => deleteMyAccount(ctx),
  }),

  /** The devices logged in to the caller's account, and ending one. */
  mySessions: action({
    input: EmptyInput,
    access: 'user',
    handler: (_input, ctx): Promise<MySession[]> => mySessions(ctx),
  }),

  endMySession: action({
    input: EndSessionInput,
    access: 'user',
    handler: (input, ctx): Promise<{ ended: true; current: boolean }> => endMySession(ctx, input),
  }),
}
