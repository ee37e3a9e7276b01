import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { DIALECTS, testDeps, useTestDb } from '../helpers/db'
import { ok } from '../helpers/world'
import { DAY_MS, makeRosterVoteWorld, systemCtxAt } from '../helpers/votes-world'
import { appendAudit, entryHash, entryMac, rowToEntry, verifyChain } from '../../server/audit/audit.service'
import type { AuditRow } from '../../server/audit/audit.repository'
import { checkpointAudit, checkpointPath, currentHead, formatHead, parseHead, readCheckpoints } from '../../server/audit/checkpoints'
import { verifyAuditAll } from '../../server/audit/verifiers'
import { systemCtx, withTx } from '../../server/context'
import { createDb, migrateToLatest } from '../../server/db/create-db'
import type { Db } from '../../server/db/database'
import { advanceVotes } from '../../server/votes/vote.clock'

/**
 * Issue 9 item 2: someone with the database alone cannot rewrite the audit log quietly. Each
 * scenario is what passed `npm run audit-verify` before: deleting the last entries and moving the
 * head back, and recomputing the chain after flipping a ballot's choice.
 */

/** A closed vote of 小区 A with two online ballots, built through the actions. */
async function closedVote(deps: ReturnType<typeof testDeps>, db: Db) {
  const w = await makeRosterVoteWorld(db, deps)
  // Opens well after the notice period, whatever its exact rule; a 7-day window.
  const opensAt = new Date(deps.now().getTime() + 30 * DAY_MS)
  const closesAt = new Date(opensAt.getTime() + 7 * DAY_MS)
  const vote = await ok(deps, 'createVote', { communityId: w.a, title: '2027 年物业服务企业选聘', scope: 'whole', opensAt: opensAt.toISOString(), closesAt: closesAt.toISOString(), matters: [{ item: 4, title: '续聘安居物业' }] }, w.chair)
  await ok(deps, 'announceVote', { communityId: w.a, voteId: vote.id }, w.chair)
  deps.setNow(opensAt)
  await advanceVotes(systemCtx(deps))
  const choice = (c: string) => [{ matterId: vote.matters[0].id, choice: c }]
  await ok(deps, 'castBallot', { communityId: w.a, voteId: vote.id, confirmed: true, choices: choice('agree') }, w.people.multi.userId)
  await ok(deps, 'castBallot', { communityId: w.a, voteId: vote.id, confirmed: true, choices: choice('oppose') }, w.people.solo.userId)
  await advanceVotes(systemCtxAt(deps, closesAt))
  // Closing checkpoints its head (issue 8 item 11); these scenarios count the lines they write themselves.
  fs.rmSync(checkpointPath(deps.config), { force: true })
  deps.setNow(closesAt)
  return { w, voteId: vote.id as string }
}

const rowsOf = async (db: Db, communityId: string): Promise<AuditRow[]> =>
  (await db.selectFrom('audit_log').selectAll().where('community_id', '=', communityId).orderBy('seq').execute()).map((r) => ({ ...r, seq: Number(r.seq) }))

/**
 * What a forger with the database does after changing entry `fromSeq`: recompute every hash from
 * there on (SHA-256 is public) and move the head. With `secret`, an insider who also holds the
 * key re-signs each entry.
 */
async function recomputeChain(db: Db, communityId: string, fromSeq: number, secret?: string) {
  const rows = await rowsOf(db, communityId)
  let prev = rows.find((r) => r.seq === fromSeq - 1)?.hash ?? '0'.repeat(64)
  for (const r of rows.filter((x) => x.seq >= fromSeq)) {
    const hash = entryHash(prev, r.seq, rowToEntry(r))
    const mac = secret ? entryMac(secret, hash) : r.mac
    await db.updateTable('audit_log').set({ prev_hash: prev, hash, mac }).where('community_id', '=', communityId).where('seq', '=', r.seq).execute()
    prev = hash
  }
  await db.updateTable('audit_heads').set({ seq: rows[rows.length - 1].seq, hash: prev }).where('community_id', '=', communityId).execute()
}

