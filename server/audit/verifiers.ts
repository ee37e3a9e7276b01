import { loadConfig } from '../config'
import type { DbOrTx } from '../db/database'
import { voteAuditChain } from '../votes/vote.audit'
import { voteObjectionsAuditChain } from '../votes/vote.objections.audit'
import { fundAuditChain } from '../fund/fund.audit'
import { bindingAuditChain } from '../rosters/binding.audit'
import { rosterDecisionsAuditChain } from '../rosters/roster.decisions.audit'
import { communitiesWithAudit } from './audit.repository'
import { auditTarget, verifyChain, type AuditTarget, type ChainPoint } from './audit.service'
import { pointsOf, readCheckpoints } from './checkpoints'

/**
 * The audit verifier is a registry: each feature that writes to a 小区's hash-chained log adds an
 * entry that checks its own tables against what the log recorded (a ballot changed, a vote deleted
 * whole, a published result withdrawn…). `npm run audit-verify` (scripts/verify-audit.ts) walks
 * the chain of every 小区 and then every registered entry.
 *
 * Adding a feature: export an AuditChain beside the feature (as server/votes/vote.audit.ts does)
 * and add it to FEATURE_CHAINS below; `registerChain` adds one at run time (tests, plug-ins).
 */
export interface AuditChain {
  /** A short key, unique among chains: the key of its count in the report ("votes"). */
  name: string
  /** What it counts, as the report prints it: "表决记录". */
  label: string
  /** The 小区 that have records of this feature, even if their log was deleted (so nothing escapes the walk). */
  communities?: (db: DbOrTx) => Promise<string[]>
  /**
   * Compares the feature's records of one 小区 with its audit entries; problems in plain Chinese.
   * `env.dataDir` is where the server keeps its files (for a chain whose entries name stored files).
   */
  verify: (db: DbOrTx, communityId: string, env: ChainEnv) => Promise<{ checked: number; problems: string[] }>
}

/** What a chain may need besides the database: the server's data folder (its stored files). */
export interface ChainEnv {
  dataDir: string
}

/** Every feature's chain, in the order the report lists them. */
const FEATURE_CHAINS: readonly AuditChain[] = [voteAuditChain, fundAuditChain, bindingAuditChain, rosterDecisionsAuditChain, voteObjectionsAuditChain]

const registered: AuditChain[] = [...FEATURE_CHAINS]

/** Adds a chain to the verifier; answers a function that removes it again. Names are unique. */
export function registerChain(chain: AuditChain): () => void {
  if (registered.some((c) => c.name === chain.name)) throw new Error(`registerChain: a chain named ${chain.name} is already registered`)
  registered.push(chain)
  return () => {
    const i = registered.indexOf(chain)
    if (i >= 0) registered.splice(i, 1)
  }
}

/** The chains the verifier walks, in order. */
export function auditChains(): readonly AuditChain[] {
  return [...registered]
}

export interface AuditReport {
  communityId: string
  /** Entries in the 小区's hash chain. */
  entries: number
  /** Records checked, by chain name: { votes: 3 }. */
  checked: Record<string, number>
  ok: boolean
  problems: string[]
}

export interface VerifyOptions {
  /** The checkpoint file (server/audit/checkpoints.ts) the chains must agree with. */
  checkpointFile?: string
  /** More points the chains must agree with, by 小区 (a printed head). */
  points?: Record<string, ChainPoint[]>
  /** The data folder of stored files; default: the target ctx's config, else the environment's (DATA_DIR). */
  dataDir?: string
}

/** The data folder a target's config names (a ctx or the script's { db, config }), if any. */
function dataDirOf(target: AuditTarget): string | undefined {
  const dir = (target as { config?: { dataDir?: unknown } }).config?.dataDir
  return typeof dir === 'string' ? dir : undefined
}

/**
 * The hash chain (with its HMACs and checkpoints) and every registered feature's records of each
 * 小区: all that have a chain, a checkpoint or records of any feature, or only the ones named.
 * `target` is a ctx (its config holds the HMAC key) or a database (the key from the environment).
 */
export async function verifyAuditAll(target: AuditTarget, communityIds?: string[], chains: readonly AuditChain[] = auditChains(), opts: VerifyOptions = {}): Promise<AuditReport[]> {
  const { db, secret } = auditTarget(target)
  const env: ChainEnv = { dataDir: opts.dataDir ?? dataDirOf(target) ?? loadConfig().dataDir }
  const file = opts.checkpointFile ? readCheckpoints(opts.checkpointFile, secret) : { checkpoints: [], problems: [] }
  // Lines of 小区 this database does not hold at all belong to another database sharing the data
  // folder (a test, a restore elsewhere); every 小区 it holds is held to its checkpoints.
  if (file.checkpoints.length) {
    const known = new Set((await db.selectFrom('communities').select('id').execute()).map((r) => r.id))
    file.checkpoints = file.checkpoints.filter((c) => known.has(c.communityId))
  }
  let ids = communityIds
  if (!ids) {
    const all = new Set(await communitiesWithAudit(db))
    for (const chain of chains) for (const id of (await chain.communities?.(db)) ?? []) all.add(id)
    for (const c of file.checkpoints) all.add(c.communityId)
    for (const id of Object.keys(opts.points ?? {})) all.add(id)
    ids = [...all].sort()
  }
  const out: AuditReport[] = []
  for (const communityId of ids) {
    const points = [...pointsOf(file.checkpoints, communityId), ...(opts.points?.[communityId] ?? [])]
    const chain = await verifyChain({ db, config: { auditHmacSecret: secret } }, communityId, points)
    // A damaged checkpoint file is a finding of every 小区 it could have covered.
    const problems = [...file.problems, ...chain.problems]
    const checked: Record<string, number> = {}
    for (const feature of chains) {
      const r = await feature.verify(db, communityId, env)
      checked[feature.name] = r.checked
      problems.push(...r.problems)
    }
    out.push({ communityId, entries: chain.entries, checked, ok: problems.length === 0, problems })
  }
  return out
}
