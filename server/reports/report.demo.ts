import type { ReportCategory } from '../../src/contracts/reports'
import { rolesInCommunity } from '../communities/membership.repository'
import { actorCtx, systemCtx, type AppDeps, type Ctx } from '../context'
import { unitsOfUser } from '../rosters/binding.repository'
import { confirmReport, createReport, handlerStep, reassignReport, reopenReport, replyReport } from './report.commands'
import { autoConfirmReports, markOverdueReports } from './report.jobs'
import { saveReportSettings } from './report.settings'

/**
 * The demo's reports, made through the report services as the people would, at times spread over
 * the last weeks: every state (待受理, 已受理, 处理中, 待确认, 已确认 with ratings, 重新处理, 转交社区,
 * auto-confirmed), some overdue, an anonymous complaint, and 联系我们 filled in with public numbers.
 * Call from server/demo/seed.ts after the tenant has accepted the invitation (the residents must
 * be bound), e.g.
 *   await seedReportsDemo(deps, {
 *     communityId: ids.binjiang, oldCommunityId: ids.wenqing,
 *     staff: users.staff, committee: users.committee, oldCommittee: users['committee-old'], officer: users.officer,
 *     residents: [users['owner-bound'], users.tenant], oldResidents: [users['owner-multi'], users['owner-coowned']],
 *   })
 * Idempotent: a 小区 that already has reports is left alone.
 */
export interface ReportsDemoPeople {
  communityId: string
  oldCommunityId: string
  staff: string
  committee: string
  oldCommittee: string
  officer: string
  residents: string[]
  oldResidents: string[]
}

const HOUR = 3_600_000

