import type { Selectable } from 'kysely'
import { sameCommunity } from '../db/colocation'
import type { DbOrTx } from '../db/database'
import { AppError } from '../errors'
import type { BillStatus, FeeBillTable } from './fee.table'

export type BillRow = Selectable<FeeBillTable>
export { isUniqueViolation } from '../votes/vote.repository'

/** What is still owed on a bill: nothing once it is closed. */
export function owedOf(b: Pick<BillRow, 'amount_fen' | 'credited_fen' | 'paid_fen' | 'status'>): number {
  return b.status === 'waived' || b.status === 'written_off' ? 0 : b.amount_fen - b.credited_fen - b.paid_fen
}

export async function findBill(db: DbOrTx, communityId: string, billId: string): Promise<BillRow | undefined> {
  return db.selectFrom('fee_bills').selectAll().where('community_id', '=', communityId).where('id', '=', billId).executeTakeFirst()
}

export async function billOrNotFound(db: DbOrTx, communityId: string, billId: string): Promise<BillRow> {
  const b = await findBill(db, communityId, billId)
  if (!b) throw new AppError('NotFound', '账单不存在')
  return b
}

/**
 * Moves a bill's money and status, only if the row is still as it was read (else another change
 * came first: Conflict, and the caller's transaction rolls back).
 */
export async function updateBillIfUnchanged(
  db: DbOrTx,
  was: BillRow,
  set: Partial<Pick<BillRow, 'paid_fen' | 'credited_fen' | 'status' | 'closed_reason' | 'closed_by' | 'closed_at'>>,
): Promise<void> {
  const res = await db
    .updateTable('fee_bills')
    .set(set)
    .where('id', '=', was.id)
    .where('status', '=', was.status)
    .where('paid_fen', '=', was.paid_fen)
    .where('credited_fen', '=', was.credited_fen)
    .executeTakeFirst()
  if (Number(res.numUpdatedRows) !== 1) throw new AppError('Conflict', '账单刚被其他操作更新，请刷新后重试')
}

/** The next value of a per-小区 sequence (receipt numbers), under the counter row's lock. */
export async function nextCounter(db: DbOrTx, communityId: string, name: string): Promise<number> {
  await db.insertInto('fee_counters').values({ community_id: communityId, name, value: 0 }).onConflict((oc) => oc.columns(['community_id', 'name']).doNothing()).execute()
  const row = await db
    .updateTable('fee_counters')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('community_id', '=', communityId)
    .where('name', '=', name)
    .returning('value')
    .executeTakeFirstOrThrow()
  return Number(row.value)
}

/** Units owned by the persons bound to this user in the 小区. */
export async function ownedUnitIds(db: DbOrTx, communityId: string, userId: string): Promise<string[]> {
  const rows = await ownedUnitsQuery(db, communityId, userId).distinct().execute()
  return rows.map((r) => r.unit_id)
}

/** The rule of ownedUnitIds as a query (a unit once per person of the user that owns it), to compose into others. */
export function ownedUnitsQuery(db: DbOrTx, communityId: string, userId: string) {
  return db
    .selectFrom('ownerships as o')
    .innerJoin('persons as p', (j) => sameCommunity(j, 'p.id', 'o.person_id'))
    .select('o.unit_id as unit_id')
    .where('o.community_id', '=', communityId)
    .where('p.user_id', '=', userId)
}

export const OPEN_STATUSES: BillStatus[] = ['issued', 'partly_paid']
