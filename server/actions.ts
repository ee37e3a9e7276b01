import type * as v from 'valibot'
import type { Api } from '../src/contracts/api'
import type { Registry } from './registry'
import { identityActions } from './identity/identity.handlers'
import { rosterActions } from './rosters/rosters.handlers'
import { noticeActions } from './notices/notice.handlers'
import { voteActions } from './votes/vote.handlers'
import { objectionActions } from './votes/vote.objections.handlers'
import { rosterDuplicateActions } from './rosters/roster.duplicates.handlers'
import { feeActions } from './fees/fee.handlers'
import { communityActions } from './communities/communities.handlers'
import { fundActions } from './fund/fund.handlers'
import { reportActions } from './reports/report.handlers'

/**
 * What the registry must be to serve the client's `Api`: every action of it, with a schema that
 * takes the action's input and a handler whose answer is the action's output.
 */
type Serves<A> = {
  [K in keyof A]: {
    // The schema's input type is checked here (covariantly) and exactly below.
    input: v.GenericSchema<A[K] extends { input: infer I } ? I : never, unknown>
    // Any parameters (the handler receives the schema's output, which `action()` ties to it); the answer is checked.
    handler: (input: never, ctx: never) => Promise<A[K] extends { output: infer O } ? O : never>
  }
}

const actions = {
  ...identityActions,
  ...rosterActions,
  ...noticeActions,
  ...voteActions,
  ...objectionActions,
  ...rosterDuplicateActions,
  ...feeActions,
  ...communityActions,
  ...fundActions,
  ...reportActions,
} satisfies Serves<Api>

// Exactly the actions of Api (`satisfies` alone lets extra ones through), and each schema takes exactly
// the input Api promises (not a narrower one that would refuse what the client sends).
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
type NotInApi = Exclude<keyof typeof actions, keyof Api>
type InputDiffers = {
  [K in keyof Api]: Same<v.InferInput<(typeof actions)[K]['input']>, Api[K]['input']> extends true ? never : K
}[keyof Api]
const noActionOutsideApi: [NotInApi] extends [never] ? true : { actionMissingFromApi: NotInApi } = true
const noInputDiffers: [InputDiffers] extends [never] ? true : { inputDiffersFromApi: InputDiffers } = true
void noActionOutsideApi
void noInputDiffers

/** Every action the product answers, by name. Both transports serve exactly this registry. */
export const registry: Registry = actions
