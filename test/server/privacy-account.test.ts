import { DIALECTS, useTestDb } from '../helpers/db'
import { call, makeUser, ok } from '../helpers/world'
import { announcedVote, makeRosterVoteWorld, systemCtxAt, type RosterVoteWorld, type VoteWorld } from '../helpers/votes-world'
import { registry } from '../../server/actions'
import { buildApp } from '../../server/transports/http'
import { openSession } from '../../server/identity/session.service'
import { advanceVotes } from '../../server/votes/vote.clock'
import { verifyAuditAll } from '../../server/audit/verifiers'
import { systemCtx } from '../../server/context'
import { PRIVACY_VERSION } from '../../src/contracts/privacy'

/** 邓雨英 of the roster world: 1栋1单元202, phone 13900000003 on the committee's roster. */
const NAME = '邓雨英'
const PHONE = '13900000003'
const MASKED = '139****0003'

describe.each(DIALECTS)('privacy policy and a person’s own data on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)

  test('the policy is versioned and each person’s acceptance is recorded once; an old version is refused', async () => {
    const user = await makeUser(env.db, '读者')
    expect(await ok(deps, 'privacyStatus', {}, user)).toEqual({ version: PRIVACY_VERSION, acceptedAt: null })
    expect(await call(deps, 'acceptPrivacy', { version: '2020-01' }, user)).toMatchObject({ ok: false, error: { code: 'Conflict', message: '隐私保护指引已经更新，请阅读最新版本后再同意' } })
    const first = await ok(deps, 'acceptPrivacy', { version: PRIVACY_VERSION }, user)
    expect(first.acceptedAt).toBe(deps.now().toISOString())
    deps.setNow(new Date(deps.now().getTime() + 60_000))
    expect(await ok(deps, 'acceptPrivacy', { version: PRIVACY_VERSION }, user)).toEqual(first)
    expect(await call(deps, 'privacyStatus', {}, null)).toMatchObject({ ok: false, error: { code: 'Unauthenticated' } })
  })

  test('a person exports everything stored about them, deletes the account, and then nothing answers with their name or phone while the vote still verifies', async () => {
    const w: RosterVoteWorld = await makeRosterVoteWorld(env.db, deps)
    const solo = w.people.solo.userId
    // A vote 邓雨英 takes part in; a tenant invited to their unit; a report filed; the policy accepted.
    const v = await announcedVote(deps, w as unknown as VoteWorld)
    deps.setNow(v.opensAt)
    await advanceVotes(systemCtx(deps))
    const ballot = await ok(deps, 'castBallot', { communityId: w.a, voteId: v.voteId, confirmed: true, choices: [{ matterId: v.matters[0].id, choice: 'agree' }] }, solo)
    const tenant = await makeUser(env.db, '小周')
    const inv = await ok(deps, 'inviteTenant', { communityId: w.a, unitId: w.units.u202 }, solo)
    await ok(deps, 'acceptTenancy', { code: inv.code }, tenant)
    await ok(deps, 'createReport', { communityId: w.a, category: 'repair', description: '厨房水管漏水，地面积水', place: { kind: 'unit', unitId: w.units.u202 } }, solo)
    await ok(deps, 'acceptPrivacy', { version: PRIVACY_VERSION }, solo)

    const app = await buildApp(deps, registry)
    const ua = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 MicroMessenger/8.0.50 miniProgram'
    const { token } = await openSession({ ...deps, userAgent: ua }, { userId: solo })
    const post = (action: string, payload: object) => app.inject({ method: 'POST', url: `/api/${action}`, headers: { authorization: `Bearer ${token}` }, payload })

    // The export: bindings with what they typed, the roster row, the tenancy, the report, the ballot's receipt, the consent, the device.
    const mine = (await post('myData', {})).json().data
    expect(mine.rosterEntries).toEqual([{ communityName: '滨江花园', name: NAME, phone: PHONE, units: ['1栋1单元202室'] }])
    expect(mine.bindings).toEqual([expect.objectContaining({ unitLabel: '1栋1单元202室', claimedName: NAME, claimedPhone: PHONE, status: '已绑定' })])
    expect(mine.tenancies).toEqual([expect.objectContaining({ unitLabel: '1栋1单元202室', relation: 'invited_by_me', status: '租住中' })])
    expect(mine.reports).toEqual([expect.objectContaining({ description: '厨房水管漏水，地面积水', anonymous: false })])
    expect(mine.ballots).toEqual([expect.objectContaining({ voteTitle: '2027 年物业服务企业选聘', receiptCode: ballot.receiptCode })])
    expect(mine.consents).toEqual([{ version: PRIVACY_VERSION, acceptedAt: expect.any(String) }])
    expect(mine.sessions).toEqual([expect.objectContaining({ device: '微信小程序 · iPhone', current: true })])
    expect(mine.roles).toEqual([expect.objectContaining({ role: '业主', place: '滨江花园' })])

    // Before: the committee's lists show what they typed and who filed the report.
    expect(JSON.stringify(await ok(deps, 'listBindingRequests', { communityId: w.a, status: 'approved' }, w.chair))).toContain(MASKED)
    expect(JSON.stringify(await ok(deps, 'reportInbox', { communityId: w.a }, w.chair))).toContain(NAME)

    // Deleting asks for the words, then ends this very session.
    expect((await post('deleteMyAccount', { confirm: '确定' })).json()).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    const del = (await post('deleteMyAccount', { confirm: '注销账号' })).json()
    expect(del).toMatchObject({ ok: true, data: { deleted: true } })
    expect((await post('me', {})).json().error.code).toBe('SessionExpired')

    // Nothing the app answers carries the name or phone, but the committee's roster.
    const answers: unknown[] = [
      await ok(deps, 'me', {}, solo),
      await ok(deps, 'myData', {}, solo),
      await ok(deps, 'listBindingRequests', { communityId: w.a, status: 'approved' }, w.chair),
      await ok(deps, 'listBindingRequests', { communityId: w.a }, w.chair),
      await ok(deps, 'me', {}, tenant),
      await ok(deps, 'reportInbox', { communityId: w.a }, w.chair),
      await ok(deps, 'getVote', { communityId: w.a, voteId: v.voteId }, w.chair),
      await ok(deps, 'lookupReceipt', { communityId: w.a, voteId: v.voteId, receiptCode: ballot.receiptCode }, w.chair),
    ]
    for (const a of answers) {
      const text = JSON.stringify(a)
      expect(text).not.toContain(NAME)
      expect(text).not.toContain(PHONE)
      expect(text).not.toContain(MASKED)
    }
    const after = await ok(deps, 'me', {}, solo)
    expect(after).toMatchObject({ nickname: '已注销用户', communities: [], units: [], bindings: [] })
    // The tenant invited to the unit stays; the roster keeps its row, unbound.
    const roster = await env.db.selectFrom('persons').select(['name', 'phone', 'user_id']).where('name', '=', NAME).execute()
    expect(roster).toEqual([{ name: NAME, phone: PHONE, user_id: null }])
    const users = await env.db.selectFrom('users').select(['openid', 'nickname', 'deleted_at']).where('id', '=', solo).executeTakeFirstOrThrow()
    expect(users.openid).toBe(`deleted:${solo}`)
    expect(users.deleted_at).not.toBeNull()
    expect(await env.db.selectFrom('sessions').select('token_hash').where('user_id', '=', solo).execute()).toEqual([])

    // The ballot stays with its voter key; the vote closes, counts it, and verifies.
    await advanceVotes(systemCtxAt(deps, v.closesAt))
    const kept = await env.db.selectFrom('ballots').select(['voter_key', 'receipt_code']).where('vote_id', '=', v.voteId).where('receipt_code', '=', ballot.receiptCode).execute()
    expect(kept.length).toBeGreaterThan(0)
    expect(kept[0].voter_key).toMatch(/^p:/)
    const result = await ok(deps, 'voteResult', { communityId: w.a, voteId: v.voteId }, w.chair)
    expect(JSON.stringify(result)).toContain(ballot.receiptCode)
    expect(JSON.stringify(result)).not.toContain(NAME)
    const [report] = await verifyAuditAll(env.db, [w.a])
    expect(report).toMatchObject({ ok: true, problems: [] })
    await app.close()
  })
})
