import { sql } from 'kysely'
import type { DbOrTx } from '../db/database'
import type { Figures } from './vote.counting'
import type { MatterRow } from './vote.repository'
import { decide, matterClass } from './tally'

/**
 * Live progress of an open vote by SQL aggregates: the database sums the frozen electorate and the
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
          WHERE o.vote_id = b.vote_id AND o.matter_id = b.matter_id AND o.voter_key = b.voter_key AND o.channel = 'online'))
      GROUP BY b.matter_id, b.choice`.execute(db),
  ])
  const total = { head: int(totals.rows[0]?.head), area: int(totals.rows[0]?.area) }
  const byMatter = new Map<string, Map<string, { head: number; area: number }>>()
  for (const r of sums.rows) {
    const m = byMatter.get(r.matter_id) ?? new Map<string, { head: number; area: number }>()
    m.set(r.choice, { head: int(r.head), area: int(r.area) })
    byMatter.set(r.matter_id, m)
  }
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
    out.set(matter.id, {
      ...r,
      opposeAreaCentiM2: oppose.area,
      opposeHeadcount: oppose.head,
      abstainAreaCentiM2: abstain.area,
      abstainHeadcount: abstain.head,
      invalidAreaCentiM2: invalid.area,
      invalidHeadcount: invalid.head,
    })
  }
  return out
}

/**
 * How many conflicts the progress page reports: ballots refused because the voter already had
 * one (logged), plus, in votes counted before that rule, voters with both a paper and an online
 * ballot. Equal to `conflictsOf(...).length` without reading the ballots.
 */
export async function conflictCount(db: DbOrTx, communityId: string, voteId: string): Promise<number> {
  const { rows } = await sql<{ logged: number | string; legacy: number | string }>`
    SELECT
      (SELECT COUNT(*) FROM vote_conflicts WHERE community_id = ${communityId} AND vote_id = ${voteId}) AS logged,
      (SELECT COUNT(DISTINCT p.voter_key) FROM ballots p
        WHERE p.community_id = ${communityId} AND p.vote_id = ${voteId} AND p.channel = 'paper'
          AND EXISTS (SELECT 1 FROM ballots o WHERE o.vote_id = p.vote_id AND o.voter_key = p.voter_key AND o.channel = 'online')) AS legacy`.execute(db)
  return int(rows[0]?.logged) + int(rows[0]?.legacy)
}
