import * as v from 'valibot'
import { Id, IdLast4, Phone } from './common'
import { CloudFileId, exactlyOneFile } from './uploads'
import type { Governance } from './roles'
import type { RosterDuplicateWarning } from './roster-duplicates'

/** Longest building, stair or room name (after trimming) a roster may hold and a resident may type. */
export const MAX_PLACE_LENGTH = 30
/** Longest owner name a roster may hold and a resident may type. */
export const MAX_NAME_LENGTH = 40

/**
 * A roster file travels as base64 over HTTP, or (cloud transport) as the id of a temporary cloud
 * upload: exactly one of the two. 5 MB is far above a 2,000-unit roster.
 */
export const RosterFileInput = v.pipe(
  v.object({
    communityId: Id,
    fileName: v.pipe(v.string('需要文件名'), v.regex(/\.(xlsx|csv)$/i, '名册文件应为 .xlsx 或 .csv'), v.maxLength(200, '文件名过长（最多 200 个字）')),
    fileBase64: v.optional(v.pipe(v.string('需要文件内容'), v.minLength(1, '文件为空'), v.maxLength(7_000_000, '文件超过 5 MB'))),
    cloudFileId: v.optional(CloudFileId),
  }),
  exactlyOneFile('fileBase64'),
)

export interface RosterRowError {
  /** Line (CSV) or row (xlsx) number as the committee sees it in Excel, header included. */
  line: number
  reason: string
}

export interface RosterPreview {
  rowCount: number
  unitCount: number
  buildingCount: number
  ownerCount: number
  coOwnedUnits: number
  unsoldUnits: number
  errors: RosterRowError[]
  /** The first rows as they will be written, phones masked, for the committee to eyeball. */
  sample: { line: number; building: string; stair: string; room: string; area: string; elevator: boolean; owners: string; phone: string }[]
  /** Two rows of one name with different contact details: one owner or two? (roster-duplicates) */
  warnings: RosterDuplicateWarning[]
}

export interface RosterImportResult {
  importId: string
  unitCount: number
  /** Distinct owners (one owner of several units counts once; the developer is not counted). */
  ownerCount: number
  /** Units new to the 小区, and existing units whose area or sold flag changed (re-import). */
  unitsAdded: number
  unitsUpdated: number
  /** As in the preview; the committee decides each pair afterwards (listRosterDuplicates). */
  warnings: RosterDuplicateWarning[]
}

export const BindUnitInput = v.pipe(
  v.object({
    communityId: Id,
    // Bounded as the roster import bounds the same cells, so every imported unit can be claimed.
    building: v.pipe(v.string('请选择楼栋'), v.trim(), v.minLength(1, '请选择楼栋'), v.maxLength(MAX_PLACE_LENGTH, `楼栋名称最多 ${MAX_PLACE_LENGTH} 个字`)),
    stair: v.pipe(v.string('请选择单元'), v.trim(), v.minLength(1, '请选择单元'), v.maxLength(MAX_PLACE_LENGTH, `单元名称最多 ${MAX_PLACE_LENGTH} 个字`)),
    room: v.pipe(v.string('请填写房号'), v.trim(), v.minLength(1, '请填写房号'), v.maxLength(MAX_PLACE_LENGTH, `房号最多 ${MAX_PLACE_LENGTH} 个字`)),
    name: v.pipe(v.string('请填写业主姓名'), v.trim(), v.minLength(1, '请填写业主姓名'), v.maxLength(MAX_NAME_LENGTH, `业主姓名最多 ${MAX_NAME_LENGTH} 个字`)),
    phone: v.optional(Phone),
    idLast4: v.optional(IdLast4),
    /** The code of WeChat's getPhoneNumber button: the server asks WeChat for the verified phone. */
    phoneCode: v.optional(v.pipe(v.string('手机号验证凭证无效'), v.minLength(1, '手机号验证凭证无效'), v.maxLength(128, '手机号验证凭证无效'))),
  }),
  v.check((i) => !!i.phone || !!i.idLast4 || !!i.phoneCode, '请填写手机号或身份证后四位，或用微信验证手机号'),
)

export interface BindResult {
  bindingId: string
  status: 'approved' | 'pending'
  message: string
}

/**
 * Pages are ordered by (createdAt, id): pending requests oldest first (a queue worked from the
 * front), approved and rejected ones newest first. `cursor` is the opaque nextCursor of the
 * previous page.
 */
export const ListBindingRequestsInput = v.object({
  communityId: Id,
  status: v.optional(v.picklist(['pending', 'approved', 'rejected'], '状态只能是 pending（待审核）、approved（已通过）或 rejected（未通过）'), 'pending'),
  cursor: v.optional(v.pipe(v.string('分页参数无效，请刷新列表'), v.maxLength(200, '分页参数无效，请刷新列表'))),
  limit: v.optional(
    v.pipe(v.number('每页条数应为数字'), v.integer('每页条数应为整数'), v.minValue(1, '每页至少 1 条'), v.maxValue(100, '每页最多 100 条')),
    20,
  ),
})

