import { isOldCommunity } from '../../src/contracts/communities'
import { seedDemo } from '../../server/demo/seed'
import { DEMO_BINDING, DEMO_PERSONAS } from '../../server/demo/personas'
import { DIALECTS, useTestDb } from '../helpers/db'
import { ok } from '../helpers/world'
import { registry } from '../../server/actions'
import { dispatch } from '../../server/registry'
import { DEMO_PHONE_CODE } from '../../src/contracts/privacy'
import { verifyAuditAll } from '../../server/audit/verifiers'

describe.each(DIALECTS)('the demo seed (%s)', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  beforeAll(async () => {
    expect(await seedDemo(deps)).toBe(true)
  })

  test('makes one district, street and office with a new and an old 小区, about 300 units', async () => {
    const communities = await env.db.selectFrom('communities').select(['id', 'name', 'built_on']).orderBy('built_on').execute()
    expect(communities.map((c) => c.name)).toEqual(['文清苑', '滨江花园'])
    expect(isOldCommunity(communities[0].built_on)).toBe(true)
    expect(isOldCommunity(communities[1].built_on)).toBe(false)
    const units = await env.db.selectFrom('units').select(({ fn }) => [fn.countAll<number>().as('n')]).executeTakeFirstOrThrow()
    expect(Number(units.n)).toBe(300)
    const elevators = await env.db.selectFrom('buildings').select(['community_id', 'has_elevator']).execute()
    expect(elevators.filter((b) => b.community_id === communities[0].id).every((b) => b.has_elevator === 0)).toBe(true)
    expect(elevators.filter((b) => b.community_id === communities[1].id).every((b) => b.has_elevator === 1)).toBe(true)
    const unsold = await env.db.selectFrom('units').select('id').where('sold', '=', 0).execute()
    expect(unsold.length).toBeGreaterThanOrEqual(36)
  })

  test('is idempotent: a second run changes nothing', async () => {
    expect(await seedDemo(deps)).toBe(false)
    expect((await env.db.selectFrom('communities').select('id').execute()).length).toBe(2)
  })

  test('every persona can log in and sees what its description promises', async () => {
    const me: Record<string, any> = {}
    for (const p of DEMO_PERSONAS) {
      const session = await ok(deps, 'demoLogin', { persona: p.key }, null)
      expect(session.token).toBeTruthy()
      const user = await env.db.selectFrom('users').select('id').where('openid', '=', `demo:${p.key}`).executeTakeFirstOrThrow()
      me[p.key] = await ok(deps, 'me', {}, user.id)
    }
    expect(me['owner-new'].units).toEqual([])
    expect(me['owner-multi'].units).toHaveLength(3)
    expect(me['owner-coowned'].units.map((u: any) => u.label)).toEqual(['3栋2单元302室'])
    expect(me.tenant.units).toMatchObject([{ label: '1栋1单元102室', relation: 'tenant' }])
    expect(me.tenant.communities[0].roles).toEqual(['tenant'])
    expect(me.committee.communities).toMatchObject([{ name: '滨江花园', roles: ['committee_chair'] }])
    expect(me.officer.communities.map((c: any) => c.name).sort()).toEqual(['文清苑', '滨江花园'].sort())
    const pending = await ok(deps, 'listBindingRequests', { communityId: me.committee.communities[0].id }, me.committee.userId)
    expect(pending.items ?? pending).toHaveLength(1)
  })

  test('residents find the notices of their own 小区 in their feed', async () => {
    const user = await env.db.selectFrom('users').select('id').where('openid', '=', 'demo:owner-bound').executeTakeFirstOrThrow()
    const me = await ok(deps, 'me', {}, user.id)
    const feed = await ok(deps, 'listNotices', { communityId: me.communities[0].id }, user.id)
    expect(feed.pinned).toEqual([])
    const titles = feed.items.map((n: any) => n.title)
    expect(titles).toEqual(expect.arrayContaining(['12月3日上午停水通知', '东阳社区冬季义诊进小区', '关于筹备2027年业主大会的通知']))
    // The announced vote has its notice, and owners see the vote in 议事.
    expect(titles.some((t: string) => t.includes('2027年续聘物业及电梯维修表决'))).toBe(true)
    const votes = await ok(deps, 'listVotes', { communityId: me.communities[0].id }, user.id)
    // Besides it (issue 8 item 12): an open vote to cast now, a closed one with its result, and one taking paper ballots in counting (item 7).
    expect(votes.map((v: any) => [v.title, v.status]).sort()).toEqual([['2026年业主大会议事规则修订表决', 'closed'], ['2027年续聘物业及电梯维修表决', 'announced'], ['小区东门增设快递柜表决', 'open'], ['地下车库照明改造表决', 'counting']].sort())
    expect(votes.find((v: any) => v.status === 'announced')).toMatchObject({ title: '2027年续聘物业及电梯维修表决', status: 'announced', matterCount: 2 })
  })

  test('a demo you can vote in: the open votes take the demo owners’ ballots now (the multi-unit and the co-owned owner too); the closed one has its result, receipts and anchor', async () => {
    const userOf = async (key: string) => (await env.db.selectFrom('users').select('id').where('openid', '=', `demo:${key}`).executeTakeFirstOrThrow()).id
    const communities = await env.db.selectFrom('communities').select(['id', 'name']).execute()
    const binjiang = communities.find((c) => c.name === '滨江花园')!.id
    const wenqing = communities.find((c) => c.name === '文清苑')!.id
    const openIn = async (communityId: string, userId: string) => (await ok(deps, 'listVotes', { communityId }, userId)).find((v: any) => v.status === 'open')
    const cast = async (communityId: string, key: string) => {
      const userId = await userOf(key)
      const open = await openIn(communityId, userId)
      expect(open.myPart).toBe('to_vote')
      const detail = await ok(deps, 'getVote', { communityId, voteId: open.id }, userId)
      const mine = await ok(deps, 'castBallot', { communityId, voteId: open.id, confirmed: true, choices: detail.matters.map((m: any) => ({ matterId: m.id, choice: 'agree' })) }, userId)
      expect(mine.receiptCode).toBeTruthy()
      return { open, userId, mine }
    }
    await cast(binjiang, 'owner-bound')
    // The multi-unit owner casts once for all three units; the co-owner for the shared unit.
    const multi = await cast(wenqing, 'owner-multi')
    const mineMulti = await ok(deps, 'myVote', { communityId: wenqing, voteId: multi.open.id }, multi.userId)
    expect(mineMulti.voters).toHaveLength(1)
    expect(mineMulti.voters[0].units).toHaveLength(3)
    const co = await cast(wenqing, 'owner-coowned')
    const progress = await ok(deps, 'voteProgress', { communityId: wenqing, voteId: co.open.id }, await userOf('committee-old'))
    expect(progress.matters[0].participatingHeadcount).toBe(2)

    const committee = await userOf('committee')
    const closed = (await ok(deps, 'listVotes', { communityId: binjiang }, committee)).find((v: any) => v.status === 'closed')
    const detail = await ok(deps, 'getVote', { communityId: binjiang, voteId: closed.id }, committee)
    const notice = await env.db.selectFrom('notices').select('body').where('id', '=', detail.resultNoticeId).executeTakeFirstOrThrow()
    expect(notice.body).toMatch(/计入的表决票 1 张/)
    expect(notice.body).toMatch(/冻结业主名单摘要（SHA-256）：[0-9a-f]{64}/)
    expect(notice.body).toMatch(/审计链头：\d+:[0-9a-f]{64}/)
    const [report] = await verifyAuditAll({ db: env.db, config: deps.config }, [binjiang])
    expect(report.problems).toEqual([])
  })

  test('every persona says what to try; the new owner’s typed details go to the committee as matching the roster, the stand-in verified phone binds at once', async () => {
    for (const p of DEMO_PERSONAS) expect(p.tries.length).toBeGreaterThan(0)
    const tries = DEMO_PERSONAS.find((p) => p.key === 'owner-new')!.tries.join('\n')
    expect(tries).toContain(DEMO_BINDING.phone)
    expect(tries).toContain('模拟微信验证手机号')
    expect(tries).toContain('业委会确认')
    expect(DEMO_PERSONAS.find((p) => p.key === 'committee')!.tries.join('\n')).toContain('与名册一致')
    const user = await env.db.selectFrom('users').select('id').where('openid', '=', 'demo:owner-new').executeTakeFirstOrThrow()
    const chair = await env.db.selectFrom('users').select('id').where('openid', '=', 'demo:committee').executeTakeFirstOrThrow()
    const [community] = await ok(deps, 'communityDirectory', { query: DEMO_BINDING.community }, user.id)
    expect(community.name).toBe(DEMO_BINDING.community)
    const { community: _c, idLast4: _i, ...typed } = DEMO_BINDING
    // Typed: a request for the committee, flagged as matching the roster; nothing bound.
    const claim = await ok(deps, 'bindUnit', { communityId: community.id, ...typed }, user.id)
    expect(claim).toMatchObject({ status: 'pending', message: expect.stringContaining('业委会确认') })
    expect((await ok(deps, 'me', {}, user.id)).units).toEqual([])
    const listed = await ok(deps, 'listBindingRequests', { communityId: community.id }, chair.id)
    expect(listed.items.find((r: { id: string }) => r.id === claim.bindingId)).toMatchObject({ rosterMatch: true, needsProof: false })
    // The demo's stand-in for WeChat's verification (only for this persona, by its openid) binds at once.
    const { phone: _p, ...named } = typed
    const asNewOwner = { caller: async () => ({ userId: user.id, openid: 'demo:owner-new' }) }
    const bound = await dispatch(registry, 'bindUnit', { communityId: community.id, ...named, phoneCode: DEMO_PHONE_CODE }, deps, asNewOwner)
    expect(bound).toMatchObject({ ok: true, data: { status: 'approved', bindingId: claim.bindingId } })
    const me = await ok(deps, 'me', {}, user.id)
    expect(me.units.map((u: { label: string }) => u.label)).toEqual([`${DEMO_BINDING.building}${DEMO_BINDING.stair}${DEMO_BINDING.room}室`])
  })

  test('the officer sees the office’s two 小区 through their post, a page at a time', async () => {
    const user = await env.db.selectFrom('users').select('id').where('openid', '=', 'demo:officer').executeTakeFirstOrThrow()
    const [post] = await ok(deps, 'myJurisdictions', {}, user.id)
    expect(post).toMatchObject({ level: 'office', name: '东阳社区居委会', roles: ['community_officer'] })
    const first = await ok(deps, 'listJurisdictionCommunities', { officeId: post.id, limit: 1 }, user.id)
    expect(first).toMatchObject({ total: 2, items: [{ name: '文清苑', governance: 'pmc', isOld: true }] })
    const second = await ok(deps, 'listJurisdictionCommunities', { officeId: post.id, limit: 1, cursor: first.nextCursor }, user.id)
    expect(second).toMatchObject({ nextCursor: null, items: [{ name: '滨江花园', governance: 'committee', isOld: false }] })
    // What `me` answers for the officer is unchanged: the same two 小区.
    const me = await ok(deps, 'me', {}, user.id)
    expect(me.communities.map((c: { id: string }) => c.id).sort()).toEqual([first.items[0].id, second.items[0].id].sort())
  })

  test('no ID digits are stored in clear', async () => {
    const persons = await env.db.selectFrom('persons').select(['id4_hash']).where('id4_hash', 'is not', null).execute()
    expect(persons.length).toBeGreaterThan(100)
    expect(persons.every((p) => /^[0-9a-f]{64}$/.test(p.id4_hash!))).toBe(true)
  })
})
