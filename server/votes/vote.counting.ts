import type { Bar, BallotChoice, ConflictInfo, MatterProgress } from '../../src/contracts/votes'
import type { BallotRow, ConflictRow, ElectorateRow, MatterRow, ResultRow } from './vote.repository'
import { PASS_LINE, QUORUM, meets, minimumToMeet, tallyMatter, type TallyResult } from './tally'

/**
 * Counting, pure: which ballots count, the figures of each matter (always through tallyMatter),
 * the progress bars, and the rows frozen at closing. No database, no clock; tally.ts holds the
 * art. 278 rule itself.
 */

/** The figures of one matter, without the matter's own fields and the bars. */
export type Figures = Omit<MatterProgress, 'matterId' | 'position' | 'item' | 'class' | 'title' | 'bars'>

/** "66.67%": integer arithmetic, rounded half up, for people to read; rules never use it. */
export function percent(part: number, whole: number): string {
  if (whole === 0) return '—'
  const basis = (BigInt(part) * 20000n) / BigInt(whole)
  const hundredths = (basis + 1n) / 2n
  return `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}%`
}

/** For each matter and voter the ballot that counts: the online one when there is also a paper one. */
export function countedBallots(ballots: BallotRow[]): { counted: Map<string, BallotRow[]>; superseded: Set<string> } {
  const best = new Map<string, BallotRow>()
  for (const b of ballots) {
    const k = `${b.matter_id} ${b.voter_key}`
    const cur = best.get(k)
    if (!cur || (cur.channel === 'paper' && b.channel === 'online')) best.set(k, b)
  }
  const counted = new Map<string, BallotRow[]>()
  const kept = new Set<string>()
  for (const b of best.values()) {
    // Push in place: copying the list per ballot made progress quadratic in the ballots cast.
    const list = counted.get(b.matter_id)
    if (list) list.push(b)
    else counted.set(b.matter_id, [b])
    kept.add(b.id)
  }
  return { counted, superseded: new Set(ballots.filter((b) => !kept.has(b.id)).map((b) => b.id)) }
}

/** The frozen electorate by voter key, each voter's units in label order. */
export function unitsByKey(electorate: ElectorateRow[]): Map<string, ElectorateRow[]> {
  const m = new Map<string, ElectorateRow[]>()
  for (const e of electorate) m.set(e.voter_key, [...(m.get(e.voter_key) ?? []), e])
  for (const list of m.values()) list.sort((a, b) => a.unit_label.localeCompare(b.unit_label, 'zh'))
  return m
}

/**
 * Conflicts: ballots refused because the voter already had one through another channel (the first
 * recorded counts), and, in votes counted before that rule, voters with both a paper and an
 * online ballot (the online one counted then).
 */
export function conflictsOf(ballots: BallotRow[], electorate: ElectorateRow[], refused: ConflictRow[] = []): ConflictInfo[] {
  const unitsOf = unitsByKey(electorate)
  const logged: ConflictInfo[] = refused.map((c) => ({
    voterKey: c.voter_key,
    units: (unitsOf.get(c.voter_key) ?? []).map((u) => u.unit_label),
    // An online receipt is never shown beside units: only the paper's, when the paper is the counted one.
    paperReceipt: c.channel === 'online' ? c.counted_receipt : null,
    refusedChannel: c.channel,
    attemptedAt: c.attempted_at,
  }))
  return [...logged, ...legacyConflicts(ballots, electorate)].sort((a, b) => a.units.join().localeCompare(b.units.join(), 'zh'))
}

function legacyConflicts(ballots: BallotRow[], electorate: ElectorateRow[]): ConflictInfo[] {
  const byKey = new Map<string, { online?: string; paper?: string }>()
  for (const b of ballots) {
    const e = byKey.get(b.voter_key) ?? {}
    if (b.channel === 'online') e.online = b.receipt_code
    else e.paper = b.receipt_code
    byKey.set(b.voter_key, e)
  }
  const units = unitsByKey(electorate)
  return [...byKey]
    .filter(([, e]) => e.online && e.paper)
    .map(([voterKey, e]) => ({ voterKey, units: (units.get(voterKey) ?? []).map((u) => u.unit_label), paperReceipt: e.paper! }))
    .sort((a, b) => a.units.join().localeCompare(b.units.join(), 'zh'))
}

