import * as v from 'valibot'
import { Id } from './common'
import { CloudFileId, exactlyOneFile } from './uploads'

/**
 * Problem reports (报事报修 / 投诉建议, issue 12; domain.md "Problem reports"). The categories are
 * the five basic services (五有) of the policy §三.(三).1 plus complaints and suggestions.
 */
export const REPORT_CATEGORIES = ['cleaning', 'security', 'greening', 'repair', 'parking', 'complaint', 'suggestion'] as const
export type ReportCategory = (typeof REPORT_CATEGORIES)[number]
export const REPORT_CATEGORY_LABELS: Record<ReportCategory, string> = {
  cleaning: '清扫保洁', security: '安全防范', greening: '绿化养护', repair: '物业维修', parking: '停车管理', complaint: '投诉', suggestion: '建议',
}
/** The five basic services (and repairs among them): handled by the property service. */
export const isServiceCategory = (c: ReportCategory): boolean => c !== 'complaint' && c !== 'suggestion'

export const REPORT_STATUSES = ['submitted', 'accepted', 'in_progress', 'resolved', 'confirmed', 'reopened', 'escalated'] as const
export type ReportStatus = (typeof REPORT_STATUSES)[number]
export const REPORT_STATUS_LABELS: Record<ReportStatus, string> = {
  submitted: '待受理', accepted: '已受理', in_progress: '处理中', resolved: '已办结待确认', confirmed: '已确认', reopened: '重新处理', escalated: '已转社区',
}
/** Statuses in which a report still waits for someone to act. */
export const OPEN_REPORT_STATUSES: readonly ReportStatus[] = ['submitted', 'accepted', 'in_progress', 'reopened', 'escalated']

export const REPORT_URGENCIES = ['urgent', 'ordinary'] as const
export type ReportUrgency = (typeof REPORT_URGENCIES)[number]
/** Who a report is routed to: the property service, the committee (业委会/物管会) or the community office. */
export const REPORT_HANDLERS = ['property', 'committee', 'office'] as const
export type ReportHandler = (typeof REPORT_HANDLERS)[number]
export const REPORT_HANDLER_LABELS: Record<ReportHandler, string> = { property: '物业服务中心', committee: '业委会（物管会）', office: '社区' }

export const REPORT_PHOTOS_MAX = 6
export const REPORT_DESCRIPTION_MAX = 500
export const REPORT_MESSAGE_MAX = 300
/** Bytes of one photo (JPEG, PNG or WebP, checked by its bytes on the server). */
export const REPORT_PHOTO_MAX_BYTES = 5 * 1024 * 1024
/** Reopened at most this many times; a further objection escalates the report to the community office. */
export const REPORT_REOPEN_MAX = 2
/** A resolved report not confirmed within this many days is closed as confirmed without rating. */
export const REPORT_AUTO_CONFIRM_DAYS = 7

/** The product's default response targets (the policy sets none): say so wherever they are shown. */
export const REPORT_TARGET_DEFAULTS = { urgentAcceptMinutes: 30, ordinaryAcceptMinutes: 24 * 60, complaintAnswerWorkdays: 1, dailyLimit: 20 } as const
export const REPORT_TARGETS_NOTE = '以上时限为本应用的默认设置，并非政策规定，小区可调整'

/** Public hotlines every 联系我们 page lists. */
export const PUBLIC_HOTLINES = [
  { name: '12345 政务服务便民热线', phone: '12345' },
  { name: '12358 价格监督举报', phone: '12358' },
] as const

const REQUIRED = '缺少必填项'
const Text = (what: string, max: number) => v.pipe(v.string(`需要${what}`), v.trim(), v.minLength(1, `请填写${what}`), v.maxLength(max, `${what}最多 ${max} 个字`))
const OptText = (what: string, max: number) => v.optional(v.pipe(v.string(`${what}应为文字`), v.trim(), v.maxLength(max, `${what}最多 ${max} 个字`)))
const PhotoIds = v.optional(v.pipe(v.array(Id, '照片应为列表'), v.maxLength(REPORT_PHOTOS_MAX, `最多 ${REPORT_PHOTOS_MAX} 张照片`)))
const Limit = v.optional(v.pipe(v.number('每页条数应为数字'), v.integer('每页条数应为整数'), v.minValue(1, '每页至少 1 条'), v.maxValue(50, '每页最多 50 条')), 20)