export interface BindingRequest {
  id: string
  unitId: string
  unitLabel: string
  claimedName: string
  /** Masked: the committee compares it with its paper register, it does not need the whole number. */
  claimedPhone: string | null
  rosterOwners: string[]
  status: 'approved' | 'pending' | 'rejected'
  reason: string | null
  createdAt: string
  /**
   * Present when a claim on this request came after the binding lock (too many claims of the
   * unit, or by the account): nothing was checked automatically, so the committee should verify
   * the claimant in person.
   */
  lockedAt?: string
  /**
   * The latest typed claim matched the roster (the name and the phone or ID digits of an owner of
   * this unit not bound to anyone): the committee can approve it in one tap (与名册一致).
   */
  rosterMatch: boolean
  /**
   * Approving would add an owner the roster does not list for this unit, or sell an unsold one:
   * the approval needs a photo of the 不动产权证 or purchase contract (uploadBindingProof).
   */
  needsProof: boolean
}

export interface BindingRequestPage {
  items: BindingRequest[]
  /** Null on the last page. */
  nextCursor: string | null
}

export const DecideBindingInput = v.object({
  communityId: Id,
  bindingId: Id,
  approve: v.boolean('请选择通过或不通过'),
  reason: v.optional(v.pipe(v.string('原因应为文字'), v.maxLength(200, '原因最多 200 个字'))),
  /** The proofRef of uploadBindingProof: required when the approval changes who owns the unit (needsProof). */
  proofRef: v.optional(v.pipe(v.string('需要房产证或购房合同的照片'), v.trim(), v.minLength(1, '需要房产证或购房合同的照片'), v.maxLength(500, '照片编号无效'))),
})

/** The largest proof photo (不动产权证 or purchase contract) an approval takes. */
export const BINDING_PROOF_MAX_BYTES = 10 * 1024 * 1024

/** A photo of the 不动产权证 or purchase contract behind an approval that changes ownership. */
export const UploadBindingProofInput = v.pipe(
  v.object({
    communityId: Id,
    bindingId: Id,
    fileName: v.pipe(v.string('需要文件名'), v.trim(), v.minLength(1, '需要文件名'), v.maxLength(120, '文件名过长（最多 120 个字）')),
    /** A photo (JPEG, PNG or WebP) in base64 (HTTP)… */
    dataBase64: v.optional(v.pipe(v.string('需要文件内容'), v.minLength(1, '文件为空'), v.maxLength(Math.ceil(BINDING_PROOF_MAX_BYTES / 3) * 4 + 4, '照片不能超过 10 MB'))),
    /** …or (cloud transport) the temporary cloud upload holding it; exactly one of the two. */
    cloudFileId: v.optional(CloudFileId),
  }),
  exactlyOneFile('dataBase64'),
)

export interface BindingProof {
  /** What decideBinding takes as proofRef. */
  proofRef: string
  sha256: string
}

export const CommunityDirectoryInput = v.object({ query: v.optional(v.pipe(v.string('请输入小区名称'), v.maxLength(40, '小区名称最多 40 个字')), '') })
/** governance: who runs the 小区 (see governingBody), so the page names the body that will review a request. */
export interface CommunityDirectoryEntry { id: string; name: string; officeName: string; governance: Governance }

export const UnitTreeInput = v.object({ communityId: Id })
/** Buildings → stairs → rooms, without any names: room numbers are not personal data. */
export interface UnitTree { buildings: { name: string; stairs: { name: string; rooms: string[] }[] }[] }

/** An invitation not accepted within this many days expires; the owner invites again. */
export const INVITE_VALID_DAYS = 7

export const InviteTenantInput = v.object({ communityId: Id, unitId: Id })
export const AcceptTenancyInput = v.object({ code: v.pipe(v.string('请输入邀请码'), v.trim(), v.toUpperCase(), v.regex(/^[A-Z0-9]{8}$/, '邀请码应为 8 位字母或数字')) })
export const RevokeTenancyInput = v.object({ communityId: Id, tenancyId: Id })
export const ListTenanciesInput = v.object({ communityId: Id, unitId: Id })

export interface Tenancy {
  id: string
  communityId: string
  unitId: string
  unitLabel: string
  code: string
  status: 'invited' | 'active' | 'revoked'
  tenantName: string | null
  createdAt: string
  /** Until when an invitation can be accepted; null once accepted or revoked. */
  expiresAt: string | null
  /** An invitation nobody accepted in time: its code no longer works, the owner invites again. */
  expired: boolean
}
