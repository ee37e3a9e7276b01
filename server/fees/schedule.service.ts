import { randomUUID } from 'node:crypto'
import * as v from 'valibot'
import { FEE_ITEM_KIND_LABELS, periodLabel, type FeeScheduleView, type FeeSetup, type SaveFeeScheduleInput } from '../../src/contracts/fees'
import { NOTICE_PUBLISHER_ROLES, rolesInSet, type NoticePublisherRole, type Role } from '../../src/contracts/roles'
import { requireActor, withTx, type Ctx } from '../context'
import type { DbOrTx } from '../db/database'
import { AppError } from '../errors'
import { rateText, type ScheduleItem } from './bill.compute'
import { lateFeeText, lateFeeView, termsOfRow, type LateFeeTerms } from './late-fee'
import { publishFeeNotice } from './fee.notices'
import { assertCanBill, canBill, canDecide, feeBodies, payeeName, type FeeBodies } from './fee.policy'

/**
 * The fee schedule (收费标准): versions, each a list of items, never edited. Saving one makes a new
 * version and publishes its 公示 (明码标价) in the same transaction; bills name the version they
 * were computed from.
 */
export interface LoadedSchedule {
  id: string
  version: number
  effectiveFrom: string
  noticeId: string | null
  items: ScheduleItem[]
  /** The service contract's late fee; null: none (the default). */
  lateFee: LateFeeTerms | null
}

/** The latest version in force in `month` (or the latest of all when month is absent). */
export async function scheduleFor(db: DbOrTx, communityId: string, month?: string): Promise<LoadedSchedule | null> {
  let q = db.selectFrom('fee_schedules').selectAll().where('community_id', '=', communityId)
  if (month) q = q.where('effective_from', '<=', month)
  const s = await q.orderBy('effective_from', 'desc').orderBy('version', 'desc').limit(1).executeTakeFirst()
  if (!s) return null
  const items = await db.selectFrom('fee_items').selectAll().where('schedule_id', '=', s.id).orderBy('position').execute()
  return {
    id: s.id,
    version: s.version,
    effectiveFrom: s.effective_from,
    noticeId: s.notice_id,
    lateFee: termsOfRow(s),
    items: items.map((i) => ({ name: i.name, kind: i.kind, rateFen: i.rate_fen, buildingIds: JSON.parse(i.building_ids) as string[] })),
  }
}

async function buildingsOf(db: DbOrTx, communityId: string) {
  return db.selectFrom('buildings').select(['id', 'name']).where('community_id', '=', communityId).orderBy('name').execute()
}

function scopeText(ids: string[], names: Map<string, string>): string {
  return ids.length === 0 ? '全部楼栋' : ids.map((id) => names.get(id) ?? '').join('、')
}

function view(s: LoadedSchedule, names: Map<string, string>): FeeScheduleView {
  return {
    id: s.id,
    version: s.version,
    effectiveFrom: s.effectiveFrom,
    noticeId: s.noticeId,
    items: s.items.map((i) => ({ ...i, rateText: rateText(i.kind, i.rateFen), scopeText: scopeText(i.buildingIds, names) })),
    lateFee: lateFeeView(s.lateFee),
  }
}

/** The text of the fee standard's 公示. */
export function scheduleNoticeText(b: FeeBodies, effectiveFrom: string, items: ScheduleItem[], names: Map<string, string>, lateFee: LateFeeTerms | null = null) {
  const lines = items.map((i, n) => `${n + 1}. ${i.name}（${FEE_ITEM_KIND_LABELS[i.kind]}）：${rateText(i.kind, i.rateFen)}，适用于${scopeText(i.buildingIds, names)}`)
  return {
    title: `物业收费标准公示（${periodLabel(effectiveFrom)}起执行）`,
    body: [
      `自${periodLabel(effectiveFrom)}起，本小区执行以下收费标准：`,
      ...lines,
      '按面积计收的费用以登记的建筑面积计算，每项金额四舍五入到分；公摊费用按各户登记面积分摊。',
      lateFee
        ? `未售出的房屋，其费用由开发建设单位缴纳。逾期缴纳的，按物业服务合同约定（${lateFee.clause}）计收违约金：${lateFeeText(lateFee)}。`
        : '未售出的房屋，其费用由开发建设单位缴纳。未经服务合同约定，不收取滞纳金。',
      `收费单位：${payeeName(b)}。如对收费有异议，可拨打价格举报电话 12358。`,
    ].join('\n'),
  }
}

