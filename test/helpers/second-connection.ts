import { Kysely, sql } from 'kysely'
import { createDb, type Dialect } from '../../server/db/create-db'
import type { Database } from '../../server/db/database'

/**
 * Another connection pool onto the same database, as a second server process would have: on
 * PostgreSQL a new pool on the test's schema; in-memory SQLite cannot be shared, so the same handle
 * (its one connection serialises statements, as SQLite's file lock would). Call `close` after.
 */
export async function secondConnection(db: Kysely<Database>, dialect: Dialect): Promise<{ db: Kysely<Database>; close: () => Promise<void> }> {
  if (dialect === 'sqlite') return { db, close: async () => {} }
  const schema = (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(db)).rows[0].s
  const u = new URL(process.env.DATABASE_URL!)
  u.searchParams.set('options', `-c search_path=${schema}`)
  const other = (await createDb({ databaseUrl: u.toString() })).db
  return { db: other, close: () => other.destroy() }
}
