import * as v from 'valibot'
import type { BillShareView, ShareBillsInput } from '../../src/contracts/fees'
import { requireActor, type Ctx } from '../context'
import type { DbOrTx } from '../db/database'
import { AppError } from '../errors'
import { compiledPerLength } from '../db/compiled'
import { ownedUnitIds } from './bill.repository'

/**
 * An owner shares a unit's bills with its tenant (issue 10: "A tenant sees nothing unless the owner
 * shares the unit's bills with them"). A share belongs to one tenancy: the tenant then reads that
 * unit's bills (the list and each bill) and nothing else of money — no other unit, no statement,
 * no 催缴 notices, no repair fund. Stopping the share, or the tenancy ending, takes it away at once:
 * every read checks the share and the tenancy together (sharedUnitIds).
 */

/** The units whose bills are shared with this user now: a standing share on an active tenancy of theirs. */
export async function sharedUnitIds(db: DbOrTx, communityId: string, userId: string): Promise<string[]> {
  const rows = await sharedUnitsQuery(db, communityId, userId).distinct().execute()
  return rows.map((r) => r.unit_id)
}

/** The rule of sharedUnitIds as a query, to compose into others (the 缴费 tab's one statement). */
export function sharedUnitsQuery(db: DbOrTx, communityId: string, userId: string) {
  return db
    .selectFrom('fee_bill_shares as s')
    .innerJoin('tenancies as t', (j) => j.onRef('t.id', '=', 's.tenancy_id').onRef('t.unit_id', '=', 's.unit_id').onRef('t.community_id', '=', 's.community_id'))
    .select('s.unit_id as unit_id')
    .where('s.community_id', '=', communityId)
    .where('s.stopped_at', 'is', null)
    .where('t.status', '=', 'active')
    .where('t.tenant_user_id', '=', userId)
}

/** For the owner's 缴费 tab: each unit's active tenancies and whether the bills are shared with each. */
export async function tenantsOfUnits(db: DbOrTx, communityId: string, unitIds: string[]): Promise<Map<string, BillShareView[]>> {
  const out = new Map<string, BillShareView[]>(unitIds.map((id) => [id, []]))
  for (const r of await tenantsOfUnitsQuery(db, communityId, unitIds)) out.get(r.unit_id)?.push({ tenancyId: r.id, tenantName: r.nickname ?? null, shared: !!r.shared_at && r.stopped_at === null })
  return out
}

// Run by every owner's 缴费 tab: compiled once per number of units (server/db/compiled.ts).
const tenantsOfUnitsQuery = compiledPerLength((db, communityId, unitIds) =>
  db
    .selectFrom('tenancies as t')
    .leftJoin('fee_bill_shares as s', (j) => j.onRef('s.tenancy_id', '=', 't.id').onRef('s.community_id', '=', 't.community_id'))
    .leftJoin('users as u', 'u.id', 't.tenant_user_id')
    .select(['t.id', 't.unit_id', 'u.nickname', 's.stopped_at', 's.shared_at'])
    .where('t.community_id', '=', communityId)
    .where('t.unit_id', 'in', unitIds)
    .where('t.status', '=', 'active')
    .orderBy('t.accepted_at')
    .orderBy('t.id'),
)

export async function shareBills(ctx: Ctx, a: v.InferOutput<typeof ShareBillsInput>): Promise<BillShareView> {
  const actor = requireActor(ctx)
  const t = await ctx.db
    .selectFrom('tenancies as t')
    .leftJoin('users as u', 'u.id', 't.tenant_user_id')
    .select(['t.id', 't.unit_id', 't.status', 'u.nickname'])
    .where('t.community_id', '=', a.communityId)
    .where('t.id', '=', a.tenancyId)
    .executeTakeFirst()
  if (!t) throw new AppError('NotFound', '找不到该租户记录')
  if (!(await ownedUnitIds(ctx.db, a.communityId, actor.userId)).includes(t.unit_id)) throw new AppError('Forbidden', '只有该房屋的业主才能与租户共享账单')
  const now = ctx.now().toISOString()
  if (a.shared) {
    if (t.status !== 'active') throw new AppError('Conflict', t.status === 'invited' ? '租户还没有接受邀请，接受后才能共享账单' : '这位租户的租住已结束，不能共享账单')
    await ctx.db
      .insertInto('fee_bill_shares')
      .values({ tenancy_id: t.id, community_id: a.communityId, unit_id: t.unit_id, shared_by: actor.userId, shared_at: now, stopped_at: null })
      .onConflict((oc) => oc.column('tenancy_id').doUpdateSet({ shared_by: actor.userId, shared_at: now, stopped_at: null }))
      .execute()
  } else {
    await ctx.db.updateTable('fee_bill_shares').set({ stopped_at: now }).where('community_id', '=', a.communityId).where('tenancy_id', '=', t.id).where('stopped_at', 'is', null).execute()
  }
  return { tenancyId: t.id, tenantName: t.nickname ?? null, shared: a.shared }
}
