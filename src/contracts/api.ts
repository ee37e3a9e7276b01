/**
 * Every action the server answers, with what it takes and what it gives back: the one map that
 * ties the client's `request(name, input)` to the server's registry (`server/actions.ts`, which
 * satisfies it at compile time). Inputs are what a caller sends, i.e. the valibot schemas' input
 * types (before trimming, defaults and other transforms); outputs are the contract types.
 *
 * Adding an action: declare its schema and output type beside its domain, add a line here, then
 * the handler; the compiler points at whichever of the three is missing.
 */
import type * as v from 'valibot'
import type { DemoLoginInput, EmptyInput, LoginInput, Me, Persona, SessionInfo } from './identity'
import type { AcceptPrivacyInput, DeleteAccountInput, DeleteAccountResult, EndSessionInput, MyData, MySession, PrivacyStatus } from './privacy'
import type { Jurisdiction, JurisdictionCommunityPage, ListJurisdictionCommunitiesInput } from './communities'
import type {
  CommunityOnly,
  EditNoticeInput,
  ListNoticesInput,
  NoticeDetail,
  NoticeFileInfo,
  NoticePage,
  NoticeReadStats,
  NoticeRef,
  PinNoticeInput,
  PublisherOption,
  PublishNoticeInput,
  UploadNoticeFileInput,
} from './notices'
import type {
  AcceptTenancyInput,
  BindingRequest,
  BindingRequestPage,
  BindResult,
  BindUnitInput,
  CommunityDirectoryEntry,
  CommunityDirectoryInput,
  DecideBindingInput,
  InviteTenantInput,
  ListBindingRequestsInput,
  ListTenanciesInput,
  RevokeTenancyInput,
  RosterFileInput,
  RosterImportResult,
  RosterPreview,
  Tenancy,
  UnitTree,
  UnitTreeInput,
  UploadBindingProofInput,
  BindingProof,
} from './rosters'
import type {
  AnnounceVoteInput,
  CancelVoteInput,
  CastBallotInput,
  CorrectVoteInput,
  UpdateDraftInput,
  ConflictInfo,
  CreateVoteInput,
  ElectorateVoter,
  EnterPaperBallotInput,
  ExportFile,
  ListVotesInput,
  LookupReceiptInput,
  MyBallot,
  MyVoteStatus,
  PaperBallotResult,
  ReceiptLookup,
  UploadEvidenceInput,
  VoteDetail,
  VoteProgress,
  VoteRef,
  VoteResultSheet,
  VoteSetup,
  VoteSummary,
  CommunityOnly as VoteCommunityOnly,
} from './votes'
import type { AnswerObjectionInput, ListObjectionsInput, MyElectorate, MyElectorateInput, ObjectionForCommittee, ObjectionInfo, RaiseObjectionInput } from './objections'
import type { DecideRosterDuplicateInput, ListRosterDuplicatesInput, RosterDuplicatePair } from './roster-duplicates'
import type {
  ArrearsList,
  ArrearsPostingResult,
  BankStatementInput,
  BankStatementResult,
  BillDetail,
  BillDecision,
  BillShareView,
  ShareBillsInput,
  BillRef,
  CollectionInput,
  CollectionOverview,
  CreditNoteInput,
  DecideBillInput,
  FeeCommunityOnly,
  FeeScheduleView,
  FeeSetup,
  GenerateBillsInput,
  GenerateBillsResult,
  MyBills,
  PaymentResult,
  PublishArrearsInput,
  RecordPaymentInput,
  RecordReminderInput,
  ReminderView,
  SaveFeeScheduleInput,
  YearStatement,
  YearStatementInput,
} from './fees'
import type {
  DepositImportResult, DepositResult, ExpenseResult, FundAccount, FundBuildingArrears, FundCollectionExportInput, FundCollectionInput, FundCollectionPage, FundCommunityOnly, FundLedger,
  FundSetup, FundStatementInput, FundUnitInput, FundYearStatement, ImportDepositsInput, MyFund, PostInterestInput, RecordDepositInput, RecordExpenseInput, ReverseEntryInput, SetFundSchemeInput,
  FundDocumentData, FundDocumentRef, FundDocumentUpload, UploadFundDocumentInput,
} from './fund'
import type {
  BulkAcceptInput, BulkAcceptResult, ConfirmReportInput, CreateReportInput, MyReportsInput, OfficerInboxInput, ReassignReportInput, ReopenReportInput,
  ReplyReportInput, ReportCommunityOnly, ReportContacts, ReportDashboard, ReportDashboardInput, ReportDetail, ReportInboxInput, ReportPage, ReportPhoto, ReportPhotoData, ReportPhotoRef,
  ReportPlaceOptions, ReportRef, ReportSettingsInput, ReportSettingsView, ReportStepInput, UploadReportPhotoInput,
  SaveWorkCalendarInput, WorkCalendarInput, WorkCalendarView,
} from './reports'