export async function seedReportsDemo(deps: AppDeps, p: ReportsDemoPeople): Promise<{ reports: number }> {
  const existing = await deps.db.selectFrom('reports').select('id').where('community_id', '=', p.communityId).executeTakeFirst()
  if (existing) return { reports: 0 }
  const now = deps.now().getTime()
  const as = async (userId: string, communityId: string, hoursAgo: number): Promise<Ctx> => {
    const ctx = actorCtx(deps, { userId, roles: await rolesInCommunity(deps.db, userId, communityId) })
    return { ...ctx, now: () => new Date(now - hoursAgo * HOUR) }
  }
  const at = (hoursAgo: number): Ctx => ({ ...systemCtx(deps), now: () => new Date(now - hoursAgo * HOUR) })
  const a = p.communityId
  const [r1, r2] = p.residents
  const [o1, o2] = p.oldResidents.length ? p.oldResidents : [p.residents[0], p.residents[0]]

  await saveReportSettings(await as(p.committee, a, 24 * 30), {
    communityId: a, propertyPhone: '0797-8123456', propertyHours: '每天 8:00–20:00（夜间急修 24 小时）', committeePhone: '0797-8123457',
    committeeHours: '每周六 9:00–11:30', officePhone: '0797-8200123', officeAddress: '东阳社区居委会一楼便民服务窗口',
    commonAreas: ['小区大门', '地下车库', '中心花园', '电梯', '楼道', '垃圾分类点', '儿童游乐区'],
  })
  await saveReportSettings(await as(p.oldCommittee, p.oldCommunityId, 24 * 30), {
    communityId: p.oldCommunityId, committeePhone: '0797-8123999', committeeHours: '工作日 9:00–17:00', officePhone: '0797-8200123', commonAreas: ['小区大门', '楼道', '晾晒区', '自行车棚'],
  })

  const unitOf = async (userId: string, communityId: string) => (await unitsOfUser(deps.db, userId)).find((u) => u.communityId === communityId)?.unitId
  const file = async (userId: string, communityId: string, hoursAgo: number, category: ReportCategory, description: string, place: { kind: 'area'; area: string } | 'unit', extra: { urgency?: 'urgent' | 'ordinary'; anonymous?: boolean } = {}) => {
    const unitId = place === 'unit' ? await unitOf(userId, communityId) : undefined
    const where = place === 'unit' ? (unitId ? { kind: 'unit' as const, unitId } : { kind: 'area' as const, area: '楼道' }) : place
    return (await createReport(await as(userId, communityId, hoursAgo), { communityId, category, description, place: where, anonymous: extra.anonymous ?? false, urgency: extra.urgency })).id
  }
  const step = async (userId: string, communityId: string, hoursAgo: number, reportId: string, event: 'accept' | 'start' | 'resolve', message?: string) =>
    handlerStep(await as(userId, communityId, hoursAgo), { communityId, reportId, message }, event)

  // Confirmed with ratings, two weeks ago.
  const done1 = await file(r1, a, 340, 'repair', '卫生间地漏返水，地面有积水', 'unit')
  await step(p.staff, a, 339.5, done1, 'accept', '已安排维修师傅下午上门')
  await step(p.staff, a, 336, done1, 'resolve', '已疏通地漏并更换存水弯')
  await confirmReport(await as(r1, a, 330), { communityId: a, reportId: done1, rating: 5, comment: '师傅很专业，当天就修好了' })
  const done2 = await file(r2, a, 300, 'cleaning', '2栋楼道垃圾两天没有清运，有异味', { kind: 'area', area: '楼道' })
  await step(p.staff, a, 290, done2, 'accept')
  await step(p.staff, a, 280, done2, 'resolve', '已清运并消杀')
  await confirmReport(await as(r2, a, 270), { communityId: a, reportId: done2, rating: 3, comment: '处理了，但希望以后及时一些' })
  // Resolved 8 days ago and never confirmed: closed by the system.
  const auto = await file(r1, a, 220, 'greening', '中心花园的树枝挡住了路灯', { kind: 'area', area: '中心花园' })
  await step(p.staff, a, 215, auto, 'accept')
  await step(p.staff, a, 200, auto, 'resolve', '已修剪')
  await autoConfirmReports(at(0))
  // Resolved yesterday, waiting for the resident to confirm.
  const waiting = await file(r2, a, 40, 'repair', '单元门闭门器坏了，门关不上', { kind: 'area', area: '楼道' })
  await step(p.staff, a, 39, waiting, 'accept')
  await step(p.staff, a, 20, waiting, 'resolve', '已更换闭门器，请确认')
  // Reopened once, then escalated after two reopenings.
  const reopened = await file(r2, a, 120, 'parking', '地下车库消防通道长期被占用', { kind: 'area', area: '地下车库' })
  await step(p.staff, a, 118, reopened, 'accept')
  await step(p.staff, a, 100, reopened, 'resolve', '已张贴告示')
  await reopenReport(await as(r2, a, 96), { communityId: a, reportId: reopened, reason: '告示贴了，车还是停在那里' })
  const escalated = await file(r1, a, 200, 'repair', '电梯经常停在三楼不动', { kind: 'area', area: '电梯' })
  for (let i = 0; i < 3; i++) {
    await step(p.staff, a, 190 - i * 40, escalated, 'accept')
    await step(p.staff, a, 185 - i * 40, escalated, 'resolve', '维保单位已检修')
    await reopenReport(await as(r1, a, 180 - i * 40), { communityId: a, reportId: escalated, reason: i < 2 ? '还是会停' : '三次维修都没解决，请社区协调' })
  }
  // In progress, accepted, and waiting (one urgent repair overdue, a complaint overdue across the deadline).
  const progress = await file(r2, a, 30, 'security', '小区东门门禁坏了，外来人员随意进出', { kind: 'area', area: '小区大门' })
  await step(p.staff, a, 29, progress, 'accept')
  await step(p.staff, a, 26, progress, 'start', '门禁厂家明天上午到场')
  const accepted = await file(r1, a, 8, 'repair', '楼道声控灯不亮', 'unit', { urgency: 'ordinary' })
  await step(p.staff, a, 7, accepted, 'accept')
  await file(r2, a, 3, 'repair', '楼上漏水到我家天花板，一直在滴', 'unit', { urgency: 'urgent' })
  await file(r1, a, 1, 'suggestion', '建议在儿童游乐区增加遮阳棚', { kind: 'area', area: '儿童游乐区' })
  // An anonymous complaint about the company, answered late by the committee; another still unanswered.
  const anon = await file(r2, a, 72, 'complaint', '物业保安夜间经常脱岗，反映多次没有改善', { kind: 'area', area: '小区大门' }, { anonymous: true })
  await markOverdueReports(at(40))
  await replyReport(await as(p.committee, a, 20), { communityId: a, reportId: anon, message: '已约谈物业公司，要求一周内整改并加强夜间巡查' })
  await file(r1, a, 50, 'complaint', '装修噪音中午不停，影响休息', { kind: 'area', area: '楼道' }, { anonymous: true })

  // 文清苑 (物管会, no company): a repair handled by the 物管会, and a complaint the officer handed to the office.
  const oldRepair = await file(o1, p.oldCommunityId, 48, 'repair', '3栋屋顶防水层破损，下雨渗水', 'unit')
  await step(p.oldCommittee, p.oldCommunityId, 47, oldRepair, 'accept', '已联系维修资金使用流程')
  const oldComplaint = await file(o2, p.oldCommunityId, 26, 'complaint', '晾晒区被个别住户占用堆放杂物', { kind: 'area', area: '晾晒区' })
  await reassignReport(await as(p.officer, p.oldCommunityId, 20), { communityId: p.oldCommunityId, reportId: oldComplaint, handler: 'office', message: '社区网格员协调处理' })
  await markOverdueReports(at(0))
  const n = await deps.db.selectFrom('reports').select((eb) => eb.fn.countAll<number>().as('n')).where('community_id', 'in', [a, p.oldCommunityId]).executeTakeFirstOrThrow()
  return { reports: Number(n.n) }
}
