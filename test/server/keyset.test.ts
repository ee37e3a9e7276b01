import { sql } from 'kysely'
import { afterKeyset, decodeCursor, encodeCursor, isIsoTime, isNumber, isText, keysetPage, type KeyValue } from '../../server/db/keyset'
import { DIALECTS, useTestDb } from '../helpers/db'

describe('keyset cursors (server/db/keyset)', () => {
  test('a cursor round-trips its key values and is opaque text', () => {
    const c = encodeCursor(['2026-11-26T02:00:00.000Z', 'n-1'])
    expect(c).toMatch(/^[\w-]+$/)
    expect(c).not.toContain('2026')
    expect(decodeCursor(c, [isIsoTime, isText])).toEqual(['2026-11-26T02:00:00.000Z', 'n-1'])
    expect(decodeCursor(encodeCursor([3, 'x']), [isNumber, isText])).toEqual([3, 'x'])
    expect(decodeCursor(undefined, [isText])).toBeUndefined()
    expect(decodeCursor('', [isText])).toBeUndefined()
  })

  test.each([
    ['not base64 JSON', "x' or 1=1 --"],
    ['a number where text belongs', encodeCursor(['a', 1])],
    ['too few values', encodeCursor(['a'])],
    ['too many values', encodeCursor(['a', 'b', 'c'])],
    ['a time that is not one', encodeCursor(['yesterday', 'b'])],
    ['an object', Buffer.from('{"a":1}').toString('base64url')],
  ])('a forged cursor (%s) is BadInput in the words given', (_what, cursor) => {
    expect(() => decodeCursor(cursor, [isIsoTime, isText], '分页参数无效')).toThrow(expect.objectContaining({ code: 'BadInput', message: '分页参数无效' }))
  })

  test('a page cut from limit + 1 rows says whether there is more', () => {
    expect(keysetPage([{ k: 'a' }, { k: 'b' }, { k: 'c' }], 2, (r) => [r.k])).toEqual({ page: [{ k: 'a' }, { k: 'b' }], nextCursor: encodeCursor(['b']) })
    expect(keysetPage([{ k: 'a' }, { k: 'b' }], 2, (r) => [r.k])).toEqual({ page: [{ k: 'a' }, { k: 'b' }], nextCursor: null })
    expect(keysetPage([], 2, () => [])).toEqual({ page: [], nextCursor: null })
  })
})

describe.each(DIALECTS)('keyset pages on %s', (dialect) => {
  const { env } = useTestDb(dialect)
  // Many rows share a sort key: only (key, id) orders them, the case a plain `key < x` gets wrong.
  const rows = Array.from({ length: 23 }, (_, i) => ({ k: `2026-01-0${1 + (i % 3)}`, id: `id-${String(i).padStart(2, '0')}` }))
  const values = sql.join(rows.map((r) => sql`(${r.k}, ${r.id})`))

  async function page(order: 'asc' | 'desc', after: readonly KeyValue[] | undefined, limit: number) {
    const where = after ? sql`where ${afterKeyset(['t.k', 't.id'], order, after)}` : sql``
    const dir = sql.raw(order)
    const res = await sql<{ k: string; id: string }>`with t(k, id) as (values ${values}) select t.k, t.id from t ${where} order by t.k ${dir}, t.id ${dir} limit ${limit + 1}`.execute(env.db)
    return keysetPage(res.rows, limit, (r) => [r.k, r.id])
  }

  test.each(['asc', 'desc'] as const)('walking %s pages of 4 gives every row once, in order', async (order) => {
    const seen: string[] = []
    let cursor: string | null | undefined
    do {
      const after = decodeCursor(cursor, [isText, isText])
      const p = await page(order, after, 4)
      seen.push(...p.page.map((r) => r.id))
      cursor = p.nextCursor
    } while (cursor)
    const sorted = [...rows].sort((a, b) => a.k.localeCompare(b.k) || a.id.localeCompare(b.id)).map((r) => r.id)
    expect(seen).toEqual(order === 'asc' ? sorted : sorted.reverse())
  })

  test('afterKeyset wants one value per column', () => {
    expect(() => afterKeyset(['a', 'b'], 'asc', ['x'])).toThrow()
    expect(() => afterKeyset([], 'asc', [])).toThrow()
  })
})
