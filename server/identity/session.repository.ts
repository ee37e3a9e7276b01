import type { DbOrTx, SessionTable } from '../db/database'

export async function insertSession(db: DbOrTx, row: SessionTable): Promise<void> {
  await db.insertInto('sessions').values(row).execute()
}

export async function findSession(db: DbOrTx, tokenHash: string) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.user_id', 's.expires_at', 's.revoked_at', 'u.openid'])
    .where('s.token_hash', '=', tokenHash)
    .executeTakeFirst()
}

export async function revokeSession(db: DbOrTx, tokenHash: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: at }).where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).execute()
}

/** Sessions that ended (expired or logged out) before `beforeIso`: nothing can use them again. */
export async function deleteEndedSessions(db: DbOrTx, beforeIso: string): Promise<number> {
  const res = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<', beforeIso), eb('revoked_at', '<', beforeIso)]))
    .executeTakeFirst()
  return Number(res.numDeletedRows)
}
