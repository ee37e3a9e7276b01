import { MAX_AUTO_ATTEMPTS } from '../../server/rosters/binding.service'
import { DIALECTS, useTestDb } from '../helpers/db'
import { bindOwner, call, makeUser, makeWorld, ok, uploadProof } from '../helpers/world'

const HEADER = '楼栋,单元,房号,建筑面积(㎡),是否电梯,业主姓名,联系电话,身份证后四位'
const csv = (...lines: string[]) => Buffer.from([HEADER, ...lines].join('\n'), 'utf8').toString('base64')

const ROSTER = csv(
  '1栋,1单元,101,89.56,是,王伟,13912345678,552X',
  '1栋,1单元,102,118.20,是,李娜、张强,13900000002,1234',
  '1栋,1单元,201,89.56,是,开发商（未售）,,',
  '1栋,1单元,202,89.56,是,王伟,13912345678,552X',
  '2栋,1单元,101,70,是,赵敏,13900000003,',
  '10栋,1单元,101,70,是,钱程,13900000004,4321',
)

describe.each(DIALECTS)('unit binding on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)

  /** Two 小区; A has the roster above and a committee chair. */
  async function setup() {
    const w = await makeWorld(env.db)
    const chair = await makeUser(env.db, 'chair', 'committee_chair', { communityId: w.a })
    await ok(deps, 'importRoster', { communityId: w.a, fileName: 'roster.csv', fileBase64: ROSTER }, chair)
    return { ...w, chair }
  }
  const claim = (communityId: string, room: string, extra: { name: string; phone?: string; idLast4?: string }) => ({ communityId, building: '1栋', stair: '1单元', room, ...extra })
  const bindingRows = (userId: string) => env.db.selectFrom('bindings').selectAll().where('user_id', '=', userId).execute()
  const proof = (communityId: string, bindingId: string, by: string) => uploadProof(deps, communityId, bindingId, by)
  const rolesOf = async (userId: string, communityId: string) =>
    (await env.db.selectFrom('memberships').select('role').where('user_id', '=', userId).where('community_id', '=', communityId).execute()).map((r) => r.role)

  test('Typed details matching the roster bind nothing: the request goes to the committee marked 与名册一致, approved in one tap', async () => {
    const w = await setup()
    const resident = await makeUser(env.db, 'wang')
    const res = await ok(deps, 'bindUnit', claim(w.a, '101', { name: '王伟', phone: '139-1234-5678' }), resident)
    expect(res).toMatchObject({ status: 'pending', message: expect.stringContaining('1栋1单元101室 的绑定申请已提交业委会确认') })
    expect(res.message).toContain('微信验证手机号')
    // Nothing bound: no role, no unit, the roster person free.
    expect(await rolesOf(resident, w.a)).toEqual([])
    expect((await ok(deps, 'me', {}, resident)).units).toEqual([])
    expect((await env.db.selectFrom('persons').select('user_id').where('community_id', '=', w.a).where('name', '=', '王伟').executeTakeFirstOrThrow()).user_id).toBeNull()
    const [listed] = (await ok(deps, 'listBindingRequests', { communityId: w.a }, w.chair)).items
    expect(listed).toMatchObject({ id: res.bindingId, rosterMatch: true, needsProof: false, claimedPhone: '139****5678' })
    // One tap: approve, no proof needed (the roster already lists 王伟 on 101).
    expect(await ok(deps, 'decideBinding', { communityId: w.a, bindingId: res.bindingId, approve: true }, w.chair)).toMatchObject({ status: 'approved', rosterMatch: true })
    expect(await rolesOf(resident, w.a)).toEqual(['owner'])
    const me = await ok(deps, 'me', {}, resident)
    // 王伟 owns 101 and 202 as one roster person: binding one unit shows both.
    expect(me.units.map((u: any) => u.label).sort()).toEqual(['1栋1单元101室', '1栋1单元202室'])
    expect(me.bindings).toEqual([expect.objectContaining({ id: res.bindingId, status: 'approved', unitLabel: '1栋1单元101室', communityName: '滨江花园' })])
    expect(me.communities).toEqual([{ id: w.a, name: '滨江花园', isOld: false, governance: 'committee', roles: ['owner'] }])
    // Asking again answers the same and adds nothing.
    const again = await ok(deps, 'bindUnit', claim(w.a, '101', { name: '王伟', phone: '13912345678' }), resident)
    expect(again).toMatchObject({ bindingId: res.bindingId, status: 'approved' })
    expect(await bindingRows(resident)).toHaveLength(1)
    // Nothing about a roster-match approval goes to the audit log as a change of ownership.
    expect(await env.db.selectFrom('audit_log').select('action').where('community_id', '=', w.a).where('action', 'like', 'binding.%').execute()).toEqual([])
  })

  test('Typed details matching the roster bind nothing: name and ID last four (a co-owner, lower-case x accepted) are flagged too', async () => {
    const w = await setup()
    const zhang = await makeUser(env.db, 'zhang')
    const byId = await ok(deps, 'bindUnit', claim(w.a, '102', { name: '张强', idLast4: '1234' }), zhang)
    expect(byId.status).toBe('pending')
    const wang = await makeUser(env.db, 'wang')
    const spaced = await ok(deps, 'bindUnit', claim(w.a, '202', { name: ' 王 伟 ', idLast4: '552x' }), wang)
    expect(spaced.status).toBe('pending')
    expect(await env.db.selectFrom('persons').select('id').where('community_id', '=', w.a).where('user_id', 'is not', null).execute()).toEqual([])
    const items = (await ok(deps, 'listBindingRequests', { communityId: w.a }, w.chair)).items
    expect(items.map((r: any) => [r.claimedName, r.rosterMatch, r.needsProof]).sort()).toEqual([['张强', true, false], ['王伟', true, false]])
    for (const r of items) await ok(deps, 'decideBinding', { communityId: w.a, bindingId: r.id, approve: true }, w.chair)
    const persons = await env.db.selectFrom('persons').select(['name', 'user_id']).where('community_id', '=', w.a).where('user_id', 'is not', null).execute()
    expect(persons.map((p) => [p.name, p.user_id]).sort()).toEqual([['张强', zhang], ['王伟', wang]].sort())
  })

  test('anything short of a roster match is one pending request, unflagged, answered exactly like a match; repeated requests do not pile up', async () => {
    const w = await setup()
    const resident = await makeUser(env.db, 'guess')
    const flag = async () => (await bindingRows(resident)).map((r) => r.roster_match)
    const wrongPhone = await ok(deps, 'bindUnit', claim(w.a, '101', { name: '王伟', phone: '13900009999' }), resident)
    expect(wrongPhone).toMatchObject({ status: 'pending', message: expect.stringContaining('业委会') })
    expect(await flag()).toEqual([0])
    const again = await ok(deps, 'bindUnit', claim(w.a, '101', { name: '王伟', phone: '13900009999' }), resident)
    expect(again.bindingId).toBe(wrongPhone.bindingId)
    const otherName = await ok(deps, 'bindUnit', claim(w.a, '101', { name: '王小伟', phone: '13912345678' }), resident)
    expect(otherName).toMatchObject({ bindingId: wrongPhone.bindingId, status: 'pending' })
    const rows = await bindingRows(resident)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ status: 'pending', claimed_name: '王小伟', claimed_phone: '13912345678', person_id: null, attempts: 3, roster_match: 0 })
    expect(await rolesOf(resident, w.a)).toEqual([])
    // An unsold unit has no roster owner to match: pending, unflagged, approving it would need proof.
    const unsold = await ok(deps, 'bindUnit', claim(w.a, '201', { name: '买房人', phone: '13900000005' }), resident)
    expect(unsold).toMatchObject({ status: 'pending' })
    // The right details later flag the same request (the answer gives nothing away) and still bind nothing.
    const right = await ok(deps, 'bindUnit', claim(w.a, '101', { name: '王伟', phone: '13912345678' }), resident)
    expect(right).toEqual({ bindingId: wrongPhone.bindingId, status: 'pending', message: wrongPhone.message })
    expect((await bindingRows(resident)).find((r) => r.id === right.bindingId)).toMatchObject({ roster_match: 1, attempts: 4, person_id: null })
    expect(await rolesOf(resident, w.a)).toEqual([])
    // A later miss on the same request takes the flag away again: it describes the latest claim.
    await ok(deps, 'bindUnit', claim(w.a, '101', { name: '王伟', phone: '13900009999' }), resident)
    expect((await bindingRows(resident)).find((r) => r.id === right.bindingId)).toMatchObject({ roster_match: 0 })
    const items = (await ok(deps, 'listBindingRequests', { communityId: w.a }, w.chair)).items
    expect(items.map((r: any) => [r.unitLabel, r.rosterMatch, r.needsProof]).sort()).toEqual([['1栋1单元101室', false, false], ['1栋1单元201室', false, true]])
  })

  test('a roster owner already bound to another WeChat user is not taken over: pending, unflagged, answered like a miss (issue 9: the answer must not confirm a guess)', async () => {
    const w = await setup()
    const first = await makeUser(env.db, 'first')
    const second = await makeUser(env.db, 'second')
    const third = await makeUser(env.db, 'third')
    await bindOwner(deps, first, claim(w.a, '101', { name: '王伟', phone: '13912345678' }), w.chair)
    const res = await ok(deps, 'bindUnit', claim(w.a, '101', { name: '王伟', phone: '13912345678' }), second)
    const miss = await ok(deps, 'bindUnit', claim(w.a, '101', { name: '王伟', phone: '13900009999' }), third)
    expect(res).toMatchObject({ status: 'pending' })
    expect((await bindingRows(second))[0].roster_match).toBe(0)
    expect(res.message).toBe(miss.message)
    expect(res.message).not.toContain('另一个微信账号')
    const wang = await env.db.selectFrom('persons').select('user_id').where('community_id', '=', w.a).where('name', '=', '王伟').executeTakeFirstOrThrow()
    expect(wang.user_id).toBe(first)
  })

  test(`after ${MAX_AUTO_ATTEMPTS} claims of one unit nothing is checked or flagged: the committee decides unaided (no guessing the ID digits)`, async () => {
    const w = await setup()
    // Boundary: the MAX-th claim is still checked, and flagged when it matches.
    const patient = await makeUser(env.db, 'patient')
    for (let i = 1; i < MAX_AUTO_ATTEMPTS; i++) {
      expect(await ok(deps, 'bindUnit', claim(w.a, '101', { name: '王伟', idLast4: String(1000 + i) }), patient)).toMatchObject({ status: 'pending' })
    }
    const fifth = await ok(deps, 'bindUnit', claim(w.a, '101', { name: '王伟', idLast4: '552X' }), patient)
    expect(fifth).toMatchObject({ status: 'pending', message: expect.not.stringContaining('人工审核') })
    expect((await bindingRows(patient))[0]).toMatchObject({ roster_match: 1, locked_at: null })
    // One more miss and even the right digits are not checked.
    const guesser = await makeUser(env.db, 'guesser')
    for (let i = 1; i <= MAX_AUTO_ATTEMPTS; i++) {
      await ok(deps, 'bindUnit', { communityId: w.a, building: '10栋', stair: '1单元', room: '101', name: '钱程', idLast4: String(2000 + i) }, guesser)
    }
    const res = await ok(deps, 'bindUnit', { communityId: w.a, building: '10栋', stair: '1单元', room: '101', name: '钱程', idLast4: '4321' }, guesser)
    expect(res).toMatchObject({ status: 'pending', message: expect.stringContaining('人工审核') })
    expect((await bindingRows(guesser))[0]).toMatchObject({ roster_match: 0, locked_at: expect.any(String) })
    expect(await env.db.selectFrom('persons').select('user_id').where('community_id', '=', w.a).where('name', '=', '钱程').executeTakeFirstOrThrow()).toEqual({ user_id: null })
  })

  test('an unknown room or 小区 is answered plainly; input needs a phone or the ID digits', async () => {
    const w = await setup()
    const resident = await makeUser(env.db, 'r')
    expect(await call(deps, 'bindUnit', claim(w.a, '999', { name: '王伟', phone: '13912345678' }), resident)).toMatchObject({
      ok: false,
      error: { code: 'NotFound', message: expect.stringContaining('1栋1单元999室') },
    })
    expect(await call(deps, 'bindUnit', claim('no-such-community', '101', { name: '王伟', phone: '13912345678' }), resident)).toMatchObject({ ok: false, error: { code: 'NotFound' } })
    expect(await call(deps, 'bindUnit', claim(w.a, '101', { name: '王伟' }), resident)).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('手机号或身份证后四位') } })
    expect(await call(deps, 'bindUnit', claim(w.a, '101', { name: '王伟' }), null)).toMatchObject({ ok: false, error: { code: 'Unauthenticated' } })
  })

  test('listBindingRequests pages by (created_at, id) with a cursor: pending oldest first, phones masked, roster owners named', async () => {
    const w = await setup()
    const ids: string[] = []
    const times = ['2026-11-20T01:00:00.000Z', '2026-11-20T02:00:00.000Z', '2026-11-20T02:00:00.000Z', '2026-11-20T02:00:00.000Z', '2026-11-21T00:00:00.000Z']
    for (const [i, t] of times.entries()) {
      deps.setNow(new Date(t))
      const u = await makeUser(env.db, `r${i}`)
      ids.push((await ok(deps, 'bindUnit', claim(w.a, '102', { name: `申请人${i}`, phone: `1390000100${i}` }), u)).bindingId)
    }
    const seen: any[] = []
    let cursor: string | undefined
    let pages = 0
    do {
      const page = await ok(deps, 'listBindingRequests', { communityId: w.a, limit: 2, ...(cursor ? { cursor } : {}) }, w.chair)
      seen.push(...page.items)
      cursor = page.nextCursor ?? undefined
      pages++
      // A request arriving while the committee pages through does not shift later pages.
      if (pages === 1) {
        deps.setNow(new Date('2026-11-25T00:00:00.000Z'))
        await ok(deps, 'bindUnit', claim(w.a, '102', { name: '迟到的', phone: '13900002000' }), await makeUser(env.db, 'late'))
      }
    } while (cursor)
    expect(pages).toBe(3)
    expect(seen.map((s) => s.id).slice(0, 5).sort()).toEqual([...ids].sort())
    expect(seen.map((s) => s.claimedName)).toHaveLength(6)
    expect(new Set(seen.map((s) => s.id)).size).toBe(6)
    const order = seen.map((s) => `${s.createdAt}|${s.id}`)
    expect(order).toEqual([...order].sort())
    expect(seen[0]).toEqual({
      id: ids[0],
      unitId: expect.any(String),
      unitLabel: '1栋1单元102室',
      claimedName: '申请人0',
      claimedPhone: '139****1000',
      rosterOwners: ['张强', '李娜'].sort(),
      status: 'pending',
      reason: null,
      createdAt: '2026-11-20T01:00:00.000Z',
      rosterMatch: false,
      needsProof: true,
    })
    expect(await call(deps, 'listBindingRequests', { communityId: w.a, cursor: 'garbage' }, w.chair)).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    // Decided requests list newest first.
    for (const id of ids.slice(0, 3)) await ok(deps, 'decideBinding', { communityId: w.a, bindingId: id, approve: false, reason: '不符' }, w.chair)
    const rejected = await ok(deps, 'listBindingRequests', { communityId: w.a, status: 'rejected' }, w.chair)
    expect(rejected.items.map((r: any) => r.createdAt)).toEqual([...rejected.items.map((r: any) => r.createdAt)].sort().reverse())
    expect(rejected.items).toHaveLength(3)
    expect(rejected.nextCursor).toBeNull()
  })

  test('approve binds to the roster person of that name on the unit; reject records the reason the resident sees', async () => {
    const w = await setup()
    const li = await makeUser(env.db, 'li')
    const pending = await ok(deps, 'bindUnit', claim(w.a, '102', { name: '李娜', phone: '13600000000' }), li)
    expect(pending.status).toBe('pending')
    const decided = await ok(deps, 'decideBinding', { communityId: w.a, bindingId: pending.bindingId, approve: true }, w.chair)
    expect(decided).toMatchObject({ status: 'approved', claimedPhone: '136****0000' })
    const liPerson = await env.db.selectFrom('persons').selectAll().where('community_id', '=', w.a).where('name', '=', '李娜').executeTakeFirstOrThrow()
    expect(liPerson.user_id).toBe(li)
    expect(await rolesOf(li, w.a)).toEqual(['owner'])
    const row = await env.db.selectFrom('bindings').selectAll().where('id', '=', pending.bindingId).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ status: 'approved', person_id: liPerson.id, decided_by: w.chair, decided_at: deps.now().toISOString() })
    // Deciding twice is refused.
    expect(await call(deps, 'decideBinding', { communityId: w.a, bindingId: pending.bindingId, approve: false }, w.chair)).toMatchObject({ ok: false, error: { code: 'Conflict' } })

    const stranger = await makeUser(env.db, 'stranger')
    const p2 = await ok(deps, 'bindUnit', claim(w.a, '101', { name: '冒名者', phone: '13600000001' }), stranger)
    await ok(deps, 'decideBinding', { communityId: w.a, bindingId: p2.bindingId, approve: false, reason: '名册上没有此人，请携房产证到业委会办理' }, w.chair)
    const me = await ok(deps, 'me', {}, stranger)
    expect(me.bindings).toEqual([expect.objectContaining({ status: 'rejected', reason: '名册上没有此人，请携房产证到业委会办理' })])
    expect(me.units).toEqual([])
    expect(await rolesOf(stranger, w.a)).toEqual([])
  })

  test('approving a name missing from the roster (roster out of date) makes the claimant an owner; an unsold unit becomes sold', async () => {
    const w = await setup()
    const buyer = await makeUser(env.db, 'buyer')
    const p = await ok(deps, 'bindUnit', claim(w.a, '201', { name: '新买家', phone: '13700000000' }), buyer)
    await ok(deps, 'decideBinding', { communityId: w.a, bindingId: p.bindingId, approve: true, proofRef: await proof(w.a, p.bindingId, w.chair) }, w.chair)
    const owners = await env.db
      .selectFrom('ownerships as o')
      .innerJoin('persons as pe', 'pe.id', 'o.person_id')
      .innerJoin('units as u', 'u.id', 'o.unit_id')
      .select(['pe.name', 'pe.user_id', 'pe.is_developer', 'u.sold'])
      .where('o.unit_id', '=', (await ok(deps, 'me', {}, buyer)).units[0].unitId)
      .execute()
    expect(owners).toEqual([{ name: '新买家', user_id: buyer, is_developer: 0, sold: 1 }])
    // The same resident approved for a second unmatched unit stays one person (one headcount).
    const p2 = await ok(deps, 'bindUnit', { communityId: w.a, building: '2栋', stair: '1单元', room: '101', name: '新买家', phone: '13700000000' }, buyer)
    await ok(deps, 'decideBinding', { communityId: w.a, bindingId: p2.bindingId, approve: true, proofRef: await proof(w.a, p2.bindingId, w.chair) }, w.chair)
    const persons = await env.db.selectFrom('persons').select('id').where('user_id', '=', buyer).execute()
    expect(persons).toHaveLength(1)
    expect((await ok(deps, 'me', {}, buyer)).units.map((u: any) => u.label).sort()).toEqual(['1栋1单元201室', '2栋1单元101室'])
  })

  test('approving someone whose roster name is bound to another user is refused', async () => {
    const w = await setup()
    const first = await makeUser(env.db, 'first')
    await bindOwner(deps, first, claim(w.a, '101', { name: '王伟', phone: '13912345678' }), w.chair)
    const second = await makeUser(env.db, 'second')
    const p = await ok(deps, 'bindUnit', claim(w.a, '101', { name: '王伟', phone: '13912345678' }), second)
    expect(await call(deps, 'decideBinding', { communityId: w.a, bindingId: p.bindingId, approve: true }, w.chair)).toMatchObject({ ok: false, error: { code: 'Conflict' } })
    expect(await rolesOf(second, w.a)).toEqual([])
  })

  test('nobody decides their own binding request: a committee member claiming a unit waits for another member or the community office', async () => {
    const w = await setup()
    const member = await makeUser(env.db, 'member', 'committee_member', { communityId: w.a })
    // Unsold 201: approving would make the member its owner and take it from the developer.
    const p = await ok(deps, 'bindUnit', claim(w.a, '201', { name: '委员本人', phone: '13700000008' }), member)
    expect(p.status).toBe('pending')
    for (const approve of [true, false]) {
      expect(await call(deps, 'decideBinding', { communityId: w.a, bindingId: p.bindingId, approve, reason: '自己审核' }, member)).toMatchObject({
        ok: false,
        error: { code: 'Forbidden', message: expect.stringContaining('不能审核自己') },
      })
    }
    expect((await env.db.selectFrom('bindings').select('status').where('id', '=', p.bindingId).executeTakeFirstOrThrow()).status).toBe('pending')
    expect(await rolesOf(member, w.a)).toEqual(['committee_member'])
    expect((await ok(deps, 'me', {}, member)).units).toEqual([])
    // Another member (here the chair) decides it, with the proof a sale needs.
    expect(await ok(deps, 'decideBinding', { communityId: w.a, bindingId: p.bindingId, approve: true, proofRef: await proof(w.a, p.bindingId, w.chair) }, w.chair)).toMatchObject({ status: 'approved' })
  })

  test('a committee member of 小区 B cannot list or decide requests of 小区 A; an owner cannot either', async () => {
    const w = await setup()
    const chairB = await makeUser(env.db, 'chairB', 'committee_member', { communityId: w.b })
    const resident = await makeUser(env.db, 'r')
    const p = await ok(deps, 'bindUnit', claim(w.a, '101', { name: '某人', phone: '13600000009' }), resident)
    expect(await call(deps, 'listBindingRequests', { communityId: w.a }, chairB)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    expect(await call(deps, 'decideBinding', { communityId: w.a, bindingId: p.bindingId, approve: true }, chairB)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    // Naming their own 小区 with A's request id: the request is not found there.
    expect(await call(deps, 'decideBinding', { communityId: w.b, bindingId: p.bindingId, approve: true }, chairB)).toMatchObject({ ok: false, error: { code: 'NotFound' } })
    const owner = await makeUser(env.db, 'owner')
    await bindOwner(deps, owner, claim(w.a, '101', { name: '王伟', phone: '13912345678' }), w.chair)
    expect(await call(deps, 'decideBinding', { communityId: w.a, bindingId: p.bindingId, approve: true }, owner)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    expect((await env.db.selectFrom('bindings').select('status').where('id', '=', p.bindingId).executeTakeFirstOrThrow()).status).toBe('pending')
    expect((await ok(deps, 'listBindingRequests', { communityId: w.b }, chairB)).items).toEqual([])
  })

  test('unitTree lists buildings, stairs and rooms in counting order without names; the directory finds 小区 by name', async () => {
    const w = await setup()
    const resident = await makeUser(env.db, 'r')
    const tree = await ok(deps, 'unitTree', { communityId: w.a }, resident)
    expect(tree).toEqual({
      buildings: [
        { name: '1栋', stairs: [{ name: '1单元', rooms: ['101', '102', '201', '202'] }] },
        { name: '2栋', stairs: [{ name: '1单元', rooms: ['101'] }] },
        { name: '10栋', stairs: [{ name: '1单元', rooms: ['101'] }] },
      ],
    })
    expect(JSON.stringify(tree)).not.toMatch(/王伟|李娜|139/)
    expect(await call(deps, 'unitTree', { communityId: 'nope' }, resident)).toMatchObject({ ok: false, error: { code: 'NotFound' } })
    const found = await ok(deps, 'communityDirectory', { query: '文清' }, resident)
    expect(found).toEqual(expect.arrayContaining([{ id: w.b, name: '文清苑', officeName: '东阳社区', governance: 'pmc' }]))
    expect(found.every((c: any) => c.name.includes('文清'))).toBe(true)
    expect(await ok(deps, 'communityDirectory', { query: '%滨江_' }, resident)).toEqual(expect.arrayContaining([expect.objectContaining({ id: w.a })]))
    expect(await ok(deps, 'communityDirectory', { query: '没有这个小区' }, resident)).toEqual([])
    expect(await call(deps, 'communityDirectory', { query: '文清' }, null)).toMatchObject({ ok: false, error: { code: 'Unauthenticated' } })
  })
})
