import { sql } from 'kysely'
import type { DbOrTx } from '../db/database'
import { withSplits, type Figures } from './vote.counting'
import type { BallotRow, MatterRow, ResultRow } from './vote.repository'
import { decide, matterClass } from './tally'

/**
 * Live progress of an open vote, two ways that must agree:
 * - counters (`countBallots`, `counterFigures`): per matter and choice, the voters and their area,
 *   kept in the transaction that stores each ballot; progress reads a dozen rows whatever the size;
 * - a recount by SQL aggregates (`liveFigures`), which the property test and the counters' own
 *   check compare them with.
 *
 * Recount by SQL aggregates: the database sums the frozen electorate and the
 * counted ballots per matter and choice, and only those few sums cross into JavaScript, where the
 * art. 278 decision is taken by tally.ts (`decide`, the function tallyMatter ends in). Reading every
 * ballot row to count them in JavaScript took close to a second per call at 5,000 units; this
 * stays in milliseconds at district size. A property test (votes.progress.test.ts) holds it equal
 * to the tally over the same rows.
 *
 * Which ballot counts is the rule of vote.counting.ts (`countedBallots`): per matter and voter the
 * online ballot when there is also a paper one (only votes counted before the first-ballot rule
 * have both), else the one there is.
 */

interface ChoiceSum {
  matter_id: string
  choice: string
  head: number | string
  area: number | string | null
}

/** An aggregate as a safe integer: PostgreSQL answers SUM over BIGINT as NUMERIC, a string. */
function int(v: number | string | null | undefined): number {
  const n = Number(v ?? 0)
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`aggregate is not a safe non-negative integer: ${String(v)}`)
  return n
}

/** The figures of every matter from the ballots as they stand, summed by the database. */
export async function liveFigures(db: DbOrTx, communityId: string, voteId: string, matters: MatterRow[]): Promise<Map<string, Figures>> {
  const [totals, sums] = await Promise.all([
    sql<{ head: number | string; area: number | string | null }>`
      SELECT COUNT(DISTINCT voter_key) AS head, SUM(area_centi_m2) AS area
      FROM vote_electorate WHERE community_id = ${communityId} AND vote_id = ${voteId}`.execute(db),
    sql<ChoiceSum>`
      WITH voters AS (
        SELECT voter_key, SUM(area_centi_m2) AS area FROM vote_electorate
        WHERE community_id = ${communityId} AND vote_id = ${voteId}
        GROUP BY voter_key
      )
      SELECT b.matter_id AS matter_id, b.choice AS choice, COUNT(*) AS head, SUM(v.area) AS area
      FROM ballots b JOIN voters v ON v.voter_key = b.voter_key
      WHERE b.community_id = ${communityId} AND b.vote_id = ${voteId}
        AND (b.channel = 'online' OR NOT EXISTS (
          SELECT 1 FROM ballots o
          WHERE o.community_id = b.community_id AND o.vote_id = b.vote_id AND o.matter_id = b.matter_id AND o.voter_key = b.voter_key AND o.channel = 'online'))
      GROUP BY b.matter_id, b.choice`.execute(db),
  ])
  const total = { head: int(totals.rows[0]?.head), area: int(totals.rows[0]?.area) }
  const byMatter = new Map<string, Map<string, { head: number; area: number }>>()
  for (const r of sums.rows) {
    const m = byMatter.get(r.matter_id) ?? new Map<string, { head: number; area: number }>()
    m.set(r.choice, { head: int(r.head), area: int(r.area) })
    byMatter.set(r.matter_id, m)
  }
  return figuresFromSums(matters, total, byMatter)
}

