import type { Role } from '../src/contracts/common'
import type { Config } from './config'
import type { Db, DbOrTx } from './db/database'
import type { Dialect } from './db/create-db'
import { groupCommitOf } from './db/group-commit'
import type { CloudFiles } from './uploads/uploaded-file'
import type { WeChatClient } from './wechat/wechat.client'

export interface Caller {
  userId: string
  openid: string
}

/** Who acts in a service call: the logged-in person and their roles in the 小区 the action names. */
export interface Actor {
  userId: string
  roles: Role[]
}

/** What the process holds for its lifetime; one per server or per cloud-function instance. */
export interface AppDeps {
  db: Db
  dialect: Dialect
  config: Config
  wechat: WeChatClient
  log: Logger
  /** The clock; tests move it. */
  now: () => Date
  /** Temporary uploads in WeChat cloud storage: set in the cloud function only (see server/uploads). */
  cloudFiles?: CloudFiles
}

/**
 * The one argument every service takes first: `service(ctx, input)`.
 * `db` is the database or the transaction the call runs in (see withTx); `actor` is the person
 * acting (null for the system: jobs, the demo seed); the clock and the process deps ride along.
 */
export interface Ctx extends Omit<AppDeps, 'db'> {
  db: DbOrTx
  caller: Caller | null
  /** The caller's roles in the 小区 named by the input (registry-checked); [] for other actions. */
  roles: Role[]
  actor: Actor | null
  sessionToken: string | null
  /** The HTTP User-Agent of the request, when there is one (labels a new session's device). */
  userAgent?: string | null
}

/** A ctx for work the system does on its own (jobs, seeding, scripts): no caller, no roles. */
export function systemCtx(deps: AppDeps): Ctx {
  return { ...deps, caller: null, roles: [], actor: null, sessionToken: null }
}

/** A ctx acting as a given person with given roles (scripts, tests, the demo seed). */
export function actorCtx(deps: AppDeps | Ctx, actor: Actor): Ctx {
  return { ...deps, caller: null, actor, roles: actor.roles, sessionToken: null } as Ctx
}

/**
 * Runs fn in a transaction on ctx's database, or in the one ctx already holds; resolves once it is
 * committed. On SQLite, transactions that arrive together share one COMMIT (server/db/group-commit.ts),
 * each in its own savepoint: a body that throws leaves nothing behind. Every transaction goes
 * through here: Kysely's db.transaction() directly would collide with an open group on SQLite.
 */
export function withTx<C extends { db: DbOrTx }, T>(ctx: C, fn: (ctx: C) => Promise<T>): Promise<T> {
  if (ctx.db.isTransaction) return fn(ctx)
  const group = groupCommitOf(ctx.db)
  if (group) return group.run((trx) => fn({ ...ctx, db: trx }))
  return ctx.db.transaction().execute((trx) => fn({ ...ctx, db: trx }))
}

export interface Logger {
  info(obj: object | string, msg?: string): void
  warn(obj: object | string, msg?: string): void
  error(obj: object | string, msg?: string): void
}

/** The caller, or a programming error; for handlers whose access is 'user' or role-based. */
export function requireCaller(ctx: Ctx): Caller {
  if (!ctx.caller) throw new Error('requireCaller on an unauthenticated context: registry access is misconfigured')
  return ctx.caller
}

/** The acting person, or a programming error; for services that need one. */
export function requireActor(ctx: Ctx): Actor {
  if (!ctx.actor) throw new Error('requireActor on a system context')
  return ctx.actor
}
