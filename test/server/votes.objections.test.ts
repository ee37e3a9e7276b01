import { verifyChain } from '../../server/audit/audit.service'
import { DIALECTS, useTestDb } from '../helpers/db'
import { csv, makeObjectionsWorld, TOTAL_AREA } from '../helpers/objections-world'
import { call, ok } from '../helpers/world'

/**
 * The frozen electorate is honoured, and owners see it (issue 8 item 5): from the announcement on
 * an owner sees their own entry (units, area, how counted); before opening they may object, the
 * committee answers, the owner sees the answer; the announcement publishes the totals. Worlds are
 * built through the real roster import and binding.
 */
describe.each(DIALECTS)('electorate entries and objections (%s)', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  const T0 = new Date('2026-11-26T02:00:00.000Z')
  beforeEach(() => deps.setNow(T0))

  /** The world with 郭杰华 (both rows), 田志 and 邓雨英 bound to their accounts. */
  async function world() {
    const w = await makeObjectionsWorld(env.db, deps)
    const guo = await w.account('郭杰华')
    await w.bind(guo, '1栋', '101', '郭杰华', '13900000001')
    await w.bind(guo, '1栋', '102', '郭杰华', '13900000001')
    const tian = await w.account('田志')
    await w.bind(tian, '1栋', '201', '田志', '13900000002')
    await w.bind(tian, '2栋', '201', '田志', '13900000002')
    const deng = await w.account('邓雨英')
    await w.bind(deng, '1栋', '202', '邓雨英', '13900000003')
    return { ...w, guo, tian, deng }
  }
  const refused = async (action: string, input: object, userId: string, code: string, text?: string) => {
    const res = await call(deps, action, input, userId)
    expect(res.ok).toBe(false)
    if (!res.ok) {
      expect(res.error.code).toBe(code)
      if (text) expect(res.error.message).toContain(text)
    }
  }

  test('owners see their own electorate entry from the announcement on', async () => {
    const w = await world()
    // A draft is the committee's working paper: to an owner it does not exist.
    const draft = await ok(deps, 'createVote', { communityId: w.a, title: '草稿', scope: 'whole', opensAt: new Date(T0.getTime() + 20 * 86_400_000).toISOString(), closesAt: new Date(T0.getTime() + 27 * 86_400_000).toISOString(), matters: [{ item: 9, title: '草稿事项' }] }, w.chair)
    await refused('myElectorate', { communityId: w.a, voteId: draft.id }, w.guo, 'NotFound')

    const vote = await w.announce()
    const ref = { communityId: w.a, voteId: vote.voteId }
    // Eight units; 郭杰华 (one by phone), 田志+陈洋平, 邓雨英, 王芳 twice, 田志 alone, the developer: seven.
    const totals = { units: 8, areaCentiM2: TOTAL_AREA, headcount: 7 }
    const guo = await ok(deps, 'myElectorate', ref, w.guo)
    expect(guo).toMatchObject({ basis: 'forecast', totals, note: null, canObject: true, objections: [] })
    expect(guo.voters).toEqual([
      {
        kind: 'sole',
        units: [{ label: '1栋1单元101室', areaCentiM2: 8956 }, { label: '1栋1单元102室', areaCentiM2: 8956 }],
        areaCentiM2: 17912,
        headcount: 1,
        howCounted: '您单独所有的 2 套房屋合计为一票：面积相加，人数计 1 人。',
      },
    ])
    // Sole owner of one unit and co-owner of another: two buyers, two keys, and it is said.
    const tian = await ok(deps, 'myElectorate', ref, w.tian)
    expect(tian.voters.map((v: any) => [v.kind, v.units.map((u: any) => u.label), v.areaCentiM2])).toEqual([
      ['co_owned', ['1栋1单元201室'], 8956],
      ['sole', ['2栋1单元201室'], 9000],
    ])
    expect(tian.voters[0].howCounted).toContain('共有人合计为一票')
    expect(tian.note).toBe('您单独所有的房屋与您和他人共有的房屋，按法律是两个不同的买受人：各计 1 人，各投一票。')
    // The chair owns nothing: no entry, and may not object.
    const chair = await ok(deps, 'myElectorate', ref, w.chair)
    expect(chair).toMatchObject({ basis: 'forecast', voters: [], canObject: false, objectionNote: '只有本小区的业主可以提出异议。' })
    expect(chair.note).toContain('名册上没有您在表决范围内的房屋')

    // Before opening the entry follows the roster (the committee's decisions included)…
    const [wang1, wang2] = await w.persons('王芳')
    await ok(deps, 'decideRosterDuplicate', { communityId: w.a, personA: wang1.id, personB: wang2.id, decision: 'merge' }, w.chair)
    expect((await ok(deps, 'myElectorate', ref, w.guo)).totals).toEqual({ ...totals, headcount: 6 })

    // …after opening it is the frozen electorate: a re-import that drops 邓雨英 does not change it.
    deps.setNow(vote.opensAt)
    await ok(deps, 'openVote', ref, w.chair)
    await ok(deps, 'importRoster', { communityId: w.a, fileName: 'fix.csv', fileBase64: csv('1栋,1单元,202,89.56,是,刘洋,13900000009,') }, w.chair)
    const deng = await ok(deps, 'myElectorate', ref, w.deng)
    expect(deng).toMatchObject({ basis: 'frozen', totals: { ...totals, headcount: 6 }, canObject: false })
    expect(deng.voters).toEqual([{ kind: 'sole', units: [{ label: '1栋1单元202室', areaCentiM2: 8956 }], areaCentiM2: 8956, headcount: 1, howCounted: '您单独所有这套房屋：面积计入，人数计 1 人。' }])
    expect(deng.objectionNote).toContain('投票已经开始')
  })

  test('the totals of the electorate are published in the announcement', async () => {
    const w = await world()
    const vote = await w.announce()
    const detail = await ok(deps, 'getVote', { communityId: w.a, voteId: vote.voteId }, w.guo)
    const notice = await env.db.selectFrom('notices').select('body').where('id', '=', detail.announceNoticeId).executeTakeFirstOrThrow()
    expect(notice.body).toContain('专有部分 8 套，总面积 758.24 ㎡，业主 7 人')
    expect(notice.body).toContain('有异议请在开始投票前提出')
  })

  test('an objection is raised before the vote opens only', async () => {
    const w = await world()
    const vote = await w.announce()
    const ref = { communityId: w.a, voteId: vote.voteId }
    await refused('raiseObjection', { ...ref, text: '   ' }, w.guo, 'BadInput', '请写下您的异议')
    await refused('raiseObjection', { ...ref, text: '异'.repeat(501) }, w.guo, 'BadInput', '最多 500 个字')
    // Not an owner: the chair, and an account of no role in A.
    await refused('raiseObjection', { ...ref, text: '我也有意见' }, w.chair, 'Forbidden')
    await refused('raiseObjection', { ...ref, text: '我也有意见' }, await w.account('路人'), 'Forbidden')

    // One millisecond before the opening time: accepted.
    deps.setNow(new Date(vote.opensAt.getTime() - 1))
    const raised = await ok(deps, 'raiseObjection', { ...ref, text: ' 1栋102室的面积应为 90.12 ㎡ ' }, w.guo)
    expect(raised).toMatchObject({ text: '1栋102室的面积应为 90.12 ㎡', answer: null, answeredAt: null })
    // At the opening time, even before the clock has opened the vote: refused.
    deps.setNow(vote.opensAt)
    await refused('raiseObjection', { ...ref, text: '再补充一点' }, w.guo, 'Conflict', '开始，不能再提出异议')
    // Opened: refused, with what to do instead.
    await ok(deps, 'openVote', ref, w.chair)
    await refused('raiseObjection', { ...ref, text: '再补充一点' }, w.guo, 'Conflict', '投票已经开始，业主名单已经冻结，不能再提出异议；如有问题请直接联系业委会')
    const mine = await ok(deps, 'myElectorate', ref, w.guo)
    expect(mine.objections.map((o: any) => o.text)).toEqual(['1栋102室的面积应为 90.12 ㎡'])
    expect(mine.canObject).toBe(false)
  })

  test('an owner raises at most five objections to one vote', async () => {
    const w = await world()
    const vote = await w.announce()
    const ref = { communityId: w.a, voteId: vote.voteId }
    for (let i = 1; i <= 5; i++) await ok(deps, 'raiseObjection', { ...ref, text: `第 ${i} 条` }, w.deng)
    await refused('raiseObjection', { ...ref, text: '第 6 条' }, w.deng, 'Conflict', '最多提出 5 条')
    // Another owner is not limited by 邓雨英's.
    await ok(deps, 'raiseObjection', { ...ref, text: '我的' }, w.tian)
  })

  test('the committee answers each objection once and the owner sees the answer', async () => {
    const w = await world()
    const vote = await w.announce()
    const ref = { communityId: w.a, voteId: vote.voteId }
    const first = await ok(deps, 'raiseObjection', { ...ref, text: '我和陈洋平共有的 201 室应算我一票' }, w.tian)
    deps.setNow(new Date(T0.getTime() + 60_000))
    await ok(deps, 'raiseObjection', { ...ref, text: '面积不对' }, w.guo)

    await refused('voteObjections', ref, w.tian, 'Forbidden')
    const list: any[] = await ok(deps, 'voteObjections', ref, w.chair)
    expect(list.map((o) => [o.text, o.raisedByName, o.units, o.answer])).toEqual([
      ['我和陈洋平共有的 201 室应算我一票', '田志', ['1栋1单元201室', '2栋1单元201室'], null],
      ['面积不对', '郭杰华', ['1栋1单元101室', '1栋1单元102室'], null],
    ])

    await refused('answerObjection', { ...ref, objectionId: first.id, answer: '我自己答复' }, w.tian, 'Forbidden')
    await refused('answerObjection', { ...ref, objectionId: first.id, answer: '' }, w.chair, 'BadInput', '请写下答复')
    await refused('answerObjection', { ...ref, objectionId: 'no-such-objection', answer: '好' }, w.chair, 'NotFound')
    // Another 小区's committee cannot see or answer A's objections.
    await refused('voteObjections', ref, w.chairB, 'Forbidden')
    const answer = '共有房屋由共有人合计一票，您单独所有的 2栋201室另计一票，登记无误。'
    const answered = await ok(deps, 'answerObjection', { ...ref, objectionId: first.id, answer }, w.member)
    expect(answered).toMatchObject({ answer, answeredByName: 'member', raisedByName: '田志' })
    await refused('answerObjection', { ...ref, objectionId: first.id, answer: '改一下答复' }, w.chair, 'Conflict', '已经答复过了')

    // Unanswered first.
    expect((await ok(deps, 'voteObjections', ref, w.chair)).map((o: any) => o.text)).toEqual(['面积不对', '我和陈洋平共有的 201 室应算我一票'])
    // The owner sees the answer; another owner sees only their own objections.
    const tian = await ok(deps, 'myElectorate', ref, w.tian)
    expect(tian.objections).toEqual([{ id: first.id, text: first.text, raisedAt: first.raisedAt, answer, answeredAt: T0.toISOString().replace('02:00:00', '02:01:00') }])
    expect((await ok(deps, 'myElectorate', ref, w.guo)).objections.map((o: any) => o.text)).toEqual(['面积不对'])
    // The committee answers even after the vote opened.
    deps.setNow(vote.opensAt)
    await ok(deps, 'openVote', ref, w.chair)
    const second = (await ok(deps, 'voteObjections', ref, w.chair))[0]
    await ok(deps, 'answerObjection', { ...ref, objectionId: second.id, answer: '已核对' }, w.chair)

    const actions = await env.db.selectFrom('audit_log').select(['action', 'actor', 'entity_id']).where('community_id', '=', w.a).where('entity_type', '=', 'vote_objection').orderBy('seq').execute()
    expect(actions.map((a) => [a.action, a.actor])).toEqual([
      ['vote.objection_raised', w.tian],
      ['vote.objection_raised', w.guo],
      ['vote.objection_answered', w.member],
      ['vote.objection_answered', w.chair],
    ])
    expect((await verifyChain({ db: env.db, config: deps.config }, w.a)).ok).toBe(true)
  })
})