/** Figures from sums by matter and choice: the art. 278 decision is tally.ts's `decide`. */
function figuresFromSums(matters: MatterRow[], total: { head: number; area: number }, byMatter: Map<string, Map<string, { head: number; area: number }>>): Map<string, Figures> {
  const out = new Map<string, Figures>()
  for (const matter of matters) {
    const m = byMatter.get(matter.id) ?? new Map<string, { head: number; area: number }>()
    const of = (choice: string) => m.get(choice) ?? { head: 0, area: 0 }
    const agree = of('agree')
    const oppose = of('oppose')
    const abstain = of('abstain')
    const invalid = of('invalid')
    // Abstaining, or returning a blank or spoiled paper, is taking part (tally.ts): it counts
    // toward the quorum and the pass line's denominator, never toward agreement.
    const r = decide(matterClass(matter.item), {
      totalAreaCentiM2: total.area,
      totalHeadcount: total.head,
      participatingAreaCentiM2: agree.area + oppose.area + abstain.area + invalid.area,
      participatingHeadcount: agree.head + oppose.head + abstain.head + invalid.head,
      agreeAreaCentiM2: agree.area,
      agreeHeadcount: agree.head,
    })
    out.set(matter.id, withSplits(r, { oppose, abstain, invalid }))
  }
  return out
}

/**
 * How many conflicts the progress page reports: ballots refused because the voter already had
 * one (logged), plus, in votes counted before that rule, voters with both a paper and an online
 * ballot. Equal to `conflictsOf(...).length` without reading the ballots. As one row of two
 * counts, so progressOf can read it with the matters.
 */
const conflictParts = (communityId: string, voteId: string) => sql<{ logged: number | string; legacy: number | string }>`
    SELECT
      (SELECT COUNT(*) FROM vote_conflicts WHERE community_id = ${communityId} AND vote_id = ${voteId}) AS logged,
      (SELECT COUNT(DISTINCT p.voter_key) FROM ballots p
        WHERE p.community_id = ${communityId} AND p.vote_id = ${voteId} AND p.channel = 'paper'
          AND EXISTS (SELECT 1 FROM ballots o WHERE o.community_id = p.community_id AND o.vote_id = p.vote_id AND o.voter_key = p.voter_key AND o.channel = 'online')) AS legacy`

export async function conflictCount(db: DbOrTx, communityId: string, voteId: string): Promise<number> {
  const { rows } = await conflictParts(communityId, voteId).execute(db)
  return int(rows[0]?.logged) + int(rows[0]?.legacy)
}

/** The frozen electorate's totals by vote: it never changes once the vote opened, so read once per process. */
const totalsByVote = new Map<string, { head: number; area: number }>()

async function electorateTotals(db: DbOrTx, communityId: string, voteId: string): Promise<{ head: number; area: number }> {
  const known = totalsByVote.get(voteId)
  if (known) return known
  const { rows } = await sql<{ head: number | string; area: number | string | null }>`
    SELECT COUNT(DISTINCT voter_key) AS head, SUM(area_centi_m2) AS area
    FROM vote_electorate WHERE community_id = ${communityId} AND vote_id = ${voteId}`.execute(db)
  const totals = { head: int(rows[0]?.head), area: int(rows[0]?.area) }
  // An empty electorate is not cached: a vote read before it opened has none yet.
  if (totals.head > 0) {
    if (totalsByVote.size >= 10_000) totalsByVote.clear()
    totalsByVote.set(voteId, totals)
  }
  return totals
}

/** For tests that rewrite a vote's electorate: forget the totals read so far. */
export function forgetElectorateTotals(): void {
  totalsByVote.clear()
}

/** Adds each delta to its counter (matter and choice), creating the counter at the first: one statement for all. */
async function bump(db: DbOrTx, deltas: readonly Delta[]): Promise<void> {
  if (deltas.length === 0) return
  const values = deltas.map((d) => sql`(${d.community_id}, ${d.vote_id}, ${d.matter_id}, ${d.choice}, ${d.head}, ${d.area})`)
  await sql`
    INSERT INTO vote_counters (community_id, vote_id, matter_id, choice, headcount, area_centi_m2)
    VALUES ${sql.join(values)}
    ON CONFLICT (vote_id, matter_id, choice) DO UPDATE SET
      headcount = vote_counters.headcount + excluded.headcount,
      area_centi_m2 = vote_counters.area_centi_m2 + excluded.area_centi_m2`.execute(db)
}

/**
 * What a caller already read about the one voter whose rows it stores: their units on the frozen
 * electorate with their area, and their other ballot rows (before these). Saves countBallots
 * reading them again at every cast.
 */
export interface KnownVoter {
  units: number
  area: number
  others: readonly Pick<BallotRow, 'id' | 'matter_id' | 'choice' | 'channel'>[]
}

