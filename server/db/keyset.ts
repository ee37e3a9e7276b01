import { sql, type RawBuilder, type SqlBool } from 'kysely'
import { AppError } from '../errors'

/**
 * Keyset pages: a list ordered by (some columns…, id) continues strictly after the last row shown,
 * so rows arriving or sharing a sort key between pages are neither repeated nor skipped, and the
 * query walks an index instead of counting an OFFSET. The cursor handed to the client is opaque:
 * the last row's key values as base64url JSON.
 */

/** A key value as it sits in a cursor: text (ISO times, ids) or a number. */
export type KeyValue = string | number
/** Checks one decoded value; a cursor whose values fail is refused as forged. */
export type KeyCheck = (value: unknown) => boolean

export const isText: KeyCheck = (v) => typeof v === 'string' && v.length > 0 && v.length <= 64
export const isIsoTime: KeyCheck = (v) => typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(v)
export const isNumber: KeyCheck = (v) => typeof v === 'number' && Number.isFinite(v)

const DEFAULT_MESSAGE = '翻页参数无效，请刷新列表'

/** The opaque cursor for a row's key values. */
export function encodeCursor(values: readonly KeyValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url')
}

/**
 * The key values in a cursor, checked one by one; undefined when there is no cursor (the first
 * page). A cursor that is not one of ours is BadInput with `message`.
 */
export function decodeCursor<const C extends readonly KeyCheck[]>(
  cursor: string | undefined | null,
  checks: C,
  message = DEFAULT_MESSAGE,
): { [K in keyof C]: KeyValue } | undefined {
  if (!cursor) return undefined
  let values: unknown
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw new AppError('BadInput', message)
  }
  if (!Array.isArray(values) || values.length !== checks.length || !checks.every((check, i) => check(values[i]))) {
    throw new AppError('BadInput', message)
  }
  return values as { [K in keyof C]: KeyValue }
}

/**
 * The predicate "strictly after this position" for a list ordered by `columns` all in `order`:
 * a row-value comparison `(a, b, id) < (x, y, z)` for descending lists, `>` for ascending ones.
 * Columns are references as written in the query ("n.publish_at"); both SQLite and PostgreSQL
 * compare row values and use a matching index for them.
 */
export function afterKeyset(columns: readonly string[], order: 'asc' | 'desc', values: readonly KeyValue[]): RawBuilder<SqlBool> {
  if (columns.length === 0 || columns.length !== values.length) throw new Error('afterKeyset: one value per column')
  const cols = sql.join(columns.map((c) => sql.ref(c)))
  const vals = sql.join(values.map((v) => sql`${v}`))
  return sql<SqlBool>`(${cols}) ${sql.raw(order === 'asc' ? '>' : '<')} (${vals})`
}

/**
 * Cuts a page from rows fetched with limit + 1 (the extra row says whether there is more) and
 * makes the cursor of its last row.
 */
export function keysetPage<R>(rows: readonly R[], limit: number, keyOf: (row: R) => readonly KeyValue[]): { page: R[]; nextCursor: string | null } {
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return { page, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null }
}
