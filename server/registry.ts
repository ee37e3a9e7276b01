import * as v from 'valibot'
import type { Role } from '../src/contracts/common'
import type { Envelope } from '../src/contracts/errors'
import { zhIssueMessage } from '../src/contracts/messages'
import type { AppDeps, Caller, Ctx } from './context'
import { AppError } from './errors'
import { rolesInCommunity } from './communities/membership.repository'

/**
 * Who may call an action:
 * - 'public': anyone, logged in or not (login itself);
 * - 'user': any logged-in person;
 * - { roles }: a person holding one of these roles in the 小区 named by input.communityId
 *   (directly, or through the office, street or district that oversees it).
 */
export type Access = 'public' | 'user' | { roles: readonly Role[] }

export interface ActionDef<S extends v.GenericSchema = v.GenericSchema, O = unknown> {
  input: S
  access: Access
  handler: (input: v.InferOutput<S>, ctx: Ctx) => Promise<O>
}

/** Declares an action; the identity function exists only to infer the input type for the handler. */
export function action<S extends v.GenericSchema, O>(def: ActionDef<S, O>): ActionDef<S, O> {
  return def
}

export type Registry = Record<string, ActionDef<any, any>>

/** How a transport tells the registry who is calling. */
export interface Auth {
  /** Resolves the caller; may throw SessionExpired. Null when nobody is logged in. */
  caller: () => Promise<Caller | null>
  /** The HTTP bearer token, so logout can end exactly this session. */
  sessionToken?: string | null
}

function firstIssueMessage(issues: v.BaseIssue<unknown>[]): string {
  const issue = issues[0]
  const path = issue.path?.map((p) => String(p.key)).join('.')
  return path ? `${path}：${issue.message}` : issue.message
}

/**
 * Runs one action: resolve the caller, check access, validate input against its contract, call the handler,
 * and turn every outcome into the envelope. Unexpected errors are logged and hidden.
 */
export async function dispatch(
  registry: Registry,
  name: string,
  rawInput: unknown,
  deps: AppDeps,
  auth: Auth,
): Promise<Envelope<unknown>> {
  const resolveCaller = auth.caller
  try {
    const def = Object.prototype.hasOwnProperty.call(registry, name) ? registry[name] : undefined
    if (!def) throw new AppError('NotFound', `没有这个操作：${name}`)
    const caller = def.access === 'public' ? await resolveCaller().catch(() => null) : await resolveCaller()
    if (def.access !== 'public' && !caller) throw new AppError('Unauthenticated', '请先登录')
    let roles: Role[] = []
    if (typeof def.access === 'object') {
      // Access is decided before the rest of the input is looked at, so an outsider learns
      // nothing about another 小区, not even which of its inputs would be valid.
      const communityId = (rawInput as { communityId?: unknown } | null)?.communityId
      if (typeof communityId !== 'string' || communityId === '') throw new AppError('BadInput', '缺少小区编号 communityId')
      roles = await rolesInCommunity(deps.db, caller!.userId, communityId)
      if (roles.length === 0) throw new AppError('Forbidden', '您不是该小区的成员')
      if (!roles.some((r) => (def.access as { roles: readonly Role[] }).roles.includes(r))) {
        throw new AppError('Forbidden', '您在该小区没有进行此操作的权限')
      }
    }
    // Schemas without a message of their own get a Chinese one, never valibot's English.
    const parsed = v.safeParse(def.input, rawInput ?? {}, { message: zhIssueMessage })
    if (!parsed.success) {
      throw new AppError('BadInput', firstIssueMessage(parsed.issues), parsed.issues.map((i) => ({ path: i.path?.map((p: { key: unknown }) => p.key), message: i.message })))
    }
    const input = parsed.output as any
    const actor = caller ? { userId: caller.userId, roles } : null
    const data = await def.handler(input, { ...deps, caller, roles, actor, sessionToken: auth.sessionToken ?? null })
    return { ok: true, data }
  } catch (err) {
    if (err instanceof AppError) {
      return { ok: false, error: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) } }
    }
    deps.log.error({ err, action: name }, 'unexpected error in action')
    return { ok: false, error: { code: 'Internal', message: '服务器出错了，请稍后再试' } }
  }
}
