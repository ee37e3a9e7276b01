import { createHash, randomBytes } from 'node:crypto'
import type { SessionInfo } from '../../src/contracts/identity'
import type { Caller } from '../context'
import type { Db } from '../db/database'
import { AppError } from '../errors'
import { findSession, insertSession, revokeSession } from './session.repository'

/** Tokens are stored only as their SHA-256, so a database dump cannot be replayed as logins. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

export async function openSession(db: Db, userId: string, now: Date, days: number): Promise<SessionInfo> {
  const token = randomBytes(32).toString('base64url')
  const expiresAt = new Date(now.getTime() + days * 86_400_000).toISOString()
  await insertSession(db, { token_hash: hashToken(token), user_id: userId, created_at: now.toISOString(), expires_at: expiresAt, revoked_at: null })
  return { token, expiresAt }
}

/** The caller a bearer token stands for. An unknown, revoked or expired token is SessionExpired, so the client logs in again. */
export async function callerFromToken(db: Db, token: string, now: Date): Promise<Caller> {
  const row = await findSession(db, hashToken(token))
  if (!row || row.revoked_at || row.expires_at <= now.toISOString()) {
    throw new AppError('SessionExpired', '登录已过期，请重新登录')
  }
  return { userId: row.user_id, openid: row.openid }
}

export async function closeSession(db: Db, token: string, now: Date): Promise<void> {
  await revokeSession(db, hashToken(token), now.toISOString())
}
