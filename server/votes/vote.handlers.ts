import {
  AnnounceVoteInput,
  CancelVoteInput,
  CastBallotInput,
  CorrectVoteInput,
  CommunityOnly,
  CreateVoteInput,
  EnterPaperBallotInput,
  ListVotesInput,
  LookupReceiptInput,
  UpdateDraftInput,
  UploadEvidenceInput,
  VoteRef,
} from '../../src/contracts/votes'
import { VOTE_MANAGER_ROLES, VOTE_VIEWER_ROLES } from '../../src/contracts/roles'
import { action } from '../registry'
import { castBallot, enterPaperBallot } from './vote.ballots'
import { announceVote, closeVoteByHand, createVote, finishCounting, openVoteByHand } from './vote.commands'
import { cancelVote, correctVote, deleteDraft, updateDraft } from './vote.drafts'
import { uploadBallotEvidence } from './vote.evidence'
import { exportVoteResult, voteResultSheet } from './vote.export'
import { getVote, listVotes, myVote, voteConflicts, voteElectorate, voteProgress, voteSetup } from './vote.queries'
import { lookupReceipt } from './vote.receipts'
import { asVoter } from './vote.policy'

/** The committee (or the community office standing in for it) runs votes. */
const MANAGERS = { roles: VOTE_MANAGER_ROLES }
/** Owners and those who run or oversee the 小区 follow votes; tenants do not vote. */
const VIEWERS = { roles: VOTE_VIEWER_ROLES }

/**
 * The votes feature's actions. Votes open and close by the clock (the vote-clock job runs
 * advanceVotes), not when someone reads; finer rules than the roles here are in vote.policy.ts.
 */
export const voteActions = {
  /** The create form's facts: the notice period and the buildings to choose a scope from. */
  voteSetup: action({ input: CommunityOnly, access: MANAGERS, handler: (input, ctx) => voteSetup(ctx, input) }),

  createVote: action({ input: CreateVoteInput, access: MANAGERS, handler: (input, ctx) => createVote(ctx, input) }),

  /** A draft rewritten (rough is fine: a title is enough). */
  updateDraft: action({ input: UpdateDraftInput, access: MANAGERS, handler: (input, ctx) => updateDraft(ctx, input) }),

  /** A draft deleted (owners never saw it; the audit log keeps it). */
  deleteDraft: action({ input: VoteRef, access: MANAGERS, handler: (input, ctx) => deleteDraft(ctx, input) }),

  /** An announced vote corrected: a 更正公告, and the notice period restarts. */
  correctVote: action({ input: CorrectVoteInput, access: MANAGERS, handler: (input, ctx) => correctVote(ctx, input) }),

  /** An announced vote cancelled with a 撤销公告. */
  cancelVote: action({ input: CancelVoteInput, access: MANAGERS, handler: (input, ctx) => cancelVote(ctx, input) }),

  /** Ends the counting stage now and publishes the result (the clock does it at the end of the counting period). */
  finishCounting: action({ input: VoteRef, access: MANAGERS, handler: (input, ctx) => finishCounting(ctx, input) }),

  /** Publishes the announcement notice; the vote then opens by itself at opensAt. */
  announceVote: action({ input: AnnounceVoteInput, access: MANAGERS, handler: (input, ctx) => announceVote(ctx, input) }),

  /** Opens now if the opening time has come (the clock does this by itself too). */
  openVote: action({ input: VoteRef, access: MANAGERS, handler: (input, ctx) => openVoteByHand(ctx, input) }),

  /** Closes now if the window has ended (the clock does this by itself too); a vote taking paper moves into counting. */
  closeVote: action({ input: VoteRef, access: MANAGERS, handler: (input, ctx) => closeVoteByHand(ctx, input) }),

  listVotes: action({ input: ListVotesInput, access: VIEWERS, handler: (input, ctx) => listVotes(ctx, input) }),

  getVote: action({ input: VoteRef, access: VIEWERS, handler: (input, ctx) => getVote(ctx, input) }),

  /**
   * The caller's voters (units, area) and their ballots and receipts. Open to any logged-in person
   * because the frozen electorate is honoured: an owner removed from the roster during the vote
   * keeps their ballot; the service lets in only the 小区's viewers and those on the electorate.
   */
  myVote: action({ input: VoteRef, access: 'user', handler: async (input, ctx) => myVote(await asVoter(ctx, input, VOTE_VIEWER_ROLES), input) }),

  /** One ballot paper, final; answers the receipt. Anyone on the frozen electorate (see myVote); castBallot checks it. */
  castBallot: action({ input: CastBallotInput, access: 'user', handler: (input, ctx) => castBallot(ctx, input) }),

  lookupReceipt: action({ input: LookupReceiptInput, access: VIEWERS, handler: (input, ctx) => lookupReceipt(ctx, input) }),

  /** Participation against the 2/3 quorum and agreement against the pass line, by area and by headcount. */
  voteProgress: action({ input: VoteRef, access: VIEWERS, handler: (input, ctx) => voteProgress(ctx, input) }),

  /** The frozen electorate by voter, with who has voted (not how), for paper ballots and reminders. */
  voteElectorate: action({ input: VoteRef, access: MANAGERS, handler: (input, ctx) => voteElectorate(ctx, input) }),

  voteConflicts: action({ input: VoteRef, access: MANAGERS, handler: (input, ctx) => voteConflicts(ctx, input) }),

  /** Stores the photo of a signed paper ballot; answers the reference enterPaperBallot takes. */
  uploadBallotEvidence: action({ input: UploadEvidenceInput, access: MANAGERS, handler: (input, ctx) => uploadBallotEvidence(ctx, input) }),

  enterPaperBallot: action({ input: EnterPaperBallotInput, access: MANAGERS, handler: (input, ctx) => enterPaperBallot(ctx, input) }),

  /** The printable result for the notice board (structured data and a self-contained HTML page). */
  voteResult: action({ input: VoteRef, access: VIEWERS, handler: (input, ctx) => voteResultSheet(ctx, input) }),

  /** The result as .xlsx (base64). */
  exportVoteResult: action({ input: VoteRef, access: MANAGERS, handler: (input, ctx) => exportVoteResult(ctx, input) }),
}
