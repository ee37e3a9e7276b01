import Sqlite from 'better-sqlite3'
import { withStatementCache } from '../../server/db/create-db'

describe('the SQLite prepared-statement cache', () => {
  test('prepares a statement once per SQL text, evicts the least recently used, and follows schema changes', () => {
    const raw = new Sqlite(':memory:')
    let prepared = 0
    const counting = new Proxy(raw, {
      get(t, p) {
        if (p === 'prepare') return (sql: string) => (prepared++, t.prepare(sql))
        const v = Reflect.get(t, p, t) as unknown
        return typeof v === 'function' ? v.bind(t) : v
      },
    })
    const db = withStatementCache(counting, 2)
    db.prepare('CREATE TABLE t (a INTEGER)').run()
    for (let i = 0; i < 5; i++) db.prepare('INSERT INTO t VALUES (?)').run(i)
    expect(prepared).toBe(2)
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 5 })
    expect(prepared).toBe(3)
    // capacity 2: CREATE was least recently used and went; INSERT and SELECT stay
    db.prepare('INSERT INTO t VALUES (?)').run(9)
    db.prepare('SELECT count(*) AS n FROM t').get()
    expect(prepared).toBe(3)
    db.prepare('ALTER TABLE t ADD COLUMN b TEXT').run()
    expect(db.prepare('SELECT * FROM t LIMIT 1').get()).toEqual({ a: 0, b: null })
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 6 })
    expect(db.inTransaction).toBe(false)
    raw.close()
  })
})
