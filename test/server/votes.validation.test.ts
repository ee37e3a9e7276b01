import { DIALECTS, useTestDb } from '../helpers/db'
import { call, ok } from '../helpers/world'
import { DAY_MS, announcedVote, makeVoteWorld, type VoteWorld } from '../helpers/votes-world'
import { MAX_MATTERS } from '../../src/contracts/votes'
import { systemCtx } from '../../server/context'
import { advanceVotes } from '../../server/votes/vote.clock'

/**
 * Malformed input to every vote action (wrong types, over-long strings, negative or fractional
 * numbers, unknown enum values, missing fields) answers BadInput with a plain Chinese message, and
 * nothing is written.
 */
describe.each(DIALECTS)('votes: malformed input on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: VoteWorld
  let voteId: string
  let matterId: string
  beforeAll(async () => {
    w = await makeVoteWorld(env.db)
    const v = await announcedVote(deps, w)
    voteId = v.voteId
    matterId = v.matters[0].id
    deps.setNow(v.opensAt)
    await advanceVotes(systemCtx(deps))
  })

  const long = (n: number) => '长'.repeat(n)
  const when = (days: number) => new Date(deps.now().getTime() + days * DAY_MS).toISOString()
  const vote = () => ({ communityId: w.a, title: '续聘物业', scope: 'whole', opensAt: when(16), closesAt: when(26), matters: [{ item: 4, title: '续聘安居物业' }] })
  const matter = (over: object) => ({ ...vote(), matters: [{ item: 4, title: '续聘安居物业', ...over }] })
  const ref = () => ({ communityId: w.a, voteId })
  const cast = (over: object) => ({ ...ref(), confirmed: true, choices: [{ matterId, choice: 'agree' }], ...over })
  const paper = (over: object) => ({ ...ref(), voterKey: 'p:x', choices: [{ matterId, choice: 'agree' }], evidenceRef: 'votes/x.jpg#sha256=0', ...over })
  const upload = (over: object) => ({ ...ref(), fileName: 'ballot.jpg', dataBase64: '/9j/4AAQ', ...over })

  type Case = [string, string, () => object, 'chair' | 'owner']
  const cases: Case[] = [
    ['title not text', 'createVote', () => ({ ...vote(), title: 123 }), 'chair'],
    ['title blank', 'createVote', () => ({ ...vote(), title: '   ' }), 'chair'],
    ['title 61 characters', 'createVote', () => ({ ...vote(), title: long(61) }), 'chair'],
    ['description not text', 'createVote', () => ({ ...vote(), description: 5 }), 'chair'],
    ['description 2001 characters', 'createVote', () => ({ ...vote(), description: long(2001) }), 'chair'],
    ['unknown scope', 'createVote', () => ({ ...vote(), scope: 'street' }), 'chair'],
    ['buildings not a list', 'createVote', () => ({ ...vote(), scope: 'buildings', buildingIds: 'b1' }), 'chair'],
    ['a building id not text', 'createVote', () => ({ ...vote(), scope: 'buildings', buildingIds: [123] }), 'chair'],
    ['201 buildings', 'createVote', () => ({ ...vote(), scope: 'buildings', buildingIds: Array.from({ length: 201 }, (_, i) => `b${i}`) }), 'chair'],
    ['opening not a time', 'createVote', () => ({ ...vote(), opensAt: 'tomorrow' }), 'chair'],
    ['opening a number', 'createVote', () => ({ ...vote(), opensAt: 1_800_000_000_000 }), 'chair'],
    ['matters not a list', 'createVote', () => ({ ...vote(), matters: 'x' }), 'chair'],
    ['counting days with no paper', 'createVote', () => ({ ...vote(), countingDays: 2 }), 'chair'],
    ['counting period over 3 days', 'createVote', () => ({ ...vote(), acceptsPaper: true, countingDays: 4 }), 'chair'],
    ['too many matters', 'createVote', () => ({ ...vote(), matters: Array.from({ length: MAX_MATTERS + 1 }, () => ({ item: 4, title: 'x' })) }), 'chair'],
    ['a matter not an object', 'createVote', () => ({ ...vote(), matters: ['x'] }), 'chair'],
    ['item negative', 'createVote', () => matter({ item: -1 }), 'chair'],
    ['item 0', 'createVote', () => matter({ item: 0 }), 'chair'],
    ['item 10', 'createVote', () => matter({ item: 10 }), 'chair'],
    ['item fractional', 'createVote', () => matter({ item: 4.5 }), 'chair'],
    ['item as text', 'createVote', () => matter({ item: '4' }), 'chair'],
    ['matter title missing', 'createVote', () => ({ ...vote(), matters: [{ item: 4 }] }), 'chair'],
    ['matter title 61 characters', 'createVote', () => matter({ title: long(61) }), 'chair'],
    ['matter description 2001 characters', 'createVote', () => matter({ description: long(2001) }), 'chair'],
    ['vote id not text', 'announceVote', () => ({ ...ref(), voteId: 5 }), 'chair'],
    ['vote id empty', 'announceVote', () => ({ ...ref(), voteId: '' }), 'chair'],
    ['vote id 65 characters', 'announceVote', () => ({ ...ref(), voteId: 'v'.repeat(65) }), 'chair'],
    ['new opening not a time', 'announceVote', () => ({ ...ref(), opensAt: '2026-13-01' }), 'chair'],
    ['unknown status', 'listVotes', () => ({ communityId: w.a, status: 'deleted' }), 'owner'],
    ['status a number', 'listVotes', () => ({ communityId: w.a, status: 3 }), 'owner'],
    ['vote id missing', 'getVote', () => ({ communityId: w.a }), 'owner'],
    ['vote id missing', 'voteProgress', () => ({ communityId: w.a }), 'owner'],
    ['vote id missing', 'myVote', () => ({ communityId: w.a }), 'owner'],
    ['vote id missing', 'voteElectorate', () => ({ communityId: w.a }), 'chair'],
    ['vote id missing', 'voteConflicts', () => ({ communityId: w.a }), 'chair'],
    ['vote id missing', 'voteResult', () => ({ communityId: w.a }), 'owner'],
    ['vote id missing', 'exportVoteResult', () => ({ communityId: w.a }), 'chair'],
    ['vote id missing', 'openVote', () => ({ communityId: w.a }), 'chair'],
    ['vote id missing', 'closeVote', () => ({ communityId: w.a }), 'chair'],
    ['choices not a list', 'castBallot', () => cast({ choices: 'agree' }), 'owner'],
    ['no choice', 'castBallot', () => cast({ choices: [] }), 'owner'],
    ['unknown choice', 'castBallot', () => cast({ choices: [{ matterId, choice: 'yes' }] }), 'owner'],
    ['a choice not an object', 'castBallot', () => cast({ choices: ['agree'] }), 'owner'],
    ['matter id a number', 'castBallot', () => cast({ choices: [{ matterId: 5, choice: 'agree' }] }), 'owner'],
    ['the same matter twice', 'castBallot', () => cast({ choices: [{ matterId, choice: 'agree' }, { matterId, choice: 'oppose' }] }), 'owner'],
    ['too many choices', 'castBallot', () => cast({ choices: Array.from({ length: MAX_MATTERS + 1 }, (_, i) => ({ matterId: `m${i}`, choice: 'agree' })) }), 'owner'],
    ['not confirmed', 'castBallot', () => cast({ confirmed: false }), 'owner'],
    ['confirmation as text', 'castBallot', () => cast({ confirmed: 'true' }), 'owner'],
    ['confirmation missing', 'castBallot', () => cast({ confirmed: undefined }), 'owner'],
    ['voter not text', 'castBallot', () => cast({ voterKey: 123 }), 'owner'],
    ['voter 401 characters', 'castBallot', () => cast({ voterKey: 'p'.repeat(401) }), 'owner'],
    ['receipt malformed', 'lookupReceipt', () => ({ ...ref(), receiptCode: 'abc' }), 'owner'],
    ['receipt a number', 'lookupReceipt', () => ({ ...ref(), receiptCode: 1234567890 }), 'owner'],
    ['receipt missing', 'lookupReceipt', () => ref(), 'owner'],
    ['file name empty', 'uploadBallotEvidence', () => upload({ fileName: '  ' }), 'chair'],
    ['file name 121 characters', 'uploadBallotEvidence', () => upload({ fileName: `${'n'.repeat(117)}.jpg` }), 'chair'],
    ['file name not text', 'uploadBallotEvidence', () => upload({ fileName: 5 }), 'chair'],
    ['file content empty', 'uploadBallotEvidence', () => upload({ dataBase64: '' }), 'chair'],
    ['file content not text', 'uploadBallotEvidence', () => upload({ dataBase64: 5 }), 'chair'],
    ['voter empty', 'enterPaperBallot', () => paper({ voterKey: '' }), 'chair'],
    ['voter not text', 'enterPaperBallot', () => paper({ voterKey: 5 }), 'chair'],
    ['voter 401 characters', 'enterPaperBallot', () => paper({ voterKey: 'p'.repeat(401) }), 'chair'],
    ['photo missing', 'enterPaperBallot', () => paper({ evidenceRef: undefined }), 'chair'],
    ['photo reference 501 characters', 'enterPaperBallot', () => paper({ evidenceRef: 'v'.repeat(501) }), 'chair'],
    ['unknown choice on paper', 'enterPaperBallot', () => paper({ choices: [{ matterId, choice: 'maybe' }] }), 'chair'],
  ]

  async function snapshot() {
    const tables = ['votes', 'vote_matters', 'vote_scope_buildings', 'vote_electorate', 'vote_voters', 'ballots', 'vote_results', 'notices', 'audit_log'] as const
    return Promise.all(tables.map(async (t) => Number((await env.db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)))
  }

  test.each(cases)('%s: %s answers BadInput in Chinese', async (_what, action, input, who) => {
    const before = await snapshot()
    const res = await call(deps, action, input(), who === 'chair' ? w.chair : w.people.solo.userId)
    expect(res).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    const message = (res as { error: { message: string } }).error.message
    expect(message).toMatch(/[\u4e00-\u9fff]/)
    expect(message).not.toMatch(/Invalid|Expected|received|undefined|NaN/)
    expect(await snapshot()).toEqual(before)
  })

  test('the refusals are about the malformed field: the well-formed input is accepted', async () => {
    expect(await ok(deps, 'createVote', vote(), w.chair)).toMatchObject({ status: 'draft' })
    expect(await ok(deps, 'castBallot', cast({}), w.people.solo.userId)).toMatchObject({ channel: 'online' })
  })
})
