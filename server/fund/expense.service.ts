import { randomUUID } from 'node:crypto'
import { EMERGENCY_CATEGORIES, type EmergencyCategory, type ExpenseResult, type FundExpenseView } from '../../src/contracts/fund'
import { formatYuan, splitByWeight } from '../../src/contracts/money'
import { beijingDate } from '../../src/contracts/time'
import { requireActor, withTx, type Ctx } from '../context'
import type { DbOrTx } from '../db/database'
import { AppError } from '../errors'
import { publishSystemNotice } from '../notices/notice.publish'
import { accountsOf } from './account'
import { appendFundAudit, entryPayload, expensePayload, lockLedger } from './fund.audit'
import { attachDocuments, documentsFor, documentViews } from './fund.documents'
import { assertCanDecide } from './fund.policy'
import { buildingsOf, entriesOf, passedDecisions, unitsOf, voteTitles, type EntryRow } from './fund.repository'
import type { FundExpenseTable } from './fund.table'
import { covers } from './scheme.service'

/**
 * Spending only by decision. An ordinary expense cites a closed vote whose item-5 matter (使用维修资金)
 * passed and whose scope covers every paying building — the vote's id, a foreign key, not a copy. An
 * emergency (pumps, an elevator ordered shut, fire systems, a facade danger, serious leaks) may be
 * approved by the committee alone and is published as a notice at once. Anything else is refused.
 * The amount is shared across the paying buildings' units by registered area (splitByWeight: the
 * shares add up to the amount exactly).
 */
export interface ExpenseRequest {
  communityId: string
  purpose: string
  contractor: string
  amountFen: number
  spentOn: string
  buildingIds: string[]
  voteId?: string
  emergency?: EmergencyCategory
  /** Files uploaded with uploadFundDocument by the one recording the expense. */
  documents?: { kind: 'quote' | 'contract' | 'acceptance' | 'other'; name: string; fileId: string }[]
}

