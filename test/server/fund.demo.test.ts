import { OLD_CAP_NO_ELEVATOR_FEN } from '../../src/contracts/fund'
import { verifyAuditAll } from '../../server/audit/verifiers'
import { seedDemo } from '../../server/demo/seed'
import { DIALECTS, useTestDb } from '../helpers/db'
import { ok } from '../helpers/world'

/** The demo's 文清苑 shows every kind of repair-fund entry, all made through the services and the real vote actions. */
describe.each(DIALECTS)('the repair-fund demo (%s)', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let wenqing: string
  beforeAll(async () => {
    expect(await seedDemo(deps)).toBe(true)
    wenqing = (await env.db.selectFrom('communities').select('id').where('name', '=', '文清苑').executeTakeFirstOrThrow()).id
  }, 120_000)
  const userOf = async (key: string) => (await env.db.selectFrom('users').select('id').where('openid', '=', `demo:${key}`).executeTakeFirstOrThrow()).id

  test('文清苑 has a scheme at the cap (5栋 left to set), deposits with matches, one voted expense and one emergency expense', async () => {
    const committee = await userOf('committee-old')
    const setup = await ok(deps, 'fundSetup', { communityId: wenqing }, committee)
    expect(setup.buildings.length).toBeGreaterThan(1)
    // Every building at the cap but 5栋, left for the committee to set.
    for (const b of setup.buildings) expect(b.schemes).toMatchObject(b.name === '5栋' ? [] : [{ kind: 'initial', rateFen: OLD_CAP_NO_ELEVATOR_FEN }])
    expect(setup.buildings.map((b: { name: string }) => b.name)).toContain('5栋')
    const ledger = await ok(deps, 'fundLedger', { communityId: wenqing }, committee)
    expect(ledger.totals.depositedFen).toBeGreaterThan(0)
    expect(ledger.totals.matchedFen).toBe(ledger.totals.depositedFen)
    expect(ledger.expenses.map((x: { kind: string }) => x.kind).sort()).toEqual(['emergency', 'ordinary'])
    const voted = ledger.expenses.find((x: { kind: string }) => x.kind === 'ordinary')
    const vote = await env.db.selectFrom('votes').select(['status', 'title']).where('id', '=', voted.voteId).executeTakeFirstOrThrow()
    expect(vote.status).toBe('closed')
    const result = await env.db.selectFrom('vote_results').select('passed').where('vote_id', '=', voted.voteId).executeTakeFirstOrThrow()
    expect(Number(result.passed)).toBe(1)
    const emergency = ledger.expenses.find((x: { kind: string }) => x.kind === 'emergency')
    expect(emergency.noticeId).toBeTruthy()
    const arrears = await ok(deps, 'fundArrears', { communityId: wenqing }, committee)
    expect(arrears.some((b: { unpaidUnits: unknown[] }) => b.unpaidUnits.length > 0)).toBe(true)
    expect((await verifyAuditAll(env.db, [wenqing]))[0]).toMatchObject({ ok: true })
  })

  test('the demo owners see their accounts; 郭杰华 of 2栋 his share of the voted expense, 田志 of 3栋 the emergency', async () => {
    const guo = await ok(deps, 'myFund', { communityId: wenqing }, await userOf('owner-multi'))
    expect(guo.accounts.length).toBeGreaterThan(0)
    expect(guo.accounts.some((a: { entries: { kind: string }[] }) => a.entries.some((e) => e.kind === 'match'))).toBe(true)
    expect(guo.accounts.some((a: { unitLabel: string; spentFen: number }) => a.unitLabel.startsWith('2栋') && a.spentFen > 0)).toBe(true)
    const tian = await ok(deps, 'myFund', { communityId: wenqing }, await userOf('owner-coowned'))
    expect(tian.accounts[0].entries.some((e: { kind: string; note: string }) => e.kind === 'expense' && e.note.includes('水泵'))).toBe(true)
  })
})
