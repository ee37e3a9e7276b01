import { MAX_ACCOUNT_ATTEMPTS, MAX_AUTO_ATTEMPTS } from '../../server/rosters/binding.service'
import { DIALECTS, useTestDb } from '../helpers/db'
import { makeUser, makeWorld, ok } from '../helpers/world'

const HEADER = '楼栋,单元,房号,建筑面积(㎡),是否电梯,业主姓名,联系电话,身份证后四位'
const csv = (...lines: string[]) => Buffer.from([HEADER, ...lines].join('\n'), 'utf8').toString('base64')

const ROSTER = csv(
  '1栋,1单元,101,89.56,是,王伟,13912345678,552X',
  '1栋,1单元,102,118.20,是,李娜,13900000002,1234',
  '1栋,1单元,201,89.56,是,周杰,13900000006,2222',
  '1栋,1单元,202,89.56,是,吴芳,13900000007,3333',
  '2栋,1单元,101,70,是,赵敏,13900000003,4444',
  '10栋,1单元,101,70,是,钱程,13900000004,4321',
)

/** The answer of a claim that was not checked because of the lock. */
const LOCKED = /多次核对未成功/

/**
 * The binding lock (issue 9, item 1): claims are counted atomically per unit across accounts and
 * per account across units, the count survives a committee decision, the committee sees which
 * requests came after the lock, and concurrent claims cannot slip past it. Typed details never
 * bind by themselves (issue 13): a checked claim that matches the roster is flagged for the
 * committee (与名册一致, one tap); the lock limits how many claims are checked and so flagged.
 */
