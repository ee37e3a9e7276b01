import {
  BankStatementInput, BillRef, ShareBillsInput, CollectionInput, PublishArrearsInput, RecordReminderInput, CreditNoteInput, DecideBillInput, FeeCommunityOnly, GenerateBillsInput, RecordPaymentInput, SaveFeeScheduleInput, YearStatementInput,
} from '../../src/contracts/fees'
import { FEE_DECIDER_ROLES, FEE_PAYER_ROLES, FEE_READER_ROLES, FEE_STAFF_ROLES } from '../../src/contracts/roles'
import { requireActor } from '../context'
import { FILE_LIMITS } from '../../src/contracts/uploads'
import { base64BodyLimit } from '../transports/body-limit'
import { readUploadedFile } from '../uploads/uploaded-file'
import { importBankStatement } from './bank-import'
import { action } from '../registry'
import { publishArrearsPosting, recordReminder } from './arrears.service'
import { generateBills } from './bill.generate'
import { arrearsList, collectionOverview, exportCollection } from './overview.service'
import { getBill, myBills, yearStatement } from './bill.queries'
import { shareBills } from './bill.sharing'
import { assertCanBill } from './fee.policy'
import { addCreditNote, decideBill, recordPayment } from './payment.service'
import { feeSetup, saveSchedule } from './schedule.service'

/** Fee staff: the company's staff, or the committee or office where there is no company (fee.policy.ts). */
const STAFF = { roles: FEE_STAFF_ROLES }
/** The committee decides waivers, write-offs and arrears postings. */
const DECIDERS = { roles: FEE_DECIDER_ROLES }
/** Owners read their own bills; a tenant is answered an empty list. */
const PAYERS = { roles: FEE_PAYER_ROLES }
const READERS = { roles: FEE_READER_ROLES }
/** A bill's detail: also a tenant, who reads it only when the owner shares the unit's bills (bill.queries.ts). */
const BILL_READERS = { roles: [...FEE_READER_ROLES, 'tenant'] as const }
const OWNERS = { roles: ['owner'] as const }

/** Property fees (issue 10): schedule, bills, payments, owners' reads. Who may do what beyond these roles: fee.policy.ts. */
export const feeActions = {
  feeSetup: action({ input: FeeCommunityOnly, access: STAFF, handler: (input, ctx) => feeSetup(ctx, input.communityId) }),

  /** A new version of the fee schedule; publishes its 公示 at once. */
  saveFeeSchedule: action({ input: SaveFeeScheduleInput, access: STAFF, handler: (input, ctx) => saveSchedule(ctx, input) }),

  /** One bill per unit for a period; generating a period again creates nothing. */
  generateBills: action({
    input: GenerateBillsInput,
    access: STAFF,
    handler: async (input, ctx) => {
      const bodies = await assertCanBill(ctx.db, input.communityId, requireActor(ctx).roles)
      return generateBills(ctx, bodies, { communityId: input.communityId, period: input.period, dueOn: input.dueOn, userId: requireActor(ctx).userId })
    },
  }),

  /** Staff record a payment received; residents never can. */
  recordPayment: action({ input: RecordPaymentInput, access: STAFF, handler: (input, ctx) => recordPayment(ctx, input) }),
  addCreditNote: action({ input: CreditNoteInput, access: STAFF, handler: (input, ctx) => addCreditNote(ctx, input) }),
  waiveBill: action({ input: DecideBillInput, access: DECIDERS, handler: (input, ctx) => decideBill(ctx, input, 'waive') }),
  writeOffBill: action({ input: DecideBillInput, access: DECIDERS, handler: (input, ctx) => decideBill(ctx, input, 'write_off') }),

  /** A bank statement (.xlsx) as payments: all rows matched and recorded, or none and the misses listed. */
  importBankStatement: action({
    input: BankStatementInput,
    access: STAFF,
    bodyLimit: base64BodyLimit(FILE_LIMITS.roster),
    handler: async (input, ctx) => importBankStatement(ctx, input.communityId, await readUploadedFile(ctx, { base64: input.fileBase64, cloudFileId: input.cloudFileId })),
  }),

  /** The 缴费 tab. */
  myBills: action({ input: FeeCommunityOnly, access: PAYERS, handler: (input, ctx) => myBills(ctx, input.communityId) }),
  getBill: action({ input: BillRef, access: BILL_READERS, handler: (input, ctx) => getBill(ctx, input.communityId, input.billId) }),
  /** The owner shares (or stops sharing) a unit's bills with the tenant of one of its tenancies. */
  shareBillsWithTenant: action({ input: ShareBillsInput, access: OWNERS, handler: (input, ctx) => shareBills(ctx, input) }),
  yearStatement: action({ input: YearStatementInput, access: READERS, handler: (input, ctx) => yearStatement(ctx, input.communityId, input.unitId, input.year) }),

  /** A 催缴 (visit, call, or written notice with a deadline) against a unit. */
  recordReminder: action({ input: RecordReminderInput, access: STAFF, handler: (input, ctx) => recordReminder(ctx, input) }),
  /** The committee's 欠费公示: masked rooms only, after a written notice's deadline has passed. */
  publishArrearsPosting: action({ input: PublishArrearsInput, access: DECIDERS, handler: (input, ctx) => publishArrearsPosting(ctx, input) }),

  /** The collection rate by period and building; the committee, the staff and the community officer. */
  collectionOverview: action({ input: CollectionInput, access: STAFF, handler: (input, ctx) => collectionOverview(ctx, input.communityId, input.period) }),
  /** Units in arrears: full for the fee staff, masked rooms for the others. */
  arrearsList: action({ input: FeeCommunityOnly, access: STAFF, handler: (input, ctx) => arrearsList(ctx, input.communityId) }),
  exportCollection: action({ input: FeeCommunityOnly, access: STAFF, handler: (input, ctx) => exportCollection(ctx, input.communityId) }),
}
