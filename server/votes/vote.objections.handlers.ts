import { AnswerObjectionInput, ListObjectionsInput, MyElectorateInput, RaiseObjectionInput } from '../../src/contracts/objections'
import { OWNER_ROLES, VOTE_MANAGER_ROLES, VOTE_VIEWER_ROLES } from '../../src/contracts/roles'
import { action } from '../registry'
import { asVoter } from './vote.policy'
import { answerObjection, myElectorate, raiseObjection, voteObjections } from './vote.objections'

const MANAGERS = { roles: VOTE_MANAGER_ROLES }

/** An owner's own electorate entry and objections to it (issue 8 item 5). */
export const objectionActions = {
  /**
   * The caller's units, area and how they are counted in this vote: as the roster would be frozen
   * now before opening, as frozen after. Open to anyone on the frozen electorate (as myVote).
   */
  myElectorate: action({ input: MyElectorateInput, access: 'user', handler: async (input, ctx) => myElectorate(await asVoter(ctx, input, VOTE_VIEWER_ROLES), input) }),

  /** An owner's objection (异议) to the electorate, before the vote opens only. */
  raiseObjection: action({ input: RaiseObjectionInput, access: 'user', handler: async (input, ctx) => raiseObjection(await asVoter(ctx, input, OWNER_ROLES), input) }),

  /** Every objection to a vote, unanswered first, for those who run votes. */
  voteObjections: action({ input: ListObjectionsInput, access: MANAGERS, handler: (input, ctx) => voteObjections(ctx, input) }),

  /** The committee's answer to an objection, once. */
  answerObjection: action({ input: AnswerObjectionInput, access: MANAGERS, handler: (input, ctx) => answerObjection(ctx, input) }),
}
