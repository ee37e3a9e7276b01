/**
 * What every database benchmark here needs: timing with warm-up, median/p95, and running the
 * same bench on SQLite (a file in a temp dir) and, when DATABASE_URL is set, on PostgreSQL in a
 * scratch schema that is dropped afterwards.
 */
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Kysely, sql } from 'kysely'
import { createDb, migrateToLatest, type Dialect } from '../../server/db/create-db'
import type { Database } from '../../server/db/database'

export interface Stat { median: number; p95: number; mean: number }

export function stats(samples: number[]): Stat {
  const s = [...samples].sort((a, b) => a - b)
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]
  return { median: q(0.5), p95: q(0.95), mean: s.reduce((a, b) => a + b, 0) / s.length }
}

/** Runs `fn` `warmup` times unmeasured, then `runs` times measured (ms); `fn` gets the run's index. */
export async function time(fn: (i: number) => Promise<unknown> | unknown, runs: number, warmup: number): Promise<Stat> {
  for (let i = 0; i < warmup; i++) await fn(i)
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint()
    await fn(warmup + i)
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6)
  }
  return stats(samples)
}

/** Runs `bench` on a fresh migrated SQLite file, then on a scratch PostgreSQL schema if DATABASE_URL is set. */
export async function onEachDialect(bench: (dialect: Dialect, db: Kysely<Database>) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-bench-'))
  try {
    const { db } = await createDb({ sqliteFile: path.join(dir, 'bench.sqlite') })
    await migrateToLatest(db)
    await bench('sqlite', db)
    await db.destroy()
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }

  const url = process.env.DATABASE_URL
  if (!url) {
    console.log('\n(PostgreSQL skipped: set DATABASE_URL to run it too)')
    return
  }
  const schema = `bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`
  const admin = (await createDb({ databaseUrl: url })).db
  await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(admin)
  const u = new URL(url)
  u.searchParams.set('options', `-c search_path=${schema}`)
  const { db } = await createDb({ databaseUrl: u.toString() })
  try {
    await migrateToLatest(db)
    await bench('postgres', db)
  } finally {
    await db.destroy()
    await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(admin)
    await admin.destroy()
  }
}
