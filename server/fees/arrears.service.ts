import { randomUUID } from 'node:crypto'
import * as v from 'valibot'
import type { ArrearsPostingResult, PublishArrearsInput, RecordReminderInput, ReminderView } from '../../src/contracts/fees'
import { addDays, beijingDate, beijingToDate } from '../../src/contracts/time'
import { disclosureRoleOf } from '../../src/contracts/roles'
import { requireActor, withTx, type Ctx } from '../context'
import { sameCommunity } from '../db/colocation'
import type { DbOrTx } from '../db/database'
import { AppError } from '../errors'
import { assertNoPersonalData } from '../privacy/personal-data'
import { reminderView } from './bill.queries'
import { OPEN_STATUSES } from './bill.repository'
import { publishFeeNotice } from './fee.notices'
import { assertCanBill, assertCanDecide } from './fee.policy'

/**
 * Arrears in the policy's order (§三.(一).4; Civil Code art. 944): staff record each 催缴 — a
 * visit, a call, a written notice with a deadline — against the unit; the owner sees the written
 * ones; only once a written notice's deadline has passed and the unit still owes may the
 * committee publish an 欠费公示, which lists masked rooms only (PIPL art. 25): never names, phones
 * or amounts, inside the 小区, with an end date, through the privacy check every posting passes.
 */
const MAX_POSTING_DAYS = 90

/** 3栋2单元301 → 3栋2单元**1室: every character of the room but the last is hidden. */
export function maskRoom(building: string, stair: string, room: string): string {
  const r = room.trim()
  return `${building}${stair}${'*'.repeat(Math.max(r.length - 1, 1))}${r.slice(-1)}室`
}

/** The posting's title and body, built from masked rooms alone: the function is given nothing else. */
export function composeArrearsPosting(maskedRooms: readonly string[], endsOn: string): { title: string; body: string } {
  return {
    title: '物业费欠费公示',
    body: [
      '下列房屋经书面催缴，缴费期限届满后仍未缴纳物业服务费（依法隐去房号部分数字，不公开姓名、电话和金额）：',
      ...maskedRooms,
      '请上述房屋的业主尽快到物业服务中心办理缴费；如有异议，请到物业服务中心或业委会核实。',
      `本公示至 ${endsOn} 止。`,
    ].join('\n'),
  }
}

// An amount as people write one: 1,234.56 / 483.6 / ¥12 / 12元.
const AMOUNT = /\d\.\d|[¥￥]|\d\s*元/
const LONG_DIGITS = /\d{7}/

/** The rooms as they will be posted, refused if a room's own wording carries an amount or personal data. */
export async function checkedArrearsPosting(ctx: Ctx, communityId: string, maskedRooms: readonly string[], endsOn: string) {
  if (maskedRooms.some((r) => AMOUNT.test(r))) throw new AppError('BadInput', '欠费公示中不能出现金额；请检查楼栋、单元名称')
  // No building or stair is numbered with seven digits: such a run is a phone or an ID, however written.
  if (maskedRooms.some((r) => LONG_DIGITS.test(r.replace(/[\s-]/g, '')))) throw new AppError('BadInput', '欠费公示中不能出现长串数字（可能是电话或证件号）；请检查楼栋、单元名称')
  const text = composeArrearsPosting(maskedRooms, endsOn)
  await assertNoPersonalData(ctx, communityId, [text.title, text.body], {
    mobile: '欠费公示中不能出现手机号码；请检查楼栋、单元名称',
    idNumber: '欠费公示中不能出现身份证号码；请检查楼栋、单元名称',
    name: (name) => `欠费公示中不能出现住户姓名（发现“${name}”）；请检查楼栋、单元名称`,
  })
  return text
}

async function unitIn(db: DbOrTx, communityId: string, unitId: string) {
  const u = await db.selectFrom('units as u').innerJoin('buildings as b', (j) => sameCommunity(j, 'b.id', 'u.building_id')).select(['u.id', 'b.name as building', 'u.stair', 'u.room']).where('u.community_id', '=', communityId).where('u.id', '=', unitId).executeTakeFirst()
  if (!u) throw new AppError('NotFound', '房屋不存在')
  return u
}