/** A public phone number: a landline (0797-1234567), a service number (400…, 95…, 12345); never a mobile. */
export const PublicPhone = v.pipe(
  v.string('需要电话号码'),
  v.trim(),
  v.regex(/^(0\d{2,3}-?\d{7,8}(-\d{1,5})?|400-?\d{3}-?\d{4}|95\d{3,6}|12\d{3})$/, '只能填写公开的座机或服务电话（如 0797-8123456），不能填写个人手机号'),
)

export const ReportPlaceInput = v.variant('kind', [
  v.object({ kind: v.literal('unit'), unitId: Id }, REQUIRED),
  v.object({ kind: v.literal('building'), buildingId: Id }, REQUIRED),
  v.object({ kind: v.literal('area'), area: Text('公共区域', 40) }, REQUIRED),
], '地点应为本户、楼栋或公共区域')

export const CreateReportInput = v.object({
  communityId: Id,
  category: v.picklist(REPORT_CATEGORIES, '请选择类别'),
  description: v.pipe(v.string('需要问题描述'), v.trim(), v.minLength(5, '问题描述至少 5 个字'), v.maxLength(REPORT_DESCRIPTION_MAX, `问题描述最多 ${REPORT_DESCRIPTION_MAX} 个字`)),
  place: ReportPlaceInput,
  /** Repairs only: urgent (漏水、停电、电梯困人…) or ordinary. */
  urgency: v.optional(v.picklist(REPORT_URGENCIES, '紧急程度应为紧急或一般')),
  anonymous: v.optional(v.boolean('匿名应为是或否'), false),
  photoIds: PhotoIds,
}, REQUIRED)
export type CreateReportInput = v.InferInput<typeof CreateReportInput>

export const UploadReportPhotoInput = v.pipe(
  v.object({
    communityId: Id,
    fileName: v.pipe(v.string('需要文件名'), v.trim(), v.minLength(1, '文件名不能为空'), v.maxLength(120, '文件名过长')),
    dataBase64: v.optional(v.pipe(v.string('需要文件内容'), v.minLength(1, '文件为空'), v.maxLength(Math.ceil(REPORT_PHOTO_MAX_BYTES / 3) * 4 + 4, '照片不能超过 5 MB'))),
    cloudFileId: v.optional(CloudFileId),
  }, REQUIRED),
  exactlyOneFile('dataBase64'),
)
export type UploadReportPhotoInput = v.InferInput<typeof UploadReportPhotoInput>

export const ReportRef = v.object({ communityId: Id, reportId: Id }, REQUIRED)
export const ReportPhotoRef = v.object({ communityId: Id, photoId: Id }, REQUIRED)
/** A handler's step (accept, start, resolve) or reply, with an optional message and photos. */
export const ReportStepInput = v.object({ communityId: Id, reportId: Id, message: OptText('说明', REPORT_MESSAGE_MAX), photoIds: PhotoIds }, REQUIRED)
export const ReplyReportInput = v.object({ communityId: Id, reportId: Id, message: Text('回复', REPORT_MESSAGE_MAX), photoIds: PhotoIds }, REQUIRED)
export const BulkAcceptInput = v.object({
  communityId: Id,
  reportIds: v.pipe(v.array(Id, '报事应为列表'), v.minLength(1, '请选择报事'), v.maxLength(50, '一次最多受理 50 条')),
}, REQUIRED)
export const ConfirmReportInput = v.object({
  communityId: Id,
  reportId: Id,
  rating: v.pipe(v.number('请评分'), v.integer('评分应为 1 到 5 的整数'), v.minValue(1, '评分应为 1 到 5'), v.maxValue(5, '评分应为 1 到 5')),
  comment: OptText('评价', 200),
}, REQUIRED)
export const ReopenReportInput = v.object({ communityId: Id, reportId: Id, reason: Text('重新处理的原因', 200), photoIds: PhotoIds }, REQUIRED)
export const ReassignReportInput = v.object({
  communityId: Id,
  reportId: Id,
  handler: v.picklist(REPORT_HANDLERS, '请选择转交给物业、业委会（物管会）或社区'),
  message: OptText('说明', REPORT_MESSAGE_MAX),
}, REQUIRED)

