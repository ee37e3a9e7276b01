import { randomUUID } from 'node:crypto'
import { DIALECTS, useTestDb } from '../helpers/db'
import { call, makeUser, ok } from '../helpers/world'
import { announcedVote, makeVoteWorld, systemCtxAt, DAY_MS, type VoteWorld } from '../helpers/votes-world'
import { advanceVotes } from '../../server/votes/vote.clock'

/**
 * Who may cast (castBallot checks it itself: the action is open to any logged-in user): whoever
 * holds a voter key on the frozen electorate, whatever their roles now. Anyone else gets the answer
 * asVoter gives, and a stranger the same answer for any vote id, existing or not, so nothing about
 * another 小区's votes is confirmed.
 */
describe.each(DIALECTS)('casting: who may cast, and what the others are told (%s)', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: VoteWorld
  let vote: Awaited<ReturnType<typeof announcedVote>>
  const ballot = (voteId: string, matterId: string) => ({ communityId: w.a, voteId, confirmed: true, choices: [{ matterId, choice: 'agree' }] })
  const ballotsOf = async (voteId: string) => Number((await env.db.selectFrom('ballots').select((eb) => eb.fn.countAll<number>().as('n')).where('vote_id', '=', voteId).executeTakeFirstOrThrow()).n)

  beforeAll(async () => {
    w = await makeVoteWorld(env.db)
    vote = await announcedVote(deps, w)
    const opened = new Date(vote.opensAt.getTime() + 3_600_000)
    await advanceVotes(systemCtxAt(deps, opened))
    deps.setNow(new Date(vote.opensAt.getTime() + DAY_MS))
  })

  test('a stranger (member of another 小区) is refused as a non-member, the same for an existing vote and for any other id', async () => {
    const notMember = { ok: false, error: { code: 'Forbidden', message: '您不是该小区的成员' } }
    expect(await call(deps, 'castBallot', ballot(vote.voteId, vote.matters[0].id), w.ownerB)).toEqual(notMember)
    expect(await call(deps, 'castBallot', ballot(randomUUID(), vote.matters[0].id), w.ownerB)).toEqual(notMember)
    const nobody = await makeUser(env.db, 'nobody-cast')
    expect(await call(deps, 'castBallot', ballot(vote.voteId, vote.matters[0].id), nobody)).toEqual(notMember)
    expect(await ballotsOf(vote.voteId)).toBe(0)
  })

  test('a member without a voting role and no key (tenant, committee chair) is refused for lack of permission, for any vote id', async () => {
    const noRole = { ok: false, error: { code: 'Forbidden', message: '您在该小区没有进行此操作的权限' } }
    for (const who of [w.tenant, w.chair]) {
      expect(await call(deps, 'castBallot', ballot(vote.voteId, vote.matters[0].id), who)).toEqual(noRole)
      expect(await call(deps, 'castBallot', ballot(randomUUID(), vote.matters[0].id), who)).toEqual(noRole)
    }
    expect(await ballotsOf(vote.voteId)).toBe(0)
  })

  test('an owner with no key on this electorate learns what any owner may (no such vote, or no unit in it)', async () => {
    const lateOwner = await makeUser(env.db, 'late-owner', 'owner', { communityId: w.a })
    expect(await call(deps, 'castBallot', ballot(randomUUID(), vote.matters[0].id), lateOwner)).toMatchObject({ ok: false, error: { code: 'NotFound' } })
    expect(await call(deps, 'castBallot', ballot(vote.voteId, vote.matters[0].id), lateOwner)).toEqual({ ok: false, error: { code: 'Forbidden', message: '您在本次表决范围内没有登记的房屋，不能投票' } })
    expect(await ballotsOf(vote.voteId)).toBe(0)
  })

  test('a voter on the frozen electorate casts even after losing the owner role', async () => {
    await env.db.deleteFrom('memberships').where('user_id', '=', w.people.solo.userId).execute()
    const cast = await ok(deps, 'castBallot', ballot(vote.voteId, vote.matters[0].id), w.people.solo.userId)
    expect(cast.receiptCode).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/)
    expect(await ballotsOf(vote.voteId)).toBe(1)
    expect(await call(deps, 'castBallot', ballot(vote.voteId, vote.matters[0].id), w.people.solo.userId)).toMatchObject({ ok: false, error: { code: 'AlreadyVoted' } })
  })
})
