import { randomUUID } from 'node:crypto'
import { CHANNELS, MATCH_HELD_IN, type DepositChannel, type DepositResult } from '../../src/contracts/fund'
import { formatYuan, splitByWeight } from '../../src/contracts/money'
import { beijingDate } from '../../src/contracts/time'
import { requireActor, withTx, type Ctx } from '../context'
import { AppError } from '../errors'
import { accountOf, accountsOf, entryView } from './account'
import { appendFundAudit, entryPayload, lockLedger } from './fund.audit'
import { assertCanCollect, assertCanDecide, type FundBodies } from './fund.policy'
import { entriesOf, findEntry, schemesOf, unitsOf, type EntryRow } from './fund.repository'

/**
 * Money into the fund: owners' deposits (each with, in an old community, the district's 1:1 match
 * beside it, held in the district's special account), interest postings, and reversals. Every row
 * is appended to the ledger and to the 小区's audit chain in one transaction; nothing is edited.
 */
export interface DepositRequest {
  communityId: string
  unitId: string
  amountFen: number
  paidOn: string
  channel: DepositChannel
  receiptNo: string
}

async function insertEntry(ctx: Ctx, row: EntryRow): Promise<EntryRow> {
  await ctx.db.insertInto('fund_entries').values(row).execute()
  await appendFundAudit(ctx, 'fund_entry', row, entryPayload(row))
  return row
}

function baseRow(ctx: Ctx, communityId: string, userId: string | null): Omit<EntryRow, 'kind' | 'amount_fen' | 'on_date' | 'unit_id'> {
  return { id: randomUUID(), community_id: communityId, channel: null, receipt_no: null, held_in: null, deposit_id: null, expense_id: null, reverses_id: null, note: '', created_by: userId, created_at: ctx.now().toISOString() }
}

/** Records one deposit in ctx's transaction; answers the deposit, its match and the account after. */
export async function depositInTx(ctx: Ctx, bodies: FundBodies, req: DepositRequest, userId: string | null): Promise<DepositResult> {
  if (req.paidOn > beijingDate(ctx.now())) throw new AppError('BadInput', '交存日期不能晚于今天')
  await lockLedger(ctx, req.communityId)
  const unit = (await unitsOf(ctx.db, req.communityId, { unitIds: [req.unitId] }))[0]
  if (!unit) throw new AppError('NotFound', '房屋不属于本小区')
  const schemes = await schemesOf(ctx.db, req.communityId)
  const rows = await entriesOf(ctx.db, req.communityId, { unitIds: [unit.id] })
  const labels = new Map([[unit.id, unit.label]])
  const before = accountOf(unit, schemes, rows, labels)
  if (before.requiredFen === 0) throw new AppError('BadInput', `${unit.buildingName}尚未设定维修资金交存标准`)
  if (req.amountFen > before.outstandingFen) {
    throw new AppError('BadInput', `${unit.label}应交未交 ${formatYuan(before.outstandingFen)}，本次 ${formatYuan(req.amountFen)} 超出了应交金额`)
  }
  const dup = await ctx.db
    .selectFrom('fund_entries as e')
    .select('e.id')
    .where('e.community_id', '=', req.communityId)
    .where('e.kind', '=', 'deposit')
    .where('e.receipt_no', '=', req.receiptNo)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('fund_entries as r').select('r.id').whereRef('r.reverses_id', '=', 'e.id').whereRef('r.community_id', '=', 'e.community_id'))))
    .executeTakeFirst()
  if (dup) throw new AppError('Conflict', `收据号 ${req.receiptNo} 已登记过`)
  const deposit = await insertEntry(ctx, {
    ...baseRow(ctx, req.communityId, userId),
    unit_id: unit.id,
    kind: 'deposit',
    amount_fen: req.amountFen,
    on_date: req.paidOn,
    channel: req.channel,
    receipt_no: req.receiptNo,
    note: `${CHANNELS[req.channel]}交存`,
  })
  const match = bodies.isOld
    ? await insertEntry(ctx, {
        ...baseRow(ctx, req.communityId, userId),
        unit_id: unit.id,
        kind: 'match',
        amount_fen: req.amountFen,
        on_date: req.paidOn,
        held_in: MATCH_HELD_IN,
        deposit_id: deposit.id,
        note: `区财政等额配套（收据 ${req.receiptNo}）`,
      })
    : null
  const after = accountOf(unit, schemes, [...rows, deposit, ...(match ? [match] : [])], labels)
  const { entries: _entries, ...account } = after
  void _entries
  return { entry: entryView(deposit, labels), match: match ? entryView(match, labels) : null, account }
}

