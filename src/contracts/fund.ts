/**
 * The repair fund (维修资金, issue 11): contribution schemes per building, each unit's account, the
 * 小区 ledger, expenses only by decision. Money is integer fen, area integer 0.01 m², rates fen per
 * m² of registered area; days YYYY-MM-DD in Beijing time.
 */
import * as v from 'valibot'
import { Id } from './common'
import { PositiveFen } from './money'
import type { RoleSet } from './roles'
import { CloudFileId, exactlyOneFile } from './uploads'

/** Policy §三.(三).2: old communities contribute at most 75 元/m² with an elevator, 55 元/m² without. */
export const OLD_CAP_ELEVATOR_FEN = 7_500
export const OLD_CAP_NO_ELEVATOR_FEN = 5_500
export const FUND_POLICY_CLAUSE = '章贡区物业管理政策 三.(三).2：老旧小区维修资金交存标准按建筑面积，电梯房不高于75元/㎡、非电梯房不高于55元/㎡，区财政等额配套'
/** Where the district's match is held (seed §三.(三).2). */
export const MATCH_HELD_IN = '区财政老旧小区住宅维修资金专用账户'
/** Beijing art. 83: a unit whose balance falls below 30% of its first deposit is asked to top up. */
export const TOP_UP_PERCENT = 30

/** Who records deposits: the committee (业委会/物管会), the property company collecting for it, the office standing in. */
export const FUND_COLLECTOR_ROLES = ['committee_chair', 'committee_member', 'property_staff', 'community_officer'] as const satisfies RoleSet
/** Who sets schemes, records expenses and publishes the 财务公开: the committee, or the office standing in (fund.policy.ts). */
export const FUND_DECIDER_ROLES = ['committee_chair', 'committee_member', 'community_officer'] as const satisfies RoleSet
/** Who reads the 小区 ledger: owners and those who run or oversee it. Tenants see no accounts. */
export const FUND_READER_ROLES = ['owner', 'committee_chair', 'committee_member', 'property_staff', 'community_officer', 'street_officer', 'district_officer'] as const satisfies RoleSet
/** Officers who see each old community's collection. */
export const FUND_OFFICER_ROLES = ['community_officer', 'street_officer', 'district_officer'] as const satisfies RoleSet

const Day = v.pipe(v.string('需要日期'), v.regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, '日期格式应为 2026-01-31'))
const Text = (what: string, max: number) => v.pipe(v.string(`需要${what}`), v.trim(), v.minLength(1, `${what}不能为空`), v.maxLength(max, `${what}最多 ${max} 字`))

export const FundCommunityOnly = v.object({ communityId: Id })

/** Emergency uses the committee may approve alone (domain.md, repair fund). */
export const EMERGENCY_CATEGORIES = {
  pump: '供水水泵损坏',
  elevator: '电梯被责令停运',
  fire: '消防设施失灵',
  facade: '外墙脱落等危及安全',
  leak: '屋面、管道严重渗漏',
} as const
export type EmergencyCategory = keyof typeof EMERGENCY_CATEGORIES

export const SetFundSchemeInput = v.object({
  communityId: Id,
  buildingIds: v.pipe(v.array(Id, '需要楼栋'), v.minLength(1, '至少选择一栋楼'), v.maxLength(200, '楼栋过多')),
  /** Fen per m² of registered area. */
  rateFen: PositiveFen,
  /** Required when a building already has a scheme: a closed vote with a passed item-6 matter covering these buildings. */
  voteId: v.optional(Id),
  note: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(200, '说明最多 200 字'))),
})

export const CHANNELS = { bank: '银行转账', wechat: '微信', cash: '现金', other: '其他' } as const
export type DepositChannel = keyof typeof CHANNELS

export const RecordDepositInput = v.object({
  communityId: Id,
  unitId: Id,
  amountFen: PositiveFen,
  paidOn: Day,
  channel: v.picklist(Object.keys(CHANNELS) as DepositChannel[], '交存方式不正确'),
  receiptNo: Text('收据号', 64),
})

