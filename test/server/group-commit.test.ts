import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Sqlite from 'better-sqlite3'
import { Kysely, SqliteDialect, sql } from 'kysely'
import * as v from 'valibot'
import { appendAudit, verifyChain } from '../../server/audit/audit.service'
import { checkpointAudit, checkpointPath, readCheckpoints } from '../../server/audit/checkpoints'
import { withTx } from '../../server/context'
import { createDb, migrateToLatest } from '../../server/db/create-db'
import type { Database, Db, DbOrTx } from '../../server/db/database'
import { commitMark, groupCommitOf, settled, type GroupCommit } from '../../server/db/group-commit'
import { action, dispatch } from '../../server/registry'
import { testDeps } from '../helpers/db'
import { makeWorld } from '../helpers/world'

/**
 * Group commit on SQLite (server/db/group-commit.ts): concurrent withTx calls share one COMMIT,
 * each body in its own savepoint, and nobody is answered before that COMMIT. A second connection
 * to the same file sees only committed data: it is what tells "acknowledged" from "durable".
 */

let dir: string
let file: string
let db: Db
let group: GroupCommit
let observer: Sqlite.Database

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-group-commit-'))
  file = path.join(dir, 'gc.sqlite')
  db = (await createDb({ sqliteFile: file })).db
  await migrateToLatest(db)
  await sql`CREATE TABLE gc_rows (id TEXT PRIMARY KEY, note TEXT)`.execute(db)
  await sql`CREATE TABLE gc_parents (id TEXT PRIMARY KEY)`.execute(db)
  await sql`CREATE TABLE gc_children (id TEXT PRIMARY KEY, parent_id TEXT REFERENCES gc_parents(id) DEFERRABLE INITIALLY DEFERRED)`.execute(db)
  group = groupCommitOf(db)!
  observer = new Sqlite(file, { readonly: true })
})

afterAll(async () => {
  observer.close()
  await db.destroy()
  fs.rmSync(dir, { recursive: true, force: true })
})

