import { DecideRosterDuplicateInput, ListRosterDuplicatesInput } from '../../src/contracts/roster-duplicates'
import { MANAGING_ROLES } from '../../src/contracts/roles'
import { action } from '../registry'
import { decideRosterDuplicate, listRosterDuplicates } from './roster.duplicates'

const MANAGERS = { roles: MANAGING_ROLES }

/** Same name, different contact details: one owner or two (issue 8 item 1). */
export const rosterDuplicateActions = {
  /** Every two roster owners of one name, how a vote opened now would count them, and the decision. */
  listRosterDuplicates: action({ input: ListRosterDuplicatesInput, access: MANAGERS, handler: (input, ctx) => listRosterDuplicates(ctx, input) }),

  /** 同一人，合并 or 不同的人，分开, for votes opened from now on; recorded in the audit log. */
  decideRosterDuplicate: action({ input: DecideRosterDuplicateInput, access: MANAGERS, handler: (input, ctx) => decideRosterDuplicate(ctx, input) }),
}
