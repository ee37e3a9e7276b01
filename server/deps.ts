import pino from 'pino'
import type { Config } from './config'
import type { AppDeps } from './context'
import { createDb, migrateToLatest } from './db/create-db'
import { createWeChatClient } from './wechat/wechat.client'

/** Opens the database, migrates it and wires the process-wide dependencies. */
export async function createDeps(config: Config, overrides: Partial<AppDeps> = {}): Promise<AppDeps> {
  const { db, dialect } = overrides.db && overrides.dialect
    ? { db: overrides.db, dialect: overrides.dialect }
    : await createDb({ databaseUrl: config.databaseUrl, sqliteFile: config.sqliteFile })
  await migrateToLatest(db)
  return {
    db,
    dialect,
    config,
    wechat: overrides.wechat ?? createWeChatClient(config.wechat),
    log: overrides.log ?? pino({ level: config.env === 'test' ? 'silent' : 'info' }),
    now: overrides.now ?? (() => new Date()),
  }
}
