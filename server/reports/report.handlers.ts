import {
  BulkAcceptInput, ConfirmReportInput, ReportDashboardInput, CreateReportInput, MyReportsInput, OfficerInboxInput, ReassignReportInput, ReopenReportInput, ReplyReportInput,
  ReportCommunityOnly, ReportInboxInput, ReportPhotoRef, ReportRef, ReportSettingsInput, ReportStepInput, REPORT_PHOTO_MAX_BYTES, SaveWorkCalendarInput, UploadReportPhotoInput,
  WORK_CALENDAR_EDITOR_ROLES, WorkCalendarInput,
} from '../../src/contracts/reports'
import { ALL_ROLES, COMMITTEE_ROLES, OFFICER_ROLES, REPORTER_ROLES, REPORT_HANDLER_ROLES, REPORT_READER_ROLES, REPORT_SETTINGS_ROLES } from '../../src/contracts/roles'
import { action } from '../registry'
import { base64BodyLimit } from '../transports/body-limit'
import { bulkAccept, confirmReport, createReport, handlerStep, reassignReport, reopenReport, replyReport } from './report.commands'
import { exportReportDashboard, reportDashboard } from './report.dashboard'
import { officerInbox } from './report.officer'
import { getReport, myReports, reportInbox, reportPhoto } from './report.queries'
import { reportContacts, reportPlaceOptions, reportSettings, saveReportSettings } from './report.settings'
import { uploadReportPhoto } from './report.upload'
import { saveWorkCalendar, workCalendar } from './work-calendar'

/** Residents (owners and tenants) file, follow, confirm and reopen their reports. */
const REPORTERS = { roles: REPORTER_ROLES }
/** Everyone of the 小区 reads what they may (report.policy.ts): their own, what is routed to them, all for the committee and officers. */
const READERS = { roles: REPORT_READER_ROLES }
/** The bodies reports are routed to, and the officers above the 小区 (who read every report). */
const HANDLERS = { roles: [...REPORT_HANDLER_ROLES, ...OFFICER_ROLES] }
const OFFICERS = { roles: OFFICER_ROLES }
const DASHBOARD = { roles: [...OFFICER_ROLES, ...COMMITTEE_ROLES] }
/** National holidays are the same for every 小区: the district office keeps one calendar for all of its 小区. */
const CALENDAR_KEEPERS = { roles: WORK_CALENDAR_EDITOR_ROLES, scope: 'district' as const }
/** An officer's post: an office, a street or the district. */
const OFFICER_POSTS = { roles: OFFICER_ROLES, scope: ['office', 'street', 'district'] as const }

/** Problem reports (issue 12). Who may do what beyond these roles: report.policy.ts. */
export const reportActions = {
  reportPlaceOptions: action({ input: ReportCommunityOnly, access: REPORTERS, handler: (input, ctx) => reportPlaceOptions(ctx, input) }),
  uploadReportPhoto: action({
    input: UploadReportPhotoInput,
    access: READERS,
    bodyLimit: base64BodyLimit(REPORT_PHOTO_MAX_BYTES),
    handler: (input, ctx) => uploadReportPhoto(ctx, { communityId: input.communityId, base64: input.dataBase64, cloudFileId: input.cloudFileId }),
  }),
  createReport: action({ input: CreateReportInput, access: REPORTERS, handler: (input, ctx) => createReport(ctx, input) }),
  getReport: action({ input: ReportRef, access: READERS, handler: (input, ctx) => getReport(ctx, input) }),
  reportPhoto: action({ input: ReportPhotoRef, access: READERS, handler: (input, ctx) => reportPhoto(ctx, input) }),
  myReports: action({ input: MyReportsInput, access: REPORTERS, handler: (input, ctx) => myReports(ctx, input) }),
  confirmReport: action({ input: ConfirmReportInput, access: REPORTERS, handler: (input, ctx) => confirmReport(ctx, input) }),
  reopenReport: action({ input: ReopenReportInput, access: REPORTERS, handler: (input, ctx) => reopenReport(ctx, input) }),

  /** The handlers' inbox of a 小区: overdue first; by status, category, overdue, building. */
  reportInbox: action({ input: ReportInboxInput, access: HANDLERS, handler: (input, ctx) => reportInbox(ctx, input) }),
  acceptReport: action({ input: ReportStepInput, access: HANDLERS, handler: (input, ctx) => handlerStep(ctx, input, 'accept') }),
  startReport: action({ input: ReportStepInput, access: HANDLERS, handler: (input, ctx) => handlerStep(ctx, input, 'start') }),
  resolveReport: action({ input: ReportStepInput, access: HANDLERS, handler: (input, ctx) => handlerStep(ctx, input, 'resolve') }),
  replyReport: action({ input: ReplyReportInput, access: HANDLERS, handler: (input, ctx) => replyReport(ctx, input) }),
  bulkAcceptReports: action({ input: BulkAcceptInput, access: HANDLERS, handler: (input, ctx) => bulkAccept(ctx, input) }),
  reassignReport: action({ input: ReassignReportInput, access: OFFICERS, handler: (input, ctx) => reassignReport(ctx, input) }),

  /** The officers' feedback inbox across every 小区 under one of their posts. */
  officerReportInbox: action({ input: OfficerInboxInput, access: OFFICER_POSTS, handler: (input, ctx) => officerInbox(ctx, input) }),

  /** Counts, medians, overdue and ratings of a 小区 for a period, for its officers and its committee; and as .xlsx. */
  reportDashboard: action({ input: ReportDashboardInput, access: DASHBOARD, handler: (input, ctx) => reportDashboard(ctx, input) }),
  exportReportDashboard: action({ input: ReportDashboardInput, access: DASHBOARD, handler: (input, ctx) => exportReportDashboard(ctx, input) }),

  /** 联系我们: public numbers only. */
  reportContacts: action({ input: ReportCommunityOnly, access: { roles: ALL_ROLES }, handler: (input, ctx) => reportContacts(ctx, input) }),
  reportSettings: action({ input: ReportCommunityOnly, access: { roles: [...REPORT_SETTINGS_ROLES, ...COMMITTEE_ROLES, ...OFFICER_ROLES] }, handler: (input, ctx) => reportSettings(ctx, input) }),
  saveReportSettings: action({ input: ReportSettingsInput, access: { roles: REPORT_SETTINGS_ROLES }, handler: (input, ctx) => saveReportSettings(ctx, input) }),

  /** The district's holidays and make-up working days, one year at a time, kept by the district office. */
  workCalendar: action({ input: WorkCalendarInput, access: CALENDAR_KEEPERS, handler: (input, ctx) => workCalendar(ctx, input) }),
  saveWorkCalendar: action({ input: SaveWorkCalendarInput, access: CALENDAR_KEEPERS, handler: (input, ctx) => saveWorkCalendar(ctx, input) }),
}
