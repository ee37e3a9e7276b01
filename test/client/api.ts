import type { ActionInput, ActionName, ActionOutput } from '../../src/contracts/api'
import type { Me } from '../../src/contracts/identity'
import Taro from '@tarojs/taro'

/** A failure a fake handler answers with, as the server's envelope would carry it. */
export class Fail {
  constructor(readonly code: string, readonly message: string, readonly details?: unknown) {}
}

/** A fake of one action: takes what the client sends, answers what the server would (or a Fail). */
export type Handler<A extends ActionName> = (
  input: ActionInput<A>,
  authorization: string | undefined,
) => ActionOutput<A> | Fail | Promise<ActionOutput<A> | Fail>

/** Fakes of some actions, each typed by the action map: a fake answering a shape the server does not send fails to compile. */
export type Handlers = { [A in ActionName]?: Handler<A> }

/** A fake that answers anything, for the transport's own tests (the wire, not the map). */
export type RawHandler = (input: any, authorization: string | undefined) => unknown

export interface ApiCall {
  action: string
  input: any
  authorization: string | undefined
}

/**
 * Answers Taro.request like the HTTP transport does (`POST /api/<action>` → envelope), from a
 * map of fake handlers; returns the list of calls made, in order.
 */
export function mockApi(handlers: Handlers): ApiCall[] {
  return mockRawApi(handlers as Record<string, RawHandler>)
}

/** mockApi without the action map's types: for tests of the transport that send what no action takes. */
export function mockRawApi(handlers: Record<string, RawHandler>): ApiCall[] {
  const calls: ApiCall[] = []
  ;(Taro.request as jest.Mock).mockImplementation(async (opts: { url: string; data: any; header?: Record<string, string> }) => {
    const action = opts.url.replace(/^.*\/api\//, '')
    const authorization = opts.header?.Authorization
    calls.push({ action, input: opts.data, authorization })
    const handler = Object.prototype.hasOwnProperty.call(handlers, action) ? handlers[action] : undefined
    if (!handler) return { statusCode: 404, data: { ok: false, error: { code: 'NotFound', message: `没有这个操作：${action}` } } }
    const out = await handler(opts.data, authorization)
    if (out instanceof Fail) {
      return { statusCode: 400, data: { ok: false, error: { code: out.code, message: out.message, ...(out.details ? { details: out.details } : {}) } } }
    }
    return { statusCode: 200, data: { ok: true, data: out } }
  })
  return calls
}

/** Lets pending promises and the React updates they cause run. */
export const flush = () => new Promise((r) => setTimeout(r, 0))

/** 邓雨英, owner of 滨江花园 1栋1单元102室: the signed-in owner of the owner-page tests. */
export const OWNER_ME: Me = {
  userId: 'u1',
  nickname: '邓雨英',
  communities: [{ id: 'c-bj', name: '滨江花园', isOld: false, governance: 'committee', roles: ['owner'] }],
  units: [{ unitId: 'u-102', communityId: 'c-bj', label: '1栋1单元102室', areaCentiM2: 11820, relation: 'owner' }],
  bindings: [],
}
