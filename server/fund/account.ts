import { ENTRY_LABELS, TOP_UP_PERCENT, type FundAccount, type FundEntryView } from '../../src/contracts/fund'
import type { DbOrTx } from '../db/database'
import { entriesOf, requiredOf, schemesOf, unitsOf, type EntryRow, type FundUnit, type SchemeRow } from './fund.repository'

/**
 * A unit's account, computed from its ledger rows: required (every call of its building's schemes),
 * deposits, the district's match, interest, expense shares, and the balance; the top-up flag.
 */
export function entryView(r: EntryRow, labels: Map<string, string>): FundEntryView {
  return {
    id: r.id,
    kind: r.kind,
    kindLabel: r.reverses_id ? `冲正：${ENTRY_LABELS[r.kind]}` : ENTRY_LABELS[r.kind],
    amountFen: r.amount_fen,
    on: r.on_date,
    unitId: r.unit_id,
    unitLabel: r.unit_id ? (labels.get(r.unit_id) ?? null) : null,
    channel: r.channel,
    receiptNo: r.receipt_no,
    heldIn: r.held_in,
    expenseId: r.expense_id,
    reversesId: r.reverses_id,
    note: r.note,
    createdAt: r.created_at,
  }
}

/** Balance below 30% of the first required deposit, once something was deposited: balance × 100 < first × 30, in integers. */
export function needsTopUp(balanceFen: number, firstRequiredFen: number, depositedFen: number): boolean {
  if (depositedFen <= 0 || firstRequiredFen <= 0) return false
  return BigInt(balanceFen) * 100n < BigInt(firstRequiredFen) * BigInt(TOP_UP_PERCENT)
}

export function accountOf(unit: FundUnit, schemes: SchemeRow[], rows: EntryRow[], labels: Map<string, string>): FundAccount {
  const mine = rows.filter((r) => r.unit_id === unit.id)
  const sum = (kind: EntryRow['kind']) => mine.filter((r) => r.kind === kind).reduce((s, r) => s + r.amount_fen, 0)
  const { required, first } = requiredOf(unit, schemes)
  const deposited = sum('deposit')
  const matched = sum('match')
  const interest = sum('interest')
  const spent = 0 - sum('expense')
  const balance = deposited + matched + interest - spent
  return {
    unitId: unit.id,
    unitLabel: unit.label,
    areaCentiM2: unit.areaCentiM2,
    requiredFen: required,
    firstRequiredFen: first,
    depositedFen: deposited,
    matchedFen: matched,
    interestFen: interest,
    spentFen: spent,
    balanceFen: balance,
    outstandingFen: Math.max(0, required - deposited),
    needsTopUp: needsTopUp(balance, first, deposited),
    entries: mine.map((r) => entryView(r, labels)),
  }
}

/** The accounts of some units (or all of the 小区's). */
export async function accountsOf(db: DbOrTx, communityId: string, unitIds?: string[]): Promise<FundAccount[]> {
  const [units, schemes] = await Promise.all([unitsOf(db, communityId, unitIds ? { unitIds } : {}), schemesOf(db, communityId)])
  const rows = await entriesOf(db, communityId, unitIds ? { unitIds: units.map((u) => u.id) } : {})
  const labels = new Map(units.map((u) => [u.id, u.label]))
  return units.map((u) => accountOf(u, schemes, rows, labels))
}
