import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { loadConfig } from '../config'
import type { Ctx } from '../context'
import type { DbOrTx } from '../db/database'
import { entriesAfter, insertEntry, lockHead, readHead, setHead, type AuditRow } from './audit.repository'

/**
 * The append-only audit log: one hash chain per 小区. Each entry's hash covers the previous
 * entry's hash and the canonical JSON of the entry itself, so changing, removing or reordering
 * any entry (or truncating the tail, which the head row records) is detected by `verifyChain`.
 * The app never updates or deletes audit rows.
 *
 * Someone with the database could still recompute the whole chain after a change, or delete the
 * last entries and move the head back. Two things outside the database stop that: every entry
 * carries an HMAC of its hash keyed by AUDIT_HMAC_SECRET (a recomputed entry has no valid one),
 * and the head is written to an append-only checkpoint file beside the data and printed in result
 * and 财务公开 notices (server/audit/checkpoints.ts): a log shorter than, or diverging from, any
 * checkpoint is refused.
 */

export const GENESIS_HASH = '0'.repeat(64)

export interface AuditEntry {
  communityId: string
  at: string
  /** The user who did it; null for the system (the vote tick). */
  actor: string | null
  /** What happened, e.g. `vote.opened`, `ballot.cast`. */
  action: string
  entityType: string
  entityId: string
  payload: unknown
}

/**
 * JSON with object keys sorted at every level and no whitespace: the same entry always gives
 * the same bytes, whatever order the code built it in or the database returned it.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('canonicalJson: non-finite number')
    return JSON.stringify(value)
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort()
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`
  }
  throw new Error(`canonicalJson: cannot encode ${typeof value}`)
}

/** sha256(prevHash + "\n" + canonical entry), hex. */
export function entryHash(prevHash: string, seq: number, e: AuditEntry): string {
  const body = canonicalJson({ communityId: e.communityId, seq, at: e.at, actor: e.actor, action: e.action, entityType: e.entityType, entityId: e.entityId, payload: e.payload })
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex')
}

/** Where an audit write or check runs: a service ctx (its config holds the key) or a bare database. */
export type AuditTarget = DbOrTx | KeyedDb

/** A database with the audit key: what a Ctx carries (ctx.db, ctx.config). */
export interface KeyedDb {
  db: DbOrTx
  config: Pick<Ctx['config'], 'auditHmacSecret'>
}

function isCtx(t: AuditTarget): t is KeyedDb {
  return 'config' in t && 'db' in t && typeof (t as { db: unknown }).db === 'object'
}

/** The database and the HMAC key of a target: a ctx's config, else the environment's (as the server reads it). */
export function auditTarget(t: AuditTarget): { db: DbOrTx; secret: string } {
  return isCtx(t) ? { db: t.db, secret: t.config.auditHmacSecret } : { db: t, secret: loadConfig().auditHmacSecret }
}

/** HMAC-SHA256 of an entry's hash (hex), keyed by the secret outside the database. */
export function entryMac(secret: string, hash: string): string {
  return createHmac('sha256', secret).update(`audit-entry\n${hash}`).digest('hex')
}

/** Compares two hex strings in constant time (false when either is missing or lengths differ). */
export function sameHex(a: string | null | undefined, b: string): boolean {
  if (typeof a !== 'string' || a.length !== b.length) return false
  return timingSafeEqual(Buffer.from(a), Buffer.from(b))
}

/**
 * Appends one entry to the 小区's chain. Must run inside the transaction that makes the change it
 * records, so the change and its entry commit together or not at all. Appenders of one 小区 are
 * serialised by the head row's lock.
 */
export async function appendAudit(target: AuditTarget, e: AuditEntry): Promise<{ seq: number; hash: string }> {
  const { db: trx, secret } = auditTarget(target)
  if (!trx.isTransaction) throw new Error('appendAudit must run inside a transaction')
  const head = await lockHead(trx, e.communityId, GENESIS_HASH)
  const seq = head.seq + 1
  const hash = entryHash(head.hash, seq, e)
  await insertEntry(trx, {
    community_id: e.communityId,
    seq,
    at: e.at,
    actor: e.actor,
    action: e.action,
    entity_type: e.entityType,
    entity_id: e.entityId,
    payload: canonicalJson(e.payload),
    prev_hash: head.hash,
    hash,
    mac: entryMac(secret, hash),
  })
  await setHead(trx, e.communityId, seq, hash)
  return { seq, hash }
}

