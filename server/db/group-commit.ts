import { CompiledQuery, Kysely, SqliteAdapter, type Transaction } from 'kysely'
import type { Database, DbOrTx } from './database'

/**
 * Group commit for SQLite: transactions that arrive together share one real transaction and one
 * COMMIT.
 *
 * Why. SQLite runs here in WAL mode with synchronous=FULL, so every COMMIT fsyncs the WAL, and
 * better-sqlite3 does that synchronously on the event loop thread: 2–3 ms in which the process
 * does nothing else. With one COMMIT per transaction, writes are capped at a few hundred a second
 * however little CPU each needs; twenty transactions sharing one COMMIT pay that fsync once.
 *
 * How. The process has one SQLite connection, which Kysely's driver lends to one user at a time,
 * in the order they asked. The first transaction to take it runs BEGIN IMMEDIATE and opens a
 * batch. Every transaction body runs inside its own SAVEPOINT: released when the body succeeds,
 * rolled back to (then released) when it throws, so a failing body leaves nothing behind and the
 * other bodies of the batch are untouched. When a body gives the connection back, a flush is
 * queued with setImmediate; it waits its turn for the connection behind everyone already waiting
 * (they join the batch), then runs one COMMIT for all. withTx resolves only after that COMMIT
 * succeeded: nobody is told a write is done before it is durable. A body that threw is answered
 * with its error at once (nothing of it is left to commit).
 *
 * When COMMIT fails, every transaction of the batch fails with that error and the connection is
 * rolled back. If the failure is an I/O error (SQLITE_IOERR*, SQLITE_FULL, SQLITE_CORRUPT…), the
 * process then crashes on purpose, as PostgreSQL PANICs when an fsync fails: after a failed fsync
 * nobody knows what reached the disk (the kernel may still write the WAL frames it was given, so a
 * transaction reported as failed may come back at recovery), and going on would build on that.
 * Restarting recovers the database from what the disk holds. Other failures (a deferred constraint
 * refused at COMMIT) fail the batch and the process goes on.
 *
 * What it means elsewhere:
 * - Statements outside withTx run on the same connection, so while a batch is open they run
 *   inside it. A read may see a batch's writes a moment (until its COMMIT, about a millisecond)
 *   before they are durable, and a plain write becomes durable with the batch. So the registry
 *   takes `commitMark` before an action and calls `settled` before answering it: the answer waits
 *   for the batch open when the handler finished, and is an error if a batch failed meanwhile.
 *   Other code that acts outside the database on what it read or wrote (the audit checkpoint file)
 *   does the same.
 * - A body holds the connection while it runs, as a Kysely transaction did: it must never wait for
 *   another database user, and long waits inside it (a storage call) hold up every other request.
 * - Kysely's own db.transaction() must not be used on a SQLite database the server writes through
 *   withTx: its BEGIN fails inside an open batch. Use withTx (server/context.ts).
 * - A body sees `db.isTransaction === true`, so withTx inside it runs in it (no nesting), and code
 *   that requires a transaction (appendAudit) accepts it.
 *
 * PostgreSQL is not touched: there withTx runs one transaction per call (its commit_delay and
 * concurrent connections already share WAL flushes).
 */

interface Batch {
  /** Settles when the batch's COMMIT has succeeded or failed. */
  done: Promise<void>
  resolve: () => void
  reject: (err: unknown) => void
  flushQueued: boolean
}

export interface GroupCommitOptions {
  /**
   * Whether the SQLite connection is inside a transaction (better-sqlite3's inTransaction). Lets
   * the batch notice that SQLite rolled its transaction back by itself (it does after some errors,
   * such as a full disk): the batch then fails instead of later statements running uncovered.
   */
  inTransaction?: () => boolean
  /**
   * Called after a COMMIT failed with an I/O error and the batch's transactions were failed.
   * Default: throw it outside any promise, which ends the process (see above).
   */
  onFatal?: (err: unknown) => void
}

