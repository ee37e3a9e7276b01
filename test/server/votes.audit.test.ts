import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { sql } from 'kysely'
import { DIALECTS, testDeps, useTestDb } from '../helpers/db'
import { makeWorld, ok } from '../helpers/world'
import { announcedVote, makeVoteWorld, systemCtxAt, type VoteWorld } from '../helpers/votes-world'
import { appendAudit, canonicalJson, verifyChain } from '../../server/audit/audit.service'
import { createDb, migrateToLatest } from '../../server/db/create-db'
import { systemCtx } from '../../server/context'
import { advanceVotes } from '../../server/votes/vote.clock'
import { verifyAuditAll } from '../../server/audit/verifiers'
import { tinyJpeg } from '../helpers/images'

describe.each(DIALECTS)('audit log chain on %s', (dialect) => {
  const { env } = useTestDb(dialect)
  let w: Awaited<ReturnType<typeof makeWorld>>
  beforeAll(async () => {
    w = await makeWorld(env.db)
  })

  const append = (communityId: string, n: number, payload: object = {}) =>
    env.db.transaction().execute((trx) =>
      appendAudit(trx, { communityId, at: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(), actor: null, action: 'test.entry', entityType: 'test', entityId: `e${n}`, payload: { n, ...payload } }),
    )

  test('canonical JSON sorts keys at every level so equal entries hash equally', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[1,{"y":2,"z":1}]},"b":1}')
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}')
  })

  test('appends outside a transaction are refused, so no entry can be written apart from its change', async () => {
    await expect(appendAudit(env.db, { communityId: w.a, at: 'x', actor: null, action: 'a', entityType: 't', entityId: 'i', payload: {} })).rejects.toThrow(/transaction/)
  })

  test('an intact chain verifies; a changed, deleted or truncated entry is found, naming where', async () => {
    for (let n = 1; n <= 5; n++) await append(w.a, n)
    await append(w.b, 1)
    expect(await verifyChain(env.db, w.a)).toEqual({ communityId: w.a, entries: 5, ok: true, problems: [] })
    expect((await verifyChain(env.db, w.b)).ok).toBe(true)

    // Change a payload in place.
    const original = await env.db.selectFrom('audit_log').select('payload').where('community_id', '=', w.a).where('seq', '=', 3).executeTakeFirstOrThrow()
    await env.db.updateTable('audit_log').set({ payload: '{"n":33}' }).where('community_id', '=', w.a).where('seq', '=', 3).execute()
    const changed = await verifyChain(env.db, w.a)
    expect(changed.ok).toBe(false)
    expect(changed.problems.join('\n')).toMatch(/第 3 条记录的内容被改动/)
    await env.db.updateTable('audit_log').set({ payload: original.payload }).where('community_id', '=', w.a).where('seq', '=', 3).execute()
    expect((await verifyChain(env.db, w.a)).ok).toBe(true)

    // Remove the last entry: the head still names it.
    const last = await env.db.selectFrom('audit_log').selectAll().where('community_id', '=', w.a).where('seq', '=', 5).executeTakeFirstOrThrow()
    await env.db.deleteFrom('audit_log').where('community_id', '=', w.a).where('seq', '=', 5).execute()
    expect((await verifyChain(env.db, w.a)).problems.join('\n')).toMatch(/链头记录为第 5 条，实际最后一条是第 4 条/)
    await env.db.insertInto('audit_log').values(last).execute()

    // Remove one in the middle.
    const mid = await env.db.selectFrom('audit_log').selectAll().where('community_id', '=', w.a).where('seq', '=', 2).executeTakeFirstOrThrow()
    await env.db.deleteFrom('audit_log').where('community_id', '=', w.a).where('seq', '=', 2).execute()
    expect((await verifyChain(env.db, w.a)).problems.join('\n')).toMatch(/第 2 条记录缺失/)
    await env.db.insertInto('audit_log').values(mid).execute()

    // Recomputing one entry's hash after changing it still breaks the link to the next one.
    await sql`update audit_log set actor = 'forger' where community_id = ${w.a} and seq = 4`.execute(env.db)
    const forged = await verifyChain(env.db, w.a)
    expect(forged.ok).toBe(false)
    await sql`update audit_log set actor = null where community_id = ${w.a} and seq = 4`.execute(env.db)
    expect((await verifyChain(env.db, w.a)).ok).toBe(true)
    // 小区 B's chain is separate and was never affected.
    expect((await verifyChain(env.db, w.b)).entries).toBe(1)
  })

  test('concurrent appends in one 小区 extend the chain one at a time without gaps', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => append(w.b, 100 + i)))
    const r = await verifyChain(env.db, w.b)
    expect(r).toMatchObject({ ok: true, entries: 41 })
  })
})

