import { DIALECTS, useTestDb } from '../helpers/db'
import { bindOwner, call, makeUser, ok } from '../helpers/world'
import { COURT_ROSTER, DAY_MS, makeRosterVoteWorld, rosterCsv, systemCtxAt, type RosterVoteWorld } from '../helpers/votes-world'
import { advanceVotes } from '../../server/votes/vote.clock'
import { tinyJpeg } from '../helpers/images'

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

  const draftInput = (over: object = {}) => ({ communityId: w.a, title: '物业服务', scope: 'whole', opensAt: '2026-12-12T00:00:00.000+08:00', closesAt: '2026-12-19T00:00:00.000+08:00', matters: [{ item: 4, title: '续聘安居物业' }], ...over })

  describe('The statutory notice period is a floor', () => {
    test('announced 2026-11-26 10:00 Beijing: opening 2026-12-11 10:00 refused, 2026-12-12 00:00 accepted', async () => {
      expect(T.toISOString()).toBe('2026-11-26T02:00:00.000Z') // 10:00 Beijing
      const refused = await call(deps, 'createVote', draftInput({ opensAt: '2026-12-11T10:00:00.000+08:00' }), w.chair)
      expect(refused).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('最早 2026-12-12 00:00') } })
      expect(await call(deps, 'createVote', draftInput({ opensAt: '2026-12-11T23:59:59.000+08:00' }), w.chair)).toMatchObject({ ok: false, error: { code: 'BadInput' } })
      const v = await ok(deps, 'createVote', draftInput(), w.chair)
      // Announcing at the last minute of the same day still allows that opening; the next day does not.
      deps.setNow(new Date('2026-11-26T23:59:00.000+08:00'))
      const late = await ok(deps, 'createVote', draftInput(), w.chair)
      deps.setNow(new Date('2026-11-27T00:00:00.000+08:00'))
      expect(await call(deps, 'announceVote', { communityId: w.a, voteId: late.id }, w.chair)).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('最早 2026-12-13 00:00') } })
      deps.setNow(new Date('2026-11-26T23:59:00.000+08:00'))
      expect(await ok(deps, 'announceVote', { communityId: w.a, voteId: v.id }, w.chair)).toMatchObject({ status: 'announced', opensAt: '2026-12-11T16:00:00.000Z' })
    })

    test('a 小区\'s rules may lengthen it, never shorten it: 3 days counts as 15, 20 days as 20', async () => {
      const w2 = await makeRosterVoteWorld(env.db, deps)
      await env.db.updateTable('communities').set({ vote_notice_days: 3 }).where('id', '=', w2.a).execute()
      expect(await call(deps, 'createVote', draftInput({ communityId: w2.a, opensAt: '2026-11-30T00:00:00.000+08:00', closesAt: '2026-12-07T00:00:00.000+08:00' }), w2.chair)).toMatchObject({ ok: false, error: { code: 'BadInput' } })
      expect(await ok(deps, 'voteSetup', { communityId: w2.a }, w2.chair)).toMatchObject({ noticeDays: 15 })
      await env.db.updateTable('communities').set({ vote_notice_days: 20 }).where('id', '=', w2.a).execute()
      expect(await call(deps, 'createVote', draftInput({ communityId: w2.a }), w2.chair)).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('最早 2026-12-17 00:00') } })
      expect((await call(deps, 'createVote', draftInput({ communityId: w2.a, opensAt: '2026-12-17T00:00:00.000+08:00', closesAt: '2026-12-24T00:00:00.000+08:00' }), w2.chair)).ok).toBe(true)
    })
  })

  describe('Scope by matter', () => {
    test('items 1–4 are whole-小区 matters: a building-only scope is refused; items 5–9 may be scoped to buildings', async () => {
      const buildings = (item: number) => draftInput({ scope: 'buildings', buildingIds: [w.building2], matters: [{ item, title: `第${item}项事项` }] })
      for (const item of [1, 2, 3, 4]) {
        expect(await call(deps, 'createVote', buildings(item), w.chair)).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining(`第${item}项，须由全体业主共同表决`) } })
      }
      for (const item of [5, 6, 7, 8, 9]) expect((await call(deps, 'createVote', buildings(item), w.chair)).ok).toBe(true)
      // One whole-小区 matter among building matters is enough to refuse; the whole 小区 may vote on any item.
      expect(await call(deps, 'createVote', draftInput({ scope: 'buildings', buildingIds: [w.building2], matters: [{ item: 7, title: '加装电梯' }, { item: 3, title: '增补委员' }] }), w.chair)).toMatchObject({ ok: false })
      expect((await call(deps, 'createVote', draftInput({ matters: [{ item: 3, title: '增补委员' }, { item: 7, title: '加装电梯' }] }), w.chair)).ok).toBe(true)
    })
  })

  describe('Who may run a vote', () => {
    test('the committee runs votes; the community office only while the 小区 is in stand-in mode (社区代管)', async () => {
      expect((await call(deps, 'createVote', draftInput(), w.member)).ok).toBe(true)
      const byOfficer = await call(deps, 'createVote', draftInput(), w.officer)
      expect(byOfficer).toMatchObject({ ok: false, error: { code: 'Forbidden', message: expect.stringContaining('社区只在代管期间组织表决') } })
      // An announced vote of the committee: the officer can neither open, close nor enter paper for it, nor is told it may manage it.
      const v = await ok(deps, 'createVote', draftInput(), w.chair)
      const ref = { communityId: w.a, voteId: v.id }
      expect(await call(deps, 'announceVote', ref, w.officer)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
      await ok(deps, 'announceVote', ref, w.chair)
      expect(await call(deps, 'openVote', ref, w.officer)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
      expect(await ok(deps, 'getVote', ref, w.officer)).toMatchObject({ canManage: false })
      expect(await ok(deps, 'getVote', ref, w.chair)).toMatchObject({ canManage: true })

      // In stand-in mode the office runs them, and announces in its own name.
      const w2 = await makeRosterVoteWorld(env.db, deps)
      await env.db.updateTable('communities').set({ governance: 'office_acting' }).where('id', '=', w2.a).execute()
      const s = await ok(deps, 'createVote', draftInput({ communityId: w2.a }), w2.officer)
      await ok(deps, 'announceVote', { communityId: w2.a, voteId: s.id }, w2.officer)
      const notice = await env.db.selectFrom('notices').select('publisher_name').where('source_key', '=', `vote:${s.id}:announce`).executeTakeFirstOrThrow()
      expect(notice.publisher_name).toBe('东阳社区')
    })
  })

  describe('Matters cannot be made easier to pass', () => {
    test('the threshold follows from the item: asking for a laxer class is ignored', async () => {
      const v = await ok(deps, 'createVote', draftInput({ matters: [{ item: 6, title: '续筹维修资金', class: 'ordinary' }, { item: 7, title: '加装电梯', class: 'ordinary' }] }), w.chair)
      expect(v.matters.map((m: { class: string }) => m.class)).toEqual(['special', 'special'])
    })

    test('a matter whose title speaks of raising the fund, rebuilding, elevators or business on common parts, filed under a lax item, gets a warning before announcement', async () => {
      const v = await ok(deps, 'createVote', draftInput({ matters: [
        { item: 5, title: '续筹专项维修资金' },
        { item: 9, title: '3栋加装电梯' },
        { item: 9, title: '地面停车位出租经营' },
        { item: 4, title: '续聘安居物业' },
        { item: 7, title: '加装电梯' },
      ] }), w.chair)
      const detail = await ok(deps, 'getVote', { communityId: w.a, voteId: v.id }, w.chair)
      expect(detail.warnings).toHaveLength(3)
      expect(detail.warnings[0]).toContain('事项 1「续筹专项维修资金」看起来属于第6项')
      expect(detail.warnings[1]).toContain('第7项')
      expect(detail.warnings[2]).toContain('第8项')
    })

    test('an electorate of zero area or headcount is refused (never "passed"): a building with no units on the roster cannot be voted on', async () => {
      const empty = '00000000-0000-4000-8000-0000000000e1'
      await env.db.insertInto('buildings').values({ id: empty, community_id: w.a, name: '9栋', has_elevator: 0 }).execute()
      const v = await ok(deps, 'createVote', draftInput({ scope: 'buildings', buildingIds: [empty], matters: [{ item: 5, title: '使用维修资金维修屋面' }] }), w.chair)
      expect(await call(deps, 'announceVote', { communityId: w.a, voteId: v.id }, w.chair)).toMatchObject({ ok: false, error: { code: 'Conflict', message: expect.stringContaining('总面积或业主人数为 0') } })
      expect(await ok(deps, 'getVote', { communityId: w.a, voteId: v.id }, w.chair)).toMatchObject({ status: 'draft' })
      const { checkElectorateTotals } = await import('../../server/votes/vote.clock')
      expect(() => checkElectorateTotals({ areaCentiM2: 0, headcount: 1 })).toThrow('总面积或业主人数为 0')
      expect(() => checkElectorateTotals({ areaCentiM2: 1, headcount: 0 })).toThrow('总面积或业主人数为 0')
      expect(() => checkElectorateTotals({ areaCentiM2: 1, headcount: 1 })).not.toThrow()
    })
  })

  test('the announcement publishes the electorate\'s totals (units, area, headcount) and the one-ballot rule', async () => {
    const v = await ok(deps, 'createVote', draftInput(), w.chair)
    await ok(deps, 'announceVote', { communityId: w.a, voteId: v.id }, w.chair)
    const notice = await env.db.selectFrom('notices').select('body').where('source_key', '=', `vote:${v.id}:announce`).executeTakeFirstOrThrow()
    expect(notice.body).toContain('专有部分 8 套，总面积 758.24 ㎡，业主 5 人')
    expect(notice.body).toContain('线上票与纸质票以最先收到的一张为准')
  })

  describe('One ballot per voter across channels', () => {
    const jpeg = (fill: number) => tinyJpeg(64, fill).toString('base64')

    test('the first ballot recorded counts: a paper after an online ballot is refused and logged as a conflict, with who and when', async () => {
      const v = await openVote()
      const ref = { communityId: w.a, voteId: v.voteId }
      const online = await ok(deps, 'castBallot', { ...ref, choices: agreeAll(v.matters), confirmed: true }, w.people.solo.userId)
      const soloKey = (await ok(deps, 'voteElectorate', ref, w.chair)).find((e: { names: string[] }) => e.names.includes('邓雨英')).voterKey
      const ev = await ok(deps, 'uploadBallotEvidence', { ...ref, fileName: 'p.jpg', dataBase64: jpeg(21) }, w.member)
      const paper = await call(deps, 'enterPaperBallot', { ...ref, voterKey: soloKey, choices: v.matters.map((m) => ({ matterId: m.id, choice: 'oppose' })), evidenceRef: ev.evidenceRef }, w.member)
      expect(paper).toMatchObject({ ok: false, error: { code: 'AlreadyVoted', message: expect.stringContaining('以最先收到的一张为准') } })
      const conflicts = await ok(deps, 'voteConflicts', ref, w.chair)
      expect(conflicts).toEqual([{ voterKey: soloKey, units: ['1栋1单元202室'], paperReceipt: null, refusedChannel: 'paper', attemptedAt: v.opensAt.toISOString() }])
      // The online ballot's receipt is never shown beside the flat.
      expect(JSON.stringify(conflicts)).not.toContain(online.receiptCode)
      const progress = await ok(deps, 'voteProgress', ref, w.chair)
      expect(progress).toMatchObject({ conflicts: 1 })
      expect(progress.matters[0]).toMatchObject({ participatingHeadcount: 1, agreeHeadcount: 1, opposeHeadcount: 0 })
      // Logged in the audit chain with who entered it; nothing else written for the refused paper.
      const entries = await env.db.selectFrom('audit_log').select(['action', 'actor']).where('community_id', '=', w.a).where('entity_id', '=', v.voteId).execute()
      expect(entries.filter((e) => e.action === 'ballot.conflict')).toEqual([{ action: 'ballot.conflict', actor: w.member }])
      expect(await env.db.selectFrom('ballots').select('id').where('vote_id', '=', v.voteId).where('channel', '=', 'paper').execute()).toEqual([])
    })

    test('a co-owned unit: the first co-owner to cast decides; the other sees that the unit has voted and when, and cannot cast again', async () => {
      const v = await openVote()
      const ref = { communityId: w.a, voteId: v.voteId }
      deps.setNow(new Date(v.opensAt.getTime() + 3_600_000))
      const first = await ok(deps, 'castBallot', { ...ref, choices: agreeAll(v.matters), confirmed: true }, w.people.co1.userId)
      const seen = (await ok(deps, 'myVote', ref, w.people.co2.userId)).voters[0]
      expect(seen).toMatchObject({ kind: 'co_owned', ballot: { receiptCode: first.receiptCode, castAt: new Date(v.opensAt.getTime() + 3_600_000).toISOString(), channel: 'online' } })
      expect(await ok(deps, 'getVote', ref, w.people.co2.userId)).toMatchObject({ myPart: 'voted' })
      expect(await call(deps, 'castBallot', { ...ref, choices: v.matters.map((m) => ({ matterId: m.id, choice: 'oppose' })), confirmed: true }, w.people.co2.userId)).toMatchObject({ ok: false, error: { code: 'AlreadyVoted' } })
    })
  })

  describe('The frozen electorate is honoured', () => {
    test('an owner removed by a re-import during the vote can still cast and see it; a buyer added during the vote cannot cast', async () => {
      const w2 = await makeRosterVoteWorld(env.db, deps)
      const v = await openVote(undefined, w2)
      const ref = { communityId: w2.a, voteId: v.voteId }
      // 邓雨英 sells 1栋202 during the vote: the new roster names the buyer, who binds.
      const resold = COURT_ROSTER.map((l) => (l.startsWith('1栋,1单元,202,') ? '1栋,1单元,202,89.56,是,周新,13900000077,' : l))
      await ok(deps, 'importRoster', { communityId: w2.a, fileName: 'resold.csv', fileBase64: rosterCsv(...resold) }, w2.chair)
      const buyer = await makeUser(env.db, '周新')
      await bindOwner(deps, buyer, { communityId: w2.a, building: '1栋', room: '202', name: '周新', phone: '13900000077' }, w2.chair)
      const roles = await env.db.selectFrom('memberships').select('role').where('user_id', '=', w2.people.solo.userId).where('community_id', '=', w2.a).execute()
      expect(roles).toEqual([]) // no longer an owner of the 小区

      expect((await ok(deps, 'myVote', ref, w2.people.solo.userId)).voters).toHaveLength(1)
      await ok(deps, 'castBallot', { ...ref, choices: agreeAll(v.matters), confirmed: true }, w2.people.solo.userId)
      expect(await call(deps, 'castBallot', { ...ref, choices: agreeAll(v.matters), confirmed: true }, buyer)).toMatchObject({ ok: false, error: { code: 'Forbidden', message: expect.stringContaining('没有登记的房屋') } })
      expect((await ok(deps, 'voteProgress', ref, w2.chair)).matters[0]).toMatchObject({ totalHeadcount: 5, participatingHeadcount: 1, participatingAreaCentiM2: 8956 })
      // A stranger to the 小区 learns nothing, not even whether the vote exists.
      const stranger = await makeUser(env.db, 'stranger')
      expect(await call(deps, 'castBallot', { ...ref, choices: agreeAll(v.matters), confirmed: true }, stranger)).toMatchObject({ ok: false, error: { code: 'Forbidden', message: '您不是该小区的成员' } })
      expect(await call(deps, 'myVote', { communityId: w2.a, voteId: '00000000-0000-4000-8000-000000000000' }, stranger)).toMatchObject({ ok: false, error: { code: 'Forbidden', message: '您不是该小区的成员' } })
    })
  })

  describe('One photo, one paper ballot, by content', () => {
    const jpeg = (fill: number) => tinyJpeg(64, fill).toString('base64')

    test('the same bytes uploaded again back no second voter\'s paper; evidence uploads after the close are refused', async () => {
      const v = await openVote()
      const ref = { communityId: w.a, voteId: v.voteId }
      const keys = await ok(deps, 'voteElectorate', ref, w.chair)
      const keyOf = (name: string) => keys.find((e: { names: string[] }) => e.names.includes(name)).voterKey
      const first = await ok(deps, 'uploadBallotEvidence', { ...ref, fileName: 'a.jpg', dataBase64: jpeg(33) }, w.member)
      const again = await ok(deps, 'uploadBallotEvidence', { ...ref, fileName: 'b.jpg', dataBase64: jpeg(33) }, w.member)
      expect(again.evidenceRef).not.toBe(first.evidenceRef)
      const choices = v.matters.map((m) => ({ matterId: m.id, choice: 'agree' }))
      await ok(deps, 'enterPaperBallot', { ...ref, voterKey: keyOf('韩晨梅'), choices, evidenceRef: first.evidenceRef }, w.member)
      expect(await call(deps, 'enterPaperBallot', { ...ref, voterKey: keyOf('邓雨英'), choices, evidenceRef: again.evidenceRef }, w.member)).toMatchObject({ ok: false, error: { code: 'Conflict' } })
      // Other bytes are another photo.
      const other = await ok(deps, 'uploadBallotEvidence', { ...ref, fileName: 'c.jpg', dataBase64: jpeg(34) }, w.member)
      await ok(deps, 'enterPaperBallot', { ...ref, voterKey: keyOf('邓雨英'), choices, evidenceRef: other.evidenceRef }, w.member)

      deps.setNow(v.closesAt)
      await advanceVotes(systemCtxAt(deps, v.closesAt))
      expect(await call(deps, 'uploadBallotEvidence', { ...ref, fileName: 'd.jpg', dataBase64: jpeg(35) }, w.member)).toMatchObject({ ok: false, error: { code: 'VoteClosed' } })
    })
  })
})
