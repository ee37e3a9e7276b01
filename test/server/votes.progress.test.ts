import fc from 'fast-check'
import { advanceVotes } from '../../server/votes/vote.clock'
import { conflictsOf, figuresOfAll } from '../../server/votes/vote.counting'
import { conflictCount, counterFigures, forgetElectorateTotals, liveFigures, progressOf } from '../../server/votes/vote.progress'
import * as repo from '../../server/votes/vote.repository'
import { DIALECTS, useTestDb } from '../helpers/db'
import { ok } from '../helpers/world'
import { announcedVote, makeVoteWorld, systemCtxAt, type VoteWorld } from '../helpers/votes-world'

/**
 * Live vote progress is summed by the database (vote.progress.ts) instead of reading every ballot.
 * Property: on the same stored rows, the SQL sums give exactly the figures of the tally
 * (figuresOfAll → tallyMatter over countedBallots) and the same conflict count as conflictsOf.
 *
 * The vote and its matters are made through the real actions and opened by the clock; then each
 * run writes an arbitrary frozen electorate and arbitrary ballot rows for it (any split of the
 * units among voters, any areas, online and paper ballots, blank or spoiled papers, and the
 * online-plus-paper pairs that votes counted before the first-ballot rule can hold), because an
 * equivalence over every shape of data cannot be reached through casting alone. The rules that
 * decide which rows exist are tested through the actions in votes.court and votes.flow.
 */