export async function recordReminder(ctx: Ctx, a: v.InferOutput<typeof RecordReminderInput>): Promise<ReminderView> {
  const actor = requireActor(ctx)
  await assertCanBill(ctx.db, a.communityId, actor.roles)
  await unitIn(ctx.db, a.communityId, a.unitId)
  const today = beijingDate(ctx.now())
  if (a.deadlineOn && a.deadlineOn <= today) throw new AppError('BadInput', '书面催缴的缴费期限应晚于今天')
  const open = await ctx.db.selectFrom('fee_bills').select('id').where('community_id', '=', a.communityId).where('unit_id', '=', a.unitId).where('status', 'in', OPEN_STATUSES).limit(1).execute()
  if (open.length === 0) throw new AppError('Conflict', '这户没有待缴账单，无需催缴')
  const row = { id: randomUUID(), community_id: a.communityId, unit_id: a.unitId, kind: a.kind, note: a.note, deadline_on: a.deadlineOn ?? null, recorded_by: actor.userId, created_at: ctx.now().toISOString() }
  await ctx.db.insertInto('fee_reminders').values(row).execute()
  return reminderView(row)
}

/**
 * Units that may be posted today: they owe on a bill that was open when a written notice was
 * given, and that notice's deadline has passed.
 */
export async function postableUnitIds(db: DbOrTx, communityId: string, today: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('fee_reminders as r')
    .innerJoin('fee_bills as b', (j) => sameCommunity(j, 'b.unit_id', 'r.unit_id').onRef('b.created_at', '<=', 'r.created_at'))
    .select('r.unit_id')
    .distinct()
    .where('r.community_id', '=', communityId)
    .where('r.kind', '=', 'written')
    .where('r.deadline_on', '<', today)
    .where('b.status', 'in', OPEN_STATUSES)
    .execute()
  return new Set(rows.map((r) => r.unit_id))
}

export async function publishArrearsPosting(ctx: Ctx, a: v.InferOutput<typeof PublishArrearsInput>): Promise<ArrearsPostingResult> {
  const actor = requireActor(ctx)
  const bodies = await assertCanDecide(ctx.db, a.communityId, actor.roles)
  const today = beijingDate(ctx.now())
  if (a.endsOn <= today) throw new AppError('BadInput', '公示结束日期应晚于今天')
  if (a.endsOn > beijingDate(addDays(ctx.now(), MAX_POSTING_DAYS))) throw new AppError('BadInput', `欠费公示最长 ${MAX_POSTING_DAYS} 天`)
  const postable = await postableUnitIds(ctx.db, a.communityId, today)
  const chosen = a.unitIds ? [...new Set(a.unitIds)] : [...postable]
  if (chosen.length === 0) throw new AppError('Conflict', '没有书面催缴期限已过的欠费房屋，不能发布欠费公示')
  const units = await Promise.all(chosen.map((id) => unitIn(ctx.db, a.communityId, id)))
  const notYet = units.filter((u) => !postable.has(u.id))
  if (notYet.length > 0) {
    throw new AppError('Conflict', `以下房屋尚未书面催缴、期限未到或已缴清，不能公示：${notYet.map((u) => maskRoom(u.building, u.stair, u.room)).join('、')}`)
  }
  const rooms = units.map((u) => maskRoom(u.building, u.stair, u.room)).sort((x, y) => x.localeCompare(y, 'zh'))
  const text = await checkedArrearsPosting(ctx, a.communityId, rooms, a.endsOn)
  const role = disclosureRoleOf(actor.roles)
  return withTx(ctx, async (tx) => {
    const notice = await publishFeeNotice(tx, bodies, {
      communityId: a.communityId, kind: '欠费公示', ...text, publisherRole: role, expiresAt: beijingToDate(a.endsOn, '23:59'), sourceKey: `fees:arrears:${randomUUID()}`,
    })
    return { noticeId: notice.id, roomCount: rooms.length }
  })
}
