import { DIALECTS, useTestDb } from '../helpers/db'
import { call, ok } from '../helpers/world'
import { COURT_ROSTER, DAY_MS, makeRosterVoteWorld, rosterCsv, systemCtxAt, type RosterVoteWorld } from '../helpers/votes-world'
import { advanceVotes } from '../../server/votes/vote.clock'

/**
 * Votes that hold up in court (issue 8): each rule of "Owners' assembly votes" (domain.md) that a
 * court could hold against a vote, with its boundary cases. The world is built as a committee
 * builds it: the roster imported from a file, the owners bound through bindUnit.
 */
describe.each(DIALECTS)('votes that hold up in court on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: RosterVoteWorld
  const T = new Date('2026-11-26T02:00:00.000Z')
  beforeAll(async () => {
    w = await makeRosterVoteWorld(env.db, deps)
  })
  beforeEach(() => deps.setNow(T))

  /** Creates, announces and opens a vote in 小区 A (16 days after T, a 7-day window); the clock stays at the opening. */
  async function openVote(matters = [{ item: 4, title: '续聘安居物业' }], world: RosterVoteWorld = w) {
    const w = world
    deps.setNow(T)
    const opensAt = new Date('2026-12-12T00:00:00.000+08:00')
    const closesAt = new Date(opensAt.getTime() + 7 * DAY_MS)
    const vote = await ok(deps, 'createVote', { communityId: w.a, title: '2027 年物业服务企业选聘', scope: 'whole', opensAt: opensAt.toISOString(), closesAt: closesAt.toISOString(), matters }, w.chair)
    await ok(deps, 'announceVote', { communityId: w.a, voteId: vote.id }, w.chair)
    deps.setNow(opensAt)
    await advanceVotes(systemCtxAt(deps, opensAt))
    return { voteId: vote.id as string, opensAt, closesAt, matters: vote.matters as { id: string }[] }
  }
  const agreeAll = (matters: { id: string }[]) => matters.map((m) => ({ matterId: m.id, choice: 'agree' }))

  describe('One owner, one headcount', () => {
    test('an owner in the roster twice (once with a phone, once with phone and ID digits) binds both rows, casts once and counts once', async () => {
      // Two roster persons, both bound to 郭杰华's account.
      const persons = await env.db.selectFrom('persons').select(['id', 'user_id']).where('community_id', '=', w.a).where('name', '=', '郭杰华').execute()
      expect(persons).toHaveLength(2)
      expect(persons.every((p) => p.user_id === w.people.multi.userId)).toBe(true)

      const v = await openVote()
      const ref = { communityId: w.a, voteId: v.voteId }
      const mine = await ok(deps, 'myVote', ref, w.people.multi.userId)
      expect(mine.voters).toHaveLength(1)
      expect(mine.voters[0]).toMatchObject({ kind: 'sole', areaCentiM2: 2 * 8956 + 10000 })
      expect(mine.voters[0].units.map((u: { label: string }) => u.label).sort()).toEqual(['1栋1单元101室', '1栋1单元102室', '2栋1单元101室'])

      // No voter key to choose: one owner, one ballot for all three units.
      await ok(deps, 'castBallot', { ...ref, choices: agreeAll(v.matters), confirmed: true }, w.people.multi.userId)
      expect(await call(deps, 'castBallot', { ...ref, choices: agreeAll(v.matters), confirmed: true }, w.people.multi.userId)).toMatchObject({ ok: false, error: { code: 'AlreadyVoted' } })

      const progress = await ok(deps, 'voteProgress', ref, w.chair)
      // Five buyers: 郭杰华, the co-owners of 1栋201, 邓雨英, 韩晨梅, the developer.
      expect(progress.matters[0]).toMatchObject({ totalHeadcount: 5, totalAreaCentiM2: w.totalArea, participatingHeadcount: 1, participatingAreaCentiM2: 2 * 8956 + 10000, agreeHeadcount: 1 })
      const electorate = await ok(deps, 'voteElectorate', ref, w.chair)
      expect(electorate.filter((e: { names: string[] }) => e.names.includes('郭杰华'))).toHaveLength(1)
    })

    test('the same name with another phone and no ID digits is another owner: two headcounts (nothing proves they are one)', async () => {
      // A world of its own: 韩晨梅 appears again on a flat of 1栋 with another phone, two persons the roster cannot tie together.
      const w2 = await makeRosterVoteWorld(env.db, deps)
      await ok(deps, 'importRoster', { communityId: w2.a, fileName: 'r2.csv', fileBase64: rosterCsv(...COURT_ROSTER, '1栋,1单元,301,80,是,韩晨梅,13900000009,') }, w2.chair)
      const v = await openVote(undefined, w2)
      const progress = await ok(deps, 'voteProgress', { communityId: w2.a, voteId: v.voteId }, w2.chair)
      expect(progress.matters[0].totalHeadcount).toBe(6)
    })

    test('the result notice says how headcount is counted: several units of one owner are one, a sole and a co-owned unit are two buyers', async () => {
      const v = await openVote()
      deps.setNow(v.closesAt)
      await advanceVotes(systemCtxAt(deps, v.closesAt))
      const detail = await ok(deps, 'getVote', { communityId: w.a, voteId: v.voteId }, w.chair)
      const notice = await env.db.selectFrom('notices').select('body').where('id', '=', detail.resultNoticeId).executeTakeFirstOrThrow()
      expect(notice.body).toContain('同一业主单独所有的多套房屋合计一人')
      expect(notice.body).toContain('是两个不同的买受人，计两人')
      expect(notice.body).not.toContain('同一业主的多套房屋计一人')
    })
  })
})
