import { createHash, randomBytes } from 'node:crypto'
import type { SessionInfo } from '../../src/contracts/identity'
import type { MySession } from '../../src/contracts/privacy'
import type { Role } from '../../src/contracts/roles'
import { addDaysIso } from '../../src/contracts/time'
import type { Scope } from '../communities/scope.repository'
import { requireCaller, type Caller, type Ctx } from '../context'
import { AppError } from '../errors'
import { deviceLabel } from './device-label'
import { findSession, findSessionAt, insertSession, liveSessionsOfUser, revokeSession, touchSession, type SessionRow } from './session.repository'

/** What session services need of ctx: the database, the clock, the config (session length, demo mode). */
type SessionCtx = Pick<Ctx, 'db' | 'now' | 'config'> & { userAgent?: string | null }

/** Tokens are stored only as their SHA-256, so a database dump cannot be replayed as logins. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

/** How often "last used" is written: at most once in this many minutes per session. */
const TOUCH_MINUTES = 5

/** Opens a session for the user lasting `days` (default: the configured session length), labelled with the device it came from. */
export async function openSession(ctx: SessionCtx, input: { userId: string; days?: number }): Promise<SessionInfo> {
  const now = ctx.now()
  const token = randomBytes(32).toString('base64url')
  const expiresAt = addDaysIso(now, input.days ?? ctx.config.sessionDays)
  await insertSession(ctx.db, {
    token_hash: hashToken(token),
    user_id: input.userId,
    created_at: now.toISOString(),
    expires_at: expiresAt,
    revoked_at: null,
    user_agent: ctx.userAgent ? deviceLabel(ctx.userAgent) : null,
    last_used_at: now.toISOString(),
  })
  return { token, expiresAt }
}

const expired = () => new AppError('SessionExpired', '登录已过期，请重新登录')

/**
 * The caller a bearer token stands for. An unknown, revoked or expired token is SessionExpired, so
 * the client logs in again; so is a session opened by demo login once demo mode is off, and one of
 * a deleted account. A live session is marked used (at most every few minutes).
 */
export async function callerFromToken(ctx: SessionCtx, input: { token: string }): Promise<Caller> {
  const hash = hashToken(input.token)
  return liveCaller(ctx, hash, await findSession(ctx.db, hash))
}

/**
 * The caller a bearer token stands for (as callerFromToken) and their roles at a place (as
 * rolesAt), read in one statement: what a role-checked request needs before anything else.
 */
export async function callerAtFromToken(ctx: SessionCtx, input: { token: string; scope: Scope; placeId: string }): Promise<{ caller: Caller; roles: Role[] }> {
  const hash = hashToken(input.token)
  const rows = await findSessionAt(ctx.db, hash, input.scope, input.placeId)
  const caller = await liveCaller(ctx, hash, rows[0])
  return { caller, roles: [...new Set(rows.flatMap((r) => (r.role === null ? [] : [r.role as Role])))] }
}

/** The caller of a session row, if the session is live; marks it used. */
async function liveCaller(ctx: SessionCtx, hash: string, row: SessionRow | undefined): Promise<Caller> {
  const now = ctx.now()
  if (!row || row.revoked_at || row.deleted_at || row.expires_at <= now.toISOString()) throw expired()
  if (!ctx.config.demo && row.openid.startsWith('demo:')) throw expired()
  const stale = new Date(now.getTime() - TOUCH_MINUTES * 60_000).toISOString()
  if (!row.last_used_at || row.last_used_at < stale) await touchSession(ctx.db, hash, now.toISOString(), stale)
  return { userId: row.user_id, openid: row.openid }
}

export async function closeSession(ctx: SessionCtx, input: { token: string }): Promise<void> {
  await revokeSession(ctx.db, hashToken(input.token), ctx.now().toISOString())
}

/** A session's id as its owner sees it: a prefix of the token's hash (the hash itself stays inside). */
const sessionId = (tokenHash: string) => tokenHash.slice(0, 16)

/** The devices logged in to the caller's account: opened, last used, what from, and which is this one. */
export async function mySessions(ctx: Ctx): Promise<MySession[]> {
  const caller = requireCaller(ctx)
  const current = ctx.sessionToken ? hashToken(ctx.sessionToken) : null
  const rows = await liveSessionsOfUser(ctx.db, caller.userId, ctx.now().toISOString())
  return rows.map((r) => ({
    id: sessionId(r.token_hash),
    device: r.user_agent ?? '未知设备',
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
    current: r.token_hash === current,
  }))
}

/** Ends one of the caller's sessions (that device must log in again); another person's id is NotFound. */
export async function endMySession(ctx: Ctx, input: { id: string }): Promise<{ ended: true; current: boolean }> {
  const caller = requireCaller(ctx)
  const rows = await liveSessionsOfUser(ctx.db, caller.userId, ctx.now().toISOString())
  const row = rows.find((r) => sessionId(r.token_hash) === input.id)
  if (!row) throw new AppError('NotFound', '没有这个登录设备，可能已经退出')
  await revokeSession(ctx.db, row.token_hash, ctx.now().toISOString())
  const current = ctx.sessionToken ? hashToken(ctx.sessionToken) === row.token_hash : false
  return { ended: true, current }
}
