import { DIALECTS, useTestDb } from '../helpers/db'
import { call, makeUser, ok } from '../helpers/world'
import { DAY_MS, makeVoteWorld, type VoteWorld } from '../helpers/votes-world'
import { systemCtx } from '../../server/context'
import { advanceVotes } from '../../server/votes/vote.clock'
import { tinyJpeg } from '../helpers/images'

/**
 * Cross-小区 id confusion: a caller with the right role in 小区 A who names A as the communityId
 * but passes an id that belongs to 小区 B (a vote, a matter, a voter, a receipt, a building, an
 * evidence photo) gets NotFound or Forbidden, and nothing changes in either 小区.
 */
describe.each(DIALECTS)('votes: ids of another 小区 lead nowhere on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: VoteWorld
  const T = new Date('2026-11-26T02:00:00.000Z')
  const ids = {} as {
    voteA: string
    matterA: string
    voterKeyA: string
    evidenceA: string
    openB: string
    closedB: string
    draftB: string
    matterB: string
    voterKeyB: string
    receiptB: string
    buildingB: string
    evidenceB: string
  }
  const jpeg = tinyJpeg(64, 7).toString('base64')

  beforeAll(async () => {
    w = await makeVoteWorld(env.db)
    deps.setNow(T)
    const chairB = await makeUser(env.db, 'chairB-tenancy', 'committee_chair', { communityId: w.b })
    const opensAt = new Date(T.getTime() + 16 * DAY_MS)
    const mk = async (communityId: string, chair: string, days: number, announce = true) => {
      const v = await ok(deps, 'createVote', { communityId, title: `表决${days}`, scope: 'whole', opensAt: opensAt.toISOString(), closesAt: new Date(opensAt.getTime() + days * DAY_MS).toISOString(), matters: [{ item: 4, title: '续聘物业' }] }, chair)
      if (announce) await ok(deps, 'announceVote', { communityId, voteId: v.id }, chair)
      return v
    }
    const voteA = await mk(w.a, w.chair, 10)
    const openB = await mk(w.b, chairB, 10)
    const closedB = await mk(w.b, chairB, 5)
    const draftB = await mk(w.b, chairB, 7, false)
    Object.assign(ids, { voteA: voteA.id, matterA: voteA.matters[0].id, openB: openB.id, closedB: closedB.id, draftB: draftB.id, matterB: openB.matters[0].id })

    deps.setNow(new Date(opensAt.getTime() + 3_600_000))
    await advanceVotes(systemCtx(deps))
    const cast = (voteId: string, matterId: string) => ok(deps, 'castBallot', { communityId: w.b, voteId, confirmed: true, choices: [{ matterId, choice: 'agree' }] }, w.ownerB)
    ids.receiptB = (await cast(openB.id, openB.matters[0].id)).receiptCode
    await cast(closedB.id, closedB.matters[0].id)
    ids.voterKeyB = (await ok(deps, 'voteElectorate', { communityId: w.b, voteId: openB.id }, chairB)).find((e: any) => e.kind === 'sole').voterKey
    ids.voterKeyA = (await ok(deps, 'voteElectorate', { communityId: w.a, voteId: voteA.id }, w.chair)).find((e: any) => e.names.includes('邓雨英')).voterKey
    ids.evidenceB = (await ok(deps, 'uploadBallotEvidence', { communityId: w.b, voteId: openB.id, fileName: 'b.jpg', dataBase64: jpeg }, chairB)).evidenceRef
    ids.evidenceA = (await ok(deps, 'uploadBallotEvidence', { communityId: w.a, voteId: voteA.id, fileName: 'a.jpg', dataBase64: jpeg }, w.chair)).evidenceRef
    ids.buildingB = (await env.db.selectFrom('buildings').select('id').where('community_id', '=', w.b).executeTakeFirstOrThrow()).id

    deps.setNow(new Date(opensAt.getTime() + 6 * DAY_MS))
    await advanceVotes(systemCtx(deps))
    expect(await env.db.selectFrom('votes').select(['id', 'status']).where('community_id', '=', w.b).orderBy('id').execute()).toEqual(
      [
        { id: openB.id, status: 'open' },
        { id: closedB.id, status: 'closed' },
        { id: draftB.id, status: 'draft' },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    )
  })

  /** Everything the vote actions can write, in both 小区. */
  async function snapshot() {
    const count = async (table: 'votes' | 'vote_matters' | 'vote_scope_buildings' | 'vote_electorate' | 'vote_voters' | 'ballots' | 'vote_results' | 'notices' | 'audit_log') =>
      Number((await env.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
    return {
      votes: await env.db.selectFrom('votes').select(['id', 'status', 'opens_at', 'closes_at', 'announce_notice_id', 'result_notice_id']).orderBy('id').execute(),
      counts: await Promise.all((['votes', 'vote_matters', 'vote_scope_buildings', 'vote_electorate', 'vote_voters', 'ballots', 'vote_results', 'notices', 'audit_log'] as const).map(count)),
    }
  }

  type Who = 'chair' | 'owner'
  const cases: [string, string, 'NotFound' | 'Forbidden', Who, (i: typeof ids) => object][] = [
    ['B\'s vote', 'getVote', 'NotFound', 'owner', (i) => ({ voteId: i.openB })],
    ['B\'s draft', 'getVote', 'NotFound', 'chair', (i) => ({ voteId: i.draftB })],
    ['B\'s vote', 'myVote', 'NotFound', 'owner', (i) => ({ voteId: i.openB })],
    ['B\'s vote', 'voteProgress', 'NotFound', 'owner', (i) => ({ voteId: i.openB })],
    ['B\'s vote', 'voteElectorate', 'NotFound', 'chair', (i) => ({ voteId: i.openB })],
    ['B\'s vote', 'voteConflicts', 'NotFound', 'chair', (i) => ({ voteId: i.openB })],
    ['B\'s closed vote', 'voteResult', 'NotFound', 'owner', (i) => ({ voteId: i.closedB })],
    ['B\'s closed vote', 'exportVoteResult', 'NotFound', 'chair', (i) => ({ voteId: i.closedB })],
    ['B\'s draft', 'announceVote', 'NotFound', 'chair', (i) => ({ voteId: i.draftB })],
    ['B\'s open vote', 'openVote', 'NotFound', 'chair', (i) => ({ voteId: i.openB })],
    ['B\'s open vote', 'closeVote', 'NotFound', 'chair', (i) => ({ voteId: i.openB })],
    ['B\'s vote and receipt', 'lookupReceipt', 'NotFound', 'owner', (i) => ({ voteId: i.openB, receiptCode: i.receiptB })],
    ['B\'s receipt on A\'s vote', 'lookupReceipt', 'NotFound', 'owner', (i) => ({ voteId: i.voteA, receiptCode: i.receiptB })],
    ['B\'s vote and matter', 'castBallot', 'NotFound', 'owner', (i) => ({ voteId: i.openB, confirmed: true, choices: [{ matterId: i.matterB, choice: 'agree' }] })],
    ['B\'s matter on A\'s vote', 'castBallot', 'NotFound', 'owner', (i) => ({ voteId: i.voteA, confirmed: true, choices: [{ matterId: i.matterB, choice: 'agree' }] })],
    ['B\'s voter on A\'s vote', 'castBallot', 'Forbidden', 'owner', (i) => ({ voteId: i.voteA, voterKey: i.voterKeyB, confirmed: true, choices: [{ matterId: i.matterA, choice: 'agree' }] })],
    ['B\'s vote', 'uploadBallotEvidence', 'NotFound', 'chair', (i) => ({ voteId: i.openB, fileName: 'x.jpg', dataBase64: jpeg })],
    ['B\'s vote, voter, matter and photo', 'enterPaperBallot', 'NotFound', 'chair', (i) => ({ voteId: i.openB, voterKey: i.voterKeyB, choices: [{ matterId: i.matterB, choice: 'agree' }], evidenceRef: i.evidenceB })],
    ['B\'s voter on A\'s vote', 'enterPaperBallot', 'NotFound', 'chair', (i) => ({ voteId: i.voteA, voterKey: i.voterKeyB, choices: [{ matterId: i.matterA, choice: 'agree' }], evidenceRef: i.evidenceA })],
    ['B\'s matter on A\'s vote', 'enterPaperBallot', 'NotFound', 'chair', (i) => ({ voteId: i.voteA, voterKey: i.voterKeyA, choices: [{ matterId: i.matterB, choice: 'agree' }], evidenceRef: i.evidenceA })],
    ['B\'s photo on A\'s vote', 'enterPaperBallot', 'NotFound', 'chair', (i) => ({ voteId: i.voteA, voterKey: i.voterKeyA, choices: [{ matterId: i.matterA, choice: 'agree' }], evidenceRef: i.evidenceB })],
    ['B\'s building', 'createVote', 'NotFound', 'chair', (i) => ({ title: '加装电梯', scope: 'buildings', buildingIds: [i.buildingB], opensAt: new Date(deps.now().getTime() + 16 * DAY_MS).toISOString(), closesAt: new Date(deps.now().getTime() + 26 * DAY_MS).toISOString(), matters: [{ item: 7, title: '加装电梯' }] })],
  ]

  test.each(cases)('%s: %s answers %s (caller: the %s of 小区 A)', async (_what, action, code, who, input) => {
    const before = await snapshot()
    const caller = who === 'chair' ? w.chair : w.people.solo.userId
    const res = await call(deps, action, { communityId: w.a, ...input(ids) }, caller)
    expect(res).toMatchObject({ ok: false, error: { code } })
    expect(await snapshot()).toEqual(before)
  })

  test('the same inputs with A\'s own ids succeed, so the refusals above are about the foreign id', async () => {
    const paper = await call(deps, 'enterPaperBallot', { communityId: w.a, voteId: ids.voteA, voterKey: ids.voterKeyA, choices: [{ matterId: ids.matterA, choice: 'agree' }], evidenceRef: ids.evidenceA }, w.chair)
    expect(paper).toMatchObject({ ok: true, data: { conflict: false } })
    // Another voter of A (solo's own key has its paper ballot, which counts: issue 8 item 6).
    const cast = await call(deps, 'castBallot', { communityId: w.a, voteId: ids.voteA, confirmed: true, choices: [{ matterId: ids.matterA, choice: 'agree' }] }, w.people.other.userId)
    expect(cast).toMatchObject({ ok: true })
  })
})