const InboxFilter = {
  status: v.optional(v.picklist([...REPORT_STATUSES, 'open'] as const, '状态不正确')),
  category: v.optional(v.picklist(REPORT_CATEGORIES, '类别不正确')),
  overdue: v.optional(v.boolean('超时筛选应为是或否')),
  cursor: v.optional(v.pipe(v.string('翻页参数应为文字'), v.maxLength(200, '翻页参数无效'))),
  limit: Limit,
}
export const ReportInboxInput = v.object({ communityId: Id, buildingId: v.optional(Id), ...InboxFilter }, REQUIRED)
export type ReportInboxInput = v.InferInput<typeof ReportInboxInput>
export const MyReportsInput = v.object({ communityId: Id, cursor: InboxFilter.cursor, limit: Limit }, REQUIRED)
export const OfficerInboxInput = v.object({ officeId: v.optional(Id), streetId: v.optional(Id), districtId: v.optional(Id), ...InboxFilter }, REQUIRED)
export type OfficerInboxInput = v.InferInput<typeof OfficerInboxInput>

const Period = v.pipe(v.string('需要统计期'), v.trim(), v.regex(/^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/, '统计期格式应为 2026-03（月）、2026-Q1（季度）或 2026（年）'))
export const ReportDashboardInput = v.object({ communityId: Id, period: Period }, REQUIRED)

export const ReportSettingsInput = v.object({
  communityId: Id,
  commonAreas: v.optional(v.pipe(v.array(Text('公共区域', 40), '公共区域应为列表'), v.maxLength(50, '最多 50 个公共区域'))),
  propertyPhone: v.optional(v.nullable(PublicPhone)),
  propertyHours: v.optional(v.nullable(Text('服务时间', 60))),
  committeePhone: v.optional(v.nullable(PublicPhone)),
  committeeHours: v.optional(v.nullable(Text('接待时间', 60))),
  officePhone: v.optional(v.nullable(PublicPhone)),
  officeAddress: v.optional(v.nullable(Text('社区地址', 80))),
  urgentAcceptMinutes: v.optional(v.pipe(v.number('时限应为数字'), v.integer('时限应为整数'), v.minValue(5, '紧急维修时限至少 5 分钟'), v.maxValue(24 * 60, '紧急维修时限最多 24 小时'))),
  ordinaryAcceptMinutes: v.optional(v.pipe(v.number('时限应为数字'), v.integer('时限应为整数'), v.minValue(30, '一般报事时限至少 30 分钟'), v.maxValue(7 * 24 * 60, '一般报事时限最多 7 天'))),
  complaintAnswerWorkdays: v.optional(v.pipe(v.number('时限应为数字'), v.integer('时限应为整数'), v.minValue(1, '投诉答复时限至少 1 个工作日'), v.maxValue(10, '投诉答复时限最多 10 个工作日'))),
  dailyLimit: v.optional(v.pipe(v.number('上限应为数字'), v.integer('上限应为整数'), v.minValue(1, '每日上限至少 1 条'), v.maxValue(200, '每日上限最多 200 条'))),
}, REQUIRED)
export const ReportCommunityOnly = v.object({ communityId: Id }, REQUIRED)

/**
 * The working-day calendar complaint targets count with: national holidays and make-up working
 * days (调休), one list per district and year, kept by the district office (national holidays are
 * the same for every 小区, so one office keeps them for all of its 小区).
 */
export const WORK_CALENDAR_EDITOR_ROLES = ['district_officer'] as const
export const WORK_CALENDAR_MAX_DAYS = 60
const CalendarYear = v.pipe(v.number('需要年份'), v.integer('年份应为整数'), v.minValue(2020, '年份应在 2020 到 2100 之间'), v.maxValue(2100, '年份应在 2020 到 2100 之间'))
export const WorkCalendarInput = v.object({ districtId: Id, year: CalendarYear }, REQUIRED)
export const CalendarDayInput = v.object({
  day: v.pipe(v.string('需要日期'), v.trim(), v.isoDate('日期格式应为 2027-01-01')),
  kind: v.picklist(['off', 'work'], '类型应为“放假”或“调休上班”'),
  name: Text('节日名称', 20),
}, REQUIRED)
export const SaveWorkCalendarInput = v.object({
  districtId: Id,
  year: CalendarYear,
  days: v.pipe(v.array(CalendarDayInput, '日期应为列表'), v.maxLength(WORK_CALENDAR_MAX_DAYS, `一年最多 ${WORK_CALENDAR_MAX_DAYS} 个特殊日期`)),
}, REQUIRED)
export type SaveWorkCalendarInput = v.InferInput<typeof SaveWorkCalendarInput>

