/** Row shapes of the repair-fund tables (migration 009_fund), snake_case as stored. Money in fen (signed in the ledger), area in 0.01 m². */
import type { FundEntryKind } from '../../src/contracts/fund'

export interface FundSchemeTable {
  id: string
  community_id: string
  building_id: string
  kind: 'initial' | 'additional'
  /** Fen per m² of registered area. */
  rate_fen: number
  /** The closed vote whose item-6 matter passed (additional calls only). */
  vote_id: string | null
  note: string
  created_by: string
  created_at: string
}

export interface FundExpenseTable {
  id: string
  community_id: string
  purpose: string
  contractor: string
  amount_fen: number
  spent_on: string
  kind: 'ordinary' | 'emergency'
  /** The closed vote whose item-5 matter passed (ordinary expenses): a reference, not a copy. */
  vote_id: string | null
  emergency: string | null
  notice_id: string | null
  /** JSON array of { kind, name } (recorded before migration 015), then { kind, name, fileId, mime, sizeBytes, sha256 }. */
  documents: string
  approved_by: string
  created_at: string
}

export interface FundExpenseBuildingTable {
  community_id: string
  expense_id: string
  building_id: string
}

export interface FundEntryTable {
  id: string
  community_id: string
  unit_id: string | null
  kind: FundEntryKind
  amount_fen: number
  on_date: string
  channel: string | null
  receipt_no: string | null
  held_in: string | null
  /** A match: the deposit it matches. */
  deposit_id: string | null
  expense_id: string | null
  reverses_id: string | null
  note: string
  created_by: string | null
  created_at: string
}

/** A document uploaded for an expense (migration 015): unattached until the expense is recorded. */
export interface FundFileTable {
  id: string
  community_id: string
  expense_id: string | null
  mime: string
  size_bytes: number
  sha256: string
  storage_key: string
  uploaded_by: string
  created_at: string
}

export interface FundTables {
  fund_schemes: FundSchemeTable
  fund_expenses: FundExpenseTable
  fund_expense_buildings: FundExpenseBuildingTable
  fund_entries: FundEntryTable
  fund_files: FundFileTable
}
