import * as v from 'valibot'
import { hasAnyRole, type Role, type RoleSet } from '../src/contracts/roles'
import type { Envelope } from '../src/contracts/errors'
import { zhIssueMessage } from '../src/contracts/messages'
import type { AppDeps, Caller, Ctx } from './context'
import { AppError } from './errors'
import { controlCharPath } from './input-guard'
import { commitMark, settled } from './db/group-commit'
import { rolesAt, SCOPE_FIELD, type Scope } from './communities/scope.repository'

export type { Scope } from './communities/scope.repository'

/**
 * Who may call an action:
 * - 'public': anyone, logged in or not (login itself);
 * - 'user': any logged-in person;
 * - { roles, scope }: a person holding one of these roles at the place the input names, at the
 *   action's level: a 小区 (input.communityId, the default), a community office (input.officeId),
 *   a street (input.streetId) or the district (input.districtId). A role counts when it is held
 *   at that place or above it (see rolesAt). A list of scopes lets the caller name any one of
 *   those levels (an officer's list of their 小区, asked for their office, street or district).
 */
export type Access = 'public' | 'user' | RoleAccess
export interface RoleAccess {
  roles: RoleSet
  scope?: Scope | readonly Scope[]
}

const SCOPE_WORDS: Record<Scope, { name: string; notMember: string; noRole: string }> = {
  community: { name: '小区', notMember: '您不是该小区的成员', noRole: '您在该小区没有进行此操作的权限' },
  office: { name: '社区', notMember: '您不负责该社区', noRole: '您在该社区没有进行此操作的权限' },
  street: { name: '街道', notMember: '您不负责该街道', noRole: '您在该街道没有进行此操作的权限' },
  district: { name: '区', notMember: '您不负责该区', noRole: '您在该区没有进行此操作的权限' },
}

/**
 * Which place the input names, at one of the access's levels. Read from the raw input before it
 * is validated; exactly one of the levels' id fields must be a non-empty string.
 */
function placeOf(access: RoleAccess, rawInput: unknown): { scope: Scope; id: string } {
  const scopes: readonly Scope[] = access.scope === undefined ? ['community'] : typeof access.scope === 'string' ? [access.scope] : access.scope
  const raw = (rawInput ?? {}) as Record<string, unknown>
  const named = scopes.filter((s) => raw[SCOPE_FIELD[s]] !== undefined)
  if (named.length > 1) throw new AppError('BadInput', `只能指定一个范围：${named.map((s) => SCOPE_FIELD[s]).join('、')}`)
  const scope = named[0] ?? scopes[0]
  const id = raw[SCOPE_FIELD[scope]]
  if (typeof id !== 'string' || id === '') {
    const wanted = scopes.map((s) => `${SCOPE_WORDS[s].name}编号 ${SCOPE_FIELD[s]}`).join(' 或 ')
    throw new AppError('BadInput', `缺少${wanted}`)
  }
  // An id is looked up before the contract is read: refuse what no id can be (control characters, length).
  if (id.length > 64 || controlCharPath(id)) throw new AppError('BadInput', `${SCOPE_FIELD[scope]}：编号格式不正确`)
  return { scope, id }
}

export interface ActionDef<S extends v.GenericSchema = v.GenericSchema, O = unknown> {
  input: S
  access: Access
  // A method, so that a registry of actions with different inputs is a Record<string, ActionDef>.
  handler(input: v.InferOutput<S>, ctx: Ctx): Promise<O>
  /**
   * Largest request body this action takes over HTTP, in bytes (default JSON_BODY_LIMIT). Only
   * actions that carry a file in base64 raise it, to what their file rule allows.
   */
  bodyLimit?: number
}

/** Declares an action; the identity function exists only to infer the input type for the handler. */
export function action<S extends v.GenericSchema, O>(def: ActionDef<S, O>): ActionDef<S, O> {
  return def
}

export type Registry = Record<string, ActionDef>

/** How a transport tells the registry who is calling. */
export interface Auth {
  /** Resolves the caller; may throw SessionExpired. Null when nobody is logged in. */
  caller: () => Promise<Caller | null>
  /**
   * Optional: the caller (as `caller`) and their roles at a place (as rolesAt) in one lookup. The
   * HTTP transport reads the session and the memberships in one statement; without it the
   * registry resolves the caller, then asks rolesAt.
   */
  callerAt?: (scope: Scope, id: string) => Promise<{ caller: Caller; roles: Role[] } | null>
  /** The HTTP bearer token, so logout can end exactly this session. */
  sessionToken?: string | null
  /** The HTTP User-Agent, so a new session says what device it was opened from. */
  userAgent?: string | null
}