const crash = (err: unknown) => {
  setImmediate(() => {
    throw new Error('SQLite COMMIT failed with an I/O error: stopping the process, as PostgreSQL does on a failed fsync; restart it to recover from the disk', { cause: err })
  })
}

const lost = () => new Error('SQLite rolled back the transaction of a group commit by itself: its writes are gone')

/** SQLite result codes after which the state of the file on disk is not known. */
export function isIoFailure(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' && /^SQLITE_(IOERR|FULL|CORRUPT|NOTADB|CANTOPEN)/.test(code)
}

const raw = (text: string) => CompiledQuery.raw(text)
const BEGIN = raw('BEGIN IMMEDIATE')
const COMMIT = raw('COMMIT')
const ROLLBACK = raw('ROLLBACK')
const SAVEPOINT = raw('SAVEPOINT group_commit_body')
const RELEASE = raw('RELEASE group_commit_body')
const ROLLBACK_TO = raw('ROLLBACK TO group_commit_body')

export class GroupCommit {
  readonly #db: Kysely<Database>
  readonly #onFatal: (err: unknown) => void
  readonly #inTransaction: () => boolean
  #open: Batch | null = null
  /** Batches that failed to commit so far (see commitMark). */
  #failed = 0
  /** COMMITs run and transactions acknowledged by them, for tests and measurements. */
  readonly stats = { commits: 0, transactions: 0 }

  constructor(db: Kysely<Database>, opts: GroupCommitOptions = {}) {
    this.#db = db
    this.#onFatal = opts.onFatal ?? crash
    this.#inTransaction = opts.inTransaction ?? (() => true)
  }

  /** Runs fn in the open batch (or a new one) inside its own savepoint; resolves after the batch's COMMIT. */
  async run<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    const { value, batch } = await this.#db.connection().execute(async (conn) => {
      if (this.#open && !this.#inTransaction()) this.#fail(this.#open, lost())
      const batch = this.#open ?? (await this.#begin(conn))
      try {
        await conn.executeQuery(SAVEPOINT)
        try {
          const value = await fn(asTransaction(conn))
          await conn.executeQuery(RELEASE)
          return { value, batch }
        } catch (err) {
          await this.#undo(conn, batch, err)
          throw err
        }
      } finally {
        this.#queueFlush(batch)
      }
    })
    await batch.done
    this.stats.transactions++
    return value
  }

  /** A mark to hand to `settled` later: which batch failures have happened so far. */
  commitMark(): number {
    return this.#failed
  }

  /**
   * Resolves once everything run on the connection until now is committed: waits for the open
   * batch, if any. Rejects if that batch fails, or if a batch failed since `mark` (its writes,
   * and any plain write that ran in it, are gone).
   */
  async settled(mark: number): Promise<void> {
    if (this.#failed !== mark) throw new Error('a group commit failed while this work ran: its writes were not kept')
    const open = this.#open
    if (open) await open.done
  }

  async #begin(conn: Kysely<Database>): Promise<Batch> {
    await conn.executeQuery(BEGIN)
    let resolve!: () => void
    let reject!: (err: unknown) => void
    const done = new Promise<void>((res, rej) => {
      resolve = res
      reject = rej
    })
    // Awaited by every joined transaction; never an unhandled rejection when none is left waiting.
    done.catch(() => undefined)
    this.#open = { done, resolve, reject, flushQueued: false }
    return this.#open
  }

  /**
   * A body threw: undo its writes. If even that fails, the whole transaction is gone (SQLite rolls
   * it back by itself after some errors): fail the batch, with the body's error if it was I/O.
   */
  async #undo(conn: Kysely<Database>, batch: Batch, cause: unknown): Promise<void> {
    try {
      await conn.executeQuery(ROLLBACK_TO)
      await conn.executeQuery(RELEASE)
    } catch (err) {
      await conn.executeQuery(ROLLBACK).catch(() => undefined)
      this.#fail(batch, isIoFailure(cause) ? cause : err)
    }
  }

  #queueFlush(batch: Batch): void {
    if (batch.flushQueued) return
    batch.flushQueued = true
    setImmediate(() => void this.#flush(batch))
  }

  async #flush(batch: Batch): Promise<void> {
    try {
      await this.#db.connection().execute(async (conn) => {
        if (this.#open !== batch) return // already failed and rolled back
        if (!this.#inTransaction()) throw lost()
        this.#open = null
        try {
          await conn.executeQuery(COMMIT)
        } catch (err) {
          await conn.executeQuery(ROLLBACK).catch(() => undefined)
          throw err
        }
        this.stats.commits++
        batch.resolve()
      })
    } catch (err) {
      this.#fail(batch, err)
    }
  }

  #fail(batch: Batch, err: unknown): void {
    if (this.#open === batch) this.#open = null
    this.#failed++
    batch.reject(err)
    if (isIoFailure(err)) this.#onFatal(err)
  }
}