export const ImportDepositsInput = v.pipe(
  v.object({
    communityId: Id,
    fileName: v.pipe(v.string('需要文件名'), v.regex(/\.xlsx$/i, '交存清单应为 .xlsx 文件'), v.maxLength(200, '文件名过长')),
    fileBase64: v.optional(v.pipe(v.string('需要文件内容'), v.minLength(1, '文件为空'), v.maxLength(7_000_000, '文件超过 5 MB'))),
    cloudFileId: v.optional(CloudFileId),
  }),
  exactlyOneFile('fileBase64'),
)

/**
 * An expense's documents (quote, contract, acceptance photos) are files: uploaded first with
 * uploadFundDocument (a photo stored without its metadata, a PDF checked to run nothing), then
 * named by id when the expense is recorded. Images and PDFs only, at most FUND_DOCUMENT_MAX_BYTES.
 */
export const FUND_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
export const FUND_DOCUMENT_KINDS = ['quote', 'contract', 'acceptance', 'other'] as const
export type FundDocumentKind = (typeof FUND_DOCUMENT_KINDS)[number]
export const FUND_DOCUMENT_LABELS: Record<FundDocumentKind, string> = { quote: '报价', contract: '合同', acceptance: '验收照片', other: '其他' }

export const FundDocument = v.object({
  kind: v.picklist(FUND_DOCUMENT_KINDS, '材料类型不正确'),
  name: Text('材料名称', 100),
  /** The id uploadFundDocument answered. */
  fileId: Id,
})

export const UploadFundDocumentInput = v.pipe(
  v.object({
    communityId: Id,
    fileName: v.pipe(v.string('需要文件名'), v.trim(), v.minLength(1, '需要文件名'), v.maxLength(200, '文件名过长')),
    dataBase64: v.optional(v.pipe(v.string('需要文件内容'), v.minLength(1, '文件为空'), v.maxLength(Math.ceil(FUND_DOCUMENT_MAX_BYTES / 3) * 4 + 4, '文件太大：材料不能超过 10 MB'))),
    cloudFileId: v.optional(CloudFileId),
  }),
  exactlyOneFile('dataBase64'),
)
export const FundDocumentRef = v.object({ communityId: Id, expenseId: Id, fileId: Id })

export const RecordExpenseInput = v.object({
  communityId: Id,
  purpose: Text('用途', 200),
  contractor: Text('施工单位', 100),
  amountFen: PositiveFen,
  spentOn: Day,
  buildingIds: v.pipe(v.array(Id, '需要楼栋'), v.minLength(1, '至少选择一栋分摊的楼'), v.maxLength(200, '楼栋过多')),
  /** Ordinary: the closed vote whose item-5 matter passed. */
  voteId: v.optional(Id),
  /** Emergency: the kind of danger; approved by the committee alone and published at once. */
  emergency: v.optional(v.picklist(Object.keys(EMERGENCY_CATEGORIES) as EmergencyCategory[], '应急类型不正确')),
  documents: v.optional(v.pipe(v.array(FundDocument), v.maxLength(20, '材料最多 20 份')), []),
})

export const PostInterestInput = v.object({ communityId: Id, amountFen: PositiveFen, postedOn: Day, note: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(100))) })
export const ReverseEntryInput = v.object({ communityId: Id, entryId: Id, reason: Text('原因', 200) })
export const FundUnitInput = v.object({ communityId: Id, unitId: Id })
export const FundStatementInput = v.object({ communityId: Id, unitId: Id, year: v.pipe(v.number('需要年份'), v.integer('年份应为整数'), v.minValue(2000, '年份不正确'), v.maxValue(2100, '年份不正确')) })
export const FundCollectionInput = v.object({
  officeId: v.optional(Id),
  streetId: v.optional(Id),
  districtId: v.optional(Id),
  cursor: v.optional(v.pipe(v.string('分页参数无效，请刷新列表'), v.maxLength(200, '分页参数无效，请刷新列表'))),
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1, '每页至少 1 条'), v.maxValue(100, '每页最多 100 条')), 50),
})
export const FundCollectionExportInput = v.object({ officeId: v.optional(Id), streetId: v.optional(Id), districtId: v.optional(Id) })

export type FundEntryKind = 'deposit' | 'match' | 'interest' | 'expense'
export const ENTRY_LABELS: Record<FundEntryKind, string> = { deposit: '业主交存', match: '区财政配套', interest: '利息', expense: '使用分摊' }

