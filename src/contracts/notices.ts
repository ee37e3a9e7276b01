import * as v from 'valibot'
import { Id } from './common'
import { NOTICE_PUBLISHER_ROLES as PUBLISHER_ROLES, type NoticePublisherRole as PublisherRole } from './roles'
import { CloudFileId, exactlyOneFile } from './uploads'

/** Notice kinds (domain.md "Notices"). */
export const NOTICE_KINDS = ['公告', '公示', '财务公开', '表决结果', '欠费公示', '停水停电', '活动'] as const
export type NoticeKind = (typeof NOTICE_KINDS)[number]

/** Kinds that can never be edited or withdrawn once published; they are superseded by a correction instead. */
export const IMMUTABLE_KINDS: readonly NoticeKind[] = ['公示', '财务公开']

/** Roles that may publish notices: declared in ./roles (NOTICE_PUBLISHER_ROLES), re-exported for existing imports. */
export { PUBLISHER_ROLES, type PublisherRole }

export const MAX_PINNED = 3
export const MAX_IMAGES = 9
export const MAX_ATTACHMENTS = 5
/** A 公示 stays posted at least this long unless the publisher sets a longer period (default, domain.md). */
export const DEFAULT_POSTING_DAYS = 7
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024
export const MAX_PDF_BYTES = 20 * 1024 * 1024
export const TITLE_MAX = 60
export const BODY_MAX = 5000
export const PAGE_SIZE_DEFAULT = 20
/** The unread badge counts notices of the last this many days (default). */
export const UNREAD_WINDOW_DAYS = 90
export const PAGE_SIZE_MAX = 50

/** A calendar day that exists: the regex of isoTimestamp lets 2027-02-30 through, and Date would read it as 3 March. */
function realDay(s: string): boolean {
  const [y, m, d] = s.slice(0, 10).split('-').map(Number)
  const day = new Date(Date.UTC(y, m - 1, d))
  return day.getUTCMonth() === m - 1 && day.getUTCDate() === d
}

const Instant = v.pipe(
  v.string('需要时间'),
  v.isoTimestamp('时间格式应为 ISO-8601（如 2026-12-01T08:00:00.000Z）'),
  v.check(realDay, '日期不存在，请检查年月日'),
)
/** The message of a required field left out (valibot's own is English); the registry puts the field's name before it. */
const REQUIRED = '缺少必填项'
const Kind = v.picklist(NOTICE_KINDS, '公告类型不正确')
const Title = v.pipe(v.string('需要标题'), v.trim(), v.minLength(1, '标题不能为空'), v.maxLength(TITLE_MAX, `标题不能超过 ${TITLE_MAX} 字`))
const Body = v.pipe(v.string('需要正文'), v.trim(), v.minLength(1, '正文不能为空'), v.maxLength(BODY_MAX, `正文不能超过 ${BODY_MAX} 字`))
const ImageIds = v.pipe(v.array(Id, '图片应为文件编号的列表'), v.maxLength(MAX_IMAGES, `图片最多 ${MAX_IMAGES} 张`))
const AttachmentIds = v.pipe(v.array(Id, '附件应为文件编号的列表'), v.maxLength(MAX_ATTACHMENTS, `附件最多 ${MAX_ATTACHMENTS} 个`))

export const ListNoticesInput = v.object({
  communityId: Id,
  kind: v.optional(Kind),
  /** Words in the title. */
  q: v.optional(v.pipe(v.string('搜索词应为文字'), v.trim(), v.maxLength(30, '搜索词不能超过 30 字'))),
  /** feed: the main feed; archive: expired notices; scheduled: not yet published (publishers only). */
  view: v.optional(v.picklist(['feed', 'archive', 'scheduled'], '列表类型不正确'), 'feed'),
  /** Opaque: the nextCursor of the previous page. */
  cursor: v.optional(v.pipe(v.string('翻页参数无效，请刷新列表'), v.maxLength(200, '翻页参数无效，请刷新列表'))),
  limit: v.optional(
    v.pipe(v.number('每页条数应为数字'), v.integer('每页条数应为整数'), v.minValue(1, '每页至少 1 条'), v.maxValue(PAGE_SIZE_MAX, `每页最多 ${PAGE_SIZE_MAX} 条`)),
    PAGE_SIZE_DEFAULT,
  ),
}, REQUIRED)
export type ListNoticesInput = v.InferInput<typeof ListNoticesInput>

export const NoticeRef = v.object({ communityId: Id, noticeId: Id }, REQUIRED)
export const CommunityOnly = v.object({ communityId: Id }, REQUIRED)

export const PublishNoticeInput = v.object({
  communityId: Id,
  kind: Kind,
  title: Title,
  body: Body,
  imageIds: v.optional(ImageIds, []),
  attachmentIds: v.optional(AttachmentIds, []),
  /** Later than now schedules the notice; absent means now. */
  publishAt: v.optional(Instant),
  /** 公示 only; at least DEFAULT_POSTING_DAYS after publishAt; defaults to exactly that. */
  postingEndsAt: v.optional(Instant),
  expiresAt: v.optional(Instant),
  pinned: v.optional(v.boolean('置顶应为 true 或 false'), false),
  /** Publishing a correction of this notice (same 小区); the old one then shows it was corrected. */
  correctsNoticeId: v.optional(Id),
  /** Which of the caller's publishing roles speaks, when they hold several. */
  asRole: v.optional(v.picklist(PUBLISHER_ROLES, '发布身份不正确')),
}, REQUIRED)
export type PublishNoticeInput = v.InferInput<typeof PublishNoticeInput>