/**
 * Counts ballot rows just stored, in the same transaction (vote.repository's insertBallots calls
 * it): each row adds its voter (and the voter's area) to its matter and choice, by the rule of
 * vote.counting.ts: an online row for a voter whose paper row was counted takes the paper's place;
 * a paper row for a voter with an online one counts nothing. A voter not in the frozen electorate
 * counts nothing (the tally refuses such a ballot; the service never stores one). `known`, for rows
 * of one voter, is what the caller read of them (else it is read here). The counters change in
 * one statement.
 */
export async function countBallots(db: DbOrTx, rows: readonly BallotRow[], known?: KnownVoter): Promise<void> {
  const byVoter = new Map<string, BallotRow[]>()
  for (const r of rows) {
    const k = `${r.vote_id} ${r.voter_key}`
    byVoter.set(k, [...(byVoter.get(k) ?? []), r])
  }
  if (known && byVoter.size > 1) throw new Error('countBallots: known figures are those of one voter')
  const deltas = new Map<string, Delta>()
  const add = (row: Omit<Delta, 'head' | 'area'>, head: number, area: number) => {
    const k = `${row.vote_id} ${row.matter_id} ${row.choice}`
    const d = deltas.get(k) ?? { community_id: row.community_id, vote_id: row.vote_id, matter_id: row.matter_id, choice: row.choice, head: 0, area: 0 }
    d.head += head
    d.area += area
    deltas.set(k, d)
  }
  for (const mine of byVoter.values()) {
    const { units, area, others } = known ?? (await voterFigures(db, mine))
    if (units === 0) continue
    for (const r of mine) {
      const other = others.find((o) => o.matter_id === r.matter_id && o.channel !== r.channel)
      if (!other) add(r, 1, area)
      else if (r.channel === 'online') {
        // The online ballot is the one that counts: the paper counted so far gives way.
        add({ ...r, choice: other.choice }, -1, -area)
        add(r, 1, area)
      }
    }
  }
  await bump(db, [...deltas.values()])
}

interface Delta {
  community_id: string
  vote_id: string
  matter_id: string
  choice: string
  head: number
  area: number
}

/** The electorate figures and other ballot rows of the voter of these rows (all of one voter), read from the database. */
async function voterFigures(db: DbOrTx, mine: readonly BallotRow[]): Promise<KnownVoter> {
  const { community_id: communityId, vote_id: voteId, voter_key: voterKey } = mine[0]
  const { rows: a } = await sql<{ area: number | string | null; n: number | string }>`
    SELECT SUM(area_centi_m2) AS area, COUNT(*) AS n FROM vote_electorate
    WHERE community_id = ${communityId} AND vote_id = ${voteId} AND voter_key = ${voterKey}`.execute(db)
  const units = int(a[0]?.n)
  if (units === 0) return { units, area: 0, others: [] }
  const ids = new Set(mine.map((r) => r.id))
  const others = (await sql<{ id: string; matter_id: string; choice: BallotRow['choice']; channel: BallotRow['channel'] }>`
    SELECT id, matter_id, choice, channel FROM ballots
    WHERE community_id = ${communityId} AND vote_id = ${voteId} AND voter_key = ${voterKey}`.execute(db)).rows.filter((o) => !ids.has(o.id))
  return { units, area: int(a[0]?.area), others }
}

/** The figures of every matter from the counters: what live progress shows. */
export async function counterFigures(db: DbOrTx, communityId: string, voteId: string, matters: MatterRow[]): Promise<Map<string, Figures>> {
  const [total, counters] = await Promise.all([
    electorateTotals(db, communityId, voteId),
    db.selectFrom('vote_counters').select(['matter_id', 'choice', 'headcount', 'area_centi_m2']).where('community_id', '=', communityId).where('vote_id', '=', voteId).execute(),
  ])
  return figuresFromCounters(matters, total, counters)
}

function figuresFromCounters(matters: MatterRow[], total: { head: number; area: number }, counters: readonly { matter_id: string; choice: string; headcount: number | string; area_centi_m2: number | string }[]): Map<string, Figures> {
  const byMatter = new Map<string, Map<string, { head: number; area: number }>>()
  for (const c of counters) {
    const m = byMatter.get(c.matter_id) ?? new Map<string, { head: number; area: number }>()
    m.set(c.choice, { head: int(c.headcount), area: int(c.area_centi_m2) })
    byMatter.set(c.matter_id, m)
  }
  return figuresFromSums(matters, total, byMatter)
}

