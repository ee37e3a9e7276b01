import * as v from 'valibot'
import { Id } from './common'

/**
 * An owner's own entry in a vote's electorate, and objections to it (异议, issue 8 item 5). From
 * the announcement on an owner sees their entry: before the vote opens as the roster would be
 * frozen now, after it opens as it was frozen. Before opening they may object; the committee
 * answers, and the owner sees the answer.
 */

export const OBJECTION_MAX = 500
export const ANSWER_MAX = 500
/** Objections one owner may raise in one vote. */
export const OBJECTIONS_PER_OWNER = 5

export const MyElectorateInput = v.object({ communityId: Id, voteId: Id })

export const RaiseObjectionInput = v.object({
  communityId: Id,
  voteId: Id,
  text: v.pipe(v.string('请写下您的异议'), v.trim(), v.minLength(1, '请写下您的异议'), v.maxLength(OBJECTION_MAX, `异议最多 ${OBJECTION_MAX} 个字`)),
})

export const ListObjectionsInput = v.object({ communityId: Id, voteId: Id })

export const AnswerObjectionInput = v.object({
  communityId: Id,
  voteId: Id,
  objectionId: Id,
  answer: v.pipe(v.string('请写下答复'), v.trim(), v.minLength(1, '请写下答复'), v.maxLength(ANSWER_MAX, `答复最多 ${ANSWER_MAX} 个字`)),
})

export type ElectorateKind = 'sole' | 'co_owned' | 'developer' | 'unknown'

/** One voter key of the caller: its units, their area, and how it is counted, in plain words. */
export interface MyElectorateVoter {
  kind: ElectorateKind
  units: { label: string; areaCentiM2: number }[]
  areaCentiM2: number
  /** 人数 this key counts for: always 1. */
  headcount: 1
  howCounted: string
}

export interface ObjectionInfo {
  id: string
  text: string
  raisedAt: string
  answer: string | null
  answeredAt: string | null
}

export interface MyElectorate {
  voteId: string
  status: string
  /** 'forecast': the roster as it would be frozen if the vote opened now; 'frozen': as frozen at opening; 'none': not yet announced. */
  basis: 'forecast' | 'frozen' | 'none'
  voters: MyElectorateVoter[]
  /** A note for owners holding both a sole and a co-owned unit, and for those not on the electorate. */
  note: string | null
  /** The electorate's totals (units, area, headcount), as published in the announcement. */
  totals: { units: number; areaCentiM2: number; headcount: number } | null
  objections: ObjectionInfo[]
  canObject: boolean
  /** Why not, or until when (plain Chinese). */
  objectionNote: string
}

/** An objection as the committee sees it: who raised it and their entry's units. */
export interface ObjectionForCommittee extends ObjectionInfo {
  raisedByName: string
  units: string[]
  answeredByName: string | null
}
