/**
 * The owners' assembly tally (Civil Code art. 278; SPC interpretation on 建筑物区分所有权 arts. 8–9).
 * A pure function with no database, clock or I/O: progress, results and tests all go through it.
 *
 * Rules (domain.md, "Owners' assembly votes"):
 * - Quorum: participating area ≥ 2/3 of total area AND participating headcount ≥ 2/3 of total headcount.
 * - Items 6–8 (special): agreeing area ≥ 3/4 of participating area AND agreeing headcount ≥ 3/4 of
 *   participating headcount.
 * - All other items (ordinary): agreeing area > 1/2 of participating area AND agreeing headcount > 1/2
 *   of participating headcount (过半数 is strictly more than half, art. 1259).
 * - Passed requires the quorum.
 * - A blank or spoiled paper ('invalid') is its own category: its voter took part (the paper was
 *   returned), so it counts toward the quorum and the pass line's denominator like any returned
 *   ballot, but never as agreeing, and it is reported apart from abstentions.
 *
 * Everything is compared in exact integer arithmetic (cross-multiplied BigInt), never floats, so
 * no rounding can move a result across a line however large the 小区.
 */

import type { TallyResult } from '../../src/contracts/votes'

export type ArticleItem = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9
export type MatterClass = 'special' | 'ordinary'
export type Choice = 'agree' | 'oppose' | 'abstain' | 'invalid'

export interface ElectorateEntry {
  unitId: string
  /** The voter this unit's ballot belongs to; one key = one headcount, however many units. */
  voterKey: string
  /** Registered area in 0.01 m², a non-negative integer. */
  areaCentiM2: number
}

export interface TallyBallot {
  voterKey: string
  choice: Choice
}

export interface TallyInput {
  item: number
  electorate: readonly ElectorateEntry[]
  ballots: readonly TallyBallot[]
}

/** The figures are the contract's, so progress and results carry exactly what the tally answers. */
export type { TallyResult }

/** A fraction line and whether reaching it exactly is enough (以上) or strictly more is needed (过半数). */
export interface Threshold {
  num: number
  den: number
  inclusive: boolean
}

/** Quorum: ≥ 2/3 of total area and of total headcount. */
export const QUORUM: Threshold = { num: 2, den: 3, inclusive: true }
/** Pass line per class, as a share of the participants. */
export const PASS_LINE: Record<MatterClass, Threshold> = {
  special: { num: 3, den: 4, inclusive: true },
  ordinary: { num: 1, den: 2, inclusive: false },
}

/** Items 6 (raising the repair fund), 7 (rebuilding/altering) and 8 (changing use of common parts) are special. */
export function matterClass(item: number): MatterClass {
  if (!Number.isInteger(item) || item < 1 || item > 9) throw new RangeError(`art. 278 item must be an integer 1..9, got ${item}`)
  return item >= 6 && item <= 8 ? 'special' : 'ordinary'
}

/** part/whole meets the threshold, cross-multiplied: part·den ≥ whole·num (or >). */
export function meets(part: number | bigint, whole: number | bigint, t: Threshold): boolean {
  const lhs = BigInt(part) * BigInt(t.den)
  const rhs = BigInt(whole) * BigInt(t.num)
  return t.inclusive ? lhs >= rhs : lhs > rhs
}

/**
 * The least part that meets the threshold of `whole`, for progress bars ("2/3 is 6,667 of 10,000"):
 * ceil(whole·num/den) when reaching the line is enough, floor(whole·num/den) + 1 when strictly
 * more is needed. `meets(x, whole, t)` holds exactly when x ≥ this.
 */
export function minimumToMeet(whole: number, t: Threshold): number {
  const prod = BigInt(whole) * BigInt(t.num)
  const den = BigInt(t.den)
  const floor = prod / den
  const min = t.inclusive ? (prod % den === 0n ? floor : floor + 1n) : floor + 1n
  return Number(min)
}

function checkCount(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative integer, got ${n}`)
}

/**
 * Counts one matter.
 *
 * Headcount is the number of distinct voter keys in the electorate (the caller forms keys so that
 * one owner, one co-owned unit, or all unsold developer units each make one key). A ballot's voter
 * key covers all that voter's units: their areas are summed and they count as one person.
 *
 * Throws when a ballot names a voter key that is not in the electorate, when a voter key has a
 * second ballot, when a unit appears twice in the electorate, or on a malformed area or item:
 * those are bugs upstream, and a result computed from them would be wrong.
 *
 * An empty electorate has no quorum (nothing can be decided by nobody).
 */
export function tallyMatter(input: TallyInput): TallyResult {
  const cls = matterClass(input.item)

  const areaOfVoter = new Map<string, bigint>()
  const units = new Set<string>()
  let totalArea = 0n
  for (const e of input.electorate) {
    checkCount(e.areaCentiM2, `area of unit ${e.unitId}`)
    if (units.has(e.unitId)) throw new Error(`unit ${e.unitId} appears twice in the electorate`)
    units.add(e.unitId)
    const a = BigInt(e.areaCentiM2)
    areaOfVoter.set(e.voterKey, (areaOfVoter.get(e.voterKey) ?? 0n) + a)
    totalArea += a
  }
  const totalHead = areaOfVoter.size

  const voted = new Set<string>()
  let partArea = 0n
  let agreeArea = 0n
  let partHead = 0
  let agreeHead = 0
  for (const b of input.ballots) {
    const area = areaOfVoter.get(b.voterKey)
    if (area === undefined) throw new Error(`ballot for voter ${b.voterKey} who is not in the electorate`)
    if (voted.has(b.voterKey)) throw new Error(`second ballot for voter ${b.voterKey}`)
    if (b.choice !== 'agree' && b.choice !== 'oppose' && b.choice !== 'abstain' && b.choice !== 'invalid') throw new Error(`unknown choice ${String(b.choice)}`)
    voted.add(b.voterKey)
    // Abstaining, or returning a blank or spoiled paper, is taking part: it counts toward the quorum
    // and the denominator of the pass line, never toward agreement.
    partArea += area
    partHead += 1
    if (b.choice === 'agree') {
      agreeArea += area
      agreeHead += 1
    }
  }

  return decide(cls, {
    totalAreaCentiM2: toNumber(totalArea),
    totalHeadcount: totalHead,
    participatingAreaCentiM2: toNumber(partArea),
    participatingHeadcount: partHead,
    agreeAreaCentiM2: toNumber(agreeArea),
    agreeHeadcount: agreeHead,
  })
}

/** The sums a decision rests on: what tallyMatter counts, or what SQL aggregates answer. */
export type TallySums = Omit<TallyResult, 'quorumMet' | 'passed'>

/**
 * The art. 278 decision on counted sums: the quorum on both measures, then the class's pass line
 * on both. tallyMatter ends here, and so does live progress computed by SQL aggregates.
 */
export function decide(cls: MatterClass, s: TallySums): TallyResult {
  const quorumMet = s.totalHeadcount > 0 && meets(s.participatingAreaCentiM2, s.totalAreaCentiM2, QUORUM) && meets(s.participatingHeadcount, s.totalHeadcount, QUORUM)
  const line = PASS_LINE[cls]
  const passed = quorumMet && meets(s.agreeAreaCentiM2, s.participatingAreaCentiM2, line) && meets(s.agreeHeadcount, s.participatingHeadcount, line)
  return { ...s, quorumMet, passed }
}

function toNumber(n: bigint): number {
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('area sum exceeds the safe integer range')
  return Number(n)
}
