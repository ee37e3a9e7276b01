import * as v from 'valibot'
import { Id } from './common'

/**
 * Same name, different contact details (issue 8 item 1): the roster import warns about two rows
 * of one name that may or may not be one owner, and the committee decides per pair — "同一人，合并"
 * (one voter key when a vote opens) or "不同的人，分开" (never merged, even when the phone or the ID
 * digits match). Decisions apply to votes opened afterwards and are in the 小区's audit log.
 */

/** A warning of the preview and the import: two groups of rows of one name, said plainly. */
export interface RosterDuplicateWarning {
  name: string
  /** The rows of each of the two (row numbers as in Excel). */
  linesA: number[]
  linesB: number[]
  /** Whether a vote would count them as one owner without a decision (same phone or same ID digits). */
  countedAsOne: boolean
  message: string
}

export type SameOwnerDecision = 'merge' | 'apart'

export const SAME_OWNER_DECISION_LABELS: Record<SameOwnerDecision, string> = {
  merge: '同一人，合并',
  apart: '不同的人，分开',
}

export const ListRosterDuplicatesInput = v.object({ communityId: Id })

export const DecideRosterDuplicateInput = v.object({
  communityId: Id,
  personA: Id,
  personB: Id,
  decision: v.picklist(['merge', 'apart'], '请选择“同一人，合并”或“不同的人，分开”'),
})

/** One roster person of a pair, as the committee sees it (phone masked; ID digits never shown). */
export interface RosterDuplicatePerson {
  personId: string
  name: string
  /** 139****5678, or null when the roster has none. */
  phone: string | null
  hasIdDigits: boolean
  /** Bound to a WeChat account. */
  bound: boolean
  units: string[]
}

export interface RosterDuplicatePair {
  name: string
  a: RosterDuplicatePerson
  b: RosterDuplicatePerson
  /** What makes them one owner without a decision: the same account, phone or ID digits; null if nothing. */
  automatic: 'account' | 'phone' | 'id' | null
  decision: SameOwnerDecision | null
  decidedAt: string | null
  /** How a vote opened now would count them, all decisions applied. */
  countedAsOne: boolean
  /** Plain Chinese: how they are counted now and why. */
  message: string
}