/**
 * The connection-bound Kysely as a transaction: `isTransaction` is true, and what a Transaction
 * refuses (transaction, connection, destroy) is refused. Methods are bound to the target, since
 * Kysely keeps its state in #private fields a Proxy receiver cannot reach.
 */
function asTransaction(conn: Kysely<Database>): Transaction<Database> {
  const bound = new Map<PropertyKey, unknown>()
  const proxy: Kysely<Database> = new Proxy(conn, {
    get(target, prop) {
      if (prop === 'isTransaction') return true
      if (prop === 'transaction' || prop === 'startTransaction' || prop === 'connection' || prop === 'destroy') {
        return () => {
          throw new Error(`calling the ${String(prop)} method for a transaction is not supported (use withTx)`)
        }
      }
      let fn = bound.get(prop)
      if (fn) return fn
      const value = Reflect.get(target, prop, target) as unknown
      if (typeof value !== 'function') return value
      // withPlugin and the like answer a new Kysely on the same connection: a transaction too.
      fn = (...args: unknown[]) => {
        const out = (value as (...a: unknown[]) => unknown).apply(target, args)
        return out instanceof Kysely ? asTransaction(out as Kysely<Database>) : out
      }
      bound.set(prop, fn)
      return fn
    },
  })
  return proxy as unknown as Transaction<Database>
}

const groups = new WeakMap<object, GroupCommit | null>()
const connections = new WeakMap<object, { readonly inTransaction: boolean }>()

/** Tells the group commit of `db` (when it is made) which better-sqlite3 connection is under it (createDb does). */
export function sqliteConnectionOf(db: Kysely<Database>, database: { readonly inTransaction: boolean }): void {
  connections.set(db, database)
}

/**
 * The group commit of a SQLite database (made on first use), or null for PostgreSQL and for a
 * transaction. `opts` count only when it is made.
 */
export function groupCommitOf(db: DbOrTx, opts?: GroupCommitOptions): GroupCommit | null {
  if (db.isTransaction) return null
  let group = groups.get(db)
  if (group === undefined) {
    const database = connections.get(db)
    group = db.getExecutor().adapter instanceof SqliteAdapter ? new GroupCommit(db as Kysely<Database>, { ...(database ? { inTransaction: () => database.inTransaction } : {}), ...opts }) : null
    groups.set(db, group)
  }
  return group
}

/** A mark taken before some work, for `settled` after it (0 where there is no group commit). */
export function commitMark(db: DbOrTx): number {
  return groupCommitOf(db)?.commitMark() ?? 0
}

/**
 * Resolves once everything the work since `mark` ran on db is durable: at once on PostgreSQL or
 * when no batch is open; otherwise after the open batch's COMMIT. Rejects if a batch failed.
 */
export function settled(db: DbOrTx, mark: number): Promise<void> {
  const group = groupCommitOf(db)
  return group ? group.settled(mark) : Promise.resolve()
}
