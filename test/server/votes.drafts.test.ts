import { DIALECTS, useTestDb } from '../helpers/db'
import { call, ok } from '../helpers/world'
import { DAY_MS, makeRosterVoteWorld, systemCtxAt, type RosterVoteWorld } from '../helpers/votes-world'
import { advanceVotes } from '../../server/votes/vote.clock'
import { auditChains, verifyAuditAll } from '../../server/audit/verifiers'

/**
 * Drafts and corrections (issue 8 item 10): a draft can be rough (a title is enough), edited and
 * deleted; an announced vote can be cancelled with a published notice (撤销公告), or corrected with
 * a published 更正公告, which restarts the statutory notice period (15 days, the day of the
 * correction not counted, opening at 00:00 Beijing time at the earliest). Both databases; the
 * world built through roster import and binding.
 */
describe.each(DIALECTS)('drafts and corrections on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: RosterVoteWorld
  // 2026-11-26 10:00 Beijing.
  const T = new Date('2026-11-26T02:00:00.000Z')
  const OPENS = new Date('2026-12-12T00:00:00.000+08:00')
  const CLOSES = new Date(OPENS.getTime() + 7 * DAY_MS)
  beforeAll(async () => {
    w = await makeRosterVoteWorld(env.db, deps)
  })
  beforeEach(() => deps.setNow(T))

  const full = (over: object = {}) => ({ communityId: w.a, title: '续聘物业', scope: 'whole', opensAt: OPENS.toISOString(), closesAt: CLOSES.toISOString(), matters: [{ item: 4, title: '续聘安居物业' }], ...over })
  const verify = async () => (await verifyAuditAll({ db: env.db, config: deps.config }, [w.a], auditChains()))[0].problems
  async function announced() {
    const v = await ok(deps, 'createVote', full(), w.chair)
    await ok(deps, 'announceVote', { communityId: w.a, voteId: v.id }, w.chair)
    return { communityId: w.a, voteId: v.id as string }
  }

  describe('A draft can be rough', () => {
    test('a title is enough; it says what is missing and cannot be announced until dates and a matter are given', async () => {
      const d = await ok(deps, 'createVote', { communityId: w.a, title: '加装电梯意向' }, w.chair)
      expect(d).toMatchObject({ status: 'draft', matters: [], opensAt: '', closesAt: '', missing: ['开始投票时间', '结束投票时间', '至少一个表决事项'] })
      const ref = { communityId: w.a, voteId: d.id }
      expect(await call(deps, 'announceVote', ref, w.chair)).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('草稿还缺少') } })
      // Dates given at announcement are not enough without a matter.
      expect(await call(deps, 'announceVote', { ...ref, opensAt: OPENS.toISOString(), closesAt: CLOSES.toISOString() }, w.chair)).toMatchObject({ ok: false, error: { message: expect.stringContaining('至少一个表决事项') } })
      // Owners do not see it; the chain verifies.
      expect(await call(deps, 'getVote', ref, w.people.solo.userId)).toMatchObject({ ok: false, error: { code: 'NotFound' } })
      expect(await verify()).toEqual([])
    })

    test('a title alone is still required', async () => {
      expect(await call(deps, 'createVote', { communityId: w.a, title: ' ' }, w.chair)).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    })
  })

  describe('A draft is edited', () => {
    test('as a whole, each edit audited; the edited draft can be announced; the notice floor still applies to its dates', async () => {
      const d = await ok(deps, 'createVote', { communityId: w.a, title: '草稿' }, w.chair)
      const ref = { communityId: w.a, voteId: d.id }
      expect(await call(deps, 'updateDraft', { ...full({ opensAt: '2026-12-11T10:00:00.000+08:00', closesAt: CLOSES.toISOString() }), voteId: d.id }, w.chair)).toMatchObject({ ok: false, error: { code: 'BadInput' } })
      const edited = await ok(deps, 'updateDraft', { ...full({ title: '续聘物业（修改）', acceptsPaper: true, countingDays: 2 }), voteId: d.id }, w.member)
      expect(edited).toMatchObject({ title: '续聘物业（修改）', acceptsPaper: true, countingDays: 2, missing: [] })
      expect(edited.matters).toHaveLength(1)
      const entries = await env.db.selectFrom('audit_log').select(['action', 'actor']).where('entity_id', '=', d.id).orderBy('seq').execute()
      expect(entries).toEqual([{ action: 'vote.created', actor: w.chair }, { action: 'vote.edited', actor: w.member }])
      expect(await verify()).toEqual([])
      await ok(deps, 'announceVote', ref, w.chair)
      expect(await verify()).toEqual([])
      // Announced: edits are refused (only a correction, which restarts the notice period).
      expect(await call(deps, 'updateDraft', { ...full(), voteId: d.id }, w.chair)).toMatchObject({ ok: false, error: { code: 'Conflict', message: expect.stringContaining('更正') } })
    })

    test('an owner cannot edit or delete a draft', async () => {
      const d = await ok(deps, 'createVote', { communityId: w.a, title: '草稿' }, w.chair)
      expect(await call(deps, 'updateDraft', { ...full(), voteId: d.id }, w.people.solo.userId)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
      expect(await call(deps, 'deleteDraft', { communityId: w.a, voteId: d.id }, w.people.solo.userId)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    })
  })

  describe('A draft is deleted', () => {
    test('it is gone, its deletion audited, and the verifier accepts it; an announced vote cannot be deleted', async () => {
      const d = await ok(deps, 'createVote', full(), w.chair)
      const ref = { communityId: w.a, voteId: d.id }
      expect(await ok(deps, 'deleteDraft', ref, w.chair)).toEqual({ deleted: true })
      expect(await call(deps, 'getVote', ref, w.chair)).toMatchObject({ ok: false, error: { code: 'NotFound' } })
      expect(await env.db.selectFrom('vote_matters').select('id').where('vote_id', '=', d.id).execute()).toEqual([])
      expect((await env.db.selectFrom('audit_log').select('action').where('entity_id', '=', d.id).orderBy('seq').execute()).map((e) => e.action)).toEqual(['vote.created', 'vote.deleted'])
      expect(await verify()).toEqual([])
      const a = await announced()
      expect(await call(deps, 'deleteDraft', a, w.chair)).toMatchObject({ ok: false, error: { code: 'Conflict', message: expect.stringContaining('撤销') } })
    })
  })

  describe('An announced vote can be cancelled', () => {
    test('with a published 撤销公告 linked to the announcement; it never opens; a reason is required; a draft or an open vote cannot be cancelled', async () => {
      const ref = await announced()
      expect(await call(deps, 'cancelVote', { ...ref, reason: '' }, w.chair)).toMatchObject({ ok: false, error: { code: 'BadInput' } })
      const v = await ok(deps, 'cancelVote', { ...ref, reason: '物业合同另行协商' }, w.chair)
      expect(v).toMatchObject({ status: 'cancelled', cancelledAt: T.toISOString() })
      const notice = await env.db.selectFrom('notices').selectAll().where('id', '=', v.cancelNoticeId).executeTakeFirstOrThrow()
      expect(notice).toMatchObject({ kind: '公告', corrects_notice_id: v.announceNoticeId })
      expect(notice.title).toContain('撤销公告')
      expect(notice.body).toContain('物业合同另行协商')
      deps.setNow(OPENS)
      await advanceVotes(systemCtxAt(deps, OPENS))
      expect((await ok(deps, 'getVote', ref, w.people.solo.userId)).status).toBe('cancelled')
      expect(await call(deps, 'castBallot', { ...ref, choices: v.matters.map((m: { id: string }) => ({ matterId: m.id, choice: 'agree' })), confirmed: true }, w.people.solo.userId)).toMatchObject({ ok: false, error: { code: 'VoteClosed' } })
      expect(await verify()).toEqual([])

      deps.setNow(T)
      const draft = await ok(deps, 'createVote', full(), w.chair)
      expect(await call(deps, 'cancelVote', { communityId: w.a, voteId: draft.id, reason: '不办了' }, w.chair)).toMatchObject({ ok: false, error: { code: 'Conflict', message: expect.stringContaining('草稿可以直接删除') } })
      const open = await announced()
      deps.setNow(OPENS)
      await advanceVotes(systemCtxAt(deps, OPENS))
      expect(await call(deps, 'cancelVote', { ...open, reason: '不办了' }, w.chair)).toMatchObject({ ok: false, error: { code: 'Conflict' } })
    })
  })

  describe('A correction restarts the notice period', () => {
    test('corrected 2026-11-30 10:00 Beijing: opening 2026-12-15 23:59 refused, 2026-12-16 00:00 accepted; the old opening no longer opens it', async () => {
      const ref = await announced()
      const before = await ok(deps, 'getVote', ref, w.chair)
      const at = new Date('2026-11-30T02:00:00.000Z')
      deps.setNow(at)
      const correction = (opensAt: string) => ({ ...full({ title: '续聘物业（更正）', opensAt, closesAt: new Date(new Date(opensAt).getTime() + 7 * DAY_MS).toISOString() }), voteId: ref.voteId, reason: '服务期限写错' })
      expect(await call(deps, 'correctVote', correction(OPENS.toISOString()), w.chair)).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('2026-12-16') } })
      expect(await call(deps, 'correctVote', correction('2026-12-15T23:59:00.000+08:00'), w.chair)).toMatchObject({ ok: false, error: { code: 'BadInput' } })
      expect(await call(deps, 'correctVote', { ...correction('2026-12-16T00:00:00.000+08:00'), reason: '' }, w.chair)).toMatchObject({ ok: false, error: { code: 'BadInput' } })
      const v = await ok(deps, 'correctVote', correction('2026-12-16T00:00:00.000+08:00'), w.chair)
      expect(v).toMatchObject({ status: 'announced', title: '续聘物业（更正）', announceAt: at.toISOString(), opensAt: new Date('2026-12-16T00:00:00.000+08:00').toISOString() })
      const notice = await env.db.selectFrom('notices').selectAll().where('id', '=', v.correctionNoticeId).executeTakeFirstOrThrow()
      expect(notice).toMatchObject({ kind: '公示', corrects_notice_id: before.announceNoticeId })
      expect(notice.title).toContain('更正公告')
      expect(notice.body).toContain('服务期限写错')
      expect(await verify()).toEqual([])

      // The old opening passes by; the new one opens it.
      await advanceVotes(systemCtxAt(deps, OPENS))
      expect((await ok(deps, 'getVote', ref, w.chair)).status).toBe('announced')
      const opens = new Date('2026-12-16T00:00:00.000+08:00')
      await advanceVotes(systemCtxAt(deps, new Date(opens.getTime() - 1000)))
      expect((await ok(deps, 'getVote', ref, w.chair)).status).toBe('announced')
      await advanceVotes(systemCtxAt(deps, opens))
      expect((await ok(deps, 'getVote', ref, w.chair)).status).toBe('open')
      expect(await verify()).toEqual([])
      // An open vote cannot be corrected.
      deps.setNow(opens)
      expect(await call(deps, 'correctVote', correction('2027-01-20T00:00:00.000+08:00'), w.chair)).toMatchObject({ ok: false, error: { code: 'Conflict' } })
    })

    test('a second correction links to the first', async () => {
      const ref = await announced()
      const c1 = await ok(deps, 'correctVote', { ...full({ title: '第一次更正' }), voteId: ref.voteId, reason: '错字' }, w.chair)
      const c2 = await ok(deps, 'correctVote', { ...full({ title: '第二次更正' }), voteId: ref.voteId, reason: '又有错字' }, w.chair)
      const n2 = await env.db.selectFrom('notices').select('corrects_notice_id').where('id', '=', c2.correctionNoticeId).executeTakeFirstOrThrow()
      expect(n2.corrects_notice_id).toBe(c1.correctionNoticeId)
      expect(await verify()).toEqual([])
    })
  })
})