function firstIssueMessage(issues: v.BaseIssue<unknown>[]): string {
  const issue = issues[0]
  const path = issue.path?.map((p) => String(p.key)).join('.')
  return path ? `${path}：${issue.message}` : issue.message
}

const unauthenticated = () => new AppError('Unauthenticated', '请先登录')

/**
 * Who is calling and what they may do here, before the input is validated: the caller (none for
 * a public action when nobody is logged in) and, for a role access, their roles at the place the
 * input names, which must include one of the access's roles. Refusals in this order, whatever
 * the transport: SessionExpired, Unauthenticated, BadInput for a missing or malformed place,
 * Forbidden.
 */
async function checkAccess(access: Access, rawInput: unknown, deps: AppDeps, auth: Auth): Promise<{ caller: Caller | null; roles: Role[] }> {
  if (access === 'public') return { caller: await auth.caller().catch(() => null), roles: [] }
  if (access === 'user') {
    const caller = await auth.caller()
    if (!caller) throw unauthenticated()
    return { caller, roles: [] }
  }
  // Access is decided before the rest of the input is looked at, so an outsider learns
  // nothing about another 小区 (or office, street, district), not even which of its inputs would be valid.
  let place: { scope: Scope; id: string }
  try {
    place = placeOf(access, rawInput)
  } catch (err) {
    // A place that is missing or malformed is BadInput, once the caller checks out.
    if (!(await auth.caller())) throw unauthenticated()
    throw err
  }
  const { scope, id } = place
  const found = auth.callerAt ? await auth.callerAt(scope, id) : await callerThenRoles(deps, auth, scope, id)
  if (!found) throw unauthenticated()
  if (found.roles.length === 0) throw new AppError('Forbidden', SCOPE_WORDS[scope].notMember)
  if (!hasAnyRole(found.roles, access.roles)) throw new AppError('Forbidden', SCOPE_WORDS[scope].noRole)
  return found
}

/** The caller, then their roles at the place: for transports that look them up apart (the cloud function). */
async function callerThenRoles(deps: AppDeps, auth: Auth, scope: Scope, id: string): Promise<{ caller: Caller; roles: Role[] } | null> {
  const caller = await auth.caller()
  return caller && { caller, roles: await rolesAt(deps.db, caller.userId, scope, id) }
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
  // On SQLite a plain write may ride in an open group commit: no answer before it is durable.
  const mark = commitMark(deps.db)
  try {
    const def = Object.prototype.hasOwnProperty.call(registry, name) ? registry[name] : undefined
    if (!def) throw new AppError('NotFound', `没有这个操作：${name}`)
    const { caller, roles } = await checkAccess(def.access, rawInput, deps, auth)
    const badPath = controlCharPath(rawInput)
    if (badPath) {
      const where = badPath.length ? `${badPath.join('.')}：` : ''
      throw new AppError('BadInput', `${where}不能含有控制字符（如 \\u0000）`, [{ path: badPath, message: '不能含有控制字符' }])
    }
    // Schemas without a message of their own get a Chinese one, never valibot's English.
    const parsed = v.safeParse(def.input, rawInput ?? {}, { message: zhIssueMessage })
    if (!parsed.success) {
      throw new AppError('BadInput', firstIssueMessage(parsed.issues), parsed.issues.map((i) => ({ path: i.path?.map((p: { key: unknown }) => p.key), message: i.message })))
    }
    const input = parsed.output
    const actor = caller ? { userId: caller.userId, roles } : null
    const data = await def.handler(input, { ...deps, caller, roles, actor, sessionToken: auth.sessionToken ?? null, userAgent: auth.userAgent ?? null })
    await settled(deps.db, mark)
    return { ok: true, data }
  } catch (err) {
    if (err instanceof AppError && (await settled(deps.db, mark).then(() => true, () => false))) {
      return { ok: false, error: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) } }
    }
    deps.log.error({ err, action: name }, 'unexpected error in action')
    return { ok: false, error: { code: 'Internal', message: '服务器出错了，请稍后再试' } }
  }
}