export async function recordExpense(ctx: Ctx, req: ExpenseRequest): Promise<ExpenseResult> {
  const actor = requireActor(ctx)
  const bodies = await assertCanDecide(ctx.db, req.communityId, actor.roles)
  if (req.voteId && req.emergency) throw new AppError('BadInput', '应急支出不引用表决；普通支出请只引用表决')
  if (!req.voteId && !req.emergency) {
    throw new AppError('BadInput', '动用维修资金须经业主大会表决通过（第 5 项：使用维修资金），请引用已通过的表决；只有水泵、电梯停运、消防、外墙险情、严重渗漏等紧急情况可由委员会先行决定')
  }
  if (req.spentOn > beijingDate(ctx.now())) throw new AppError('BadInput', '支出日期不能晚于今天')
  const buildingIds = [...new Set(req.buildingIds)]
  return withTx(ctx, async (tx) => {
    await lockLedger(tx, req.communityId)
    const all = await buildingsOf(tx.db, req.communityId)
    const named = buildingIds.map((id) => all.find((b) => b.id === id))
    if (named.some((b) => !b)) throw new AppError('NotFound', '楼栋不属于本小区')
    if (req.voteId) {
      const decision = (await passedDecisions(tx.db, req.communityId, 5, req.voteId))[0]
      if (!decision) throw new AppError('BadInput', '所引用的表决没有通过“使用维修资金”（第 5 项）的事项，或表决尚未结束')
      if (!covers(decision, buildingIds)) throw new AppError('BadInput', '所引用的表决范围没有覆盖全部分摊楼栋：使用维修资金须经分摊楼栋的业主表决')
    }
    // In the order rooms are listed (building, stair, room): the order ties of the split follow.
    const units = await unitsOf(tx.db, req.communityId, { buildingIds })
    if (units.length === 0) throw new AppError('BadInput', '分摊楼栋没有房屋')
    const balances = await accountsOf(tx.db, req.communityId, units.map((u) => u.id))
    const available = balances.reduce((s, a) => s + a.balanceFen, 0)
    if (req.amountFen > available) throw new AppError('BadInput', `分摊楼栋的维修资金余额 ${formatYuan(available)}，不足支付 ${formatYuan(req.amountFen)}`)

    const documents = await documentsFor(tx.db, { communityId: req.communityId, userId: actor.userId, documents: req.documents ?? [] })
    const at = tx.now().toISOString()
    const id = randomUUID()
    let noticeId: string | null = null
    if (req.emergency) {
      const n = await publishSystemNotice(tx, {
        communityId: req.communityId,
        kind: '公告',
        title: `维修资金应急使用：${req.purpose}`.slice(0, 60),
        body: [
          `因${EMERGENCY_CATEGORIES[req.emergency]}，${bodies.committeeName}决定应急动用维修资金。`,
          `用途：${req.purpose}`,
          `施工单位：${req.contractor}`,
          `金额：${formatYuan(req.amountFen)}`,
          `分摊楼栋：${named.map((b) => b!.name).join('、')}（按建筑面积分摊）`,
          `支出日期：${req.spentOn}`,
          '应急使用后，将在维修资金台账和财务公开中列明，业主可在“我的—维修资金”查看。',
        ].join('\n'),
        publisherRole: actor.roles.includes('committee_chair') ? 'committee_chair' : actor.roles.includes('committee_member') ? 'committee_member' : 'community_officer',
        publisherName: bodies.governance === 'office_acting' ? bodies.officeName : bodies.committeeName,
        publishedBy: actor.userId,
        sourceKey: `fund:expense:${id}`,
      })
      noticeId = n.id
    }
    const row: FundExpenseTable = {
      id,
      community_id: req.communityId,
      purpose: req.purpose,
      contractor: req.contractor,
      amount_fen: req.amountFen,
      spent_on: req.spentOn,
      kind: req.emergency ? 'emergency' : 'ordinary',
      vote_id: req.voteId ?? null,
      emergency: req.emergency ?? null,
      notice_id: noticeId,
      documents: JSON.stringify(documents),
      approved_by: actor.userId,
      created_at: at,
    }
    await tx.db.insertInto('fund_expenses').values(row).execute()
    await attachDocuments(tx.db, { communityId: req.communityId, userId: actor.userId, expenseId: id, documents })
    await tx.db.insertInto('fund_expense_buildings').values(buildingIds.map((b) => ({ community_id: req.communityId, expense_id: id, building_id: b }))).execute()
    await appendFundAudit(tx, 'fund_expense', row, expensePayload(row, buildingIds))

    const parts = splitByWeight(req.amountFen, units.map((u) => u.areaCentiM2))
    const shares: ExpenseResult['shares'] = []
    for (const [i, u] of units.entries()) {
      if (parts[i] === 0) continue
      const share: EntryRow = {
        id: randomUUID(), community_id: req.communityId, unit_id: u.id, kind: 'expense', amount_fen: -parts[i], on_date: req.spentOn,
        channel: null, receipt_no: null, held_in: null, deposit_id: null, expense_id: id, reverses_id: null, note: req.purpose, created_by: actor.userId, created_at: at,
      }
      await tx.db.insertInto('fund_entries').values(share).execute()
      await appendFundAudit(tx, 'fund_entry', share, entryPayload(share))
      shares.push({ unitId: u.id, unitLabel: u.label, amountFen: parts[i] })
    }
    const [view] = await expenseViews(tx.db, req.communityId, [id])
    return { expense: view, shares }
  })
}

/** Expenses of the 小区 (or the ones named), newest first, with their buildings, approval and documents. */
export async function expenseViews(db: DbOrTx, communityId: string, ids?: string[]): Promise<FundExpenseView[]> {
  let q = db.selectFrom('fund_expenses').selectAll().where('community_id', '=', communityId)
  if (ids) q = q.where('id', 'in', ids.length ? ids : ['-'])
  const rows = await q.orderBy('spent_on', 'desc').orderBy('created_at', 'desc').execute()
  const buildings = await buildingsOf(db, communityId)
  const links = await db.selectFrom('fund_expense_buildings').select(['expense_id', 'building_id']).where('community_id', '=', communityId).execute()
  const entries = (await entriesOf(db, communityId)).filter((e) => e.expense_id)
  const titles = await voteTitles(db, rows.flatMap((r) => (r.vote_id ? [r.vote_id] : [])))
  return rows.map((r) => {
    const shares = entries.filter((e) => e.expense_id === r.id)
    const net = shares.reduce((s, e) => s + e.amount_fen, 0)
    return {
      id: r.id,
      purpose: r.purpose,
      contractor: r.contractor,
      amountFen: Number(r.amount_fen),
      spentOn: r.spent_on,
      kind: r.kind,
      emergencyLabel: r.emergency ? (EMERGENCY_CATEGORIES[r.emergency as EmergencyCategory] ?? r.emergency) : null,
      voteId: r.vote_id,
      voteTitle: r.vote_id ? (titles.get(r.vote_id) ?? null) : null,
      noticeId: r.notice_id,
      buildings: links.filter((l) => l.expense_id === r.id).map((l) => buildings.find((b) => b.id === l.building_id)?.name ?? ''),
      documents: documentViews(r.documents),
      reversed: shares.length > 0 && net === 0,
      unitCount: shares.filter((e) => !e.reverses_id).length,
    }
  })
}