export async function recordDeposit(ctx: Ctx, req: DepositRequest): Promise<DepositResult> {
  const actor = requireActor(ctx)
  const bodies = await assertCanCollect(ctx.db, req.communityId, actor.roles)
  return withTx(ctx, (tx) => depositInTx(tx, bodies, req, actor.userId))
}

/** Interest credited to the fund: split over the units with a positive balance by balance, parts adding up exactly. */
export async function postInterest(ctx: Ctx, input: { communityId: string; amountFen: number; postedOn: string; note?: string }): Promise<{ units: number; amountFen: number }> {
  const actor = requireActor(ctx)
  await assertCanDecide(ctx.db, input.communityId, actor.roles)
  return withTx(ctx, async (tx) => {
    await lockLedger(tx, input.communityId)
    const accounts = (await accountsOf(tx.db, input.communityId)).filter((a) => a.balanceFen > 0)
    if (accounts.length === 0) throw new AppError('BadInput', '没有余额的账户，无法分配利息')
    const parts = splitByWeight(input.amountFen, accounts.map((a) => a.balanceFen))
    for (const [i, a] of accounts.entries()) {
      if (parts[i] === 0) continue
      await insertEntry(tx, { ...baseRow(tx, input.communityId, actor.userId), unit_id: a.unitId, kind: 'interest', amount_fen: parts[i], on_date: input.postedOn, note: input.note || '利息' })
    }
    return { units: parts.filter((p) => p > 0).length, amountFen: input.amountFen }
  })
}

/**
 * Undoes a mistaken row by reversing rows, never an edit: a deposit with its match, an interest
 * row, or an expense (every share of it). A row is reversed once; a reversal is not reversed.
 */
export async function reverseEntry(ctx: Ctx, input: { communityId: string; entryId: string; reason: string }): Promise<{ reversed: number }> {
  const actor = requireActor(ctx)
  await assertCanDecide(ctx.db, input.communityId, actor.roles)
  return withTx(ctx, async (tx) => {
    await lockLedger(tx, input.communityId)
    const target = await findEntry(tx.db, input.communityId, input.entryId)
    if (!target) throw new AppError('NotFound', '台账记录不存在')
    if (target.reverses_id) throw new AppError('BadInput', '冲正记录不能再冲正')
    if (target.kind === 'match') throw new AppError('BadInput', '配套随交存一起冲正，请冲正对应的交存记录')
    const all = await entriesOf(tx.db, input.communityId)
    const reversed = new Set(all.flatMap((r) => (r.reverses_id ? [r.reverses_id] : [])))
    if (reversed.has(target.id)) throw new AppError('Conflict', '这条记录已经冲正过')
    const rows =
      target.kind === 'deposit' ? [target, ...all.filter((r) => r.deposit_id === target.id && !r.reverses_id)]
      : target.kind === 'expense' ? all.filter((r) => r.expense_id === target.expense_id && !r.reverses_id && !reversed.has(r.id))
      : [target]
    const today = beijingDate(tx.now())
    for (const r of rows) {
      await insertEntry(tx, {
        ...baseRow(tx, input.communityId, actor.userId),
        unit_id: r.unit_id,
        kind: r.kind,
        amount_fen: -r.amount_fen,
        on_date: today,
        held_in: r.held_in,
        deposit_id: r.deposit_id,
        expense_id: r.expense_id,
        reverses_id: r.id,
        note: `冲正：${input.reason}`,
      })
    }
    return { reversed: rows.length }
  })
}
