/** Row shapes of the fee tables (migration 006_fees), snake_case as stored. Money in fen, area in 0.01 m². */

export type BillStatus = 'issued' | 'partly_paid' | 'paid' | 'waived' | 'written_off'
export type FeeItemKind = 'area' | 'fixed' | 'shared'
export type PaymentMethod = 'cash' | 'bank' | 'wechat'
export type ReminderKind = 'visit' | 'call' | 'written'

export interface FeeScheduleTable {
  id: string
  community_id: string
  version: number
  effective_from: string
  notice_id: string | null
  created_by: string
  created_at: string
  /** The contract's late fee (migration 020): 0 = none (the default). 万分之 per day of what is owed. */
  late_fee_rate_per_10k: number
  /** The service contract's clause the late fee rests on; null when there is none. */
  late_fee_clause: string | null
  /** Days after the due date before the late fee starts. */
  late_fee_start_days: number
}

export interface FeeItemTable {
  id: string
  community_id: string
  schedule_id: string
  position: number
  name: string
  kind: FeeItemKind
  rate_fen: number
  /** JSON array of building ids; [] means every building. */
  building_ids: string
}

export interface FeePeriodTable {
  community_id: string
  period: string
  first_month: string
  months: number
  schedule_id: string
  due_on: string
  bill_count: number
  generated_by: string | null
  generated_at: string
}

export interface FeeBillTable {
  id: string
  community_id: string
  unit_id: string
  building_id: string
  period: string
  first_month: string
  months: number
  schedule_id: string
  unit_label: string
  area_centi_m2: number
  payer: 'owner' | 'developer'
  payee_name: string
  due_on: string
  amount_fen: number
  credited_fen: number
  paid_fen: number
  status: BillStatus
  closed_reason: string | null
  closed_by: string | null
  closed_at: string | null
  created_at: string
}

export interface FeeBillLineTable {
  id: string
  community_id: string
  bill_id: string
  position: number
  item_name: string
  kind: FeeItemKind
  rate_fen: number
  months: number
  amount_fen: number
  basis: string
}

export interface FeeCreditNoteTable {
  id: string
  community_id: string
  bill_id: string
  amount_fen: number
  reason: string
  created_by: string
  created_at: string
}

export interface FeePaymentTable {
  id: string
  community_id: string
  bill_id: string
  amount_fen: number
  method: PaymentMethod
  reference: string | null
  idempotency_key: string
  receipt_no: string
  paid_on: string
  recorded_by: string
  created_at: string
}

export interface FeeReminderTable {
  id: string
  community_id: string
  unit_id: string
  kind: ReminderKind
  note: string
  deadline_on: string | null
  recorded_by: string
  created_at: string
}

/** An owner shares a unit's bills with the tenant of one tenancy (migration 020); stopped_at ends it. */
export interface FeeBillShareTable {
  tenancy_id: string
  community_id: string
  unit_id: string
  shared_by: string
  shared_at: string
  stopped_at: string | null
}

export interface FeeCounterTable {
  community_id: string
  name: string
  value: number
}

export interface FeeTables {
  fee_schedules: FeeScheduleTable
  fee_items: FeeItemTable
  fee_periods: FeePeriodTable
  fee_bills: FeeBillTable
  fee_bill_lines: FeeBillLineTable
  fee_credit_notes: FeeCreditNoteTable
  fee_payments: FeePaymentTable
  fee_reminders: FeeReminderTable
  fee_counters: FeeCounterTable
  fee_bill_shares: FeeBillShareTable
}