/** One action: the input a caller sends (the schema's input type) and the data it answers. */
interface Act<S extends v.GenericSchema, O> {
  input: v.InferInput<S>
  output: O
}

export interface Api {
  // identity
  login: Act<typeof LoginInput, SessionInfo>
  demoPersonas: Act<typeof EmptyInput, Persona[]>
  demoLogin: Act<typeof DemoLoginInput, SessionInfo>
  logout: Act<typeof EmptyInput, { loggedOut: true }>
  me: Act<typeof EmptyInput, Me>

  // privacy and a person's own data (server/identity)
  privacyStatus: Act<typeof EmptyInput, PrivacyStatus>
  acceptPrivacy: Act<typeof AcceptPrivacyInput, PrivacyStatus>
  myData: Act<typeof EmptyInput, MyData>
  deleteMyAccount: Act<typeof DeleteAccountInput, DeleteAccountResult>
  mySessions: Act<typeof EmptyInput, MySession[]>
  endMySession: Act<typeof EndSessionInput, { ended: true; current: boolean }>

  // officers' jurisdictions (server/communities)
  myJurisdictions: Act<typeof EmptyInput, Jurisdiction[]>
  listJurisdictionCommunities: Act<typeof ListJurisdictionCommunitiesInput, JurisdictionCommunityPage>

  // rosters, binding, tenancy
  previewRoster: Act<typeof RosterFileInput, RosterPreview>
  importRoster: Act<typeof RosterFileInput, RosterImportResult>
  communityDirectory: Act<typeof CommunityDirectoryInput, CommunityDirectoryEntry[]>
  unitTree: Act<typeof UnitTreeInput, UnitTree>
  bindUnit: Act<typeof BindUnitInput, BindResult>
  listBindingRequests: Act<typeof ListBindingRequestsInput, BindingRequestPage>
  decideBinding: Act<typeof DecideBindingInput, BindingRequest>
  uploadBindingProof: Act<typeof UploadBindingProofInput, BindingProof>
  inviteTenant: Act<typeof InviteTenantInput, Tenancy>
  acceptTenancy: Act<typeof AcceptTenancyInput, Tenancy>
  revokeTenancy: Act<typeof RevokeTenancyInput, Tenancy>
  listTenancies: Act<typeof ListTenanciesInput, Tenancy[]>

  // notices
  listNotices: Act<typeof ListNoticesInput, NoticePage>
  getNotice: Act<typeof NoticeRef, NoticeDetail>
  unreadNoticeCount: Act<typeof CommunityOnly, { count: number; capped: boolean }>
  publishNotice: Act<typeof PublishNoticeInput, { id: string }>
  editNotice: Act<typeof EditNoticeInput, { version: number }>
  pinNotice: Act<typeof PinNoticeInput, { pinned: boolean }>
  withdrawNotice: Act<typeof NoticeRef, { withdrawn: true }>
  noticeReadStats: Act<typeof NoticeRef, NoticeReadStats>
  noticePublisherOptions: Act<typeof CommunityOnly, PublisherOption[]>
  uploadNoticeFile: Act<typeof UploadNoticeFileInput, NoticeFileInfo>

