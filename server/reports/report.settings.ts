import * as v from 'valibot'
import { PUBLIC_HOTLINES, REPORT_TARGET_DEFAULTS, REPORT_TARGETS_NOTE, type ReportContacts, type ReportPlaceOptions, type ReportSettingsInput, type ReportSettingsView } from '../../src/contracts/reports'
import { requireActor, withTx, type Ctx } from '../context'
import type { DbOrTx } from '../db/database'
import { unitsOfUser } from '../rosters/binding.repository'
import { reportBodies } from './report.policy'
import type { ReportSettingsTable } from './report.table'

/**
 * Each 小区's report settings, kept by its committee or the community office: the common areas a
 * report may name, the public phones and hours shown on 联系我们, the response targets (the
 * product's defaults until changed; the policy sets none) and the daily limit per resident.
 */
export function defaultSettings(communityId: string, now: Date): ReportSettingsTable {
  return {
    community_id: communityId,
    common_areas: JSON.stringify(['小区大门', '地下车库', '中心花园', '电梯', '楼道', '垃圾分类点']),
    property_phone: null, property_hours: null, committee_phone: null, committee_hours: null, office_phone: null, office_address: null,
    urgent_accept_minutes: REPORT_TARGET_DEFAULTS.urgentAcceptMinutes,
    ordinary_accept_minutes: REPORT_TARGET_DEFAULTS.ordinaryAcceptMinutes,
    complaint_answer_workdays: REPORT_TARGET_DEFAULTS.complaintAnswerWorkdays,
    daily_limit: REPORT_TARGET_DEFAULTS.dailyLimit,
    updated_by: null,
    updated_at: now.toISOString(),
  }
}

export async function loadSettings(db: DbOrTx, communityId: string, now: Date): Promise<ReportSettingsTable> {
  return (await db.selectFrom('report_settings').selectAll().where('community_id', '=', communityId).executeTakeFirst()) ?? defaultSettings(communityId, now)
}

export const commonAreasOf = (s: ReportSettingsTable): string[] => JSON.parse(s.common_areas) as string[]

export const targetsOf = (s: ReportSettingsTable) => ({
  urgentAcceptMinutes: s.urgent_accept_minutes,
  ordinaryAcceptMinutes: s.ordinary_accept_minutes,
  complaintAnswerWorkdays: s.complaint_answer_workdays,
})

/** 联系我们: public numbers only (the settings refuse mobiles), and the two public hotlines. */
export async function reportContacts(ctx: Ctx, input: { communityId: string }): Promise<ReportContacts> {
  const [b, s] = await Promise.all([reportBodies(ctx.db, input.communityId), loadSettings(ctx.db, input.communityId, ctx.now())])
  return {
    communityName: b.name,
    property: b.companyName ? { name: `${b.companyName}物业服务中心`, phone: s.property_phone, hours: s.property_hours } : null,
    committee: { name: b.committeeName, phone: s.committee_phone, hours: s.committee_hours },
    office: { name: b.officeName, phone: s.office_phone, address: s.office_address },
    hotlines: PUBLIC_HOTLINES.map((h) => ({ ...h })),
  }
}

export async function reportSettings(ctx: Ctx, input: { communityId: string }): Promise<ReportSettingsView> {
  const s = await loadSettings(ctx.db, input.communityId, ctx.now())
  return {
    ...(await reportContacts(ctx, input)),
    commonAreas: commonAreasOf(s),
    ...targetsOf(s),
    dailyLimit: s.daily_limit,
    targetsNote: REPORT_TARGETS_NOTE,
  }
}

type SettingsInput = v.InferOutput<typeof ReportSettingsInput>

export async function saveReportSettings(ctx: Ctx, input: SettingsInput): Promise<ReportSettingsView> {
  const actor = requireActor(ctx)
  await withTx(ctx, async (tx) => {
    const s = await loadSettings(tx.db, input.communityId, tx.now())
    const pick = <K extends keyof SettingsInput>(k: K, current: SettingsInput[K]) => (input[k] === undefined ? current : input[k])
    const row: ReportSettingsTable = {
      community_id: input.communityId,
      common_areas: input.commonAreas ? JSON.stringify([...new Set(input.commonAreas)]) : s.common_areas,
      property_phone: pick('propertyPhone', s.property_phone) ?? null,
      property_hours: pick('propertyHours', s.property_hours) ?? null,
      committee_phone: pick('committeePhone', s.committee_phone) ?? null,
      committee_hours: pick('committeeHours', s.committee_hours) ?? null,
      office_phone: pick('officePhone', s.office_phone) ?? null,
      office_address: pick('officeAddress', s.office_address) ?? null,
      urgent_accept_minutes: input.urgentAcceptMinutes ?? s.urgent_accept_minutes,
      ordinary_accept_minutes: input.ordinaryAcceptMinutes ?? s.ordinary_accept_minutes,
      complaint_answer_workdays: input.complaintAnswerWorkdays ?? s.complaint_answer_workdays,
      daily_limit: input.dailyLimit ?? s.daily_limit,
      updated_by: actor.userId,
      updated_at: tx.now().toISOString(),
    }
    const { community_id: _key, ...rest } = row
    await tx.db.insertInto('report_settings').values(row).onConflict((oc) => oc.column('community_id').doUpdateSet(rest)).execute()
  })
  return reportSettings(ctx, input)
}

/** What the report form offers as places: the reporter's own units here, the buildings, the common areas. */
export async function reportPlaceOptions(ctx: Ctx, input: { communityId: string }): Promise<ReportPlaceOptions> {
  const actor = requireActor(ctx)
  const [units, buildings, s] = await Promise.all([
    unitsOfUser(ctx.db, actor.userId),
    ctx.db.selectFrom('buildings').select(['id', 'name']).where('community_id', '=', input.communityId).orderBy('name').execute(),
    loadSettings(ctx.db, input.communityId, ctx.now()),
  ])
  return {
    units: units.filter((u) => u.communityId === input.communityId).map((u) => ({ id: u.unitId, label: u.label })),
    buildings,
    commonAreas: commonAreasOf(s),
  }
}
