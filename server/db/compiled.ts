import { CompiledQuery, PostgresAdapter, type Compilable } from 'kysely'
import type { DbOrTx } from './database'

/**
 * A hot query built and compiled by Kysely once per dialect, then run with new parameters: the
 * per-request cost of building the query tree and compiling it to SQL is paid once. `build` must
 * use its parameters only as values (never to choose the query's shape); each is passed through
 * as a bound parameter (strings or numbers: while building, each parameter holds a string
 * sentinel that marks its place). Works on the database and inside a transaction alike.
 *
 *   const byId = compiledOnce((db, id: string) => db.selectFrom('users').select('nickname').where('id', '=', id))
 *   const rows = await byId(db, userId)
 */
export function compiledOnce<P extends (string | number)[], R>(build: (db: DbOrTx, ...params: P) => Compilable<R>): (db: DbOrTx, ...params: P) => Promise<R[]> {
  const cache = new Map<string, { query: CompiledQuery<R>; slots: (number | null)[] }>()
  return async (db, ...params) => {
    const dialect = db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite'
    let entry = cache.get(dialect)
    if (!entry) {
      // Build with sentinel values, then find where each parameter landed in the bound list.
      const sentinels = params.map((_, i) => `\u0000compiledOnce:${i}\u0000`) as P
      const query = build(db, ...sentinels).compile()
      const slots = query.parameters.map((p) => {
        const i = sentinels.indexOf(p as string)
        return i >= 0 ? i : null
      })
      if (params.some((_, i) => !slots.includes(i))) throw new Error('compiledOnce: every parameter must be bound as a value')
      entry = { query, slots }
      cache.set(dialect, entry)
    }
    const { query, slots } = entry
    const parameters = query.parameters.map((p, i) => (slots[i] === null ? p : params[slots[i]!]))
    const result = await db.executeQuery<R>(CompiledQuery.raw(query.sql, parameters) as CompiledQuery<R>)
    return result.rows
  }
}

/**
 * compiledOnce for a query over a list of ids (`IN (…)`), whose text depends on the list's length:
 * one compiled statement per length, for up to `maxLengths` lengths (others are compiled at each
 * call). `key` is a text bound as a value too (the 小区, say). An empty list answers no rows
 * without a statement.
 *
 *   const ofUnits = compiledPerLength((db, communityId, ids) => db.selectFrom('units').selectAll().where('community_id', '=', communityId).where('id', 'in', ids))
 */
export function compiledPerLength<R>(build: (db: DbOrTx, key: string, ids: string[]) => Compilable<R>, maxLengths = 32): (db: DbOrTx, key: string, ids: readonly string[]) => Promise<R[]> {
  const byLength = new Map<number, (db: DbOrTx, key: string, ...ids: string[]) => Promise<R[]>>()
  return async (db, key, ids) => {
    if (ids.length === 0) return []
    let run = byLength.get(ids.length)
    if (!run) {
      run = compiledOnce((d: DbOrTx, k: string, ...xs: string[]) => build(d, k, xs))
      if (byLength.size < maxLengths) byLength.set(ids.length, run)
    }
    return run(db, key, ...ids)
  }
}
