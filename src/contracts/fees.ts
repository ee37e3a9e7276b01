/**
 * Property fees (物业服务费): the fee schedule, bills, payments, 催缴 reminders, arrears postings and
 * the collection overview. Amounts are integer fen (./money), areas integer 0.01 m², months YYYY-MM,
 * days YYYY-MM-DD in Beijing time.
 */
import * as v from 'valibot'
import { Id } from './common'
import { Fen, PositiveFen } from './money'
import { CloudFileId, exactlyOneFile } from './uploads'

/** The price-complaint hotline every bill shows (国家发展改革委价格举报电话). */
export const PRICE_COMPLAINT_PHONE = '12358'
export const FEE_ITEMS_MAX = 20
export const FEE_ITEM_KINDS = ['area', 'fixed', 'shared'] as const
export type FeeItemKind = (typeof FEE_ITEM_KINDS)[number]
export const FEE_ITEM_KIND_LABELS: Record<FeeItemKind, string> = { area: '按面积', fixed: '按户', shared: '公摊（按面积分摊）' }
export const BILL_STATUSES = ['issued', 'partly_paid', 'paid', 'waived', 'written_off'] as const
export type BillStatus = (typeof BILL_STATUSES)[number]
export const BILL_STATUS_LABELS: Record<BillStatus, string> = { issued: '待缴', partly_paid: '部分已缴', paid: '已缴清', waived: '已减免', written_off: '已核销' }
export const PAYMENT_METHODS = ['cash', 'bank', 'wechat'] as const
export type PaymentMethod = (typeof PAYMENT_METHODS)[number]
export const PAYMENT_METHOD_LABELS: Record<PaymentMethod, string> = { cash: '现金', bank: '银行转账', wechat: '微信支付' }
export const REMINDER_KINDS = ['visit', 'call', 'written'] as const
export type ReminderKind = (typeof REMINDER_KINDS)[number]
export const REMINDER_KIND_LABELS: Record<ReminderKind, string> = { visit: '上门催缴', call: '电话催缴', written: '书面催缴通知' }

const REQUIRED = '缺少必填项'
const Month = v.pipe(v.string('需要月份'), v.regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 2026-01'))
const Day = v.pipe(v.string('需要日期'), v.regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, '日期格式应为 2026-01-31'))
/** A billing period: a month (2026-03), a quarter (2026-Q1) or a year (2026). */
export const Period = v.pipe(v.string('需要账期'), v.trim(), v.regex(/^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/, '账期格式应为 2026-03（月）、2026-Q1（季度）或 2026（年）'))
const Text = (what: string, max: number) => v.pipe(v.string(`需要${what}`), v.trim(), v.minLength(1, `请填写${what}`), v.maxLength(max, `${what}最多 ${max} 个字`))

/** The months a period covers: '2026-Q2' → { firstMonth: '2026-04', months: 3 }. */
export function periodMonths(period: string): { firstMonth: string; months: number } {
  const year = period.slice(0, 4)
  if (period.length === 4) return { firstMonth: `${year}-01`, months: 12 }
  if (period[5] === 'Q') return { firstMonth: `${year}-${String(Number(period[6]) * 3 - 2).padStart(2, '0')}`, months: 3 }
  return { firstMonth: period, months: 1 }
}

/** The month n months after a YYYY-MM month. */
export function addMonths(month: string, n: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n
  const y = (index - (index % 12)) / 12
  return `${y}-${String((index % 12) + 1).padStart(2, '0')}`
}

/** 2026年3月, 2026年第1季度, 2026年度. */
export function periodLabel(period: string): string {
  const year = period.slice(0, 4)
  if (period.length === 4) return `${year}年度`
  if (period[5] === 'Q') return `${year}年第${period[6]}季度`
  return `${year}年${Number(period.slice(5, 7))}月`
}

export const FeeCommunityOnly = v.object({ communityId: Id }, REQUIRED)

export const FeeItemInput = v.object({
  name: Text('收费项目名称', 30),
  kind: v.picklist(FEE_ITEM_KINDS, '收费方式应为按面积、按户或公摊'),
  /** area: fen per m² per month; fixed: fen per unit per month; shared: the monthly total in fen. */
  rateFen: Fen,
  /** Empty or absent: every building. */
  buildingIds: v.optional(v.pipe(v.array(Id), v.maxLength(200, '楼栋过多')), []),
})
/** The highest daily late-fee rate the software takes: 万分之五十 (0.5% a day). */
export const LATE_FEE_MAX_RATE_PER_10K = 50
export const LATE_FEE_LABEL = '违约金（合同约定）'
const WholeNumber = (what: string, min: number, max: number) =>
  v.pipe(v.number(`${what}应为数字`), v.integer(`${what}应为整数`), v.minValue(min, `${what}不能小于 ${min}`), v.maxValue(max, `${what}不能大于 ${max}`))
/**
 * The service contract's late fee (违约金), only where the contract says so (domain.md: default
 * off): a daily rate in 万分之 of what is still owed, the clause it rests on, and the days after the
 * due date before it starts. Never compounding: it is never charged on itself.
 */