  // votes
  voteSetup: Act<typeof VoteCommunityOnly, VoteSetup>
  createVote: Act<typeof CreateVoteInput, VoteDetail>
  announceVote: Act<typeof AnnounceVoteInput, VoteDetail>
  openVote: Act<typeof VoteRef, VoteDetail>
  closeVote: Act<typeof VoteRef, VoteDetail>
  updateDraft: Act<typeof UpdateDraftInput, VoteDetail>
  deleteDraft: Act<typeof VoteRef, { deleted: true }>
  correctVote: Act<typeof CorrectVoteInput, VoteDetail>
  cancelVote: Act<typeof CancelVoteInput, VoteDetail>
  finishCounting: Act<typeof VoteRef, VoteDetail>
  listVotes: Act<typeof ListVotesInput, VoteSummary[]>
  getVote: Act<typeof VoteRef, VoteDetail>
  myVote: Act<typeof VoteRef, MyVoteStatus>
  castBallot: Act<typeof CastBallotInput, MyBallot>
  lookupReceipt: Act<typeof LookupReceiptInput, ReceiptLookup>
  voteProgress: Act<typeof VoteRef, VoteProgress>
  voteElectorate: Act<typeof VoteRef, ElectorateVoter[]>
  voteConflicts: Act<typeof VoteRef, ConflictInfo[]>
  uploadBallotEvidence: Act<typeof UploadEvidenceInput, { evidenceRef: string; sha256: string }>
  enterPaperBallot: Act<typeof EnterPaperBallotInput, PaperBallotResult>
  voteResult: Act<typeof VoteRef, VoteResultSheet>
  exportVoteResult: Act<typeof VoteRef, ExportFile>
  // electorate entries and objections (issue 8 item 5)
  myElectorate: Act<typeof MyElectorateInput, MyElectorate>
  raiseObjection: Act<typeof RaiseObjectionInput, ObjectionInfo>
  voteObjections: Act<typeof ListObjectionsInput, ObjectionForCommittee[]>
  answerObjection: Act<typeof AnswerObjectionInput, ObjectionForCommittee>
  // same name, different contact details (issue 8 item 1)
  listRosterDuplicates: Act<typeof ListRosterDuplicatesInput, RosterDuplicatePair[]>
  decideRosterDuplicate: Act<typeof DecideRosterDuplicateInput, RosterDuplicatePair>

  // fees
  feeSetup: Act<typeof FeeCommunityOnly, FeeSetup>
  saveFeeSchedule: Act<typeof SaveFeeScheduleInput, FeeScheduleView>
  generateBills: Act<typeof GenerateBillsInput, GenerateBillsResult>
  recordPayment: Act<typeof RecordPaymentInput, PaymentResult>
  addCreditNote: Act<typeof CreditNoteInput, PaymentResult>
  waiveBill: Act<typeof DecideBillInput, BillDecision>
  writeOffBill: Act<typeof DecideBillInput, BillDecision>
  importBankStatement: Act<typeof BankStatementInput, BankStatementResult>
  myBills: Act<typeof FeeCommunityOnly, MyBills>
  getBill: Act<typeof BillRef, BillDetail>
  shareBillsWithTenant: Act<typeof ShareBillsInput, BillShareView>
  yearStatement: Act<typeof YearStatementInput, YearStatement>
  recordReminder: Act<typeof RecordReminderInput, ReminderView>
  publishArrearsPosting: Act<typeof PublishArrearsInput, ArrearsPostingResult>
  collectionOverview: Act<typeof CollectionInput, CollectionOverview>
  arrearsList: Act<typeof FeeCommunityOnly, ArrearsList>
  exportCollection: Act<typeof FeeCommunityOnly, ExportFile>