type Rows = { db: DbOrTx }
const insertRow = (ctx: Rows, id: string, note = 'x') => sql`INSERT INTO gc_rows (id, note) VALUES (${id}, ${note})`.execute(ctx.db)
/** What another connection sees of these rows: only what is committed. */
const committed = (ids: string[]) => (observer.prepare(`SELECT id FROM gc_rows WHERE id IN (${ids.map(() => '?').join(',')}) ORDER BY id`).all(...ids) as { id: string }[]).map((r) => r.id)
/** A promise's outcome, observed from the start (so a rejection is never unhandled). */
const settle = <T>(p: Promise<T>) => Promise.allSettled([p]).then(([r]) => r)
const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}`)

test('the group commit is on for SQLite: withTx bodies see a transaction', async () => {
  expect(group).not.toBeNull()
  await withTx({ db }, async (ctx) => {
    expect(ctx.db.isTransaction).toBe(true)
    expect(ctx.db).not.toBe(db)
    expect(() => ctx.db.transaction()).toThrow(/not supported/)
  })
})

test('twenty concurrent transactions share fewer COMMITs than twenty, and all are stored', async () => {
  const before = { ...group.stats }
  const want = ids('many', 20)
  const answers = await Promise.all(want.map((id) => withTx({ db }, async (ctx) => {
    await insertRow(ctx, id)
    return id
  })))
  expect(answers).toEqual(want)
  const commits = group.stats.commits - before.commits
  expect(group.stats.transactions - before.transactions).toBe(20)
  expect(commits).toBeGreaterThanOrEqual(1)
  expect(commits).toBeLessThan(20)
  expect(committed(want)).toEqual(want)
})

test('nobody is acknowledged before the COMMIT: when each promise resolves, another connection sees its row', async () => {
  const want = ids('ack', 12)
  const seenAtAck: Record<string, string[]> = {}
  const seenInBody: string[][] = []
  await Promise.all(want.map((id) => withTx({ db }, async (ctx) => {
    await insertRow(ctx, id)
    // Inside the body the row is written but not committed: the other connection does not see it.
    seenInBody.push(committed([id]))
  }).then(() => {
    seenAtAck[id] = committed([id])
  })))
  expect(seenInBody).toEqual(want.map(() => []))
  expect(seenAtAck).toEqual(Object.fromEntries(want.map((id) => [id, [id]])))
})

test('a failing body rolls back only its own writes; the others of its batch commit', async () => {
  const before = group.stats.commits
  const results = await Promise.allSettled([
    withTx({ db }, (ctx) => insertRow(ctx, 'fail-a')),
    withTx({ db }, async (ctx) => {
      await insertRow(ctx, 'fail-b1')
      await insertRow(ctx, 'fail-b2')
      throw new Error('body b gives up')
    }),
    withTx({ db }, async (ctx) => {
      await insertRow(ctx, 'fail-c')
      // A constraint refusal inside a body: only this body fails.
      await insertRow(ctx, 'fail-a')
    }),
    withTx({ db }, (ctx) => insertRow(ctx, 'fail-d')),
  ])
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled'])
  expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ message: 'body b gives up' })
  expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ message: expect.stringMatching(/UNIQUE constraint/) })
  expect(group.stats.commits - before).toBe(1)
  expect(committed(['fail-a', 'fail-b1', 'fail-b2', 'fail-c', 'fail-d'])).toEqual(['fail-a', 'fail-d'])
})

test('nested withTx inside a grouped body runs in it: both writes commit together, and the audit chain accepts it', async () => {
  const communityId = (await makeWorld(db)).a
  const [outer] = await Promise.all([
    withTx({ db }, async (ctx) => {
      await insertRow(ctx, 'nest-outer')
      const inner = await withTx(ctx, async (inner) => {
        expect(inner.db).toBe(ctx.db)
        await insertRow(inner, 'nest-inner')
        return appendAudit({ db: inner.db, config: { auditHmacSecret: 'gc-secret' } }, { communityId, at: '2026-03-01T00:00:00.000Z', actor: null, action: 'note.written', entityType: 'note', entityId: 'n1', payload: {} })
      })
      // A Kysely derived from the body's (withPlugin and the like) is still the transaction.
      expect(ctx.db.withoutPlugins().isTransaction).toBe(true)
      return inner
    }),
    withTx({ db }, (ctx) => insertRow(ctx, 'nest-beside')),
  ])
  expect(outer.seq).toBe(1)
  expect(committed(['nest-beside', 'nest-inner', 'nest-outer'])).toEqual(['nest-beside', 'nest-inner', 'nest-outer'])
  expect(await verifyChain({ db, config: { auditHmacSecret: 'gc-secret' } }, communityId)).toMatchObject({ ok: true, entries: 1 })
})

test('a plain write outside withTx rides in the open batch; settled (and the registry) answer only after its COMMIT', async () => {
  const mark = commitMark(db)
  const tx = withTx({ db }, (ctx) => insertRow(ctx, 'plain-tx'))
  await insertRow({ db }, 'plain-outside')
  // It ran inside the batch the transaction opened: not committed yet.
  expect(committed(['plain-outside'])).toEqual([])
  await settled(db, mark)
  expect(committed(['plain-outside', 'plain-tx'])).toEqual(['plain-outside', 'plain-tx'])
  await tx

  // The same through the registry: the handler's plain write lands in a batch, the answer waits for it.
  const registry = {
    writePlain: action({
      input: v.object({ id: v.string() }),
      access: 'public',
      handler: async (input, ctx) => {
        void withTx(ctx, (c) => insertRow(c, `${input.id}-tx`))
        await insertRow(ctx, input.id)
        return committed([input.id]).length
      },
    }),
  }
  const deps = testDeps(db, 'sqlite')
  let seenAtAnswer: string[] = []
  const answer = await dispatch(registry, 'writePlain', { id: 'plain-registry' }, deps, { caller: async () => null }).then((r) => {
    seenAtAnswer = committed(['plain-registry'])
    return r
  })
  expect(answer).toEqual({ ok: true, data: 0 })
  expect(seenAtAnswer).toEqual(['plain-registry'])
})

test('an audit checkpoint read while a batch is open is written only once that batch has committed', async () => {
  const communityId = (await makeWorld(db)).b
  const deps = testDeps(db, 'sqlite')
  const entry = { communityId, at: '2026-03-01T00:00:00.000Z', actor: null, action: 'note.written', entityType: 'note', entityId: 'n2', payload: {} }
  const appended = withTx(deps, (ctx) => appendAudit(ctx, entry))
  let committedHead: unknown
  const [written, head] = await Promise.all([
    checkpointAudit(deps, [communityId]).then((n) => {
      committedHead = observer.prepare('SELECT seq FROM audit_heads WHERE community_id = ?').get(communityId)
      return n
    }),
    appended,
  ])
  expect(written).toBe(1)
  expect(committedHead).toEqual({ seq: 1 })
  expect(readCheckpoints(checkpointPath(deps.config), deps.config.auditHmacSecret).checkpoints).toEqual([expect.objectContaining({ communityId, seq: 1, hash: head.hash })])
})

test('a COMMIT that fails fails every transaction of its batch, and the next batch goes on', async () => {
  const before = { ...group.stats }
  const results = await Promise.allSettled([
    withTx({ db }, (ctx) => insertRow(ctx, 'commitfail-a')),
    // Deferred: the statement passes, the COMMIT refuses the orphan.
    withTx({ db }, (ctx) => sql`INSERT INTO gc_children (id, parent_id) VALUES ('orphan', 'nobody')`.execute(ctx.db)),
    withTx({ db }, (ctx) => insertRow(ctx, 'commitfail-c')),
  ])
  expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected'])
  for (const r of results) expect((r as PromiseRejectedResult).reason).toMatchObject({ message: expect.stringMatching(/FOREIGN KEY constraint/) })
  expect(group.stats.transactions).toBe(before.transactions)
  expect(committed(['commitfail-a', 'commitfail-c'])).toEqual([])
  // A mark taken before the failure refuses to vouch for what ran meanwhile.
  await expect(settled(db, commitMark(db) - 1)).rejects.toThrow(/group commit failed/)
  await withTx({ db }, (ctx) => insertRow(ctx, 'commitfail-after'))
  expect(committed(['commitfail-after'])).toEqual(['commitfail-after'])
  const left = await db.selectFrom('gc_children' as never).selectAll().execute()
  expect(left).toEqual([])
})

test('a batch whose transaction SQLite rolled back by itself fails: its bodies are refused, none is stored, and later ones go on', async () => {
  // As SQLite does after some errors (a full disk): here a plain ROLLBACK while the batch is open.
  const lostBatch = { status: 'rejected', reason: expect.objectContaining({ message: expect.stringMatching(/rolled back the transaction of a group commit/) }) }
  const first = settle(withTx({ db }, (ctx) => insertRow(ctx, 'lost-a')))
  await sql`ROLLBACK`.execute(db)
  const next = settle(withTx({ db }, (ctx) => insertRow(ctx, 'lost-b')))
  expect(await first).toEqual(lostBatch)
  expect(await next).toEqual({ status: 'fulfilled', value: expect.anything() })
  // The same when nobody joins after it: the flush finds the transaction gone.
  const alone = settle(withTx({ db }, (ctx) => insertRow(ctx, 'lost-c')))
  await sql`ROLLBACK`.execute(db)
  expect(await alone).toEqual(lostBatch)
  expect(committed(['lost-a', 'lost-b', 'lost-c'])).toEqual(['lost-b'])
  await withTx({ db }, (ctx) => insertRow(ctx, 'lost-d'))
  expect(committed(['lost-d'])).toEqual(['lost-d'])
})

test('a COMMIT that fails with an I/O error fails the batch, rolls it back and calls the fatal handler (the server crashes)', async () => {
  // A database whose COMMIT reports a failed fsync once, as the disk would.
  const ioFile = path.join(dir, 'io.sqlite')
  const real = new Sqlite(ioFile)
  real.pragma('journal_mode = WAL')
  real.exec('CREATE TABLE gc_rows (id TEXT PRIMARY KEY, note TEXT)')
  let failNextCommit = true
  const database = new Proxy(real, {
    get(target, prop) {
      if (prop === 'prepare') {
        return (text: string) => {
          if (/^commit$/i.test(text) && failNextCommit) {
            failNextCommit = false
            return { reader: false, run: () => { throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_FSYNC' }) } }
          }
          return target.prepare(text)
        }
      }
      const value = Reflect.get(target, prop, target) as unknown
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  const ioDb = new Kysely<Database>({ dialect: new SqliteDialect({ database }) })
  const fatal: unknown[] = []
  groupCommitOf(ioDb, { onFatal: (err) => fatal.push(err) })
  const results = await Promise.allSettled([withTx({ db: ioDb }, (ctx) => insertRow(ctx, 'io-a')), withTx({ db: ioDb }, (ctx) => insertRow(ctx, 'io-b'))])
  expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
  expect(fatal).toHaveLength(1)
  expect(fatal[0]).toMatchObject({ code: 'SQLITE_IOERR_FSYNC' })
  expect(real.inTransaction).toBe(false)
  expect(real.prepare('SELECT COUNT(*) AS n FROM gc_rows').get()).toEqual({ n: 0 })
  await ioDb.destroy()
})
