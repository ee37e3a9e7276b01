import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { DIALECTS, testDeps, useTestDb } from '../helpers/db'
import { ok } from '../helpers/world'
import { DAY_MS, makeRosterVoteWorld, systemCtxAt, type RosterVoteWorld } from '../helpers/votes-world'
import { advanceVotes } from '../../server/votes/vote.clock'
import { checkpointPath, parseHead, readCheckpoints } from '../../server/audit/checkpoints'
import { auditChains, verifyAuditAll } from '../../server/audit/verifiers'
import { createDb, migrateToLatest } from '../../server/db/create-db'
import type { TestDeps } from '../helpers/db'
import type { Kysely } from 'kysely'
import type { Database as Db } from '../../server/db/database'

/**
 * The result anchors the log (issue 8 item 11): the 表决结果 notice prints the frozen electorate's
 * digest and the 小区's audit chain head at close; the head is checkpointed after the commit, and
 * `audit-verify --head` (verifyAuditAll with that point) proves later that nothing before it changed.
 */
const T = new Date('2026-11-26T02:00:00.000Z')
const OPENS = new Date('2026-12-12T00:00:00.000+08:00')
const CLOSES = new Date(OPENS.getTime() + 7 * DAY_MS)

/** A vote in 小区 A through the real actions: announced at T, opened, two owners cast, closed. */
async function closedVote(deps: TestDeps, w: RosterVoteWorld) {
  deps.setNow(T)
  const vote = await ok(deps, 'createVote', { communityId: w.a, title: '续聘物业', scope: 'whole', opensAt: OPENS.toISOString(), closesAt: CLOSES.toISOString(), matters: [{ item: 4, title: '续聘安居物业' }] }, w.chair)
  await ok(deps, 'announceVote', { communityId: w.a, voteId: vote.id }, w.chair)
  deps.setNow(OPENS)
  await advanceVotes(systemCtxAt(deps, OPENS))
  const ref = { communityId: w.a, voteId: vote.id as string }
  for (const u of [w.people.multi, w.people.solo]) await ok(deps, 'castBallot', { ...ref, confirmed: true, choices: [{ matterId: vote.matters[0].id, choice: 'agree' }] }, u.userId)
  deps.setNow(CLOSES)
  await advanceVotes(systemCtxAt(deps, CLOSES))
  return ref
}

const printedHead = (body: string) => parseHead(/审计链头：(\d+:[0-9a-f]{64})/.exec(body)?.[1] ?? '')
const printedDigest = (body: string) => /冻结业主名单摘要（SHA-256）：([0-9a-f]{64})/.exec(body)?.[1]