describe.each(DIALECTS)('audit verification of vote records on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: VoteWorld
  let voteId: string
  beforeAll(async () => {
    w = await makeVoteWorld(env.db)
    const v = await announcedVote(deps, w, [{ item: 4, title: '续聘物业' }, { item: 6, title: '续筹维修资金' }])
    voteId = v.voteId
    deps.setNow(v.opensAt)
    await advanceVotes(systemCtx(deps))
    const choices = (c: string) => v.matters.map((m) => ({ matterId: m.id, choice: c }))
    await ok(deps, 'castBallot', { communityId: w.a, voteId, confirmed: true, choices: choices('agree') }, w.people.multi.userId)
    await ok(deps, 'castBallot', { communityId: w.a, voteId, confirmed: true, choices: choices('oppose') }, w.people.other.userId)
    const el = await ok(deps, 'voteElectorate', { communityId: w.a, voteId }, w.chair)
    const photo = tinyJpeg(64, 3).toString('base64')
    const { evidenceRef } = await ok(deps, 'uploadBallotEvidence', { communityId: w.a, voteId, fileName: 'ballot.jpg', dataBase64: photo }, w.chair)
    await ok(deps, 'enterPaperBallot', { communityId: w.a, voteId, voterKey: el.find((e: any) => e.kind === 'developer').voterKey, choices: choices('abstain'), evidenceRef }, w.chair)
    await advanceVotes(systemCtxAt(deps, v.closesAt))
  })

  const verify = async () => (await verifyAuditAll(env.db, [w.a]))[0]
  /** Applies a change behind the app's back, checks verification names it, then undoes it and checks all is well again. */
  async function tamper(change: string, undo: string, expected: RegExp) {
    await sql.raw(change).execute(env.db)
    const r = await verify()
    expect(r.ok).toBe(false)
    expect(r.problems.join('\n')).toMatch(expected)
    await sql.raw(undo).execute(env.db)
    expect(await verify()).toMatchObject({ ok: true, problems: [] })
  }

  test('intact records verify: the chain, the frozen electorate, every ballot and the results', async () => {
    const r = await verify()
    expect(r).toMatchObject({ ok: true, checked: { votes: 1 }, problems: [] })
    // created, announced, opened, 2 online + 1 paper ballot, closed
    expect(r.entries).toBe(7)
  })

  test('a ballot whose choice was changed in the table is found', async () => {
    const b = await env.db.selectFrom('ballots').select(['id', 'choice']).where('vote_id', '=', voteId).where('choice', '=', 'oppose').executeTakeFirstOrThrow()
    await tamper(`update ballots set choice = 'agree' where id = '${b.id}'`, `update ballots set choice = 'oppose' where id = '${b.id}'`, /选票与审计记录不符（被改动）/)
  })

  test('a deleted ballot and an inserted one are found', async () => {
    const b = await env.db.selectFrom('ballots').selectAll().where('vote_id', '=', voteId).where('channel', '=', 'paper').executeTakeFirstOrThrow()
    await env.db.deleteFrom('ballots').where('id', '=', b.id).execute()
    expect((await verify()).problems.join('\n')).toMatch(/已不在选票表中（被删除）/)
    await env.db.insertInto('ballots').values(b).execute()
    expect((await verify()).ok).toBe(true)
  })

  test('a changed frozen area, a changed result and moved dates are found', async () => {
    const e = await env.db.selectFrom('vote_electorate').select(['unit_id', 'area_centi_m2']).where('vote_id', '=', voteId).executeTakeFirstOrThrow()
    await tamper(`update vote_electorate set area_centi_m2 = ${e.area_centi_m2 + 1} where vote_id = '${voteId}' and unit_id = '${e.unit_id}'`, `update vote_electorate set area_centi_m2 = ${e.area_centi_m2} where vote_id = '${voteId}' and unit_id = '${e.unit_id}'`, /冻结的业主名单被改动/)
    const r = await env.db.selectFrom('vote_results').select(['matter_id', 'passed']).where('vote_id', '=', voteId).executeTakeFirstOrThrow()
    await tamper(`update vote_results set passed = ${1 - Number(r.passed)} where matter_id = '${r.matter_id}'`, `update vote_results set passed = ${r.passed} where matter_id = '${r.matter_id}'`, /表决结果与审计记录不符/)
    const v = await env.db.selectFrom('votes').select('closes_at').where('id', '=', voteId).executeTakeFirstOrThrow()
    await tamper(`update votes set closes_at = '2030-01-01T00:00:00.000Z' where id = '${voteId}'`, `update votes set closes_at = '${v.closes_at}' where id = '${voteId}'`, /投票时间与审计记录不符/)
  })

  test('a whole vote deleted with its ballots and results (the log left intact) is found', async () => {
    const tables = ['votes', 'vote_matters', 'vote_scope_buildings', 'vote_electorate', 'vote_voters', 'ballots', 'vote_results', 'vote_counters'] as const
    const saved: Record<string, any[]> = {}
    for (const t of tables) saved[t] = await env.db.selectFrom(t as any).selectAll().where(t === 'votes' ? 'id' : 'vote_id', '=', voteId).execute()
    expect(saved.ballots.length).toBeGreaterThan(0)
    for (const t of [...tables].reverse()) await env.db.deleteFrom(t as any).where(t === 'votes' ? 'id' : 'vote_id', '=', voteId).execute()
    const r = await verify()
    expect(r.ok).toBe(false)
    expect(r.problems.join('\n')).toMatch(new RegExp(`${voteId}.*已不在表决表中（被删除）`))
    for (const t of tables) if (saved[t].length) await env.db.insertInto(t as any).values(saved[t]).execute()
    expect(await verify()).toMatchObject({ ok: true, problems: [] })
  })

  test('a result notice changed, withdrawn or removed behind the app\'s back is found', async () => {
    const v = await env.db.selectFrom('votes').select('result_notice_id').where('id', '=', voteId).executeTakeFirstOrThrow()
    const n = await env.db.selectFrom('notices').select(['id', 'body']).where('id', '=', v.result_notice_id!).executeTakeFirstOrThrow()
    await env.db.updateTable('notices').set({ body: n.body.replace('结果：未通过', '结果：通过') }).where('id', '=', n.id).execute()
    expect(await env.db.selectFrom('notices').select('body').where('id', '=', n.id).executeTakeFirstOrThrow()).not.toEqual({ body: n.body })
    expect((await verify()).problems.join('\n')).toMatch(/结果公告的内容与审计记录不符（被改动）/)
    await env.db.updateTable('notices').set({ body: n.body }).where('id', '=', n.id).execute()
    await tamper(`update notices set withdrawn_at = '2030-01-01T00:00:00.000Z' where id = '${n.id}'`, `update notices set withdrawn_at = null where id = '${n.id}'`, /结果公告已被撤回/)
    await tamper(`update notices set community_id = '${w.b}' where id = '${n.id}'`, `update notices set community_id = '${w.a}' where id = '${n.id}'`, /结果公告已不存在/)
  })

  test('rewriting the audit entry to match a changed ballot breaks the chain instead', async () => {
    const entry = await env.db.selectFrom('audit_log').selectAll().where('community_id', '=', w.a).where('action', '=', 'ballot.cast').orderBy('seq').executeTakeFirstOrThrow()
    const forged = entry.payload.replace(/"agree"/g, '"oppose"')
    expect(forged).not.toBe(entry.payload)
    await env.db.updateTable('audit_log').set({ payload: forged }).where('community_id', '=', w.a).where('seq', '=', entry.seq).execute()
    await env.db.updateTable('ballots').set({ choice: 'oppose' }).where('receipt_code', '=', JSON.parse(entry.payload).receiptCode).execute()
    const r = await verify()
    expect(r.ok).toBe(false)
    expect(r.problems.join('\n')).toMatch(new RegExp(`第 ${entry.seq} 条记录的内容被改动`))
    await env.db.updateTable('audit_log').set({ payload: entry.payload }).where('community_id', '=', w.a).where('seq', '=', entry.seq).execute()
    await env.db.updateTable('ballots').set({ choice: 'agree' }).where('receipt_code', '=', JSON.parse(entry.payload).receiptCode).execute()
    expect((await verify()).ok).toBe(true)
  })
})

