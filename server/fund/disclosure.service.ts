import { formatYuan } from '../../src/contracts/money'
import { beijingDate } from '../../src/contracts/time'
import { disclosureRoleOf } from '../../src/contracts/roles'
import { requireActor, withTx, type Ctx } from '../context'
import { AppError } from '../errors'
import { publishSystemNotice } from '../notices/notice.publish'
import { expenseViews } from './expense.service'
import { assertCanDecide } from './fund.policy'
import { totalsOf } from './ledger.queries'

/**
 * The committee's 财务公开 of the repair fund, generated from the ledger (Civil Code art. 281: raising
 * and use are published regularly): the totals and every expense with its cost, sharing and
 * approval. No room, name or personal amount appears. Publishing twice on one day with the same
 * ledger answers the same notice.
 */
export async function publishFundDisclosure(ctx: Ctx, communityId: string): Promise<{ id: string }> {
  const actor = requireActor(ctx)
  const bodies = await assertCanDecide(ctx.db, communityId, actor.roles)
  return withTx(ctx, async (tx) => {
    const totals = await totalsOf(tx.db, communityId)
    const expenses = await expenseViews(tx.db, communityId)
    const count = await tx.db.selectFrom('fund_entries').select((eb) => eb.fn.countAll<number | string>().as('n')).where('community_id', '=', communityId).executeTakeFirstOrThrow()
    if (Number(count.n) === 0) throw new AppError('BadInput', '维修资金台账还没有记录，暂无可公开的内容')
    const today = beijingDate(tx.now())
    const lines = [
      `截至 ${today}，${bodies.name}维修资金收支情况如下：`,
      `业主交存合计：${formatYuan(totals.depositedFen)}`,
      ...(bodies.isOld || totals.matchedFen ? [`区财政等额配套合计：${formatYuan(totals.matchedFen)}（存于区财政老旧小区住宅维修资金专用账户）`] : []),
      `利息收入合计：${formatYuan(totals.earnedFen)}`,
      `使用支出合计：${formatYuan(totals.spentFen)}`,
      `结余：${formatYuan(totals.remainingFen)}`,
      '',
      expenses.length ? '支出明细：' : '本期无支出。',
      ...expenses.map((e, i) =>
        `${i + 1}. ${e.spentOn} ${e.purpose}，施工单位 ${e.contractor}，${formatYuan(e.amountFen)}，由 ${e.buildings.join('、')} 按建筑面积分摊；` +
        (e.kind === 'emergency' ? `应急使用（${e.emergencyLabel}），委员会决定` : `经业主表决通过（${e.voteTitle ?? '表决'}）`) +
        (e.reversed ? '（已冲正）' : '') +
        (e.documents.length ? `；材料：${e.documents.map((d) => `${d.kind}《${d.name}》`).join('、')}` : ''),
      ),
      '',
      '各户的交存、配套、利息和分摊明细，业主可在“我的—维修资金”查看。',
    ]
    const role = disclosureRoleOf(actor.roles)
    return publishSystemNotice(tx, {
      communityId,
      kind: '财务公开',
      title: `维修资金收支公开（截至 ${today}）`,
      body: lines.join('\n'),
      publisherRole: role,
      publisherName: role === 'community_officer' ? bodies.officeName : bodies.committeeName,
      publishedBy: actor.userId,
      sourceKey: `fund:disclosure:${today}:${Number(count.n)}`,
    })
  })
}
