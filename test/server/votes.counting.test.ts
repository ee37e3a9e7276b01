import { DIALECTS, useTestDb } from '../helpers/db'
import { call, ok } from '../helpers/world'
import { DAY_MS, makeRosterVoteWorld, systemCtxAt, type RosterVoteWorld } from '../helpers/votes-world'
import { advanceVotes } from '../../server/votes/vote.clock'
import { resultToFigures } from '../../server/votes/vote.counting'
import * as repo from '../../server/votes/vote.repository'
import { parseHead } from '../../server/audit/checkpoints'
import { auditChains, verifyAuditAll } from '../../server/audit/verifiers'
import { tinyJpeg } from '../helpers/images'

/**
 * Paper and proxy ballots (issue 8 item 7; domain.md "Owners' assembly votes"): a vote that accepts
 * paper closes into a counting stage (计票, at most 3 days, set at creation) in which the committee
 * enters papers signed before the close; written proxies (委托书) with their photo and the proxy's
 * name; blank or spoiled papers as invalid, never as abstentions; each entry audited with who
 * entered it; the result published when counting ends (the committee, or the clock). The world is
 * built through the roster import and binding.
 */
describe.each(DIALECTS)('paper and proxy ballots on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: RosterVoteWorld
  const T = new Date('2026-11-26T02:00:00.000Z')
  const OPENS = new Date('2026-12-12T00:00:00.000+08:00')
  const CLOSES = new Date(OPENS.getTime() + 7 * DAY_MS)
  beforeAll(async () => {
    w = await makeRosterVoteWorld(env.db, deps)
  })
  beforeEach(() => deps.setNow(T))

  /** A vote of 小区 A announced at T, opened at OPENS; the clock is left at the opening. */
  async function openVote(extra: object = { acceptsPaper: true, countingDays: 2 }) {
    deps.setNow(T)
    const vote = await ok(deps, 'createVote', { communityId: w.a, title: '续聘物业', scope: 'whole', opensAt: OPENS.toISOString(), closesAt: CLOSES.toISOString(), matters: [{ item: 4, title: '续聘安居物业' }, { item: 5, title: '维修屋面' }], ...extra }, w.chair)
    await ok(deps, 'announceVote', { communityId: w.a, voteId: vote.id }, w.chair)
    deps.setNow(OPENS)
    await advanceVotes(systemCtxAt(deps, OPENS))
    return { ref: { communityId: w.a, voteId: vote.id as string }, matters: vote.matters as { id: string }[] }
  }
  /** Moves the clock to `at` and runs the vote clock there. */
  async function tick(at: Date) {
    deps.setNow(at)
    await advanceVotes(systemCtxAt(deps, at))
  }
  const status = async (ref: { communityId: string; voteId: string }) => (await ok(deps, 'getVote', ref, w.chair)).status
  const all = (matters: { id: string }[], choice: string) => matters.map((m) => ({ matterId: m.id, choice }))
  let photo = 0
  /** A fresh photo each time: one photo backs one paper. */
  async function upload(ref: { communityId: string; voteId: string }) {
    const jpeg = tinyJpeg(64, ++photo % 250)
    return (await ok(deps, 'uploadBallotEvidence', { ...ref, fileName: 'paper.jpg', dataBase64: jpeg.toString('base64') }, w.member)).evidenceRef as string
  }
  async function keyOf(ref: { communityId: string; voteId: string }, name: string) {
    const voters = await ok(deps, 'voteElectorate', ref, w.chair)
    return voters.find((v: { names: string[] }) => v.names.includes(name))!.voterKey as string
  }

  describe('A vote that accepts paper closes into counting', () => {
    test('at the end of its window it moves to counting (计票中) for its counting period: no result yet, online casting refused', async () => {
      const { ref, matters } = await openVote()
      await tick(new Date(CLOSES.getTime() - 1000))
      expect(await status(ref)).toBe('open')
      await tick(CLOSES)
      const v = await ok(deps, 'getVote', ref, w.chair)
      expect(v).toMatchObject({ status: 'counting', acceptsPaper: true, countingDays: 2, resultNoticeId: null, countingEndsAt: new Date(CLOSES.getTime() + 2 * DAY_MS).toISOString() })
      expect(await env.db.selectFrom('vote_results').select('matter_id').where('vote_id', '=', ref.voteId).execute()).toEqual([])
      expect(await call(deps, 'castBallot', { ...ref, choices: all(matters, 'agree'), confirmed: true }, w.people.solo.userId)).toMatchObject({ ok: false, error: { code: 'VoteClosed' } })
      // Owners see the state, and their own part.
      expect((await ok(deps, 'myVote', ref, w.people.solo.userId)).status).toBe('counting')
      expect(await ok(deps, 'voteProgress', ref, w.people.solo.userId)).toMatchObject({ status: 'counting', final: false })
    })

    test('the counting period is 1 to 3 days, set when the vote is created (3 when not given); none without paper', async () => {
      const base = { communityId: w.a, title: '计票期', scope: 'whole', opensAt: OPENS.toISOString(), closesAt: CLOSES.toISOString(), matters: [{ item: 9, title: '其他' }] }
      expect(await call(deps, 'createVote', { ...base, acceptsPaper: true, countingDays: 4 }, w.chair)).toMatchObject({ ok: false, error: { code: 'BadInput' } })
      expect(await call(deps, 'createVote', { ...base, acceptsPaper: true, countingDays: 0 }, w.chair)).toMatchObject({ ok: false, error: { code: 'BadInput' } })
      expect(await call(deps, 'createVote', { ...base, countingDays: 2 }, w.chair)).toMatchObject({ ok: false, error: { code: 'BadInput' } })
      expect(await ok(deps, 'createVote', { ...base, acceptsPaper: true, countingDays: 3 }, w.chair)).toMatchObject({ acceptsPaper: true, countingDays: 3 })
      expect(await ok(deps, 'createVote', { ...base, acceptsPaper: true }, w.chair)).toMatchObject({ acceptsPaper: true, countingDays: 3 })
      expect(await ok(deps, 'createVote', base, w.chair)).toMatchObject({ acceptsPaper: false, countingDays: 0 })
    })

    test('a vote without paper keeps today’s behaviour: it closes and publishes at once; counting cannot be finished', async () => {
      const { ref } = await openVote({})
      await tick(CLOSES)
      const v = await ok(deps, 'getVote', ref, w.chair)
      expect(v.status).toBe('closed')
      expect(v.resultNoticeId).not.toBeNull()
      expect(await call(deps, 'finishCounting', ref, w.chair)).toMatchObject({ ok: true })
      const open = await openVote({})
      expect(await call(deps, 'finishCounting', open.ref, w.chair)).toMatchObject({ ok: false, error: { code: 'Conflict' } })
    })
  })

  describe('Papers entered in counting are those signed before the close', () => {
    test('signed a minute before the close: entered; signed at the close or after, or in the future: refused; no signing time in counting: refused', async () => {
      const { ref, matters } = await openVote()
      await tick(new Date(CLOSES.getTime() + 3600_000))
      const solo = await keyOf(ref, '邓雨英')
      const enter = async (signedAt?: Date) => call(deps, 'enterPaperBallot', { ...ref, voterKey: solo, choices: all(matters, 'agree'), evidenceRef: await upload(ref), ...(signedAt ? { signedAt: signedAt.toISOString() } : {}) }, w.member)
      expect(await enter()).toMatchObject({ ok: false, error: { code: 'BadInput' } })
      expect(await enter(CLOSES)).toMatchObject({ ok: false, error: { code: 'VoteClosed', message: expect.stringContaining('之后') } })
      expect(await enter(new Date(CLOSES.getTime() + 60_000))).toMatchObject({ ok: false, error: { code: 'VoteClosed' } })
      expect(await enter(new Date(CLOSES.getTime() + 2 * 3600_000))).toMatchObject({ ok: false, error: { code: 'BadInput' } })
      const signed = new Date(CLOSES.getTime() - 60_000)
      expect(await enter(signed)).toMatchObject({ ok: true })
      const rows = await env.db.selectFrom('ballots').select(['signed_at', 'cast_at', 'cast_by', 'kind']).where('vote_id', '=', ref.voteId).execute()
      expect(rows).toHaveLength(2)
      for (const r of rows) expect(r).toEqual({ signed_at: signed.toISOString(), cast_at: new Date(CLOSES.getTime() + 3600_000).toISOString(), cast_by: w.member, kind: 'ballot' })
      // The same voter's second paper is refused: one ballot per voter.
      expect(await enter(signed)).toMatchObject({ ok: false, error: { code: 'AlreadyVoted' } })
    })

    test('a written proxy (委托书) is entered with its photo and the proxy’s name; without the name it is refused', async () => {
      const { ref, matters } = await openVote()
      await tick(CLOSES)
      const other = await keyOf(ref, '韩晨梅')
      const signedAt = new Date(CLOSES.getTime() - DAY_MS).toISOString()
      const proxy = (extra: object) => upload(ref).then((evidenceRef) => call(deps, 'enterPaperBallot', { ...ref, voterKey: other, choices: all(matters, 'oppose'), evidenceRef, signedAt, kind: 'proxy', ...extra }, w.member))
      expect(await proxy({})).toMatchObject({ ok: false, error: { code: 'BadInput' } })
      expect(await proxy({ proxyName: '  ' })).toMatchObject({ ok: false, error: { code: 'BadInput' } })
      expect(await proxy({ proxyName: '韩晓' })).toMatchObject({ ok: true })
      const rows = await env.db.selectFrom('ballots').select(['kind', 'proxy_name', 'evidence_file', 'choice']).where('vote_id', '=', ref.voteId).execute()
      expect(rows).toHaveLength(2)
      for (const r of rows) expect(r).toMatchObject({ kind: 'proxy', proxy_name: '韩晓', choice: 'oppose', evidence_file: expect.stringMatching(/#sha256=/) })
      // A signed ballot names no proxy.
      expect(await call(deps, 'enterPaperBallot', { ...ref, voterKey: await keyOf(ref, '邓雨英'), choices: all(matters, 'agree'), evidenceRef: await upload(ref), signedAt, proxyName: '某人' }, w.member)).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    })

    test('a blank or spoiled paper is invalid: it counts as taking part, never as agreeing or abstaining; online ballots cannot be invalid', async () => {
      const { ref, matters } = await openVote()
      // While open a paper may be entered too (signed now by default).
      expect(await call(deps, 'castBallot', { ...ref, choices: all(matters, 'invalid'), confirmed: true }, w.people.multi.userId)).toMatchObject({ ok: false, error: { code: 'BadInput' } })
      await ok(deps, 'castBallot', { ...ref, choices: all(matters, 'agree'), confirmed: true }, w.people.multi.userId)
      await tick(CLOSES)
      const solo = await keyOf(ref, '邓雨英')
      await ok(deps, 'enterPaperBallot', { ...ref, voterKey: solo, choices: all(matters, 'invalid'), evidenceRef: await upload(ref), signedAt: OPENS.toISOString() }, w.member)
      const p = await ok(deps, 'voteProgress', ref, w.chair)
      expect(p.matters[0]).toMatchObject({ participatingHeadcount: 2, participatingAreaCentiM2: 2 * 8956 + 10000 + 8956, agreeHeadcount: 1, abstainHeadcount: 0, abstainAreaCentiM2: 0, invalidHeadcount: 1, invalidAreaCentiM2: 8956 })
      await ok(deps, 'finishCounting', ref, w.member)
      const res = await env.db.selectFrom('vote_results').selectAll().where('vote_id', '=', ref.voteId).where('matter_id', '=', matters[0].id).executeTakeFirstOrThrow()
      expect(res).toMatchObject({ invalid_headcount: 1, abstain_headcount: 0 })
      expect(Number(res.invalid_area_centi_m2)).toBe(8956)
      // Once closed, progress is the frozen result of every matter, exactly as stored.
      const final = await ok(deps, 'voteProgress', ref, w.chair)
      expect(final).toMatchObject({ status: 'closed', final: true })
      const stored = await repo.resultsOf(env.db, w.a, ref.voteId)
      expect(final.matters.map((m: { matterId: string }) => m.matterId)).toEqual(matters.map((m: { id: string }) => m.id))
      for (const m of final.matters) expect(m).toMatchObject(resultToFigures(stored.find((r) => r.matter_id === m.matterId)!))
      const detail = await ok(deps, 'getVote', ref, w.chair)
      const body = (await env.db.selectFrom('notices').select('body').where('id', '=', detail.resultNoticeId).executeTakeFirstOrThrow()).body
      expect(body).toMatch(/弃权：面积 0\.00 ㎡，0 人；无效票/)
      expect(body).toMatch(/无效（纸质）/)
    })
  })

  describe('Each entry records who entered it, audited', () => {
    test('a paper entry is in the vote’s audit chain with who entered it, when, when it was signed and the proxy; the verifier accepts it and catches a changed proxy', async () => {
      const { ref, matters } = await openVote()
      await tick(CLOSES)
      const signedAt = new Date(CLOSES.getTime() - 3600_000).toISOString()
      await ok(deps, 'enterPaperBallot', { ...ref, voterKey: await keyOf(ref, '韩晨梅'), choices: all(matters, 'agree'), evidenceRef: await upload(ref), signedAt, kind: 'proxy', proxyName: '韩晓' }, w.member)
      const entry = await env.db.selectFrom('audit_log').select(['actor', 'at', 'payload']).where('entity_id', '=', ref.voteId).where('action', '=', 'ballot.paper').executeTakeFirstOrThrow()
      expect(entry.actor).toBe(w.member)
      expect(JSON.parse(entry.payload)).toMatchObject({ castBy: w.member, castAt: CLOSES.toISOString(), signedAt, kind: 'proxy', proxyName: '韩晓', channel: 'paper' })
      const verify = async () => (await verifyAuditAll({ db: env.db, config: deps.config }, [w.a], auditChains()))[0]
      expect((await verify()).problems).toEqual([])
      await env.db.updateTable('ballots').set({ proxy_name: '别人' }).where('vote_id', '=', ref.voteId).execute()
      expect((await verify()).problems.join('\n')).toMatch(/选票与审计记录不符（被改动）/)
      await env.db.updateTable('ballots').set({ proxy_name: '韩晓' }).where('vote_id', '=', ref.voteId).execute()
      expect((await verify()).problems).toEqual([])
      // Whether a vote takes paper, and its counting period, are what the log recorded.
      await env.db.updateTable('votes').set({ counting_days: 3 }).where('id', '=', ref.voteId).execute()
      expect((await verify()).problems.join('\n')).toMatch(/是否接受纸质票或计票期与审计记录不符/)
      await env.db.updateTable('votes').set({ counting_days: 2, counting_ends_at: CLOSES.toISOString() }).where('id', '=', ref.voteId).execute()
      expect((await verify()).problems.join('\n')).toMatch(/计票截止时间与审计记录不符/)
      await env.db.updateTable('votes').set({ counting_ends_at: new Date(CLOSES.getTime() + 2 * DAY_MS).toISOString() }).where('id', '=', ref.voteId).execute()
      expect((await verify()).problems).toEqual([])
    })
  })

  describe('The result is published when counting ends', () => {
    test('by the committee’s finish-counting: the 表决结果 notice prints the electorate digest and the chain head after the papers, and the chain verifies up to it', async () => {
      const { ref, matters } = await openVote()
      await ok(deps, 'castBallot', { ...ref, choices: all(matters, 'agree'), confirmed: true }, w.people.multi.userId)
      await tick(CLOSES)
      await ok(deps, 'enterPaperBallot', { ...ref, voterKey: await keyOf(ref, '邓雨英'), choices: all(matters, 'agree'), evidenceRef: await upload(ref), signedAt: OPENS.toISOString() }, w.member)
      // The owner cannot end counting; the committee can.
      expect(await call(deps, 'finishCounting', ref, w.people.solo.userId)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
      deps.setNow(new Date(CLOSES.getTime() + 3600_000))
      const done = await ok(deps, 'finishCounting', ref, w.member)
      expect(done.status).toBe('closed')
      const body = (await env.db.selectFrom('notices').select('body').where('id', '=', done.resultNoticeId).executeTakeFirstOrThrow()).body
      expect(body).toMatch(/冻结业主名单摘要（SHA-256）：[0-9a-f]{64}/)
      expect(body).toContain('其中纸质表决票 1 张、书面委托 0 份')
      const head = parseHead(/审计链头：(\d+:[0-9a-f]{64})/.exec(body)![1])!
      const paperSeq = await env.db.selectFrom('audit_log').select('seq').where('entity_id', '=', ref.voteId).where('action', '=', 'ballot.paper').executeTakeFirstOrThrow()
      expect(Number(paperSeq.seq)).toBeLessThanOrEqual(head.seq)
      const closed = await env.db.selectFrom('audit_log').select(['actor', 'payload']).where('entity_id', '=', ref.voteId).where('action', '=', 'vote.closed').executeTakeFirstOrThrow()
      expect(closed.actor).toBe(w.member)
      expect(JSON.parse(closed.payload)).toMatchObject({ countingEndedBy: 'committee', auditHead: `${head.seq}:${head.hash}` })
      const [report] = await verifyAuditAll({ db: env.db, config: deps.config }, [w.a], auditChains(), { points: { [w.a]: [{ ...head, source: '所印链头' }] } })
      expect(report.problems).toEqual([])
      // Counting is over: no more papers; a second tap answers the closed vote.
      expect(await call(deps, 'enterPaperBallot', { ...ref, voterKey: await keyOf(ref, '韩晨梅'), choices: all(matters, 'agree'), evidenceRef: 'x#sha256=' + '0'.repeat(64), signedAt: OPENS.toISOString() }, w.member)).toMatchObject({ ok: false })
      expect(await ok(deps, 'finishCounting', ref, w.member)).toMatchObject({ status: 'closed', resultNoticeId: done.resultNoticeId })
    })

    test('by the clock at the end of the counting period, not a second earlier; a paper entered at its end is refused', async () => {
      const { ref, matters } = await openVote({ acceptsPaper: true, countingDays: 1 })
      await tick(CLOSES)
      const end = new Date(CLOSES.getTime() + DAY_MS)
      await tick(new Date(end.getTime() - 1000))
      expect(await status(ref)).toBe('counting')
      deps.setNow(end)
      const evidenceRef = await upload(ref)
      expect(await call(deps, 'enterPaperBallot', { ...ref, voterKey: await keyOf(ref, '邓雨英'), choices: all(matters, 'agree'), evidenceRef, signedAt: OPENS.toISOString() }, w.member)).toMatchObject({ ok: false, error: { code: 'VoteClosed', message: expect.stringContaining('计票已经结束') } })
      await tick(end)
      const v = await ok(deps, 'getVote', ref, w.chair)
      expect(v.status).toBe('closed')
      const closed = await env.db.selectFrom('audit_log').select(['actor', 'payload']).where('entity_id', '=', ref.voteId).where('action', '=', 'vote.closed').executeTakeFirstOrThrow()
      expect(closed.actor).toBeNull()
      expect(JSON.parse(closed.payload)).toMatchObject({ countingEndedBy: 'clock', countingEndedAt: end.toISOString() })
    })
  })
})