// ---- outputs ----

export type ReportPlace = { kind: 'unit'; label: string } | { kind: 'building'; label: string } | { kind: 'area'; label: string } | { kind: 'hidden'; label: string }

/** The reporter as a handler sees them; null whenever the report is anonymous and the reader is not an officer. */
export interface ReportReporter { name: string; unitLabel: string | null; phone: string | null }

export interface ReportPhoto { id: string; mime: string; sizeBytes: number }

export interface ReportSummary {
  id: string
  communityId: string
  communityName: string
  category: ReportCategory
  categoryLabel: string
  status: ReportStatus
  statusLabel: string
  urgency: ReportUrgency | null
  excerpt: string
  place: ReportPlace
  handler: ReportHandler
  handlerLabel: string
  anonymous: boolean
  /** True while the response target has passed with no response. */
  overdue: boolean
  /** When a response is due (null: no target for this category). */
  dueAt: string | null
  reporter: ReportReporter | null
  /** Whether this report is the reader's own. */
  mine: boolean
  createdAt: string
}

export interface ReportEventView {
  event: string
  label: string
  fromStatus: ReportStatus | null
  toStatus: ReportStatus
  /** Who acted, as the reader may know them: a role or body, '报事人', or '系统'. */
  actor: string
  message: string | null
  photos: ReportPhoto[]
  at: string
}

export interface ReportDetail extends ReportSummary {
  description: string
  photos: ReportPhoto[]
  timeline: ReportEventView[]
  reopenCount: number
  rating: number | null
  ratingComment: string | null
  acceptedAt: string | null
  resolvedAt: string | null
  confirmedAt: string | null
  /** What the reader may do now (events of the lifecycle, plus reply and reassign). */
  actions: string[]
}

export interface ReportPage { items: ReportSummary[]; nextCursor: string | null }
export interface BulkAcceptResult { accepted: string[]; refused: { reportId: string; message: string }[] }
export interface ReportPhotoData { id: string; mime: string; base64: string }

export interface ReportPlaceOptions {
  units: { id: string; label: string }[]
  buildings: { id: string; name: string }[]
  commonAreas: string[]
}

export interface ReportContacts {
  communityName: string
  property: { name: string; phone: string | null; hours: string | null } | null
  committee: { name: string; phone: string | null; hours: string | null }
  office: { name: string; phone: string | null; address: string | null }
  hotlines: { name: string; phone: string }[]
}

export interface ReportSettingsView extends ReportContacts {
  commonAreas: string[]
  urgentAcceptMinutes: number
  ordinaryAcceptMinutes: number
  complaintAnswerWorkdays: number
  dailyLimit: number
  targetsNote: string
}

export interface WorkCalendarDayView {
  day: string
  kind: 'off' | 'work'
  name: string
  /** 0 Sunday … 6 Saturday, in Beijing. */
  weekday: number
}

export interface WorkCalendarView {
  districtId: string
  districtName: string
  year: number
  /** district: the year as the district saved it; builtin: the app's own calendar (State Council schedule); none: no calendar for that year yet (weekends only). */
  source: 'district' | 'builtin' | 'none'
  days: WorkCalendarDayView[]
  updatedAt: string | null
  note: string
}

export interface ReportDashboard {
  communityId: string
  communityName: string
  period: string
  total: number
  byCategory: { category: ReportCategory; label: string; count: number }[]
  byStatus: { status: ReportStatus; label: string; count: number }[]
  /** Medians in minutes; null when nothing was accepted (resolved) in the period. */
  medianAcceptMinutes: number | null
  medianResolveMinutes: number | null
  overdueCount: number
  /** Average rating × 100 (e.g. 460 = 4.6), null when nobody rated. */
  averageRatingX100: number | null
  ratedCount: number
}