export const LateFeeInput = v.object({
  ratePer10k: WholeNumber('每日违约金比例（万分之）', 1, LATE_FEE_MAX_RATE_PER_10K),
  clause: Text('合同约定条款', 300),
  startAfterDays: WholeNumber('起算天数', 0, 365),
})
export const SaveFeeScheduleInput = v.object({
  communityId: Id,
  effectiveFrom: Month,
  items: v.pipe(v.array(FeeItemInput, '需要收费项目'), v.minLength(1, '至少需要一个收费项目'), v.maxLength(FEE_ITEMS_MAX, `收费项目最多 ${FEE_ITEMS_MAX} 个`)),
  /** Absent or null: no late fee (the default). */
  lateFee: v.optional(v.nullable(LateFeeInput)),
})
export interface LateFeeView {
  ratePer10k: number
  clause: string
  startAfterDays: number
  /** 每日按未缴金额的万分之3计收，缴费期限过后第 31 天起算. */
  text: string
}

export interface FeeItemView {
  name: string
  kind: FeeItemKind
  rateFen: number
  buildingIds: string[]
  /** The rate as people read it: 1.80 元/㎡/月, 20.00 元/户/月, 每月 3,000.00 元按面积分摊. */
  rateText: string
  /** 全部楼栋 or the buildings' names. */
  scopeText: string
}
export interface FeeScheduleView {
  id: string
  version: number
  effectiveFrom: string
  noticeId: string | null
  items: FeeItemView[]
  /** The contract's late fee; null: none is charged. */
  lateFee: LateFeeView | null
}
export interface FeeSetup {
  schedule: FeeScheduleView | null
  buildings: { id: string; name: string }[]
  /** Who receives the money: the company, or the committee or office where there is none. */
  payeeName: string
  /** Whether the caller may bill and record payments in this 小区. */
  canBill: boolean
  /** Whether the caller may waive or write off bills and publish arrears postings. */
  canDecide: boolean
  periods: { period: string; label: string; billCount: number; dueOn: string }[]
}

export const GenerateBillsInput = v.object({ communityId: Id, period: Period, dueOn: v.optional(Day) })
export interface GenerateBillsResult {
  period: string
  /** Bills made by this call; 0 when the period had been generated already. */
  created: number
  total: number
}

export const BillRef = v.object({ communityId: Id, billId: Id }, REQUIRED)

export interface BillLineView {
  itemName: string
  kind: FeeItemKind
  rateFen: number
  months: number
  amountFen: number
  /** How the amount was computed: 1.80 元/㎡/月 × 89.56 ㎡ × 3 个月 = 483.62 元. */
  basis: string
}
export interface BillSummary {
  id: string
  period: string
  periodLabel: string
  unitLabel: string
  amountFen: number
  creditedFen: number
  paidFen: number
  /** amount − credits − payments, 0 once waived or written off. */
  owedFen: number
  status: BillStatus
  statusLabel: string
  dueOn: string
}
export interface ReminderView {
  kind: ReminderKind
  kindLabel: string
  note: string
  deadlineOn: string | null
  createdAt: string
}
export interface PaymentView {
  receiptNo: string
  amountFen: number
  method: PaymentMethod
  methodLabel: string
  reference: string | null
  paidOn: string
}
export interface BillDetail extends BillSummary {
  areaCentiM2: number
  payer: 'owner' | 'developer'
  payeeName: string
  priceComplaintPhone: string
  lines: BillLineView[]
  payments: PaymentView[]
  credits: { amountFen: number; reason: string; createdAt: string }[]
  closedReason: string | null
  /** Written 催缴 notices for the unit, newest first (not shown to a tenant). */
  writtenNotices: ReminderView[]
  /** The contract penalty accrued so far, when the service contract enables one; else null. */
  lateFee: BillLateFee | null
}
export interface BillLateFee {
  /** 违约金（合同约定）. */
  label: string
  amountFen: number
  /** The day it is computed to (today, or the day the bill was settled). */
  asOf: string
  /** How it was computed: 每日万分之3 × 未缴 ¥483.62 × 20 天 = ¥2.90. */
  basis: string
  /** The contract's clause. */
  clause: string
}


export const RecordPaymentInput = v.object({
  communityId: Id,
  billId: Id,
  amountFen: PositiveFen,
  method: v.picklist(PAYMENT_METHODS, '付款方式应为现金、银行转账或微信支付'),
  reference: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(64, '流水号最多 64 个字'))),
  /** Made by the page once per form: a double tap sends the same key and records once. */
  idempotencyKey: v.pipe(v.string('需要防重复提交编号'), v.minLength(8, '防重复提交编号过短'), v.maxLength(100, '防重复提交编号过长')),
  paidOn: v.optional(Day),
})
export interface PaymentResult {
  receiptNo: string
  billId: string
  status: BillStatus
  paidFen: number
  owedFen: number
  /** True when this key had been recorded already (nothing new was written). */
  duplicate: boolean
}

