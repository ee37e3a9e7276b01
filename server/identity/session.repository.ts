import { sql } from 'kysely'
import { countsAt, placeChain, SCOPES, type Scope } from '../communities/scope.repository'
import { compiledOnce } from '../db/compiled'
import type { DbOrTx, SessionTable } from '../db/database'

export async function insertSession(db: DbOrTx, row: SessionTable): Promise<void> {
  await db.insertInto('sessions').values(row).execute()
}

export async function findSession(db: DbOrTx, tokenHash: string) {
  return (await findSessionQuery(db, tokenHash))[0]
}

// Run on every authenticated request: built and compiled once (server/db/compiled.ts).
const findSessionQuery = compiledOnce((db, tokenHash: string) =>
  db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.user_id', 's.expires_at', 's.revoked_at', 's.last_used_at', 'u.openid', 'u.deleted_at'])
    .where('s.token_hash', '=', tokenHash),
)

/** A session row as the caller check reads it: the session and its user. */
export interface SessionRow {
  user_id: string
  expires_at: string
  revoked_at: string | null
  last_used_at: string | null
  openid: string
  deleted_at: string | null
}

/**
 * The session of a token with its user (as findSession), and the user's roles at a place (the
 * rule of rolesAt, server/communities/scope.repository.ts): one row per membership that counts
 * there, or a single row with a null role when none does. Empty when the token is unknown. One
 * statement for what every role-checked request needs to know about its caller.
 */
export async function findSessionAt(db: DbOrTx, tokenHash: string, scope: Scope, placeId: string): Promise<(SessionRow & { role: string | null })[]> {
  return sessionAtQuery[scope](db, tokenHash, placeId)
}

// Run on every role-checked request: one query per scope, built and compiled once. The session
// by its primary key, the user by theirs; the place's chain is joined whatever the session (a
// row, or none), and the memberships are the user's own (memberships_user_idx), a few rows.
const sessionAtQuery = Object.fromEntries(
  SCOPES.map((scope) => [
    scope,
    compiledOnce((db, tokenHash: string, placeId: string) =>
      db
        .selectFrom('sessions as s')
        .innerJoin('users as u', 'u.id', 's.user_id')
        .leftJoin(placeChain(db, scope, placeId), (join) => join.on(sql<boolean>`1 = 1`))
        .leftJoin('memberships as m', (join) => join.onRef('m.user_id', '=', 's.user_id').on(countsAt(scope)))
        .select(['s.user_id', 's.expires_at', 's.revoked_at', 's.last_used_at', 'u.openid', 'u.deleted_at', 'm.role'])
        .where('s.token_hash', '=', tokenHash),
    ),
  ]),
) as Record<Scope, (db: DbOrTx, tokenHash: string, placeId: string) => Promise<(SessionRow & { role: string | null })[]>>

export async function revokeSession(db: DbOrTx, tokenHash: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: at }).where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).execute()
}

/** Marks a session used, at most once per `staleBeforeIso` window (one conditional write, no read). */
export async function touchSession(db: DbOrTx, tokenHash: string, at: string, staleBeforeIso: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_used_at: at })
    .where('token_hash', '=', tokenHash)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', staleBeforeIso)]))
    .execute()
}

/** A person's sessions still usable at `nowIso`, newest first. */
export async function liveSessionsOfUser(db: DbOrTx, userId: string, nowIso: string) {
  return db
    .selectFrom('sessions')
    .select(['token_hash', 'created_at', 'expires_at', 'last_used_at', 'user_agent'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', nowIso)
    .orderBy('created_at', 'desc')
    .orderBy('token_hash')
    .execute()
}

export async function deleteSessionsOfUser(db: DbOrTx, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute()
}

/** Sessions that ended (expired or logged out) before `beforeIso`: nothing can use them again. */
export async function deleteEndedSessions(db: DbOrTx, beforeIso: string): Promise<number> {
  const res = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<', beforeIso), eb('revoked_at', '<', beforeIso)]))
    .executeTakeFirst()
  return Number(res.numDeletedRows)
}
