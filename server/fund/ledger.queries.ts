import type { FundBuildingArrears, FundEntryKind, FundLedger, FundTotals, FundYearStatement, MyFund } from '../../src/contracts/fund'
import { ENTRY_LABELS } from '../../src/contracts/fund'
import { formatYuan } from '../../src/contracts/money'
import { requireActor, type Ctx } from '../context'
import type { DbOrTx } from '../db/database'
import { AppError } from '../errors'
import { accountsOf, entryView } from './account'
import { expenseViews } from './expense.service'
import { fundBodies } from './fund.policy'
import { buildingsOf, entriesOf, ownedUnitIds, sumsByKind, unitsOf } from './fund.repository'

/** What owners, the committee and officers read: the 小区 ledger, each owner's accounts, statements, unpaid deposits. */

export async function totalsOf(db: DbOrTx, communityId: string): Promise<FundTotals> {
  const s = await sumsByKind(db, communityId)
  return { depositedFen: s.deposit, matchedFen: s.match, earnedFen: s.interest, spentFen: 0 - s.expense, remainingFen: s.deposit + s.match + s.interest + s.expense }
}

export async function fundLedger(ctx: Ctx, communityId: string): Promise<FundLedger> {
  const bodies = await fundBodies(ctx.db, communityId)
  const units = await unitsOf(ctx.db, communityId)
  const labels = new Map(units.map((u) => [u.id, u.label]))
  const rows = await entriesOf(ctx.db, communityId)
  // Owners read the 小区's ledger, not each other's accounts: rooms are shown only to those who run the fund.
  const full = !(ctx.actor?.roles ?? []).every((r) => r === 'owner')
  const recent = rows.slice(-50).reverse().map((r) => entryView(r, full ? labels : new Map()))
  return { communityName: bodies.name, isOld: bodies.isOld, totals: await totalsOf(ctx.db, communityId), expenses: await expenseViews(ctx.db, communityId), recent }
}

/** The caller's own units' accounts; a tenant has none. */
export async function myFund(ctx: Ctx, communityId: string): Promise<MyFund> {
  const actor = requireActor(ctx)
  const ids = await ownedUnitIds(ctx.db, communityId, actor.userId)
  return { accounts: ids.length ? await accountsOf(ctx.db, communityId, ids) : [] }
}

/** One unit's account: its owners, and those who run the fund. */
export async function fundAccount(ctx: Ctx, communityId: string, unitId: string) {
  const actor = requireActor(ctx)
  const owns = (await ownedUnitIds(ctx.db, communityId, actor.userId)).includes(unitId)
  if (!owns && actor.roles.every((r) => r === 'owner')) throw new AppError('Forbidden', '只能查看自己房屋的维修资金账户')
  const [account] = await accountsOf(ctx.db, communityId, [unitId])
  if (!account) throw new AppError('NotFound', '房屋不属于本小区')
  return account
}

/** A unit's statement for one calendar year: opening balance, every row of the year, closing balance, a text to save or share. */
export async function fundYearStatement(ctx: Ctx, input: { communityId: string; unitId: string; year: number }): Promise<FundYearStatement> {
  const account = await fundAccount(ctx, input.communityId, input.unitId)
  const from = `${input.year}-01-01`
  const to = `${input.year}-12-31`
  const opening = account.entries.filter((e) => e.on < from).reduce((s, e) => s + e.amountFen, 0)
  const entries = account.entries.filter((e) => e.on >= from && e.on <= to)
  const byKind: Record<FundEntryKind, number> = { deposit: 0, match: 0, interest: 0, expense: 0 }
  for (const e of entries) byKind[e.kind] += e.amountFen
  const closing = opening + entries.reduce((s, e) => s + e.amountFen, 0)
  const bodies = await fundBodies(ctx.db, input.communityId)
  const text = [
    `${bodies.name} ${account.unitLabel} 维修资金 ${input.year} 年对账单`,
    `年初余额：${formatYuan(opening)}`,
    ...entries.map((e) => `${e.on} ${e.kindLabel} ${formatYuan(e.amountFen)}${e.receiptNo ? `（收据 ${e.receiptNo}）` : ''}${e.heldIn ? `（存于${e.heldIn}）` : ''}`),
    ...(Object.keys(byKind) as FundEntryKind[]).map((k) => `本年${ENTRY_LABELS[k]}合计：${formatYuan(byKind[k])}`),
    `年末余额：${formatYuan(closing)}`,
  ].join('\n')
  return { unitLabel: account.unitLabel, year: input.year, openingFen: opening, closingFen: closing, entries, byKind, text }
}

/** Required deposits not yet paid, by building, with the units that owe. */
export async function fundArrears(ctx: Ctx, communityId: string): Promise<FundBuildingArrears[]> {
  const [buildings, accounts, units] = await Promise.all([buildingsOf(ctx.db, communityId), accountsOf(ctx.db, communityId), unitsOf(ctx.db, communityId)])
  const buildingOf = new Map(units.map((u) => [u.id, u.buildingId]))
  return buildings.map((b) => {
    const mine = accounts.filter((a) => buildingOf.get(a.unitId) === b.id)
    return {
      buildingId: b.id,
      buildingName: b.name,
      units: mine.length,
      requiredFen: mine.reduce((s, a) => s + a.requiredFen, 0),
      depositedFen: mine.reduce((s, a) => s + a.depositedFen, 0),
      outstandingFen: mine.reduce((s, a) => s + a.outstandingFen, 0),
      unpaidUnits: mine.filter((a) => a.outstandingFen > 0).map((a) => ({ unitId: a.unitId, unitLabel: a.unitLabel, outstandingFen: a.outstandingFen })),
    }
  })
}
