import fs from 'node:fs'
import path from 'node:path'
import { Kysely, Migrator, PostgresAdapter, PostgresDialect, SqliteDialect, sql, type DatabaseIntrospector } from 'kysely'
import type { Database } from './database'
import { sqliteConnectionOf } from './group-commit'
import { migrationProvider } from './migrations'

export type Dialect = 'sqlite' | 'postgres'

export interface DbOptions {
  /** postgres://… selects PostgreSQL; otherwise SQLite. */
  databaseUrl?: string
  /** SQLite file, or ':memory:'. */
  sqliteFile?: string
  /**
   * Most PostgreSQL connections this process opens (default: PG_POOL_MAX, else 10). The cloud
   * function sets PG_POOL_MAX to 2 per instance: instances multiply under load, PostgreSQL's
   * connections do not (put PgBouncer in transaction pooling in front; see the README).
   */
  poolMax?: number
}

/** The pool size: the option, else PG_POOL_MAX, else 10. */
export function poolMaxOf(opts: Pick<DbOptions, 'poolMax'>, env: NodeJS.ProcessEnv = process.env): number {
  const n = opts.poolMax ?? Number(env.PG_POOL_MAX || 10)
  if (!Number.isInteger(n) || n < 1) throw new Error(`PG_POOL_MAX 应为正整数：${env.PG_POOL_MAX}`)
  return n
}

/** Opens the database the options name. SQLite runs in WAL with synchronous=FULL so an acknowledged write survives a crash. */
export async function createDb(opts: DbOptions): Promise<{ db: Kysely<Database>; dialect: Dialect }> {
  if (opts.databaseUrl) {
    const { Pool, types } = await import('pg')
    // COUNT(*) and BIGINT come back as strings by default; our integers fit in a JS number.
    types.setTypeParser(20, (v: string) => Number(v))
    const pool = new Pool({ connectionString: opts.databaseUrl, max: poolMaxOf(opts) })
    return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), dialect: 'postgres' }
  }
  const Sqlite = (await import('better-sqlite3')).default
  const file = opts.sqliteFile ?? ':memory:'
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true })
  const database = new Sqlite(file)
  database.pragma('journal_mode = WAL')
  database.pragma('synchronous = FULL')
  database.pragma('foreign_keys = ON')
  database.pragma('busy_timeout = 5000')
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) })
  sqliteConnectionOf(db, database)
  return { db, dialect: 'sqlite' }
}

/** Brings the schema up to date; throws with the failing migration's error. */
export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  // On PostgreSQL, keep Kysely's bookkeeping tables in the schema we migrate (the first on the
  // search_path), or it finds another schema's tables and never creates its own.
  const schema = db.getExecutor().adapter instanceof PostgresAdapter
    ? (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(db)).rows[0].s
    : undefined
  // Features land in parallel and each adds its own tables, so a database that ran a later
  // migration first still takes an earlier-numbered one that arrived after it.
  const migrator = new Migrator({
    db: schema ? withSchemaIntrospection(db, schema) : db,
    provider: migrationProvider,
    allowUnorderedMigrations: true,
    ...(schema ? { migrationTableSchema: schema } : {}),
  })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error || failed) {
    throw new Error(`数据库迁移失败：${failed?.migrationName ?? ''} ${String(error)}`)
  }
}

/**
 * The database as the migrator sees it, looking only into `schema`. Kysely's PostgreSQL
 * introspection reads every schema's columns and calls has_schema_privilege() on each schema's
 * name: a schema dropped meanwhile by another process (test files run side by side, each in its
 * own schema) makes that call fail with "schema … does not exist". The migrator only asks whether
 * its schema and its two tables exist, which one catalog query of this schema answers.
 */
function withSchemaIntrospection(db: Kysely<any>, schema: string): Kysely<any> {
  const introspection: DatabaseIntrospector = {
    getSchemas: async () => [{ name: schema }],
    getTables: async () => {
      const { rows } = await sql<{ name: string; kind: string }>`
        SELECT c.relname AS name, c.relkind AS kind FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ${schema} AND c.relkind IN ('r', 'p', 'v')`.execute(db)
      return rows.map((r) => ({ name: r.name, schema, isView: r.kind === 'v', columns: [] }))
    },
    getMetadata: async () => ({ tables: await introspection.getTables() }),
  }
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'introspection') return introspection
      const value = Reflect.get(target, prop, target) as unknown
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

type SqliteDatabase = import('better-sqlite3').Database
type SqliteStatement = import('better-sqlite3').Statement

/**
 * Kysely's SQLite driver prepares every statement anew; preparing is a good part of a simple
 * read's time. This hands it a database whose `prepare` keeps the last `max` statements by their
 * SQL (least recently used go first). Safe because Kysely runs one statement at a time on its one
 * connection and reads every row at once (no streaming over a shared statement); SQLite itself
 * re-prepares a cached statement when the schema changes under it.
 */
export function withStatementCache(database: SqliteDatabase, max = 1000): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>()
  const prepare = (sql: string): SqliteStatement => {
    let stmt = cache.get(sql)
    if (stmt) {
      cache.delete(sql)
    } else {
      stmt = database.prepare(sql)
      if (cache.size >= max) cache.delete(cache.keys().next().value as string)
    }
    cache.set(sql, stmt)
    return stmt
  }
  return new Proxy(database, {
    get(target, prop) {
      if (prop === 'prepare') return prepare
      const value = Reflect.get(target, prop, target) as unknown
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}