/** The figures of one matter: the tally itself, plus how the participants split (for the report). */
export function figuresOf(matter: MatterRow, electorate: ElectorateRow[], counted: BallotRow[]): Figures {
  const r = tallyMatter({
    item: matter.item,
    electorate: electorate.map((e) => ({ unitId: e.unit_id, voterKey: e.voter_key, areaCentiM2: e.area_centi_m2 })),
    ballots: counted.map((b) => ({ voterKey: b.voter_key, choice: b.choice })),
  })
  const area = new Map<string, number>()
  for (const e of electorate) area.set(e.voter_key, (area.get(e.voter_key) ?? 0) + e.area_centi_m2)
  const split = (choice: BallotChoice) => {
    const bs = counted.filter((b) => b.choice === choice)
    return { area: bs.reduce((s, b) => s + (area.get(b.voter_key) ?? 0), 0), head: bs.length }
  }
  return withSplits(r, { oppose: split('oppose'), abstain: split('abstain'), invalid: split('invalid') })
}

/** A tally's result with how the rest of the participants split (for the report and the bars). */
export function withSplits(r: TallyResult, s: Record<'oppose' | 'abstain' | 'invalid', { head: number; area: number }>): Figures {
  return {
    ...r,
    opposeAreaCentiM2: s.oppose.area,
    opposeHeadcount: s.oppose.head,
    abstainAreaCentiM2: s.abstain.area,
    abstainHeadcount: s.abstain.head,
    invalidAreaCentiM2: s.invalid.area,
    invalidHeadcount: s.invalid.head,
  }
}

/** The figures of every matter from the ballots as they stand. */
export function figuresOfAll(matters: MatterRow[], electorate: ElectorateRow[], ballots: BallotRow[]): Figures[] {
  const { counted } = countedBallots(ballots)
  return matters.map((m) => figuresOf(m, electorate, counted.get(m.id) ?? []))
}

function bar(value: number, total: number, t: typeof QUORUM): Bar {
  return { value, total, needed: minimumToMeet(total, t), met: meets(value, total, t) }
}

/** A matter's figures with the four bars the progress page draws. */
export function toProgress(matter: MatterRow, f: Figures): MatterProgress {
  const line = PASS_LINE[matter.class]
  return {
    matterId: matter.id,
    position: matter.position,
    item: matter.item,
    class: matter.class,
    title: matter.title,
    ...f,
    bars: {
      quorumArea: bar(f.participatingAreaCentiM2, f.totalAreaCentiM2, QUORUM),
      quorumHeadcount: bar(f.participatingHeadcount, f.totalHeadcount, QUORUM),
      passArea: bar(f.agreeAreaCentiM2, f.participatingAreaCentiM2, line),
      passHeadcount: bar(f.agreeHeadcount, f.participatingHeadcount, line),
    },
  }
}

/** The frozen result row of a matter, as written when the vote closes. */
export function toResultRow(matter: MatterRow, f: Figures, computedAt: string): ResultRow {
  return {
    community_id: matter.community_id,
    vote_id: matter.vote_id,
    matter_id: matter.id,
    total_area_centi_m2: f.totalAreaCentiM2,
    total_headcount: f.totalHeadcount,
    participating_area_centi_m2: f.participatingAreaCentiM2,
    participating_headcount: f.participatingHeadcount,
    agree_area_centi_m2: f.agreeAreaCentiM2,
    agree_headcount: f.agreeHeadcount,
    oppose_area_centi_m2: f.opposeAreaCentiM2,
    oppose_headcount: f.opposeHeadcount,
    abstain_area_centi_m2: f.abstainAreaCentiM2,
    abstain_headcount: f.abstainHeadcount,
    invalid_area_centi_m2: f.invalidAreaCentiM2,
    invalid_headcount: f.invalidHeadcount,
    quorum_met: f.quorumMet ? 1 : 0,
    passed: f.passed ? 1 : 0,
    computed_at: computedAt,
  }
}

/** The figures of a frozen result row: what a closed vote shows, exactly as published. */
export function resultToFigures(r: ResultRow): Figures {
  return {
    totalAreaCentiM2: r.total_area_centi_m2,
    totalHeadcount: r.total_headcount,
    participatingAreaCentiM2: r.participating_area_centi_m2,
    participatingHeadcount: r.participating_headcount,
    agreeAreaCentiM2: r.agree_area_centi_m2,
    agreeHeadcount: r.agree_headcount,
    opposeAreaCentiM2: r.oppose_area_centi_m2,
    opposeHeadcount: r.oppose_headcount,
    abstainAreaCentiM2: r.abstain_area_centi_m2,
    abstainHeadcount: r.abstain_headcount,
    invalidAreaCentiM2: Number(r.invalid_area_centi_m2 ?? 0),
    invalidHeadcount: Number(r.invalid_headcount ?? 0),
    quorumMet: r.quorum_met === 1,
    passed: r.passed === 1,
  }
}
