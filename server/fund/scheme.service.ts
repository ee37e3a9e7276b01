import { randomUUID } from 'node:crypto'
import { FUND_POLICY_CLAUSE, type FundSchemeView, type FundSetup } from '../../src/contracts/fund'
import { requireActor, withTx, type Ctx } from '../context'
import { AppError } from '../errors'
import { appendFundAudit, lockLedger, schemePayload } from './fund.audit'
import { assertCanDecide, assertWithinCap, capFor, fundBodies } from './fund.policy'
import { buildingsOf, passedDecisions, schemesOf, voteTitles, type SchemeRow } from './fund.repository'

/**
 * Contribution schemes: per building, a call at a rate in fen per m² of registered area. A
 * building's first scheme needs no vote; raising or topping up the fund later is a further call
 * that cites a closed vote whose item-6 matter (筹集维修资金, special majority) passed and covered
 * the building. An old community's rate above the cap is refused (policy §三.(三).2).
 */
export async function fundSetup(ctx: Ctx, communityId: string): Promise<FundSetup> {
  const bodies = await fundBodies(ctx.db, communityId)
  const [buildings, schemes, five, six] = await Promise.all([
    buildingsOf(ctx.db, communityId),
    schemesOf(ctx.db, communityId),
    passedDecisions(ctx.db, communityId, 5),
    passedDecisions(ctx.db, communityId, 6),
  ])
  const views = await schemeViews(ctx, schemes)
  return {
    communityName: bodies.name,
    isOld: bodies.isOld,
    policyClause: FUND_POLICY_CLAUSE,
    buildings: buildings.map((b) => ({ ...b, capFen: capFor(bodies, b.hasElevator), schemes: views.filter((s) => s.buildingId === b.id) })),
    decisions: [...six, ...five],
  }
}

async function schemeViews(ctx: Ctx, rows: SchemeRow[]): Promise<FundSchemeView[]> {
  const buildings = await buildingsOf(ctx.db, rows[0]?.community_id ?? '-')
  const titles = await voteTitles(ctx.db, rows.flatMap((r) => (r.vote_id ? [r.vote_id] : [])))
  return rows.map((r) => {
    const b = buildings.find((x) => x.id === r.building_id)
    return {
      id: r.id,
      buildingId: r.building_id,
      buildingName: b?.name ?? '',
      hasElevator: b?.hasElevator ?? false,
      kind: r.kind,
      rateFen: r.rate_fen,
      voteId: r.vote_id,
      voteTitle: r.vote_id ? (titles.get(r.vote_id) ?? null) : null,
      note: r.note,
      createdAt: r.created_at,
    }
  })
}

/** Whether a decision's scope covers every one of these buildings ([] = the whole 小区). */
export function covers(decision: { buildingIds: string[] }, buildingIds: string[]): boolean {
  return decision.buildingIds.length === 0 || buildingIds.every((id) => decision.buildingIds.includes(id))
}

export async function setFundScheme(ctx: Ctx, input: { communityId: string; buildingIds: string[]; rateFen: number; voteId?: string; note?: string }): Promise<FundSetup> {
  const actor = requireActor(ctx)
  const bodies = await assertCanDecide(ctx.db, input.communityId, actor.roles)
  const ids = [...new Set(input.buildingIds)]
  await withTx(ctx, async (tx) => {
    await lockLedger(tx, input.communityId)
    const all = await buildingsOf(tx.db, input.communityId)
    const buildings = ids.map((id) => all.find((b) => b.id === id) ?? null)
    if (buildings.some((b) => b === null)) throw new AppError('NotFound', '楼栋不属于本小区')
    for (const b of buildings) assertWithinCap(bodies, b!, input.rateFen)
    const existing = await schemesOf(tx.db, input.communityId)
    const has = buildings.filter((b) => existing.some((s) => s.building_id === b!.id))
    if (has.length > 0 && has.length < buildings.length) throw new AppError('BadInput', `${has.map((b) => b!.name).join('、')}已有交存标准，请与其他楼栋分开设置`)
    const additional = has.length > 0
    if (additional) {
      if (!input.voteId) {
        throw new AppError('BadInput', `${has.map((b) => b!.name).join('、')}已有交存标准；提高或续筹维修资金须引用业主大会通过的第 6 项（筹集建筑物及其附属设施的维修资金）表决`)
      }
      const decision = (await passedDecisions(tx.db, input.communityId, 6, input.voteId))[0]
      if (!decision) throw new AppError('BadInput', '所引用的表决没有通过的第 6 项（筹集维修资金）事项，或尚未结束')
      if (!covers(decision, ids)) throw new AppError('BadInput', '所引用的表决范围没有覆盖这些楼栋')
    } else if (input.voteId) {
      const decision = (await passedDecisions(tx.db, input.communityId, 6, input.voteId))[0]
      if (!decision || !covers(decision, ids)) throw new AppError('BadInput', '所引用的表决没有通过覆盖这些楼栋的第 6 项事项')
    }
    const at = ctx.now().toISOString()
    for (const b of buildings) {
      const row: SchemeRow = {
        id: randomUUID(),
        community_id: input.communityId,
        building_id: b!.id,
        kind: additional ? 'additional' : 'initial',
        rate_fen: input.rateFen,
        vote_id: input.voteId ?? null,
        note: input.note ?? '',
        created_by: actor.userId,
        created_at: at,
      }
      await tx.db.insertInto('fund_schemes').values(row).execute()
      await appendFundAudit(tx, 'fund_scheme', row, schemePayload(row))
    }
  })
  return fundSetup(ctx, input.communityId)
}
