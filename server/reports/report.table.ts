/** Row shapes of the report tables (migration 008_reports), snake_case as stored. Instants are ISO-8601 UTC text. */
import type { ReportCategory, ReportHandler, ReportStatus, ReportUrgency } from '../../src/contracts/reports'

export interface ReportTable {
  id: string
  community_id: string
  office_id: string
  street_id: string
  district_id: string
  category: ReportCategory
  description: string
  place_kind: 'unit' | 'building' | 'area'
  place_unit_id: string | null
  /** The unit's building, or the building named; null for a common area. */
  building_id: string | null
  place_label: string
  urgency: ReportUrgency | null
  anonymous: number
  reporter_user_id: string
  handler: ReportHandler
  status: ReportStatus
  reopen_count: number
  /** When the first response (accept or reply) is due; null when the category has no target. */
  due_at: string | null
  responded_at: string | null
  /** Set once by the overdue job, kept for the counts. */
  overdue_at: string | null
  /** 1 while overdue and not yet responded to: the inbox shows these first. */
  overdue_rank: number
  accepted_at: string | null
  resolved_at: string | null
  confirmed_at: string | null
  auto_confirmed: number
  rating: number | null
  rating_comment: string | null
  created_at: string
  updated_at: string
}

export interface ReportEventTable {
  id: string
  community_id: string
  report_id: string
  seq: number
  event: string
  from_status: ReportStatus | null
  to_status: ReportStatus
  actor_user_id: string | null
  /** reporter, property, committee, office, system: what the timeline says of who acted. */
  actor_kind: string
  message: string | null
  created_at: string
}

export interface ReportFileTable {
  id: string
  community_id: string
  report_id: string | null
  event_id: string | null
  mime: string
  size_bytes: number
  storage_key: string
  uploaded_by: string
  created_at: string
}

export interface ReportSettingsTable {
  community_id: string
  /** JSON array of common-area names the committee keeps. */
  common_areas: string
  property_phone: string | null
  property_hours: string | null
  committee_phone: string | null
  committee_hours: string | null
  office_phone: string | null
  office_address: string | null
  urgent_accept_minutes: number
  ordinary_accept_minutes: number
  complaint_answer_workdays: number
  daily_limit: number
  updated_by: string | null
  updated_at: string
}

/** Reports filed per resident, 小区 and Beijing day: the daily limit, counted race-free. */
export interface ReportDailyCountTable {
  community_id: string
  user_id: string
  day: string
  count: number
}

/** A district's working-day calendar (migration 015): national holidays (off) and the weekend days worked in exchange (work). */
export interface WorkCalendarTable {
  district_id: string
  day: string
  kind: 'off' | 'work'
  name: string
}

/** The years a district has saved: such a year's calendar is the district's rows alone, not the built-in one. */
export interface WorkCalendarYearTable {
  district_id: string
  year: number
  updated_by: string
  updated_at: string
}

export interface ReportTables {
  reports: ReportTable
  report_events: ReportEventTable
  report_files: ReportFileTable
  report_settings: ReportSettingsTable
  report_daily_counts: ReportDailyCountTable
  work_calendar: WorkCalendarTable
  work_calendar_years: WorkCalendarYearTable
}
