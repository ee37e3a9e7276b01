import * as v from 'valibot'
import { Id, IdLast4, Phone } from './common'

/** A roster file travels as base64 (both transports carry JSON); 5 MB is far above a 2,000-unit roster. */
export const RosterFileInput = v.object({
  communityId: Id,
  fileName: v.pipe(v.string(), v.regex(/\.(xlsx|csv)$/i, '名册文件应为 .xlsx 或 .csv'), v.maxLength(200)),
  fileBase64: v.pipe(v.string('需要文件内容'), v.minLength(1, '文件为空'), v.maxLength(7_000_000, '文件超过 5 MB')),
})

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
}

export interface RosterImportResult {
  importId: string
  unitCount: number
  /** Distinct owners (one owner of several units counts once; the developer is not counted). */
  ownerCount: number
  /** Units new to the 小区, and existing units whose area or sold flag changed (re-import). */
  unitsAdded: number
  unitsUpdated: number
}

export const BindUnitInput = v.pipe(
  v.object({
    communityId: Id,
    building: v.pipe(v.string(), v.trim(), v.minLength(1, '请选择楼栋')),
    stair: v.pipe(v.string(), v.trim(), v.minLength(1, '请选择单元')),
    room: v.pipe(v.string(), v.trim(), v.minLength(1, '请填写房号')),
    name: v.pipe(v.string(), v.trim(), v.minLength(1, '请填写业主姓名'), v.maxLength(40)),
    phone: v.optional(Phone),
    idLast4: v.optional(IdLast4),
  }),
  v.check((i) => !!i.phone || !!i.idLast4, '请填写手机号或身份证后四位'),
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
  status: v.optional(v.picklist(['pending', 'approved', 'rejected']), 'pending'),
  cursor: v.optional(v.string()),
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100)), 20),
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
}

export interface BindingRequestPage {
  items: BindingRequest[]
  /** Null on the last page. */
  nextCursor: string | null
}

export const DecideBindingInput = v.object({
  communityId: Id,
  bindingId: Id,
  approve: v.boolean(),
  reason: v.optional(v.pipe(v.string(), v.maxLength(200))),
})

export const CommunityDirectoryInput = v.object({ query: v.optional(v.pipe(v.string(), v.maxLength(40)), '') })
export interface CommunityDirectoryEntry { id: string; name: string; officeName: string }

export const UnitTreeInput = v.object({ communityId: Id })
/** Buildings → stairs → rooms, without any names: room numbers are not personal data. */
export interface UnitTree { buildings: { name: string; stairs: { name: string; rooms: string[] }[] }[] }

export const InviteTenantInput = v.object({ communityId: Id, unitId: Id })
export const AcceptTenancyInput = v.object({ code: v.pipe(v.string(), v.trim(), v.toUpperCase(), v.regex(/^[A-Z0-9]{8}$/, '邀请码应为 8 位字母或数字')) })
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
}
