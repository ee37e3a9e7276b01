import {
  FUND_COLLECTOR_ROLES, FUND_DECIDER_ROLES, FUND_DOCUMENT_MAX_BYTES, FundDocumentRef, UploadFundDocumentInput, FUND_OFFICER_ROLES, FUND_READER_ROLES, FundCollectionExportInput, FundCollectionInput, FundCommunityOnly, FundStatementInput, FundUnitInput,
  ImportDepositsInput, PostInterestInput, RecordDepositInput, RecordExpenseInput, ReverseEntryInput, SetFundSchemeInput,
} from '../../src/contracts/fund'
import { FILE_LIMITS } from '../../src/contracts/uploads'
import { action } from '../registry'
import { base64BodyLimit } from '../transports/body-limit'
import { readUploadedFile } from '../uploads/uploaded-file'
import { exportFundCollection, fundCollection } from './collection.service'
import { importDeposits } from './deposit.import'
import { postInterest, recordDeposit, reverseEntry } from './deposit.service'
import { publishFundDisclosure } from './disclosure.service'
import { recordExpense } from './expense.service'
import { fundDocument, uploadFundDocument } from './fund.documents'
import { fundAccount, fundArrears, fundLedger, fundYearStatement, myFund } from './ledger.queries'
import { fundSetup, setFundScheme } from './scheme.service'

const DECIDERS = { roles: FUND_DECIDER_ROLES }
const COLLECTORS = { roles: FUND_COLLECTOR_ROLES }
/** Owners and those who run or oversee the 小区; tenants see no accounts. */
const READERS = { roles: FUND_READER_ROLES }
const OFFICERS = { roles: FUND_OFFICER_ROLES, scope: ['office', 'street', 'district'] as const }

/** The repair fund (issue 11). Who may do what beyond these roles: fund.policy.ts. */
export const fundActions = {
  fundSetup: action({ input: FundCommunityOnly, access: COLLECTORS, handler: (input, ctx) => fundSetup(ctx, input.communityId) }),
  /** A building's first rate, or a further call citing a passed item-6 vote; an old community's cap is enforced. */
  setFundScheme: action({ input: SetFundSchemeInput, access: DECIDERS, handler: (input, ctx) => setFundScheme(ctx, input) }),
  recordFundDeposit: action({ input: RecordDepositInput, access: COLLECTORS, handler: (input, ctx) => recordDeposit(ctx, input) }),
  importFundDeposits: action({
    input: ImportDepositsInput,
    access: COLLECTORS,
    bodyLimit: base64BodyLimit(FILE_LIMITS.roster),
    handler: async (input, ctx) => importDeposits(ctx, input.communityId, await readUploadedFile(ctx, { base64: input.fileBase64, cloudFileId: input.cloudFileId })),
  }),
  /** An expense citing a passed item-5 vote, or an emergency the committee approves alone (published at once). */
  recordFundExpense: action({ input: RecordExpenseInput, access: DECIDERS, handler: (input, ctx) => recordExpense(ctx, input) }),
  /** A quote, contract or acceptance photo for an expense about to be recorded: a photo without its metadata, a PDF that runs nothing. */
  uploadFundDocument: action({
    input: UploadFundDocumentInput,
    access: DECIDERS,
    bodyLimit: base64BodyLimit(FUND_DOCUMENT_MAX_BYTES),
    handler: async (input, ctx) => uploadFundDocument(ctx, { communityId: input.communityId, fileName: input.fileName, data: await readUploadedFile(ctx, { base64: input.dataBase64, cloudFileId: input.cloudFileId }) }),
  }),
  postFundInterest: action({ input: PostInterestInput, access: DECIDERS, handler: (input, ctx) => postInterest(ctx, input) }),
  reverseFundEntry: action({ input: ReverseEntryInput, access: DECIDERS, handler: (input, ctx) => reverseEntry(ctx, input) }),
  publishFundDisclosure: action({ input: FundCommunityOnly, access: DECIDERS, handler: (input, ctx) => publishFundDisclosure(ctx, input.communityId) }),

  fundLedger: action({ input: FundCommunityOnly, access: READERS, handler: (input, ctx) => fundLedger(ctx, input.communityId) }),
  /** A document of an expense, for whoever reads the ledger it is listed in. */
  fundDocument: action({ input: FundDocumentRef, access: READERS, handler: (input, ctx) => fundDocument(ctx, input) }),
  myFund: action({ input: FundCommunityOnly, access: READERS, handler: (input, ctx) => myFund(ctx, input.communityId) }),
  fundAccount: action({ input: FundUnitInput, access: READERS, handler: (input, ctx) => fundAccount(ctx, input.communityId, input.unitId) }),
  fundYearStatement: action({ input: FundStatementInput, access: READERS, handler: (input, ctx) => fundYearStatement(ctx, input) }),
  fundArrears: action({ input: FundCommunityOnly, access: COLLECTORS, handler: (input, ctx) => fundArrears(ctx, input.communityId) }),

  fundCollection: action({ input: FundCollectionInput, access: OFFICERS, handler: (input, ctx) => fundCollection(ctx, input) }),
  exportFundCollection: action({ input: FundCollectionExportInput, access: OFFICERS, handler: (input, ctx) => exportFundCollection(ctx, input) }),
}
