import type { Role } from '../src/contracts/common'
import type { Config } from './config'
import type { Db } from './db/database'
import type { Dialect } from './db/create-db'
import type { CloudFiles } from './uploads/uploaded-file'
import type { WeChatClient } from './wechat/wechat.client'

export interface Caller {
  userId: string
  openid: string
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

/** What a handler sees: the process deps, the caller, and (for 小区-scoped actions) the caller's roles there. */
export interface Ctx extends AppDeps {
  caller: Caller | null
  roles: Role[]
  sessionToken: string | null
}

export interface Logger {
  info(obj: object | string, msg?: string): void
  warn(obj: object | string, msg?: string): void
  error(obj: object | string, msg?: string): void
}

/** The caller, or Unauthenticated; for handlers whose access is 'user' or role-based. */
export function requireCaller(ctx: Ctx): Caller {
  if (!ctx.caller) throw new Error('requireCaller on an unauthenticated context: registry access is misconfigured')
  return ctx.caller
}
