import { randomUUID } from 'node:crypto'
import type { DbOrTx } from '../db/database'

/** The user behind a WeChat openid, created on first login. */
export async function findOrCreateUser(db: DbOrTx, openid: string, nickname: string, now: Date): Promise<{ id: string; openid: string }> {
  const existing = await db.selectFrom('users').select(['id', 'openid']).where('openid', '=', openid).executeTakeFirst()
  if (existing) return existing
  const id = randomUUID()
  // Two first logins racing: the unique openid keeps one row; the loser reads it back.
  await db
    .insertInto('users')
    .values({ id, openid, nickname, created_at: now.toISOString() })
    .onConflict((oc) => oc.column('openid').doNothing())
    .execute()
  return db.selectFrom('users').select(['id', 'openid']).where('openid', '=', openid).executeTakeFirstOrThrow()
}

export async function findUserByOpenid(db: DbOrTx, openid: string) {
  return db.selectFrom('users').select(['id', 'openid', 'nickname']).where('openid', '=', openid).executeTakeFirst()
}