export function rowToEntry(r: AuditRow): AuditEntry {
  return { communityId: r.community_id, at: r.at, actor: r.actor, action: r.action, entityType: r.entity_type, entityId: r.entity_id, payload: JSON.parse(r.payload) }
}

export interface ChainReport {
  communityId: string
  entries: number
  ok: boolean
  /** Plain-language findings, each naming the entry (seq) where the chain breaks. */
  problems: string[]
}

/** A point of the chain recorded outside the database: entry `seq` had hash `hash` (seq 0: the empty chain). */
export interface ChainPoint {
  seq: number
  hash: string
  /** Where it was recorded, as findings name it: "检查点 2026-03-01T00:00:00.000Z", "所印链头". */
  source: string
}

/**
 * Walks the 小区's chain from the start, recomputing every hash and its HMAC, checking the links and
 * the head, and comparing the chain with every point recorded outside the database (checkpoints,
 * a printed head): a log shorter than one, or with another hash at its seq, is refused.
 */
export async function verifyChain(target: AuditTarget, communityId: string, points: readonly ChainPoint[] = []): Promise<ChainReport> {
  const { db, secret } = auditTarget(target)
  const wanted = new Map<number, ChainPoint[]>()
  for (const p of points) wanted.set(p.seq, [...(wanted.get(p.seq) ?? []), p])
  const problems: string[] = []
  let prevHash = GENESIS_HASH
  let expectedSeq = 1
  let count = 0
  for (let after = 0; ; ) {
    const page = await entriesAfter(db, communityId, after, 1000)
    if (page.length === 0) break
    for (const r of page) {
      count++
      if (r.seq !== expectedSeq) problems.push(`第 ${expectedSeq} 条记录缺失（下一条是第 ${r.seq} 条）`)
      if (r.prev_hash !== prevHash) problems.push(`第 ${r.seq} 条记录的前序哈希与上一条不符`)
      let recomputed: string | null = null
      try {
        recomputed = entryHash(r.prev_hash, r.seq, rowToEntry(r))
      } catch {
        problems.push(`第 ${r.seq} 条记录的内容无法解析`)
      }
      if (recomputed !== null && recomputed !== r.hash) problems.push(`第 ${r.seq} 条记录的内容被改动（哈希不符）`)
      if (r.mac === null) problems.push(`第 ${r.seq} 条记录缺少签名（HMAC）`)
      else if (!sameHex(r.mac, entryMac(secret, r.hash))) problems.push(`第 ${r.seq} 条记录的签名（HMAC）不符：审计链被重算或改写`)
      for (const p of wanted.get(r.seq) ?? []) {
        if (p.hash !== r.hash) problems.push(`第 ${r.seq} 条记录与${p.source}不符：审计链在此之前被改写`)
      }
      prevHash = r.hash
      expectedSeq = r.seq + 1
      after = r.seq
    }
  }
  const head = await readHead(db, communityId)
  if (head && (head.seq !== expectedSeq - 1 || head.hash !== prevHash)) {
    problems.push(`链头记录为第 ${head.seq} 条，实际最后一条是第 ${expectedSeq - 1} 条：记录被删除或改动`)
  }
  if (!head && count > 0) problems.push('缺少链头记录')
  const last = expectedSeq - 1
  for (const p of points) {
    if (p.seq > last) problems.push(`审计记录只到第 ${last} 条，${p.source}记录了第 ${p.seq} 条：记录被删除`)
    else if (p.seq === 0 && p.hash !== GENESIS_HASH) problems.push(`${p.source}的链头无效`)
  }
  return { communityId, entries: count, ok: problems.length === 0, problems }
}