export const DecideBillInput = v.object({ communityId: Id, billId: Id, reason: Text('原因', 200) })
/**
 * A waiver's or write-off's answer. A committee that sees arrears masked is answered the masked
 * room and no amount (nothing is owed once decided).
 */
export interface BillDecision {
  billId: string
  status: BillStatus
  statusLabel: string
  owedFen: 0
  unitLabel: string
  periodLabel: string
}
export const CreditNoteInput = v.object({ communityId: Id, billId: Id, amountFen: PositiveFen, reason: Text('原因', 200) })

export const BankStatementInput = v.pipe(
  v.object({
    communityId: Id,
    fileName: v.pipe(v.string('需要文件名'), v.regex(/\.xlsx$/i, '银行流水应为 .xlsx 文件'), v.maxLength(200, '文件名过长')),
    fileBase64: v.optional(v.pipe(v.string('需要文件内容'), v.minLength(1, '文件为空'), v.maxLength(7_000_000, '文件超过 5 MB'))),
    cloudFileId: v.optional(CloudFileId),
  }),
  exactlyOneFile('fileBase64'),
)
export interface BankStatementResult {
  /** True when every row matched a bill and all were recorded; false when nothing was. */
  recorded: boolean
  matched: { row: number; unitLabel: string; period: string; amountFen: number; receiptNo: string | null }[]
  unmatched: { row: number; text: string; reason: string }[]
}

export interface MyUnitBills {
  unitId: string
  unitLabel: string
  owedFen: number
  /** Unpaid first (oldest first), then the history (newest first). */
  unpaid: BillSummary[]
  history: BillSummary[]
  writtenNotices: ReminderView[]
  /** True for a tenant reading the bills the owner shares with them (no statement, no notices). */
  sharedWithMe: boolean
  /** For the owner: the unit's active tenancies and whether its bills are shared with each. */
  tenants: BillShareView[]
}
export interface BillShareView {
  tenancyId: string
  tenantName: string | null
  shared: boolean
}
/** An owner shares (or stops sharing) a unit's bills with the tenant of one active tenancy. */
export const ShareBillsInput = v.object({ communityId: Id, tenancyId: Id, shared: v.boolean('需要说明是否共享') }, REQUIRED)
export interface MyBills {
  totalOwedFen: number
  units: MyUnitBills[]
  /** Set for a caller who owns no unit here (a tenant): why the list is empty. */
  note: string | null
}

export const YearStatementInput = v.object({ communityId: Id, unitId: Id, year: v.pipe(v.number('需要年份'), v.integer('年份应为整数'), v.minValue(2000, '年份不正确'), v.maxValue(2100, '年份不正确')) })
export interface YearStatement {
  unitLabel: string
  year: number
  bills: BillSummary[]
  payments: (PaymentView & { period: string })[]
  billedFen: number
  creditedFen: number
  paidFen: number
  owedFen: number
}

export const RecordReminderInput = v.pipe(
  v.object({
    communityId: Id,
    unitId: Id,
    kind: v.picklist(REMINDER_KINDS, '催缴方式应为上门、电话或书面通知'),
    note: Text('催缴记录', 300),
    deadlineOn: v.optional(Day),
  }),
  v.check((i) => (i.kind === 'written') === !!i.deadlineOn, '书面催缴通知需要写明缴费期限；上门和电话催缴不填期限'),
)

export const PublishArrearsInput = v.object({
  communityId: Id,
  /** The posting's last day; a posting always ends. */
  endsOn: Day,
  /** The units to list (each must be eligible); absent: every eligible unit. */
  unitIds: v.optional(v.pipe(v.array(Id), v.minLength(1, '至少选择一户'), v.maxLength(5000, '选择的房屋过多'))),
})
export interface ArrearsPostingResult {
  noticeId: string
  roomCount: number
}

export const CollectionInput = v.object({ communityId: Id, period: v.optional(Period) })
export interface CollectionRow {
  billedFen: number
  paidFen: number
  /** Collected over billed, in basis points (hundredths of a percent). */
  rateBp: number
}
export interface CollectionOverview {
  /** The last 12 periods billed, oldest first (the chart). */
  periods: (CollectionRow & { period: string; label: string })[]
  /** The chosen period (or the latest) by building. */
  period: string | null
  buildings: (CollectionRow & { buildingId: string; buildingName: string })[]
}
export interface ArrearsUnit {
  /** Full room for staff; masked (3栋2单元**1室) for everyone else. */
  unitLabel: string
  unitId: string | null
  billCount: number
  /** Staff only. */
  owedFen: number | null
  lastReminder: ReminderView | null
  /** Whether a written notice's deadline has passed (an arrears posting may list the unit). */
  postable: boolean
  /**
   * For those who decide waivers: the unit's open bills by period, each with the reference
   * waiveBill takes; no amount (a masked viewer never sees one). Empty for others.
   */
  openBills: { ref: string; periodLabel: string; dueOn: string }[]
}
export interface ArrearsList {
  masked: boolean
  units: ArrearsUnit[]
}