export const EditNoticeInput = v.object({
  communityId: Id,
  noticeId: Id,
  /** The version the editor saw; a stale one answers Conflict instead of overwriting. */
  expectedVersion: v.pipe(v.number('版本号应为数字'), v.integer('版本号应为整数'), v.minValue(1, '版本号应从 1 开始')),
  title: v.optional(Title),
  body: v.optional(Body),
  imageIds: v.optional(ImageIds),
  attachmentIds: v.optional(AttachmentIds),
  /** null removes the expiry. */
  expiresAt: v.optional(v.nullable(Instant)),
  /** Only while the notice is still scheduled. */
  publishAt: v.optional(Instant),
}, REQUIRED)
export type EditNoticeInput = v.InferInput<typeof EditNoticeInput>

export const PinNoticeInput = v.object({ communityId: Id, noticeId: Id, pinned: v.boolean('置顶应为 true 或 false') }, REQUIRED)

export const FILE_PURPOSES = ['image', 'attachment'] as const
export const UploadNoticeFileInput = v.pipe(
  v.object({
    communityId: Id,
    /** image: jpeg/png/webp up to 5 MB; attachment: PDF up to 20 MB. */
    purpose: v.picklist(FILE_PURPOSES, '文件用途应为 image 或 attachment'),
    fileName: v.pipe(v.string('需要文件名'), v.trim(), v.minLength(1, '文件名不能为空'), v.maxLength(120, '文件名过长')),
    /** The file's bytes in base64 (HTTP). Bounded so a huge body is refused before decoding. */
    dataBase64: v.optional(v.pipe(v.string('需要文件内容'), v.minLength(1, '文件为空'), v.maxLength(Math.ceil(MAX_PDF_BYTES / 3) * 4 + 4, '文件太大：PDF 不能超过 20 MB'))),
    /** Or (cloud transport) the temporary cloud upload holding the bytes; exactly one of the two. */
    cloudFileId: v.optional(CloudFileId),
  }, REQUIRED),
  exactlyOneFile('dataBase64'),
)
export type UploadNoticeFileInput = v.InferInput<typeof UploadNoticeFileInput>

export interface NoticeFileInfo {
  id: string
  kind: 'image' | 'pdf'
  mime: string
  fileName: string
  sizeBytes: number
  /** Where the client fetches it: the HTTP route /api/files/<id>, or a cloud temporary URL. */
  url: string
}

/**
 * What the feed and the notice page both show of a notice. Never carries a person's name or
 * phone: the publisher is a role and a body.
 */
export interface NoticeHeader {
  id: string
  communityId: string
  kind: NoticeKind
  title: string
  /** A role (committee_chair, property_staff, …) or 'system'. */
  publisherRole: string
  /** The body's name as residents read it ("滨江花园业主委员会"); never a person's name. */
  publisherName: string
  publishAt: string
  postingEndsAt: string | null
  expiresAt: string | null
  pinned: boolean
  version: number
}

/** One row of the feed. */
export interface NoticeSummary extends NoticeHeader {
  /** The first lines of the body. */
  excerpt: string
  imageCount: number
  corrected: boolean
  isCorrection: boolean
  /** Whether the caller has opened it. */
  read: boolean
}

export interface NoticePage {
  /** Pinned notices, on the first page of the feed only. */
  pinned: NoticeSummary[]
  items: NoticeSummary[]
  nextCursor: string | null
}

export interface NoticeRevisionInfo {
  version: number
  title: string
  body: string
  expiresAt: string | null
  editorRole: string
  editedAt: string
  files: NoticeFileInfo[]
}

export interface BuildingReadership {
  buildingId: string
  name: string
  households: number
  readHouseholds: number
  /** Below LOW_READERSHIP_PERCENT of its households have opened it. */
  low: boolean
}

/** Households are sold units: a unit has read a notice when any of its owners or tenants opened it. */
export interface NoticeReadStats {
  noticeId: string
  households: number
  readHouseholds: number
  /** 公示 only: every building, lowest readership first. */
  buildings: BuildingReadership[] | null
}

export const LOW_READERSHIP_PERCENT = 50

/** A body the caller may publish as in a 小区, with the name residents will read under the notice. */
export interface PublisherOption {
  role: PublisherRole
  name: string
}

export interface NoticeDetail extends NoticeHeader {
  body: string
  images: NoticeFileInfo[]
  attachments: NoticeFileInfo[]
  editable: boolean
  immutable: boolean
  /** The notice this one corrects, and the one that corrected this. */
  corrects: { id: string; title: string } | null
  correctedBy: { id: string; title: string; publishAt: string } | null
  /** Every version, oldest first, when the notice was edited (empty otherwise). */
  revisions: NoticeRevisionInfo[]
  /** For publishers of the 小区 only. */
  stats: NoticeReadStats | null
  /** Whether the caller may edit, pin or withdraw it. */
  canManage: boolean
}

/** Role labels residents read under a notice; the body's name goes beside it. */
export const PUBLISHER_ROLE_LABELS: Record<string, string> = {
  committee_chair: '业委会',
  committee_member: '业委会',
  property_staff: '物业服务企业',
  community_officer: '社区居委会',
  street_officer: '街道办事处',
  district_officer: '区住建部门',
  system: '系统',
}