export interface FundSchemeView {
  id: string
  buildingId: string
  buildingName: string
  hasElevator: boolean
  kind: 'initial' | 'additional'
  rateFen: number
  voteId: string | null
  voteTitle: string | null
  note: string
  createdAt: string
}

export interface FundBuildingSetup {
  id: string
  name: string
  hasElevator: boolean
  /** Old communities only: the cap for this building. */
  capFen: number | null
  schemes: FundSchemeView[]
}

/** Closed votes with a passed matter of item 5 or 6, for the committee to cite. */
export interface FundDecision {
  voteId: string
  title: string
  item: 5 | 6
  matterTitle: string
  closedAt: string
  /** [] when the vote covered the whole 小区. */
  buildingIds: string[]
}

export interface FundSetup {
  communityName: string
  isOld: boolean
  policyClause: string
  buildings: FundBuildingSetup[]
  decisions: FundDecision[]
}

export interface FundEntryView {
  id: string
  kind: FundEntryKind
  kindLabel: string
  amountFen: number
  on: string
  unitId: string | null
  unitLabel: string | null
  channel: string | null
  receiptNo: string | null
  /** A match: where it is held. */
  heldIn: string | null
  expenseId: string | null
  reversesId: string | null
  note: string
  createdAt: string
}

export interface FundAccount {
  unitId: string
  unitLabel: string
  areaCentiM2: number
  requiredFen: number
  firstRequiredFen: number
  depositedFen: number
  matchedFen: number
  interestFen: number
  spentFen: number
  balanceFen: number
  /** Required not yet deposited. */
  outstandingFen: number
  /** Balance below 30% of the first required deposit (after a first deposit). */
  needsTopUp: boolean
  entries: FundEntryView[]
}

export interface FundExpenseDocument {
  kind: string
  name: string
  fileId: string | null
  mime: string | null
  sizeBytes: number | null
}

/** A document uploaded and not yet attached to an expense. */
export interface FundDocumentUpload {
  id: string
  name: string
  mime: string
  sizeBytes: number
}

/** A document's bytes, for those who may read the expense. */
export interface FundDocumentData {
  fileName: string
  mime: string
  base64: string
}

export interface FundExpenseView {
  id: string
  purpose: string
  contractor: string
  amountFen: number
  spentOn: string
  kind: 'ordinary' | 'emergency'
  emergencyLabel: string | null
  voteId: string | null
  voteTitle: string | null
  noticeId: string | null
  buildings: string[]
  /** kind is the label (报价, 合同…); fileId is null for a document recorded by name only, before documents were files. */
  documents: FundExpenseDocument[]
  reversed: boolean
  unitCount: number
}

export interface FundTotals {
  depositedFen: number
  matchedFen: number
  earnedFen: number
  spentFen: number
  remainingFen: number
}

export interface FundLedger {
  communityName: string
  isOld: boolean
  totals: FundTotals
  expenses: FundExpenseView[]
  /** The most recent entries, newest first. */
  recent: FundEntryView[]
}

export interface MyFund {
  accounts: FundAccount[]
}

export interface FundYearStatement {
  unitLabel: string
  year: number
  openingFen: number
  closingFen: number
  entries: FundEntryView[]
  byKind: Record<FundEntryKind, number>
  text: string
}

export interface FundBuildingArrears {
  buildingId: string
  buildingName: string
  units: number
  requiredFen: number
  depositedFen: number
  outstandingFen: number
  unpaidUnits: { unitId: string; unitLabel: string; outstandingFen: number }[]
}

export interface DepositResult {
  entry: FundEntryView
  match: FundEntryView | null
  account: Omit<FundAccount, 'entries'>
}

export interface DepositImportResult {
  recorded: boolean
  rows: { line: number; unitLabel: string; amountFen: number }[]
  errors: { line: number; message: string }[]
}

export interface ExpenseResult {
  expense: FundExpenseView
  shares: { unitId: string; unitLabel: string; amountFen: number }[]
}

export interface FundCollectionRow {
  communityId: string
  name: string
  officeName: string
  requiredFen: number
  depositedFen: number
  matchedFen: number
}

export interface FundCollectionPage {
  items: FundCollectionRow[]
  nextCursor: string | null
}