describe.each(DIALECTS)('the binding lock on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)

  async function setup() {
    const w = await makeWorld(env.db)
    const chair = await makeUser(env.db, 'chair', 'committee_chair', { communityId: w.a })
    await ok(deps, 'importRoster', { communityId: w.a, fileName: 'roster.csv', fileBase64: ROSTER }, chair)
    return { ...w, chair }
  }
  const claim = (communityId: string, building: string, room: string, extra: Record<string, string>) => ({ communityId, building, stair: '1单元', room, ...extra })
  const boundUser = async (communityId: string, name: string) =>
    (await env.db.selectFrom('persons').select('user_id').where('community_id', '=', communityId).where('name', '=', name).executeTakeFirstOrThrow()).user_id
  const flagOf = async (bindingId: string) => (await env.db.selectFrom('bindings').select('roster_match').where('id', '=', bindingId).executeTakeFirstOrThrow()).roster_match

  test(`60 concurrent guesses by one account at one unit: exactly ${MAX_AUTO_ATTEMPTS} are checked, and the right digits afterwards do not bind`, async () => {
    const w = await setup()
    const guesser = await makeUser(env.db, 'guesser')
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => ok(deps, 'bindUnit', claim(w.a, '1栋', '101', { name: '王伟', idLast4: String(1000 + i) }), guesser)),
    )
    expect(answers.every((a) => a.status === 'pending')).toBe(true)
    expect(answers.filter((a) => !LOCKED.test(a.message))).toHaveLength(MAX_AUTO_ATTEMPTS)
    // One request, however many claims raced.
    expect(new Set(answers.map((a) => a.bindingId)).size).toBe(1)
    const right = await ok(deps, 'bindUnit', claim(w.a, '1栋', '101', { name: '王伟', idLast4: '552X' }), guesser)
    expect(right).toMatchObject({ status: 'pending', message: expect.stringMatching(LOCKED) })
    expect(await boundUser(w.a, '王伟')).toBeNull()
    // The committee sees that the request came after the lock, and it is not marked as matching.
    const list = await ok(deps, 'listBindingRequests', { communityId: w.a }, w.chair)
    expect(list.items).toEqual([expect.objectContaining({ id: right.bindingId, lockedAt: expect.any(String), rosterMatch: false })])
  })

  test('60 concurrent guesses with the right one among them: still exactly 5 checked, none binds, and the request is flagged only if the right one was checked', async () => {
    const w = await setup()
    const guesser = await makeUser(env.db, 'guesser')
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => ok(deps, 'bindUnit', claim(w.a, '1栋', '101', { name: '王伟', idLast4: i === 30 ? '552X' : String(1000 + i) }), guesser)),
    )
    const checked = answers.filter((a) => !LOCKED.test(a.message))
    expect(checked).toHaveLength(MAX_AUTO_ATTEMPTS)
    expect(answers.every((a) => a.status === 'pending')).toBe(true)
    expect(await boundUser(w.a, '王伟')).toBeNull()
    // Each claim writes its own result on the one request: flagged only by a checked right claim.
    if ((await flagOf(answers[0].bindingId)) === 1) expect(checked).toContain(answers[30])
  })

  test('three accounts × 5 guesses: the right details afterwards are neither checked nor flagged (the count is per unit across accounts)', async () => {
    const w = await setup()
    const [a, b, c] = [await makeUser(env.db, 'a'), await makeUser(env.db, 'b'), await makeUser(env.db, 'c')]
    for (let i = 0; i < MAX_AUTO_ATTEMPTS; i++) await ok(deps, 'bindUnit', claim(w.a, '10栋', '101', { name: '钱程', idLast4: String(2000 + i) }), a)
    for (let i = 0; i < MAX_AUTO_ATTEMPTS - 1; i++) await ok(deps, 'bindUnit', claim(w.a, '10栋', '101', { name: '钱程', idLast4: String(3000 + i) }), b)
    const byB = await ok(deps, 'bindUnit', claim(w.a, '10栋', '101', { name: '钱程', idLast4: '4321' }), b)
    expect(byB).toMatchObject({ status: 'pending', message: expect.stringMatching(LOCKED) })
    const byC = await ok(deps, 'bindUnit', claim(w.a, '10栋', '101', { name: '钱程', phone: '13900000004' }), c)
    expect(byC).toMatchObject({ status: 'pending', message: expect.stringMatching(LOCKED) })
    expect([await flagOf(byB.bindingId), await flagOf(byC.bindingId)]).toEqual([0, 0])
    expect(await boundUser(w.a, '钱程')).toBeNull()
  })

  test(`one account spreading guesses over units is stopped after ${MAX_ACCOUNT_ATTEMPTS} claims`, async () => {
    const w = await setup()
    const spreader = await makeUser(env.db, 'spreader')
    const targets: Array<[string, string, string]> = [['1栋', '101', '王伟'], ['1栋', '102', '李娜'], ['1栋', '201', '周杰'], ['1栋', '202', '吴芳'], ['2栋', '101', '赵敏']]
    let n = 0
    for (const [building, room, name] of targets) {
      for (let i = 0; i < 2; i++) {
        const res = await ok(deps, 'bindUnit', claim(w.a, building, room, { name, idLast4: String(5000 + n++) }), spreader)
        expect(res.message).not.toMatch(LOCKED)
      }
    }
    expect(n).toBe(MAX_ACCOUNT_ATTEMPTS)
    // A fresh unit, the right digits: this account's claims are no longer checked.
    const locked = await ok(deps, 'bindUnit', claim(w.a, '10栋', '101', { name: '钱程', idLast4: '4321' }), spreader)
    expect(locked).toMatchObject({ status: 'pending', message: expect.stringMatching(LOCKED) })
    expect(await flagOf(locked.bindingId)).toBe(0)
    expect(await boundUser(w.a, '钱程')).toBeNull()
    // Another account is not locked by it: its claim is checked and flagged for the committee, bound by nobody yet.
    const owner = await makeUser(env.db, 'qian')
    const checked = await ok(deps, 'bindUnit', claim(w.a, '10栋', '101', { name: '钱程', idLast4: '4321' }), owner)
    expect(checked).toMatchObject({ status: 'pending', message: expect.not.stringMatching(LOCKED) })
    expect(await flagOf(checked.bindingId)).toBe(1)
    expect(await boundUser(w.a, '钱程')).toBeNull()
  })

  test('the count survives a committee rejection; the committee can still approve a locked request', async () => {
    const w = await setup()
    const guesser = await makeUser(env.db, 'guesser')
    let last: any
    for (let i = 0; i < MAX_AUTO_ATTEMPTS; i++) last = await ok(deps, 'bindUnit', claim(w.a, '1栋', '102', { name: '李娜', idLast4: String(7000 + i) }), guesser)
    await ok(deps, 'decideBinding', { communityId: w.a, bindingId: last.bindingId, approve: false, reason: '信息不符' }, w.chair)
    const again = await ok(deps, 'bindUnit', claim(w.a, '1栋', '102', { name: '李娜', idLast4: '1234' }), guesser)
    expect(again).toMatchObject({ status: 'pending', message: expect.stringMatching(LOCKED) })
    expect(again.bindingId).not.toBe(last.bindingId)
    expect(await boundUser(w.a, '李娜')).toBeNull()
    // The real owner, verified in person, is approved by the committee.
    const owner = await makeUser(env.db, 'li')
    const req = await ok(deps, 'bindUnit', claim(w.a, '1栋', '102', { name: '李娜', phone: '13900000002' }), owner)
    expect(req).toMatchObject({ status: 'pending', message: expect.stringMatching(LOCKED) })
    const listed = await ok(deps, 'listBindingRequests', { communityId: w.a }, w.chair)
    expect(listed.items.find((r: any) => r.id === req.bindingId)).toMatchObject({ lockedAt: deps.now().toISOString(), rosterMatch: false, needsProof: false })
    expect(await ok(deps, 'decideBinding', { communityId: w.a, bindingId: req.bindingId, approve: true }, w.chair)).toMatchObject({ status: 'approved' })
    expect(await boundUser(w.a, '李娜')).toBe(owner)
  })
})