describe.each(DIALECTS)('the audit log cannot be rewritten quietly (%s)', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: Awaited<ReturnType<typeof closedVote>>['w']
  let file: string
  beforeAll(async () => {
    ;({ w } = await closedVote(deps, env.db))
    file = checkpointPath(deps.config)
  })
  afterAll(() => fs.rmSync(deps.config.dataDir, { recursive: true, force: true }))

  const verify = async () => (await verifyAuditAll(systemCtx(deps), [w.a], undefined, { checkpointFile: file }))[0]
  /** Saves the 小区's log, head and ballots; answers a function that puts them back. */
  async function saved() {
    const rows = await rowsOf(env.db, w.a)
    const head = await env.db.selectFrom('audit_heads').selectAll().where('community_id', '=', w.a).executeTakeFirstOrThrow()
    const ballots = await env.db.selectFrom('ballots').select(['id', 'choice']).where('community_id', '=', w.a).execute()
    return async () => {
      await env.db.deleteFrom('audit_log').where('community_id', '=', w.a).execute()
      await env.db.insertInto('audit_log').values(rows).execute()
      await env.db.updateTable('audit_heads').set({ seq: head.seq, hash: head.hash }).where('community_id', '=', w.a).execute()
      for (const b of ballots) await env.db.updateTable('ballots').set({ choice: b.choice }).where('id', '=', b.id).execute()
      expect(await verify()).toMatchObject({ ok: true, problems: [] })
    }
  }
  const appendTest = (n: number) =>
    withTx(systemCtx(deps), (ctx) => appendAudit(ctx, { communityId: w.a, at: deps.now().toISOString(), actor: null, action: 'test.entry', entityType: 'test', entityId: `t${n}`, payload: { n } }))

  test('every entry carries an HMAC of its hash keyed outside the database; the intact log verifies', async () => {
    const rows = await rowsOf(env.db, w.a)
    expect(rows.length).toBeGreaterThanOrEqual(6)
    for (const r of rows) expect(r.mac).toBe(entryMac(deps.config.auditHmacSecret, r.hash))
    expect(await verify()).toMatchObject({ ok: true, checked: { votes: 1 }, problems: [] })
    // The same log checked with another key: every entry is refused.
    const other = await verifyChain({ db: env.db, config: { auditHmacSecret: 'another-key' } }, w.a)
    expect(other.problems.filter((p) => /签名（HMAC）不符/.test(p))).toHaveLength(rows.length)
  })

  test('deleting the last entries and moving the head back is caught by the checkpoint written before', async () => {
    await appendTest(1)
    await appendTest(2)
    await appendTest(3)
    expect(await checkpointAudit(systemCtx(deps))).toBe(1)
    const restore = await saved()
    const rows = await rowsOf(env.db, w.a)
    const last = rows[rows.length - 1].seq
    const keep = rows[rows.length - 3]
    await env.db.deleteFrom('audit_log').where('community_id', '=', w.a).where('seq', '>', keep.seq).execute()
    await env.db.updateTable('audit_heads').set({ seq: keep.seq, hash: keep.hash }).where('community_id', '=', w.a).execute()
    // The chain alone is consistent (this is what passed before)…
    expect(await verifyChain(systemCtx(deps), w.a)).toMatchObject({ ok: true })
    // …the checkpoint outside the database is not.
    const r = await verify()
    expect(r.ok).toBe(false)
    expect(r.problems).toEqual([expect.stringMatching(new RegExp(`^审计记录只到第 ${keep.seq} 条，检查点（.+）记录了第 ${last} 条：记录被删除$`))])
    await restore()
  })

  test('a chain recomputed after a ballot’s choice was flipped is caught by the HMAC', async () => {
    const restore = await saved()
    const rows = await rowsOf(env.db, w.a)
    const cast = rows.find((r) => r.action === 'ballot.cast' && r.payload.includes('"oppose"'))!
    const flipped = cast.payload.replace(/"oppose"/g, '"agree"')
    await env.db.updateTable('audit_log').set({ payload: flipped }).where('community_id', '=', w.a).where('seq', '=', cast.seq).execute()
    await env.db.updateTable('ballots').set({ choice: 'agree' }).where('community_id', '=', w.a).where('choice', '=', 'oppose').execute()
    await recomputeChain(env.db, w.a, cast.seq)
    const r = await verifyAuditAll(systemCtx(deps), [w.a])
    expect(r[0].ok).toBe(false)
    // Hashes, links, head and the vote's records agree with each other; only the signatures do not.
    expect(r[0].problems.length).toBeGreaterThan(0)
    for (const p of r[0].problems) expect(p).toMatch(/签名（HMAC）不符/)
    expect(r[0].problems[0]).toMatch(new RegExp(`^第 ${cast.seq} 条记录的签名`))
    await restore()
  })

  test('an entry whose HMAC was removed is refused', async () => {
    const restore = await saved()
    await env.db.updateTable('audit_log').set({ mac: null }).where('community_id', '=', w.a).where('seq', '=', 2).execute()
    expect((await verify()).problems).toEqual(['第 2 条记录缺少签名（HMAC）'])
    await restore()
  })

  test('a log that diverges from a checkpoint is caught even when re-signed with the key', async () => {
    await appendTest(4)
    await checkpointAudit(systemCtx(deps))
    const restore = await saved()
    const rows = await rowsOf(env.db, w.a)
    const target = rows[2]
    await env.db.updateTable('audit_log').set({ at: '2020-01-01T00:00:00.000Z' }).where('community_id', '=', w.a).where('seq', '=', target.seq).execute()
    await recomputeChain(env.db, w.a, target.seq, deps.config.auditHmacSecret)
    expect(await verifyChain(systemCtx(deps), w.a)).toMatchObject({ ok: true })
    const r = await verify()
    expect(r.ok).toBe(false)
    // Each checkpoint at or after the rewritten entry names its seq.
    const cps = readCheckpoints(file, deps.config.auditHmacSecret).checkpoints.filter((c) => c.communityId === w.a)
    expect(cps.length).toBe(2)
    expect(r.problems).toEqual(cps.map((c) => expect.stringMatching(new RegExp(`^第 ${c.seq} 条记录与检查点（${c.at}）不符`))))
    await restore()
  })

  test('checkpoints: one line per moved head, fsynced, signed; a changed line is refused; none inside a transaction', async () => {
    expect(await checkpointAudit(systemCtx(deps))).toBe(0)
    await appendTest(5)
    expect(await checkpointAudit(systemCtx(deps), [w.b])).toBe(0)
    expect(await checkpointAudit(systemCtx(deps), [w.a])).toBe(1)
    const head = await currentHead(systemCtx(deps), w.a)
    const { checkpoints, problems } = readCheckpoints(file, deps.config.auditHmacSecret)
    expect(problems).toEqual([])
    expect(checkpoints[checkpoints.length - 1]).toMatchObject({ communityId: w.a, seq: head.seq, hash: head.hash })
    await expect(withTx(systemCtx(deps), (ctx) => checkpointAudit(ctx))).rejects.toThrow(/outside a transaction/)

    const original = fs.readFileSync(file, 'utf8')
    try {
      const lines = original.split('\n')
      lines[0] = lines[0].replace(/"seq":\d+/, '"seq":1')
      fs.writeFileSync(file, `${lines.join('\n')}{"communityId":"torn`)
      expect((await verify()).problems).toEqual(['检查点文件第 1 行的签名（HMAC）不符'])
    } finally {
      fs.writeFileSync(file, original)
    }
    expect((await verify()).ok).toBe(true)
  })

  test('the head to print: inside a transaction it includes that transaction’s entry; seq:hash reads back', async () => {
    const before = await currentHead(systemCtx(deps), w.a)
    expect(before.text).toBe(formatHead(before))
    expect(parseHead(before.text)).toEqual({ seq: before.seq, hash: before.hash })
    expect(parseHead('12:abc')).toBeNull()
    const inside = await withTx(systemCtx(deps), async (ctx) => {
      const added = await appendAudit(ctx, { communityId: w.a, at: deps.now().toISOString(), actor: null, action: 'test.entry', entityType: 'test', entityId: 't6', payload: {} })
      const h = await currentHead(ctx, w.a)
      expect(h).toMatchObject(added)
      return h
    })
    expect(inside.seq).toBe(before.seq + 1)
    expect(await currentHead(systemCtx(deps), w.b)).toMatchObject({ seq: 0, hash: '0'.repeat(64) })
  })
})

