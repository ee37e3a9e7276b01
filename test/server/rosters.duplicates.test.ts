import { verifyChain } from '../../server/audit/audit.service'
import { DIALECTS, useTestDb } from '../helpers/db'
import { csv, makeObjectionsWorld, ROSTER } from '../helpers/objections-world'
import { call, ok } from '../helpers/world'

/**
 * One owner, one headcount (issue 8 item 1), the committee's part: the roster import warns about
 * two rows of one name with different contact details; the committee merges them or keeps them
 * apart; the decision is applied when a vote opens and recorded in the 小区's audit log. Worlds are
 * built through the real roster import and binding.
 */
describe.each(DIALECTS)('same name, different contact details (%s)', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  const T0 = new Date('2026-11-26T02:00:00.000Z')
  beforeEach(() => deps.setNow(T0))

  /** Opens the vote at its opening time; answers its frozen electorate by voter key. */
  async function openAndFreeze(w: Awaited<ReturnType<typeof makeObjectionsWorld>>, vote: { voteId: string; opensAt: Date }) {
    deps.setNow(vote.opensAt)
    await ok(deps, 'openVote', { communityId: w.a, voteId: vote.voteId }, w.chair)
    const voters: { voterKey: string; units: string[] }[] = await ok(deps, 'voteElectorate', { communityId: w.a, voteId: vote.voteId }, w.chair)
    return voters.map((v) => [...v.units].sort())
  }
  const auditOf = (communityId: string, action: string) =>
    env.db.selectFrom('audit_log').selectAll().where('community_id', '=', communityId).where('action', '=', action).orderBy('seq').execute()

  test('the roster import warns when two rows have the same name with different contact details', async () => {
    const w = await makeObjectionsWorld(env.db, deps)
    const preview = await ok(deps, 'previewRoster', { communityId: w.b, fileName: 'roster.csv', fileBase64: csv(...ROSTER) }, w.chairB)
    // 郭杰华: one phone, ID digits on one row only → counted as one unless kept apart.
    // 王芳: two phones → two unless merged. 田志 written twice with the same phone and no ID: one
    // person, no warning; 田志 and 陈洋平 share a phone but not a name: no warning.
    expect(preview.warnings.map((x: any) => [x.name, x.linesA, x.linesB, x.countedAsOne])).toEqual([
      ['郭杰华', [2], [3], true],
      ['王芳', [6], [7], false],
    ])
    expect(preview.warnings[0].message).toBe(
      '第 2 行与第 3 行：业主姓名都是“郭杰华”，但一处填了身份证后四位、一处没有。因为电话相同，投票时会算作同一位业主（计 1 人）；如果其实是同名的两个人，导入后请选“不同的人，分开”。',
    )
    expect(preview.warnings[1].message).toBe('第 6 行与第 7 行：业主姓名都是“王芳”，但电话不同（139****0005、139****0006）。投票时会算作两位业主（计 2 人）；如果是同一个人，导入后请选“同一人，合并”。')
    // The import answers the same warnings.
    expect(w.imported.warnings).toEqual(preview.warnings)

    // Boundaries: same name with the same ID digits and no phone → one person, no warning; same name
    // with neither phone nor ID digits → two people, warned; three of one name → every pair.
    const more = await ok(
      deps,
      'previewRoster',
      {
        communityId: w.b,
        fileName: 'b.csv',
        fileBase64: csv('1,1,101,50,否,李明,,0239', '1,1,102,50,否,李明,,239', '1,1,201,50,否,张伟,,', '1,1,202,50,否,张伟,,', '1,1,301,50,否,张伟,13700000000,'),
      },
      w.chairB,
    )
    expect(more.warnings.map((x: any) => [x.name, x.linesA, x.linesB, x.countedAsOne])).toEqual([
      ['张伟', [4], [5], false],
      ['张伟', [4], [6], false],
      ['张伟', [5], [6], false],
    ])
    expect(more.warnings[0].message).toContain('都没有填电话和身份证后四位')
    expect(more.warnings[1].message).toContain('一处有电话（137****0000）、一处没有')
  })

  test('the committee can merge two rows of one owner: one voter key when the vote opens', async () => {
    const w = await makeObjectionsWorld(env.db, deps)
    const [wang1, wang2] = await w.persons('王芳')
    const before = (await ok(deps, 'listRosterDuplicates', { communityId: w.a }, w.chair)) as any[]
    expect(before.map((p) => [p.name, p.automatic, p.decision, p.countedAsOne])).toEqual([
      ['郭杰华', 'phone', null, true],
      ['王芳', null, null, false],
    ])
    expect(before[1].a).toMatchObject({ personId: wang1.id, name: '王芳', phone: '139****0005', hasIdDigits: false, bound: false, units: ['2栋1单元101室'] })
    expect(before[1].message).toBe('联系方式不同，投票时算作两位业主（计 2 人）。如果是同一个人，请选“同一人，合并”。')

    const merged = await ok(deps, 'decideRosterDuplicate', { communityId: w.a, personA: wang2.id, personB: wang1.id, decision: 'merge' }, w.chair)
    expect(merged).toMatchObject({ name: '王芳', decision: 'merge', countedAsOne: true, message: '已确认是同一人：投票时算作同一位业主（计 1 人）。' })

    const vote = await w.announce()
    const keys = await openAndFreeze(w, vote)
    // 郭杰华 (one by phone), 田志+陈洋平, 邓雨英, 王芳 (merged), 田志 alone, the developer: six.
    expect(keys).toHaveLength(6)
    expect(keys).toContainEqual(['2栋1单元101室', '2栋1单元102室'])
    expect(keys).toContainEqual(['1栋1单元101室', '1栋1单元102室'])

    const [entry] = await auditOf(w.a, 'roster.owners_merged')
    expect(entry).toMatchObject({ actor: w.chair, entity_type: 'roster_person_pair', entity_id: [wang1.id, wang2.id].sort().join('+') })
    expect(JSON.parse(entry.payload)).toMatchObject({ name: '王芳', decision: 'merge', previous: null })
    expect((await verifyChain({ db: env.db, config: deps.config }, w.a)).ok).toBe(true)
  })

  test('kept apart: two rows of one name are never merged, even when name and phone match', async () => {
    const w = await makeObjectionsWorld(env.db, deps)
    const [guo1, guo2] = await w.persons('郭杰华')
    const apart = await ok(deps, 'decideRosterDuplicate', { communityId: w.a, personA: guo1.id, personB: guo2.id, decision: 'apart' }, w.member)
    expect(apart).toMatchObject({ automatic: 'phone', decision: 'apart', countedAsOne: false, message: '已确认是不同的人：投票时算作两位业主（计 2 人）。' })
    const vote = await w.announce()
    const keys = await openAndFreeze(w, vote)
    // Without the decision seven keys (王芳 twice); kept apart, 郭杰华's two rows are two more: eight.
    expect(keys).toHaveLength(8)
    expect(keys).toContainEqual(['1栋1单元101室'])
    expect(keys).toContainEqual(['1栋1单元102室'])
    const [entry] = await auditOf(w.a, 'roster.owners_kept_apart')
    expect(entry).toMatchObject({ actor: w.member })
  })

  test('a decision changes only votes opened after it; a changed decision is logged with the one it replaces', async () => {
    const w = await makeObjectionsWorld(env.db, deps)
    const [wang1, wang2] = await w.persons('王芳')
    const vote = await w.announce()
    const frozen = await openAndFreeze(w, vote)
    expect(frozen).toHaveLength(7)
    await ok(deps, 'decideRosterDuplicate', { communityId: w.a, personA: wang1.id, personB: wang2.id, decision: 'merge' }, w.chair)
    const after: any[] = await ok(deps, 'voteElectorate', { communityId: w.a, voteId: vote.voteId }, w.chair)
    expect(after).toHaveLength(7)
    await ok(deps, 'decideRosterDuplicate', { communityId: w.a, personA: wang1.id, personB: wang2.id, decision: 'apart' }, w.chair)
    const merged = await auditOf(w.a, 'roster.owners_merged')
    const keptApart = await auditOf(w.a, 'roster.owners_kept_apart')
    expect(merged).toHaveLength(1)
    expect(JSON.parse(keptApart[0].payload)).toMatchObject({ decision: 'apart', previous: 'merge' })
    const pairs: any[] = await ok(deps, 'listRosterDuplicates', { communityId: w.a }, w.chair)
    expect(pairs.find((p) => p.name === '王芳')).toMatchObject({ decision: 'apart', countedAsOne: false })
  })

  test('one account is one owner: two rows bound to it cannot be kept apart', async () => {
    const w = await makeObjectionsWorld(env.db, deps)
    const guo = await w.account('郭杰华')
    await w.bind(guo, '1栋', '101', '郭杰华', '13900000001')
    await w.bind(guo, '1栋', '102', '郭杰华', '13900000001')
    const [guo1, guo2] = await w.persons('郭杰华')
    const res = await call(deps, 'decideRosterDuplicate', { communityId: w.a, personA: guo1.id, personB: guo2.id, decision: 'apart' }, w.chair)
    expect(res.ok).toBe(false)
    if (!res.ok) {
      expect(res.error.code).toBe('Conflict')
      expect(res.error.message).toContain('同一个微信账号')
    }
    const pairs: any[] = await ok(deps, 'listRosterDuplicates', { communityId: w.a }, w.chair)
    expect(pairs.find((p) => p.name === '郭杰华')).toMatchObject({ automatic: 'account', countedAsOne: true, a: { bound: true }, b: { bound: true } })
    expect(await auditOf(w.a, 'roster.owners_kept_apart')).toHaveLength(0)
  })

  test('decisions are refused for owners, other names, other 小区 and contradictions', async () => {
    const w = await makeObjectionsWorld(env.db, deps)
    const [wang1, wang2] = await w.persons('王芳')
    const [guo1] = await w.persons('郭杰华')
    const owner = await w.account('王芳')
    await w.bind(owner, '2栋', '101', '王芳', '13900000005')
    const refused = async (input: object, userId: string, code: string, text?: string) => {
      const res = await call(deps, 'decideRosterDuplicate', { communityId: w.a, ...input }, userId)
      expect(res.ok).toBe(false)
      if (!res.ok) {
        expect(res.error.code).toBe(code)
        if (text) expect(res.error.message).toContain(text)
      }
    }
    await refused({ personA: wang1.id, personB: wang2.id, decision: 'merge' }, owner, 'Forbidden')
    await refused({ personA: wang1.id, personB: guo1.id, decision: 'merge' }, w.chair, 'BadInput', '姓名不同')
    await refused({ personA: wang1.id, personB: wang1.id, decision: 'merge' }, w.chair, 'BadInput')
    await refused({ personA: wang1.id, personB: 'no-such-person', decision: 'merge' }, w.chair, 'NotFound')
    await refused({ personA: wang1.id, personB: wang2.id, decision: 'join' }, w.chair, 'BadInput')
    // Another 小区's committee does not decide for A.
    const other = await call(deps, 'decideRosterDuplicate', { communityId: w.a, personA: wang1.id, personB: wang2.id, decision: 'merge' }, w.chairB)
    expect(other.ok).toBe(false)

    // Three of one name in 小区 B: A–B and B–C merged, then A–C kept apart contradicts them.
    await ok(deps, 'importRoster', { communityId: w.b, fileName: 'b.csv', fileBase64: csv('1,1,101,50,否,张伟,13700000001,', '1,1,102,50,否,张伟,13700000002,', '1,1,201,50,否,张伟,13700000003,') }, w.chairB)
    const zhang = (await env.db.selectFrom('persons').select('id').where('community_id', '=', w.b).where('name', '=', '张伟').orderBy('phone').execute()).map((p) => p.id)
    await ok(deps, 'decideRosterDuplicate', { communityId: w.b, personA: zhang[0], personB: zhang[1], decision: 'merge' }, w.chairB)
    await ok(deps, 'decideRosterDuplicate', { communityId: w.b, personA: zhang[1], personB: zhang[2], decision: 'merge' }, w.chairB)
    const res = await call(deps, 'decideRosterDuplicate', { communityId: w.b, personA: zhang[0], personB: zhang[2], decision: 'apart' }, w.chairB)
    expect(res.ok).toBe(false)
    if (!res.ok) expect(res.error).toMatchObject({ code: 'Conflict', message: expect.stringContaining('矛盾') })
    const pairs: any[] = await ok(deps, 'listRosterDuplicates', { communityId: w.b }, w.chairB)
    expect(pairs.every((p) => p.countedAsOne)).toBe(true)
  })
})
