import type { Selectable } from 'kysely'
import { lockHead } from '../audit/audit.repository'
import { appendAudit, canonicalJson, GENESIS_HASH } from '../audit/audit.service'
import type { AuditChain } from '../audit/verifiers'
import type { Ctx } from '../context'
import type { DbOrTx } from '../db/database'
import type { FundEntryTable, FundExpenseTable, FundSchemeTable } from './fund.table'

/**
 * The repair-fund ledger as a hash chain: every scheme, expense (with the buildings sharing it) and
 * ledger row is appended to the 小区's audit log in the transaction that writes it, its payload the
 * row itself. The verifier (registered in server/audit/verifiers.ts) compares the tables with what
 * the log recorded: a row changed, inserted behind the app's back, or deleted is a finding.
 */
type Kind = 'fund_scheme' | 'fund_expense' | 'fund_entry'
const TYPES: readonly Kind[] = ['fund_scheme', 'fund_expense', 'fund_entry']
const WHAT: Record<Kind, string> = { fund_scheme: '交存标准', fund_expense: '支出', fund_entry: '台账记录' }

export const schemePayload = (r: Selectable<FundSchemeTable>) => ({ ...r, rate_fen: Number(r.rate_fen) })
export const expensePayload = (r: Selectable<FundExpenseTable>, buildingIds: string[]) => ({ ...r, amount_fen: Number(r.amount_fen), buildingIds: [...buildingIds].sort() })
export const entryPayload = (r: Selectable<FundEntryTable>) => ({ ...r, amount_fen: Number(r.amount_fen) })

/**
 * Locks the 小区's ledger for the rest of the transaction (the audit chain's head row, which every
 * fund write appends to anyway): taken before a write's checks, so two writes of one 小区 never
 * both pass a check on the same balance (two deposits of the amount owed, two reversals, two first
 * schemes) on PostgreSQL; SQLite runs one write transaction at a time.
 */
export async function lockLedger(ctx: Ctx, communityId: string): Promise<void> {
  if (!ctx.db.isTransaction) throw new Error('lockLedger must run inside a transaction')
  await lockHead(ctx.db, communityId, GENESIS_HASH)
}

/** Appends one fund row to the 小区's chain; ctx.db must be the transaction that writes the row. */
export async function appendFundAudit(ctx: Ctx, type: Kind, row: { id: string; community_id: string; created_at: string; created_by?: string | null; approved_by?: string }, payload: object): Promise<void> {
  await appendAudit(ctx.db, {
    communityId: row.community_id,
    at: row.created_at,
    actor: row.created_by ?? row.approved_by ?? null,
    action: `${type.replace('_', '.')}`,
    entityType: type,
    entityId: row.id,
    payload,
  })
}

/** Compares the fund tables of one 小区 with the payloads its audit log recorded. */
export async function verifyFundRecords(db: DbOrTx, communityId: string): Promise<{ checked: number; problems: string[] }> {
  const logged = await db.selectFrom('audit_log').select(['entity_type', 'entity_id', 'payload']).where('community_id', '=', communityId).where('entity_type', 'in', TYPES).execute()
  const recorded = new Map<string, string>()
  for (const r of logged) recorded.set(`${r.entity_type}:${r.entity_id}`, canonicalJson(JSON.parse(r.payload)))
  const stored = new Map<string, string>()
  for (const r of await db.selectFrom('fund_schemes').selectAll().where('community_id', '=', communityId).execute()) stored.set(`fund_scheme:${r.id}`, canonicalJson(schemePayload(r)))
  const links = await db.selectFrom('fund_expense_buildings').select(['expense_id', 'building_id']).where('community_id', '=', communityId).execute()
  for (const r of await db.selectFrom('fund_expenses').selectAll().where('community_id', '=', communityId).execute()) {
    stored.set(`fund_expense:${r.id}`, canonicalJson(expensePayload(r, links.filter((l) => l.expense_id === r.id).map((l) => l.building_id))))
  }
  for (const r of await db.selectFrom('fund_entries').selectAll().where('community_id', '=', communityId).execute()) stored.set(`fund_entry:${r.id}`, canonicalJson(entryPayload(r)))
  const problems: string[] = []
  const name = (key: string) => {
    const [type, id] = key.split(':')
    return `维修资金${WHAT[type as Kind]} ${id}`
  }
  for (const [key, actual] of stored) {
    const expected = recorded.get(key)
    if (expected === undefined) problems.push(`${name(key)}没有审计记录（被另行写入）`)
    else if (expected !== actual) problems.push(`${name(key)}与审计记录不符（被改动）`)
  }
  for (const key of recorded.keys()) if (!stored.has(key)) problems.push(`${name(key)}已不在台账中（被删除）`)
  return { checked: stored.size, problems }
}

/** The fund's entry in the audit verifier's registry (server/audit/verifiers.ts). */
export const fundAuditChain: AuditChain = {
  name: 'fund',
  label: '维修资金台账',
  communities: async (db) => {
    const rows = await db.selectFrom('fund_entries').select('community_id').distinct().execute()
    const schemes = await db.selectFrom('fund_schemes').select('community_id').distinct().execute()
    return [...new Set([...rows, ...schemes].map((r) => r.community_id))]
  },
  verify: (db, communityId) => verifyFundRecords(db, communityId),
}