describe.each(DIALECTS)('the result anchors the log on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: RosterVoteWorld
  let ref: { communityId: string; voteId: string }
  let body: string
  beforeAll(async () => {
    w = await makeRosterVoteWorld(env.db, deps)
    ref = await closedVote(deps, w)
    const detail = await ok(deps, 'getVote', ref, w.chair)
    body = (await env.db.selectFrom('notices').select('body').where('id', '=', detail.resultNoticeId).executeTakeFirstOrThrow()).body
  })

  test('the result notice prints the electorate digest recorded at opening and the chain head just after the closing entry', async () => {
    const opened = await env.db.selectFrom('audit_log').select('payload').where('entity_id', '=', ref.voteId).where('action', '=', 'vote.opened').executeTakeFirstOrThrow()
    expect(printedDigest(body)).toBe(JSON.parse(opened.payload).electorateDigest)
    const head = printedHead(body)!
    expect(head).not.toBeNull()
    const closed = await env.db.selectFrom('audit_log').select(['seq', 'prev_hash', 'payload']).where('entity_id', '=', ref.voteId).where('action', '=', 'vote.closed').executeTakeFirstOrThrow()
    // The closing entry (results, the notice's digest) follows the printed head, which holds every ballot.
    expect(head).toEqual({ seq: Number(closed.seq) - 1, hash: closed.prev_hash })
    expect(JSON.parse(closed.payload).auditHead).toBe(`${head.seq}:${head.hash}`)
    const lastBallot = await env.db.selectFrom('audit_log').select(({ fn }) => fn.max('seq').as('seq')).where('entity_id', '=', ref.voteId).where('action', '=', 'ballot.cast').executeTakeFirstOrThrow()
    expect(Number(lastBallot.seq)).toBeLessThanOrEqual(head.seq)
  })

  test('the head is checkpointed outside the database after the commit', async () => {
    const { checkpoints, problems } = readCheckpoints(checkpointPath(deps.config), deps.config.auditHmacSecret)
    expect(problems).toEqual([])
    const mine = checkpoints.filter((c) => c.communityId === w.a)
    // The head after the commit: the closing entry follows the printed head.
    expect(mine.at(-1)!.seq).toBe(printedHead(body)!.seq + 1)
  })

  test('the printed head verifies, also after the chain has grown past it', async () => {
    const head = printedHead(body)!
    const points = { [w.a]: [{ ...head, source: '所印链头' }] }
    deps.setNow(new Date(CLOSES.getTime() + DAY_MS))
    await ok(deps, 'createVote', { communityId: w.a, title: '下一次表决', scope: 'whole', opensAt: '2027-01-20T00:00:00.000+08:00', closesAt: '2027-01-27T00:00:00.000+08:00', matters: [{ item: 9, title: '其他' }] }, w.chair)
    const [report] = await verifyAuditAll({ db: env.db, config: deps.config }, [w.a], auditChains(), { checkpointFile: checkpointPath(deps.config), points })
    expect(report.problems).toEqual([])
    expect(report.ok).toBe(true)
  })

  test('a head that is not the chain’s is refused', async () => {
    const head = printedHead(body)!
    const points = { [w.a]: [{ seq: head.seq, hash: 'f'.repeat(64), source: '所印链头' }] }
    const [report] = await verifyAuditAll({ db: env.db, config: deps.config }, [w.a], auditChains(), { points })
    expect(report.ok).toBe(false)
  })

  test('a ballot changed after the result is caught', async () => {
    const head = printedHead(body)!
    await env.db.updateTable('ballots').set({ choice: 'oppose' }).where('vote_id', '=', ref.voteId).execute()
    const [report] = await verifyAuditAll({ db: env.db, config: deps.config }, [w.a], auditChains(), { checkpointFile: checkpointPath(deps.config), points: { [w.a]: [{ ...head, source: '所印链头' }] } })
    expect(report.ok).toBe(false)
    expect(report.problems.join('\n')).toMatch(/选票与审计记录不符（被改动）/)
  })
})

test('npm run audit-verify -- --head <printed head> confirms the notice, and fails on a changed ballot (SQLite file)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-anchor-'))
  const file = path.join(dir, 'gongzhi.sqlite')
  const { db } = await createDb({ sqliteFile: file })
  await migrateToLatest(db)
  const deps = testDeps(db as Kysely<Db>, 'sqlite')
  deps.config = { ...deps.config, dataDir: dir }
  const w = await makeRosterVoteWorld(db as Kysely<Db>, deps)
  const ref = await closedVote(deps, w)
  const detail = await ok(deps, 'getVote', ref, w.chair)
  const { body } = await db.selectFrom('notices').select('body').where('id', '=', detail.resultNoticeId).executeTakeFirstOrThrow()
  await db.destroy()
  const head = printedHead(body)!
  const run = () =>
    spawnSync(path.resolve('node_modules/.bin/tsx'), ['scripts/verify-audit.ts', '--head', `${head.seq}:${head.hash}`], {
      env: { ...process.env, DATABASE_URL: '', SQLITE_FILE: file, DATA_DIR: dir, AUDIT_HMAC_SECRET: deps.config.auditHmacSecret },
      encoding: 'utf8',
    })
  const good = run()
  expect(good.stdout).toMatch(/所印链头 .* 与审计链相符/)
  expect(good.status).toBe(0)
  const raw = new Database(file)
  raw.prepare("update ballots set choice = 'oppose'").run()
  raw.close()
  const bad = run()
  expect(bad.status).toBe(1)
  expect(bad.stdout).toMatch(/选票与审计记录不符（被改动）/)
  fs.rmSync(dir, { recursive: true, force: true })
}, 90_000)
