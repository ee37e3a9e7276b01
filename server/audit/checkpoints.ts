import { createHmac } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Ctx } from '../context'
import type { DbOrTx } from '../db/database'
import { commitMark, settled } from '../db/group-commit'
import { readHead } from './audit.repository'
import { canonicalJson, GENESIS_HASH, sameHex, type ChainPoint } from './audit.service'

/**
 * Checkpoints of the audit chains, kept outside the database: an append-only file beside the data
 * (`<DATA_DIR>/audit-checkpoints.log`), one JSON line per 小区 head — community, seq, hash, the time
 * and an HMAC of the line keyed by AUDIT_HMAC_SECRET — flushed to disk (fsync) before the writer
 * answers. Verification refuses a log shorter than, or diverging from, any line. The periodic job
 * `auditCheckpoint` (server/jobs/registry.ts) writes every head that moved since its last line;
 * features call `checkpointAudit` after the commit of a result or 财务公开 too, and print
 * `currentHead` in the notice itself.
 */

export const CHECKPOINT_FILE = 'audit-checkpoints.log'

export interface Checkpoint {
  communityId: string
  seq: number
  hash: string
  at: string
  mac: string
}

export interface Head {
  seq: number
  hash: string
}

export function checkpointPath(config: { dataDir: string }): string {
  return path.join(config.dataDir, CHECKPOINT_FILE)
}

function lineMac(secret: string, c: Omit<Checkpoint, 'mac'>): string {
  return createHmac('sha256', secret).update(`audit-checkpoint\n${canonicalJson({ communityId: c.communityId, seq: c.seq, hash: c.hash, at: c.at })}`).digest('hex')
}

/**
 * The 小区's chain head as `ctx.db` sees it (inside a transaction: with that transaction's own
 * entries), to print in a 表决结果 or 财务公开 notice: `seq:hash`, which
 * `npm run audit-verify -- --head <seq>:<hash>` checks. A 小区 without entries has head 0.
 */
export async function currentHead(ctx: Pick<Ctx, 'db'>, communityId: string): Promise<Head & { text: string }> {
  const head = (await readHead(ctx.db, communityId)) ?? { seq: 0, hash: GENESIS_HASH }
  return { ...head, text: formatHead(head) }
}

/** `seq:hash`, the form printed in notices and taken by `audit-verify --head`. */
export function formatHead(head: Head): string {
  return `${head.seq}:${head.hash}`
}

/** Reads `seq:hash` back; null when it is not that shape. */
export function parseHead(text: string): Head | null {
  const m = /^\s*(\d{1,12}):([0-9a-f]{64})\s*$/i.exec(text)
  return m ? { seq: Number(m[1]), hash: m[2].toLowerCase() } : null
}

export interface CheckpointFile {
  checkpoints: Checkpoint[]
  /** Lines that are not a checkpoint or whose HMAC is wrong, in plain Chinese. */
  problems: string[]
}

/**
 * Reads the checkpoint file (none yet: no checkpoints). A last line without its newline is a write
 * cut short by a crash and is skipped; any other bad line is a finding.
 */
export function readCheckpoints(file: string, secret: string): CheckpointFile {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { checkpoints: [], problems: [] }
    throw err
  }
  const lines = text.split('\n')
  lines.pop() // after the last newline: empty, or a torn final write
  const checkpoints: Checkpoint[] = []
  const problems: string[] = []
  lines.forEach((line, i) => {
    if (line.trim() === '') return
    let c: Checkpoint
    try {
      c = JSON.parse(line) as Checkpoint
    } catch {
      problems.push(`检查点文件第 ${i + 1} 行无法解析`)
      return
    }
    const shaped = typeof c.communityId === 'string' && Number.isSafeInteger(c.seq) && c.seq >= 0 && typeof c.hash === 'string' && typeof c.at === 'string'
    if (!shaped) problems.push(`检查点文件第 ${i + 1} 行格式不正确`)
    else if (!sameHex(c.mac, lineMac(secret, c))) problems.push(`检查点文件第 ${i + 1} 行的签名（HMAC）不符`)
    else checkpoints.push(c)
  })
  return { checkpoints, problems }
}

/** The checkpoints of one 小区 as points verifyChain compares the chain with. */
export function pointsOf(checkpoints: readonly Checkpoint[], communityId: string): ChainPoint[] {
  return checkpoints.filter((c) => c.communityId === communityId).map((c) => ({ seq: c.seq, hash: c.hash, source: `检查点（${c.at}）` }))
}

/** The last line written per 小区, by file, with the file's size then (re-read when another process grew it). */
const lastWritten = new Map<string, { size: number; heads: Map<string, Head> }>()

function knownHeads(file: string, secret: string): Map<string, Head> {
  const size = fs.existsSync(file) ? fs.statSync(file).size : 0
  const cached = lastWritten.get(file)
  if (cached && cached.size === size) return cached.heads
  const heads = new Map<string, Head>()
  for (const c of readCheckpoints(file, secret).checkpoints) heads.set(c.communityId, { seq: c.seq, hash: c.hash })
  lastWritten.set(file, { size, heads })
  return heads
}

/**
 * Writes a checkpoint of each 小区's committed head that moved since its last line (all 小区 with a
 * chain, or the ones named), appended and fsynced before answering. Must run after the commit of
 * what it records, never inside a transaction: a checkpoint of a head that then rolled back would
 * read as a rewritten log. Answers the number of lines written.
 */
export async function checkpointAudit(ctx: Pick<Ctx, 'db' | 'config' | 'now'>, communityIds?: readonly string[]): Promise<number> {
  if (ctx.db.isTransaction) throw new Error('checkpointAudit must run after the commit, outside a transaction')
  const db: DbOrTx = ctx.db
  let query = db.selectFrom('audit_heads').select(['community_id', 'seq', 'hash']).where('seq', '>', 0)
  if (communityIds) {
    if (communityIds.length === 0) return 0
    query = query.where('community_id', 'in', [...communityIds])
  }
  const mark = commitMark(db)
  const heads = await query.orderBy('community_id').execute()
  // On SQLite the read may have run inside an open group commit (server/db/group-commit.ts): its
  // heads go to the file only once that batch is committed (a failed batch throws here).
  await settled(db, mark)
  const file = checkpointPath(ctx.config)
  const secret = ctx.config.auditHmacSecret
  const known = knownHeads(file, secret)
  const at = ctx.now().toISOString()
  const fresh = heads
    .map((h) => ({ communityId: h.community_id, seq: Number(h.seq), hash: h.hash, at }))
    .filter((h) => {
      const k = known.get(h.communityId)
      return !k || k.seq !== h.seq || k.hash !== h.hash
    })
  if (fresh.length === 0) return 0
  const text = fresh.map((c) => `${JSON.stringify({ ...c, mac: lineMac(secret, c) })}\n`).join('')
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const created = !fs.existsSync(file)
  const fd = fs.openSync(file, 'a', 0o600)
  try {
    fs.writeSync(fd, text)
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  if (created) fsyncDir(path.dirname(file))
  for (const c of fresh) known.set(c.communityId, { seq: c.seq, hash: c.hash })
  lastWritten.set(file, { size: fs.statSync(file).size, heads: known })
  return fresh.length
}

/** Makes a new file's directory entry durable (POSIX); a no-op where directories cannot be opened. */
function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r')
    try {
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
  } catch {
    // Windows: directories cannot be fsynced; the file's own fsync is what there is.
  }
}
