import { randomUUID } from 'node:crypto'
import os from 'node:os'
import path from 'node:path'
import pino from 'pino'
import { Kysely, sql } from 'kysely'
import { loadConfig } from '../../server/config'
import type { AppDeps } from '../../server/context'
import { createDb, migrateToLatest, type Dialect } from '../../server/db/create-db'
import type { Database } from '../../server/db/database'
import type { WeChatClient } from '../../server/wechat/wechat.client'

/** The dialects a server suite runs on: SQLite always, PostgreSQL when DATABASE_URL is set. */
export const DIALECTS: Dialect[] = process.env.DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite']

/**
 * A fresh migrated database: in-memory SQLite, or a new schema in the PostgreSQL database
 * so test files running in parallel never see each other's rows. Call `close` in afterAll.
 */
export async function freshDb(dialect: Dialect): Promise<{ db: Kysely<Database>; dialect: Dialect; close: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const { db } = await createDb({ sqliteFile: ':memory:' })
    await migrateToLatest(db)
    return { db, dialect, close: () => db.destroy() }
  }
  const url = process.env.DATABASE_URL!
  const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`
  const admin = (await createDb({ databaseUrl: url })).db
  await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(admin)
  await admin.destroy()
  const u = new URL(url)
  u.searchParams.set('options', `-c search_path=${schema}`)
  const { db } = await createDb({ databaseUrl: u.toString() })
  await migrateToLatest(db)
  return {
    db,
    dialect,
    close: async () => {
      await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(db)
      await db.destroy()
    },
  }
}

const noWeChat: WeChatClient = {
  code2Session: async () => {
    throw new Error('this test did not expect a WeChat call')
  },
  sendSubscribeMessage: async () => {
    throw new Error('this test did not expect a WeChat call')
  },
}

/** Deps for calling handlers through the registry in tests, with a movable clock. */
export function testDeps(db: Kysely<Database>, dialect: Dialect, over: Partial<AppDeps> = {}): AppDeps & { setNow: (d: Date) => void } {
  let now = new Date('2026-11-26T02:00:00.000Z')
  return {
    db,
    dialect,
    config: { ...loadConfig({ NODE_ENV: 'test', DEMO: '1' }), dataDir: path.join(os.tmpdir(), `gongzhi-test-${randomUUID()}`) },
    wechat: noWeChat,
    log: pino({ level: 'silent' }),
    now: () => now,
    setNow: (d: Date) => {
      now = d
    },
    ...over,
  }
}

export type TestDeps = ReturnType<typeof testDeps>

/**
 * One fresh migrated database for the enclosing describe block: beforeAll makes it (with deps over
 * it, as testDeps), afterAll drops it. Call it before the block's own hooks so they find it ready.
 * The objects answered are filled in by beforeAll: read them in hooks and tests, not at collection.
 */
export function useTestDb(dialect: Dialect): { env: { db: Kysely<Database>; dialect: Dialect }; deps: TestDeps } {
  const env = { dialect } as { db: Kysely<Database>; dialect: Dialect }
  const deps = {} as TestDeps
  let close: (() => Promise<void>) | undefined
  beforeAll(async () => {
    const fresh = await freshDb(dialect)
    close = fresh.close
    env.db = fresh.db
    Object.assign(deps, testDeps(fresh.db, dialect))
  })
  afterAll(() => close?.())
  return { env, deps }
}

/**
 * Asserts the database itself refused a write (a UNIQUE, FOREIGN KEY or CHECK constraint).
 * Matched by message, not by class: better-sqlite3's native addon keeps the SqliteError class of
 * the first test file that loaded it in a jest worker, so in later files that error is not an
 * `Error` of their realm and `rejects.toThrow()` would wrongly report "did not throw".
 */
export async function expectConstraintRefusal(write: Promise<unknown>): Promise<void> {
  await expect(write).rejects.toMatchObject({ message: expect.stringMatching(/constraint/i) })
}
