import { randomUUID } from 'node:crypto'
import { DIALECTS, expectConstraintRefusal, testDeps, useTestDb } from '../helpers/db'
import { call, ok } from '../helpers/world'
import { announcedVote, makeVoteWorld, systemCtxAt, type VoteWorld } from '../helpers/votes-world'
import { advanceVotes } from '../../server/votes/vote.clock'
import { verifyAuditAll } from '../../server/audit/verifiers'

describe.each(DIALECTS)('concurrent ballots on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: VoteWorld
  beforeAll(async () => {
    w = await makeVoteWorld(env.db)
  })

  async function openVote(matters = [{ item: 4, title: '续聘物业' }, { item: 8, title: '利用共有部分经营' }]) {
    deps.setNow(new Date('2026-11-26T02:00:00.000Z'))
    const v = await announcedVote(deps, w, matters)
    deps.setNow(v.opensAt)
    expect(await advanceVotes(systemCtxAt(deps, v.opensAt), { communityId: w.a })).toMatchObject({ opened: [v.voteId] })
    return v
  }
  const ballotsOf = (voteId: string) => env.db.selectFrom('ballots').selectAll().where('vote_id', '=', voteId).execute()

  test('200 concurrent castBallot calls for the same voter leave exactly one ballot', async () => {
    const { voteId, matters } = await openVote()
    const input = (i: number) => ({ communityId: w.a, voteId, confirmed: true, choices: matters.map((m) => ({ matterId: m.id, choice: i % 2 ? 'agree' : 'oppose' })) })
    const started = Date.now()
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => call(deps, 'castBallot', input(i), w.people.multi.userId)))
    const took = Date.now() - started
    const succeeded = results.filter((r) => r.ok)
    expect(succeeded).toHaveLength(1)
    expect(results.filter((r) => !r.ok && r.error.code === 'AlreadyVoted')).toHaveLength(199)
    const rows = await ballotsOf(voteId)
    expect(rows).toHaveLength(matters.length)
    expect(new Set(rows.map((r) => r.receipt_code))).toEqual(new Set([(succeeded[0] as any).data.receiptCode]))
    const p = await ok(deps, 'voteProgress', { communityId: w.a, voteId }, w.chair)
    expect(p.matters.map((m: any) => m.participatingHeadcount)).toEqual([1, 1])
    const casts = await env.db.selectFrom('audit_log').select('seq').where('community_id', '=', w.a).where('action', '=', 'ballot.cast').where('entity_id', '=', voteId).execute()
    expect(casts).toHaveLength(1)
    expect((await verifyAuditAll(env.db, [w.a]))[0]).toMatchObject({ ok: true })
    // The figure for the report.
    console.log(`[${dialect}] 200 concurrent castBallot for one voter: ${took} ms, 1 ballot`)
  })

  test('the two co-owners of a unit submitting at the same moment, many times, leave one ballot for the unit', async () => {
    const { voteId, matters } = await openVote()
    const input = { communityId: w.a, voteId, confirmed: true, choices: matters.map((m) => ({ matterId: m.id, choice: 'abstain' })) }
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => call(deps, 'castBallot', input, i % 2 ? w.people.co1.userId : w.people.co2.userId)))
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(await ballotsOf(voteId)).toHaveLength(matters.length)
  })

  test('the database itself refuses a second ballot row, whatever the code does', async () => {
    const { voteId, matters } = await openVote()
    await ok(deps, 'castBallot', { communityId: w.a, voteId, confirmed: true, choices: matters.map((m) => ({ matterId: m.id, choice: 'agree' })) }, w.people.solo.userId)
    const [row] = await env.db.selectFrom('ballots').selectAll().where('vote_id', '=', voteId).where('matter_id', '=', matters[0].id).execute()
    await expectConstraintRefusal(env.db.insertInto('ballots').values({ ...row, id: randomUUID(), choice: 'oppose', receipt_code: 'AAAAA-AAAAA' }).execute())
    // A paper row needs its evidence; one paper row beside the online one is allowed (the online one counts), a second is not.
    await expectConstraintRefusal(env.db.insertInto('ballots').values({ ...row, id: randomUUID(), channel: 'paper', evidence_file: null }).execute())
    await env.db.insertInto('ballots').values({ ...row, id: randomUUID(), channel: 'paper', evidence_file: 'photo' }).execute()
    await expectConstraintRefusal(env.db.insertInto('ballots').values({ ...row, id: randomUUID(), channel: 'paper', evidence_file: 'photo2' }).execute())
    expect(await ballotsOf(voteId)).toHaveLength(matters.length + 1)
    // (That row was written behind the app's back: verification says so.)
    expect((await verifyAuditAll(env.db, [w.a]))[0].problems.join('\n')).toMatch(/没有审计记录/)
    await env.db.deleteFrom('ballots').where('vote_id', '=', voteId).where('channel', '=', 'paper').execute()
  })

  test('different voters casting at once all succeed and the audit chain stays whole', async () => {
    const { voteId, matters } = await openVote()
    const voters = [w.people.multi.userId, w.people.co1.userId, w.people.solo.userId, w.people.other.userId, w.people.developer.userId]
    const results = await Promise.all(
      voters.flatMap((u) => Array.from({ length: 10 }, () => call(deps, 'castBallot', { communityId: w.a, voteId, confirmed: true, choices: matters.map((m) => ({ matterId: m.id, choice: 'agree' })) }, u))),
    )
    expect(results.filter((r) => r.ok)).toHaveLength(5)
    expect(await ballotsOf(voteId)).toHaveLength(5 * matters.length)
    expect((await ok(deps, 'voteProgress', { communityId: w.a, voteId }, w.chair)).matters[0]).toMatchObject({ participatingHeadcount: 5, quorumMet: true, passed: true })
    expect((await verifyAuditAll(env.db, [w.a]))[0]).toMatchObject({ ok: true })
  })

  test('ballots racing the close are either counted or refused, never stored uncounted', async () => {
    const { voteId, matters, closesAt } = await openVote([{ item: 4, title: '续聘物业' }])
    const lastMoment = testDeps(env.db, dialect)
    lastMoment.setNow(new Date(closesAt.getTime() - 1))
    const voters = [w.people.multi.userId, w.people.co1.userId, w.people.solo.userId, w.people.other.userId, w.people.developer.userId]
    const [tick, ...casts] = await Promise.all([
      advanceVotes(systemCtxAt(deps, new Date(closesAt.getTime() + 1)), { communityId: w.a }),
      ...voters.map((u) => call(lastMoment, 'castBallot', { communityId: w.a, voteId, confirmed: true, choices: [{ matterId: matters[0].id, choice: 'agree' }] }, u)),
    ])
    expect(tick.closed).toContain(voteId)
    for (const c of casts) if (!c.ok) expect(c.error.code).toBe('VoteClosed')
    const stored = new Set((await ballotsOf(voteId)).map((b) => b.voter_key))
    const [result] = await env.db.selectFrom('vote_results').selectAll().where('vote_id', '=', voteId).execute()
    expect(Number(result.participating_headcount)).toBe(stored.size)
    expect(casts.filter((c) => c.ok)).toHaveLength(stored.size)
  })
})