/** The frozen result's figures, as vote_results stores them (its keys are the matter's). */
const RESULT_FIGURES = [
  'total_area_centi_m2', 'total_headcount', 'participating_area_centi_m2', 'participating_headcount', 'agree_area_centi_m2', 'agree_headcount',
  'oppose_area_centi_m2', 'oppose_headcount', 'abstain_area_centi_m2', 'abstain_headcount', 'invalid_area_centi_m2', 'invalid_headcount', 'quorum_met', 'passed',
] as const satisfies readonly (keyof ResultRow)[]

/** A row of progressOf: the conflict counts, a matter (nulls when the vote has none), and one of its counters or its result. */
type ProgressRow = { logged: number | string; legacy: number | string } & { [K in keyof MatterRow]: MatterRow[K] | null } & {
  choice?: string | null
  headcount?: number | string | null
  area_centi_m2?: number | string | null
} & { [K in (typeof RESULT_FIGURES)[number] | 'computed_at']?: number | string | null }

/**
 * What the progress page shows, in one statement: the conflict count, and the vote's matters in
 * order with, for an open vote (`source` 'counters'), their counters, decided by tally.ts with the
 * frozen electorate's totals (read once per process); for a closed one ('results'), the result
 * rows frozen at the close, never recomputed.
 */
export async function progressOf(
  db: DbOrTx,
  communityId: string,
  voteId: string,
  source: 'counters' | 'results',
): Promise<{ matters: MatterRow[]; conflicts: number; live: Map<string, Figures>; results: Map<string, ResultRow> }> {
  const figures = source === 'counters'
    ? sql`c.choice, c.headcount, c.area_centi_m2
      FROM (${conflictParts(communityId, voteId)}) k
      LEFT JOIN vote_matters m ON m.community_id = ${communityId} AND m.vote_id = ${voteId}
      LEFT JOIN vote_counters c ON c.vote_id = m.vote_id AND c.matter_id = m.id AND c.community_id = m.community_id`
    : sql`${sql.join(RESULT_FIGURES.map((f) => sql.ref(`r.${f}`)))}, r.computed_at
      FROM (${conflictParts(communityId, voteId)}) k
      LEFT JOIN vote_matters m ON m.community_id = ${communityId} AND m.vote_id = ${voteId}
      LEFT JOIN vote_results r ON r.vote_id = m.vote_id AND r.matter_id = m.id AND r.community_id = m.community_id`
  const { rows } = await sql<ProgressRow>`
    SELECT k.logged, k.legacy, m.id, m.community_id, m.vote_id, m.position, m.item, m.class, m.title, m.description, ${figures}
    ORDER BY m.position`.execute(db)
  const conflicts = int(rows[0]?.logged) + int(rows[0]?.legacy)
  const matters = new Map<string, MatterRow>()
  const results = new Map<string, ResultRow>()
  const counters: { matter_id: string; choice: string; headcount: number | string; area_centi_m2: number | string }[] = []
  for (const r of rows) {
    if (r.id === null) continue
    if (!matters.has(r.id)) matters.set(r.id, { id: r.id, community_id: r.community_id!, vote_id: r.vote_id!, position: Number(r.position), item: Number(r.item), class: r.class!, title: r.title!, description: r.description! })
    if (r.choice != null) counters.push({ matter_id: r.id, choice: r.choice, headcount: r.headcount ?? 0, area_centi_m2: r.area_centi_m2 ?? 0 })
    if (r.computed_at != null) {
      const figures = Object.fromEntries(RESULT_FIGURES.map((f) => [f, r[f] === null || r[f] === undefined ? r[f] : Number(r[f])]))
      results.set(r.id, { community_id: r.community_id!, vote_id: r.vote_id!, matter_id: r.id, ...figures, computed_at: String(r.computed_at) } as ResultRow)
    }
  }
  const list = [...matters.values()]
  const live = source === 'counters' ? figuresFromCounters(list, await electorateTotals(db, communityId, voteId), counters) : new Map<string, Figures>()
  return { matters: list, conflicts, live, results }
}