test('npm run audit-verify passes on intact records and fails, naming the ballot, on a changed row (SQLite file)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-audit-'))
  const file = path.join(dir, 'gongzhi.sqlite')
  const { db } = await createDb({ sqliteFile: file })
  await migrateToLatest(db)
  const deps = testDeps(db, 'sqlite')
  const w = await makeVoteWorld(db)
  const v = await announcedVote(deps, w)
  deps.setNow(v.opensAt)
  await advanceVotes(systemCtx(deps))
  await ok(deps, 'castBallot', { communityId: w.a, voteId: v.voteId, confirmed: true, choices: [{ matterId: v.matters[0].id, choice: 'oppose' }] }, w.people.solo.userId)
  await db.destroy()

  const run = () => spawnSync(path.resolve('node_modules/.bin/tsx'), ['scripts/verify-audit.ts'], { env: { ...process.env, DATABASE_URL: '', SQLITE_FILE: file }, encoding: 'utf8' })
  const good = run()
  expect(good.stdout).toMatch(/校验通过/)
  expect(good.status).toBe(0)

  const raw = new Database(file)
  raw.prepare("update ballots set choice = 'agree'").run()
  raw.close()
  const bad = run()
  expect(bad.status).toBe(1)
  expect(bad.stdout).toMatch(/选票与审计记录不符（被改动）/)
  expect(bad.stdout).toMatch(/校验失败/)
  fs.rmSync(dir, { recursive: true, force: true })
}, 60_000)