/** The role the actor speaks as in the 公示: the first fee role they hold that may publish. */
export function speakingRole(b: FeeBodies, roles: readonly Role[]): NoticePublisherRole {
  if (b.companyName && roles.includes('property_staff')) return 'property_staff'
  const r = rolesInSet(roles.filter((x) => x !== 'property_staff'), NOTICE_PUBLISHER_ROLES)[0] ?? rolesInSet(roles, NOTICE_PUBLISHER_ROLES)[0]
  if (!r) throw new AppError('Forbidden', '您不能发布收费标准公示')
  return r
}

export async function saveSchedule(ctx: Ctx, input: v.InferOutput<typeof SaveFeeScheduleInput>): Promise<FeeScheduleView> {
  const actor = requireActor(ctx)
  const bodies = await assertCanBill(ctx.db, input.communityId, actor.roles)
  const buildings = await buildingsOf(ctx.db, input.communityId)
  const names = new Map(buildings.map((b) => [b.id, b.name]))
  const items: ScheduleItem[] = input.items.map((i) => ({ name: i.name, kind: i.kind, rateFen: i.rateFen, buildingIds: [...new Set(i.buildingIds)] }))
  for (const i of items) {
    if (i.buildingIds.some((id) => !names.has(id))) throw new AppError('BadInput', `收费项目“${i.name}”选择的楼栋不属于本小区`)
  }
  if (new Set(items.map((i) => i.name)).size !== items.length) throw new AppError('BadInput', '收费项目名称不能重复')
  const lateFee: LateFeeTerms | null = input.lateFee ? { ratePer10k: input.lateFee.ratePer10k, clause: input.lateFee.clause, startAfterDays: input.lateFee.startAfterDays } : null
  const text = scheduleNoticeText(bodies, input.effectiveFrom, items, names, lateFee)
  return withTx(ctx, async (tx) => {
    const last = await tx.db.selectFrom('fee_schedules').select((eb) => eb.fn.max('version').as('v')).where('community_id', '=', input.communityId).executeTakeFirst()
    const version = Number(last?.v ?? 0) + 1
    const id = randomUUID()
    const nowIso = tx.now().toISOString()
    await tx.db.insertInto('fee_schedules').values({ id, community_id: input.communityId, version, effective_from: input.effectiveFrom, notice_id: null, created_by: actor.userId, created_at: nowIso,
      late_fee_rate_per_10k: lateFee?.ratePer10k ?? 0, late_fee_clause: lateFee?.clause ?? null, late_fee_start_days: lateFee?.startAfterDays ?? 0,
    }).execute()
    await tx.db
      .insertInto('fee_items')
      .values(items.map((i, position) => ({ id: randomUUID(), community_id: input.communityId, schedule_id: id, position, name: i.name, kind: i.kind, rate_fen: i.rateFen, building_ids: JSON.stringify(i.buildingIds) })))
      .execute()
    const notice = await publishFeeNotice(tx, bodies, { communityId: input.communityId, kind: '公示', ...text, publisherRole: speakingRole(bodies, actor.roles), sourceKey: `fees:schedule:${id}` })
    await tx.db.updateTable('fee_schedules').set({ notice_id: notice.id }).where('id', '=', id).execute()
    return view({ id, version, effectiveFrom: input.effectiveFrom, noticeId: notice.id, items, lateFee }, names)
  })
}

/** What the fee screens need first: the schedule in force, buildings, payee, what the caller may do, the periods billed. */
export async function feeSetup(ctx: Ctx, communityId: string): Promise<FeeSetup> {
  const actor = requireActor(ctx)
  const bodies = await feeBodies(ctx.db, communityId)
  const buildings = await buildingsOf(ctx.db, communityId)
  const schedule = await scheduleFor(ctx.db, communityId)
  const periods = await ctx.db.selectFrom('fee_periods').select(['period', 'bill_count', 'due_on']).where('community_id', '=', communityId).orderBy('first_month', 'desc').execute()
  return {
    schedule: schedule ? view(schedule, new Map(buildings.map((b) => [b.id, b.name]))) : null,
    buildings,
    payeeName: payeeName(bodies),
    canBill: canBill(bodies, actor.roles),
    canDecide: canDecide(bodies, actor.roles),
    periods: periods.map((p) => ({ period: p.period, label: periodLabel(p.period), billCount: p.bill_count, dueOn: p.due_on })),
  }
}