describe.each(DIALECTS)('live progress (counters kept at casting, and the SQL recount) equals the tally (%s)', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: VoteWorld
  let voteId: string
  let matters: repo.MatterRow[]
  let unitIds: string[]

  beforeAll(async () => {
    w = await makeVoteWorld(env.db)
    const v = await announcedVote(deps, w, [{ item: 4, title: '续聘物业' }, { item: 6, title: '筹集维修资金' }, { item: 9, title: '其他事项' }])
    voteId = v.voteId
    await advanceVotes(systemCtxAt(deps, v.opensAt))
    expect((await ok(deps, 'getVote', { communityId: w.a, voteId }, w.chair)).status).toBe('open')
    matters = await repo.mattersOf(env.db, w.a, voteId)
    unitIds = Object.values(w.units)
  })

  const online = fc.constantFrom('agree', 'oppose', 'abstain') as fc.Arbitrary<repo.BallotRow['choice']>
  // A blank or spoiled paper is recorded as invalid: only a paper can be.
  const paper = fc.constantFrom('agree', 'oppose', 'abstain', 'invalid') as fc.Arbitrary<repo.BallotRow['choice']>
  const world = fc.record({
    // unit i belongs to voter keyOf[i] (0..4) with an area that may be 0 or large
    keyOf: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 8, maxLength: 8 }),
    areas: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2_000_000 })), { minLength: 8, maxLength: 8 }),
    // per voter and matter: nothing, online, paper, or both (the legacy pair)
    ballots: fc.array(
      fc.array(fc.record({ online: fc.option(online, { freq: 2 }), paper: fc.option(paper, { freq: 3 }) }), { minLength: 3, maxLength: 3 }),
      { minLength: 5, maxLength: 5 },
    ),
    loggedConflicts: fc.integer({ min: 0, max: 2 }),
    // the order the papers arrive in (an online ballot may come before or after a voter's paper)
    order: fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
  })

  test('the counters and the recount of every matter, and the conflict count, are those of the tally, for any electorate and ballots in any order', async () => {
    let n = 0
    await fc.assert(
      fc.asyncProperty(world, async (g) => {
        n++
        const db = env.db
        await db.deleteFrom('ballots').where('vote_id', '=', voteId).execute()
        await db.deleteFrom('vote_counters').where('vote_id', '=', voteId).execute()
        forgetElectorateTotals()
        await db.deleteFrom('vote_conflicts').where('vote_id', '=', voteId).execute()
        await db.deleteFrom('vote_electorate').where('vote_id', '=', voteId).execute()
        await db.insertInto('vote_electorate').values(unitIds.map((u, i) => ({
          community_id: w.a, vote_id: voteId, unit_id: u, voter_key: `k${g.keyOf[i]}`, area_centi_m2: g.areas[i], unit_label: `单元${i}`,
        }))).execute()
        const keys = [...new Set(g.keyOf)]
        const rows: repo.BallotRow[] = []
        for (const k of keys) {
          matters.forEach((m, mi) => {
            const b = g.ballots[k][mi]
            for (const channel of ['online', 'paper'] as const) {
              const c = b[channel]
              if (!c) continue
              rows.push({
                id: `${n}-${k}-${mi}-${channel}`, community_id: w.a, vote_id: voteId, matter_id: m.id, voter_key: `k${k}`, choice: c, channel,
                receipt_code: `r${n}${k}${channel}`, cast_by: w.chair, person_id: null, cast_at: new Date(2026, 11, 1, 0, 0, rows.length).toISOString(),
                evidence_file: channel === 'paper' ? `evidence-${k}` : null,
              } as repo.BallotRow)
            }
          })
        }
        // Stored as the services store them (insertBallots keeps the counters), one paper at a time, in any order.
        const papers = [...new Map(rows.map((r) => [r.receipt_code, rows.filter((x) => x.receipt_code === r.receipt_code)])).values()]
          .map((paper, i) => ({ paper, key: g.order[i % 40] }))
          .sort((a, b) => a.key - b.key)
        for (const { paper } of papers) await repo.insertBallots(db, paper)
        for (let i = 0; i < g.loggedConflicts; i++) {
          await db.insertInto('vote_conflicts').values({
            id: `c${n}-${i}`, community_id: w.a, vote_id: voteId, voter_key: `k${keys[0]}`, channel: 'online', counted_receipt: 'r', attempted_at: new Date().toISOString(), attempted_by: w.chair, evidence_file: null,
          } as never).execute()
        }

        const electorate = await repo.electorateOf(db, w.a, voteId)
        const ballots = await repo.ballotsOf(db, w.a, voteId)
        const expected = figuresOfAll(matters, electorate, ballots)
        const live = await liveFigures(db, w.a, voteId, matters)
        const counted = await counterFigures(db, w.a, voteId, matters)
        matters.forEach((m, i) => {
          expect(live.get(m.id)).toEqual(expected[i])
          expect(counted.get(m.id)).toEqual(expected[i])
        })
        const conflicts = conflictsOf(ballots, electorate, await repo.conflictRowsOf(db, w.a, voteId)).length
        expect(await conflictCount(db, w.a, voteId)).toBe(conflicts)
        // What voteProgress reads in one statement: the same matters, counters and conflict count.
        const progress = await progressOf(db, w.a, voteId, 'counters')
        expect(progress.matters).toEqual(matters)
        expect(progress.conflicts).toBe(conflicts)
        matters.forEach((m, i) => expect(progress.live.get(m.id)).toEqual(expected[i]))
      }),
      { numRuns: dialect === 'postgres' ? 40 : 80 },
    )
    expect(n).toBeGreaterThanOrEqual(40)
  })

  test('voteProgress answers the live sums while the vote is open', async () => {
    const p = await ok(deps, 'voteProgress', { communityId: w.a, voteId }, w.chair)
    const electorate = await repo.electorateOf(env.db, w.a, voteId)
    const expected = figuresOfAll(matters, electorate, await repo.ballotsOf(env.db, w.a, voteId))
    expect(p.final).toBe(false)
    p.matters.forEach((m: { participatingHeadcount: number; agreeAreaCentiM2: number; passed: boolean }, i: number) => {
      expect(m.participatingHeadcount).toBe(expected[i].participatingHeadcount)
      expect(m.agreeAreaCentiM2).toBe(expected[i].agreeAreaCentiM2)
      expect(m.passed).toBe(expected[i].passed)
    })
  })
})