  // repair fund (server/fund)
  fundSetup: Act<typeof FundCommunityOnly, FundSetup>
  setFundScheme: Act<typeof SetFundSchemeInput, FundSetup>
  recordFundDeposit: Act<typeof RecordDepositInput, DepositResult>
  importFundDeposits: Act<typeof ImportDepositsInput, DepositImportResult>
  recordFundExpense: Act<typeof RecordExpenseInput, ExpenseResult>
  uploadFundDocument: Act<typeof UploadFundDocumentInput, FundDocumentUpload>
  fundDocument: Act<typeof FundDocumentRef, FundDocumentData>
  postFundInterest: Act<typeof PostInterestInput, { units: number; amountFen: number }>
  reverseFundEntry: Act<typeof ReverseEntryInput, { reversed: number }>
  publishFundDisclosure: Act<typeof FundCommunityOnly, { id: string }>
  fundLedger: Act<typeof FundCommunityOnly, FundLedger>
  myFund: Act<typeof FundCommunityOnly, MyFund>
  fundAccount: Act<typeof FundUnitInput, FundAccount>
  fundYearStatement: Act<typeof FundStatementInput, FundYearStatement>
  fundArrears: Act<typeof FundCommunityOnly, FundBuildingArrears[]>
  fundCollection: Act<typeof FundCollectionInput, FundCollectionPage>
  exportFundCollection: Act<typeof FundCollectionExportInput, ExportFile>

  // problem reports (server/reports)
  reportPlaceOptions: Act<typeof ReportCommunityOnly, ReportPlaceOptions>
  uploadReportPhoto: Act<typeof UploadReportPhotoInput, ReportPhoto>
  createReport: Act<typeof CreateReportInput, ReportDetail>
  getReport: Act<typeof ReportRef, ReportDetail>
  reportPhoto: Act<typeof ReportPhotoRef, ReportPhotoData>
  myReports: Act<typeof MyReportsInput, ReportPage>
  confirmReport: Act<typeof ConfirmReportInput, ReportDetail>
  reopenReport: Act<typeof ReopenReportInput, ReportDetail>
  reportInbox: Act<typeof ReportInboxInput, ReportPage>
  acceptReport: Act<typeof ReportStepInput, ReportDetail>
  startReport: Act<typeof ReportStepInput, ReportDetail>
  resolveReport: Act<typeof ReportStepInput, ReportDetail>
  replyReport: Act<typeof ReplyReportInput, ReportDetail>
  bulkAcceptReports: Act<typeof BulkAcceptInput, BulkAcceptResult>
  reassignReport: Act<typeof ReassignReportInput, ReportDetail>
  officerReportInbox: Act<typeof OfficerInboxInput, ReportPage>
  reportContacts: Act<typeof ReportCommunityOnly, ReportContacts>
  reportSettings: Act<typeof ReportCommunityOnly, ReportSettingsView>
  saveReportSettings: Act<typeof ReportSettingsInput, ReportSettingsView>
  workCalendar: Act<typeof WorkCalendarInput, WorkCalendarView>
  saveWorkCalendar: Act<typeof SaveWorkCalendarInput, WorkCalendarView>
  reportDashboard: Act<typeof ReportDashboardInput, ReportDashboard>
  exportReportDashboard: Act<typeof ReportDashboardInput, ExportFile>
}

/** An action's name. */
export type ActionName = keyof Api
/** What a caller sends to an action. */
export type ActionInput<A extends ActionName> = Api[A]['input']
/** What an action answers (the `data` of its envelope). */
export type ActionOutput<A extends ActionName> = Api[A]['output']
/** The arguments after the name: the input may be left out when the action takes nothing required. */
export type ActionArgs<A extends ActionName> = undefined extends ActionInput<A> ? [input?: ActionInput<A>] : [input: ActionInput<A>]
