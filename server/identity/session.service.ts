import { createHash, randomBytes } from 'node:crypto'
import type { SessionInfo } from '../../src/contracts/identity'
import { addDaysIso } from '../../src/contracts/time'
import type { Caller, Ctx } from '../context'
import { AppError } from '../errors'
import { findSession, insertSession, revokeSession } from './session.repository'

/** What session services need of ctx: the database, the clock, the config (session length, demo mode). */
type SessionCtx = Pick<Ctx, 'db' | 'now' | 'config'>

/** Tokens are stored only as their SHA-256, so a database dump cannot be replayed as logins. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

/** Opens a session for the user lasting `days` (default: the configured session length). */
export async function openSession(ctx: SessionCtx, input: { userId: string; days?: number }): Promise<SessionInfo> {
  const now = ctx.now()
  const token = randomBytes(32).toString('base64url')
  const expiresAt = addDaysIso(now, input.days ?? ctx.config.sessionDays)
  await insertSession(ctx.db, { token_hash: hashToken(token), user_id: input.userId, created_at: now.toISOString(), expires_at: expiresAt, revoked_at: null })
  return { token, expiresAt }
}

const expired = () => new AppError('SessionExpired', '登录已过期，请重新登录')

/**
 * The caller a bearer token stands for. An unknown, revoked or expired token is SessionExpired, so
 * the client logs in again; so is a session opened by demo login once demo mode is off.
 */
export async function callerFromToken(ctx: SessionCtx, input: { token: string }): Promise<Caller> {
  const row = await findSession(ctx.db, hashToken(input.token))
  if (!row || row.revoked_at || row.expires_at <= ctx.now().toISOString()) throw expired()
  if (!ctx.config.demo && row.openid.startsWith('demo:')) throw expired()
  return { userId: row.user_id, openid: row.openid }
}

export async function closeSession(ctx: SessionCtx, input: { token: string }): Promise<void> {
  await revokeSession(ctx.db, hashToken(input.token), ctx.now().toISOString())
}
