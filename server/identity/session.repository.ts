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