test('npm run audit-verify -- --head <seq>:<hash> checks the chain up to a printed head, and refuses a log shorter than a checkpoint (SQLite file)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-audit-head-'))
  const file = path.join(dir, 'gongzhi.sqlite')
  const { db } = await createDb({ sqliteFile: file })
  await migrateToLatest(db)
  const deps = testDeps(db, 'sqlite')
  deps.config.dataDir = dir
  const { w } = await closedVote(deps, db)
  const printed = await currentHead(systemCtx(deps), w.a)
  await checkpointAudit(systemCtx(deps))
  const run = (...args: string[]) =>
    spawnSync(path.resolve('node_modules/.bin/tsx'), ['scripts/verify-audit.ts', ...args], { env: { ...process.env, DATABASE_URL: '', SQLITE_FILE: file, DATA_DIR: dir }, encoding: 'utf8' })

  const good = run('--head', printed.text)
  expect(good.stdout).toMatch(new RegExp(`所印链头 ${printed.text} 与审计链相符`))
  expect(good.status).toBe(0)
  const unknown = run('--head', `${printed.seq}:${'a'.repeat(64)}`)
  expect(unknown.stdout).toMatch(/没有第 \d+ 条、哈希为 a+ 的审计记录/)
  expect(unknown.status).toBe(1)
  expect(run('--head', 'nonsense').status).toBe(2)

  // Delete the last entry and move the head back: the checkpoint and the printed head both refuse it.
  const rows = await rowsOf(db, w.a)
  const prev = rows[rows.length - 2]
  await db.deleteFrom('audit_log').where('community_id', '=', w.a).where('seq', '=', printed.seq).execute()
  await db.updateTable('audit_heads').set({ seq: prev.seq, hash: prev.hash }).where('community_id', '=', w.a).execute()
  await db.destroy()
  const cut = run()
  expect(cut.status).toBe(1)
  expect(cut.stdout).toMatch(new RegExp(`审计记录只到第 ${prev.seq} 条，检查点（.+）记录了第 ${printed.seq} 条`))
  const cutHead = run('--head', printed.text)
  expect(cutHead.status).toBe(1)
  fs.rmSync(dir, { recursive: true, force: true })
}, 60_000)
