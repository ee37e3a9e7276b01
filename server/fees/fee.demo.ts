import { addMonths, periodMonths } from '../../src/contracts/fees'
import { beijingDate, beijingToDate } from '../../src/contracts/time'
import { actorCtx, type AppDeps, type Ctx } from '../context'
import { sameCommunity } from '../db/colocation'
import { recordReminder } from './arrears.service'
import { generateBills } from './bill.generate'
import { feeBodies } from './fee.policy'
import { recordPayment } from './payment.service'
import { saveSchedule } from './schedule.service'

/**
 * The demo's year of fees for one 小区, made through the fee services as its property staff
 * would: a schedule (published as a 公示), the last four quarters' bills, most paid (cash, bank,
 * WeChat; some in part), some units owing, and one written 催缴 whose deadline has passed, so a
 * newcomer sees every state. Call from server/demo/seed.ts after the roster is imported and the
 * staff member holds property_staff in the 小区:
 *   await seedFeesDemo(deps, { communityId: ids.binjiang, staffUserId: users.staff })
 * remindedRoom (a persona's unit) owes the last two quarters and has a written notice still running.
 * Idempotent: a 小区 that already has a schedule is left alone.
 */
export async function seedFeesDemo(
  deps: AppDeps,
  a: { communityId: string; staffUserId: string; remindedRoom?: { building: string; stair: string; room: string } },
): Promise<{ bills: number; payments: number }> {
  const staff = actorCtx(deps, { userId: a.staffUserId, roles: ['property_staff'] })
  const existing = await deps.db.selectFrom('fee_schedules').select('id').where('community_id', '=', a.communityId).executeTakeFirst()
  if (existing) return { bills: 0, payments: 0 }
  const today = beijingDate(deps.now())
  const thisQuarter = `${today.slice(0, 4)}-Q${(Number(today.slice(5, 7)) + 2 - ((Number(today.slice(5, 7)) + 2) % 3)) / 3}`
  const quarters: string[] = []
  let first = periodMonths(thisQuarter).firstMonth
  for (let i = 0; i < 4; i++) {
    quarters.unshift(`${first.slice(0, 4)}-Q${(Number(first.slice(5, 7)) + 2) / 3}`)
    first = addMonths(first, -3)
  }
  const buildings = await deps.db.selectFrom('buildings').select(['id', 'name']).where('community_id', '=', a.communityId).orderBy('name').execute()
  await saveSchedule(staff, {
    communityId: a.communityId,
    effectiveFrom: periodMonths(quarters[0]).firstMonth,
    items: [
      { name: '物业服务费', kind: 'area', rateFen: 180, buildingIds: [] },
      { name: '电梯运行费', kind: 'area', rateFen: 30, buildingIds: buildings.slice(0, 1).map((b) => b.id) },
      { name: '垃圾清运费', kind: 'fixed', rateFen: 1000, buildingIds: [] },
      { name: '公摊水电', kind: 'shared', rateFen: 120000, buildingIds: [] },
    ],
  })
  const bodies = await feeBodies(deps.db, a.communityId)
  let bills = 0
  for (const period of quarters) {
    // Each quarter billed on its first morning (or now), as it would have been.
    const start = beijingToDate(`${periodMonths(period).firstMonth}-01`, '09:00')
    const at: Ctx = { ...staff, now: () => (start < deps.now() ? start : deps.now()) }
    bills += (await generateBills(at, bodies, { communityId: a.communityId, period, userId: a.staffUserId })).created
  }

  const rows = await deps.db.selectFrom('fee_bills').select(['id', 'unit_id', 'period', 'amount_fen', 'payer']).where('community_id', '=', a.communityId).orderBy('unit_label').orderBy('first_month').execute()
  const unitIds = [...new Set(rows.map((r) => r.unit_id))]
  // The persona's unit (a.remindedRoom): paid up to half a year ago, owing the last two quarters,
  // with a written notice whose deadline is still running, so its owner sees unpaid bills and a
  // written 催缴 in the 缴费 tab.
  const room = a.remindedRoom
  const boundOwing = room
    ? (await deps.db.selectFrom('units as u').innerJoin('buildings as b', (j) => sameCommunity(j, 'b.id', 'u.building_id')).select('u.id')
        .where('u.community_id', '=', a.communityId).where('b.name', '=', room.building).where('u.stair', '=', room.stair).where('u.room', '=', room.room).executeTakeFirst())?.id
    : undefined
  const methods = ['wechat', 'bank', 'cash'] as const
  let payments = 0
  for (const r of rows) {
    const u = unitIds.indexOf(r.unit_id)
    const q = quarters.indexOf(r.period)
    // The current quarter: a third have paid. Earlier: all but every ninth unit (in arrears), and every seventh paid half of last quarter.
    const inArrears = u % 9 === 4
    const pays = r.unit_id === boundOwing ? q < quarters.length - 2 : q === quarters.length - 1 ? u % 3 === 0 : !inArrears
    if (!pays) continue
    const half = q === quarters.length - 2 && u % 7 === 2
    await recordPayment(staff, {
      communityId: a.communityId, billId: r.id, amountFen: half ? r.amount_fen - (r.amount_fen - (r.amount_fen % 2)) / 2 : r.amount_fen,
      method: methods[u % 3], reference: u % 3 === 2 ? undefined : `DEMO${String(u).padStart(4, '0')}${q}`, idempotencyKey: `demo:${r.id}`,
    })
    payments++
  }
  // A written notice, given five weeks ago with a two-week deadline, to the first unit in arrears.
  const owing = unitIds.find((_, i) => i % 9 === 4)
  if (owing) {
    const then = new Date(deps.now().getTime() - 35 * 86_400_000)
    const past: Ctx = { ...staff, now: () => then }
    await recordReminder(past, { communityId: a.communityId, unitId: owing, kind: 'call', note: '电话联系业主，答应月底前缴纳' })
    await recordReminder(past, { communityId: a.communityId, unitId: owing, kind: 'written', note: '书面催缴通知已送达，请在期限内缴清物业费', deadlineOn: beijingDate(new Date(then.getTime() + 14 * 86_400_000)) })
  }
  if (boundOwing) {
    const then = new Date(deps.now().getTime() - 10 * 86_400_000)
    const past: Ctx = { ...staff, now: () => then }
    await recordReminder(past, { communityId: a.communityId, unitId: boundOwing, kind: 'written', note: '您的房屋有两个季度的物业费未缴，请在期限内到物业服务中心缴纳', deadlineOn: beijingDate(new Date(then.getTime() + 30 * 86_400_000)) })
  }
  return { bills, payments }
}
