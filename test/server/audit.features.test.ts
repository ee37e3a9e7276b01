import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { checkpointPath } from '../../server/audit/checkpoints'
import { verifyAuditAll } from '../../server/audit/verifiers'
import { systemCtx } from '../../server/context'
import { createDb, migrateToLatest } from '../../server/db/create-db'
import { storageFor } from '../../server/storage'
import { DELETE_ACCOUNT_WORDS } from '../../src/contracts/privacy'
import { DIALECTS, testDeps, useTestDb } from '../helpers/db'
import { makeObjectionsWorld, type ObjectionsWorld } from '../helpers/objections-world'
import { ok, proofPhoto, uploadProof } from '../helpers/world'

/**
 * The audit verifier's chains of the features that append to a 小区's log without one before:
 * binding approvals that changed ownership (with their proof photos), the committee's same-owner
 * decisions, and owners' objections to a vote's electorate with their answers. The world is built
 * through the real actions; each scenario changes a row (or a stored photo) directly, as someone
 * with the database or the file store would, and the verification `npm run audit-verify` runs
 * (verifyAuditAll with the server's config and checkpoint file) must report it; untouched or
 * restored data verifies clean.
 */
describe.each(DIALECTS)('the audit verifier checks bindings, same-owner decisions and objections (%s)', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: ObjectionsWorld
  let liu: string
  let guo: string
  let bindingId: string
  let proofRef: string
  let otherProof: string
  let wangPair: [string, string]
  let voteId: string
  let objectionIds: string[]

  beforeAll(async () => {
    w = await makeObjectionsWorld(env.db, deps)
    // 郭杰华 binds 1栋101 on the roster's phone (approved by the chair): no proof, no entry.
    guo = await w.account('郭杰华')
    await w.bind(guo, '1栋', '101', '郭杰华', '13900000001')
    // 刘芳 is not on the roster for 1栋202: the approval adds an owner, on a proof photo.
    liu = await w.account('刘芳')
    const claim = await ok(deps, 'bindUnit', { communityId: w.a, building: '1栋', stair: '1单元', room: '202', name: '刘芳', phone: '13700000001' }, liu)
    bindingId = claim.bindingId
    otherProof = await uploadProof(deps, w.a, bindingId, w.chair, proofPhoto(9))
    proofRef = await uploadProof(deps, w.a, bindingId, w.chair)
    await ok(deps, 'decideBinding', { communityId: w.a, bindingId, approve: true, proofRef }, w.chair)
    // The two 王芳 are one owner; then the decision is corrected (the row is replaced, both decisions logged).
    const [wang1, wang2] = await w.persons('王芳')
    wangPair = wang1.id < wang2.id ? [wang1.id, wang2.id] : [wang2.id, wang1.id]
    await ok(deps, 'decideRosterDuplicate', { communityId: w.a, personA: wang1.id, personB: wang2.id, decision: 'apart' }, w.chair)
    await ok(deps, 'decideRosterDuplicate', { communityId: w.a, personA: wang1.id, personB: wang2.id, decision: 'merge' }, w.member)
    // Two objections to an announced vote, one answered.
    ;({ voteId } = await w.announce())
    const first = await ok(deps, 'raiseObjection', { communityId: w.a, voteId, text: '1栋101室的面积应为 90.12 ㎡' }, guo)
    const second = await ok(deps, 'raiseObjection', { communityId: w.a, voteId, text: '我在 1栋202 也是业主' }, liu)
    await ok(deps, 'answerObjection', { communityId: w.a, voteId, objectionId: first.id, answer: '已核对不动产权证，下次导入名册时更正' }, w.chair)
    objectionIds = [first.id, second.id]
  })
  afterAll(() => fs.rmSync(deps.config.dataDir, { recursive: true, force: true }))

  /** What `npm run audit-verify` reports for 小区 A: the script's call, with the server's config and checkpoint file. */
  const verify = async () => (await verifyAuditAll(systemCtx(deps), [w.a], undefined, { checkpointFile: checkpointPath(deps.config) }))[0]
  const expectClean = async () => expect(await verify()).toMatchObject({ ok: true, problems: [] })
  /** Runs `change`, expects exactly these findings, then `restore` and a clean report again. */
  async function tampered(change: () => Promise<unknown>, problems: (string | RegExp)[], restore: () => Promise<unknown>) {
    await change()
    const r = await verify()
    expect(r.ok).toBe(false)
    expect(r.problems).toEqual(problems.map((p) => (typeof p === 'string' ? p : expect.stringMatching(p))))
    await restore()
    await expectClean()
  }

  test('untouched records verify clean, each chain counting its records', async () => {
    expect(await verify()).toEqual({ communityId: w.a, entries: expect.any(Number), checked: { votes: 1, fund: 0, bindings: 1, rosterDecisions: 1, objections: 2 }, ok: true, problems: [] })
    // Every 小区 with records is walked: B has none of these.
    const all = await verifyAuditAll(systemCtx(deps))
    expect(all.every((r) => r.ok)).toBe(true)
  })

  describe('binding approvals that changed ownership', () => {
    const row = () => env.db.selectFrom('bindings').selectAll().where('id', '=', bindingId).executeTakeFirstOrThrow()
    const set = (patch: Record<string, string | null>, id = bindingId) => env.db.updateTable('bindings').set(patch).where('id', '=', id).execute()
    const where = () => `增加业主的绑定审核（1栋1单元202室，${bindingId}）`

    test('an approval changed in the table is found, naming what changed', async () => {
      const before = await row()
      const [deng] = await w.persons('邓雨英')
      await tampered(() => set({ person_id: deng.id, decided_by: w.member }), [`${where()}与审计记录不符（被改动）：绑定的业主记录、审核人`], () => set({ person_id: before.person_id, decided_by: before.decided_by }))
      await tampered(() => set({ status: 'rejected' }), [`${where()}与审计记录不符（被改动）：状态`], () => set({ status: 'approved' }))
      // Another proof reference (even a real photo uploaded for this request) is not the one the log recorded.
      await tampered(() => set({ proof_file: otherProof }), [`${where()}与审计记录不符（被改动）：证明照片`], () => set({ proof_file: proofRef }))
      await tampered(() => set({ proof_file: null }), [`${where()}与审计记录不符（被改动）：证明照片`], () => set({ proof_file: proofRef }))
    })

    test('an approval deleted from the table is found', async () => {
      const before = await row()
      await tampered(() => env.db.deleteFrom('bindings').where('id', '=', bindingId).execute(), [`${where()}已不在绑定表中（被删除）`], () => env.db.insertInto('bindings').values(before).execute())
    })

    test('a proof written onto an approval without an entry is found', async () => {
      const guoBinding = await env.db.selectFrom('bindings').select('id').where('user_id', '=', guo).executeTakeFirstOrThrow()
      await tampered(() => set({ proof_file: proofRef }, guoBinding.id), [`带证明照片的绑定审核（1栋1单元101室，${guoBinding.id}）没有审计记录（被另行写入）`], () => set({ proof_file: null }, guoBinding.id))
    })

    test('the stored proof photo must still be the bytes whose SHA-256 the log recorded: swapped or deleted is found', async () => {
      const storage = storageFor(deps.config)
      const ref = proofRef.split('#')[0]
      const original = (await storage.get(ref))!
      const file = `${deps.config.dataDir}/files/${ref}`
      expect(fs.readFileSync(file)).toEqual(original)
      await tampered(() => Promise.resolve(fs.writeFileSync(file, proofPhoto(3))), [`${where()}的证明照片与审计记录的 SHA-256 不符（被替换）`], () => Promise.resolve(fs.writeFileSync(file, original)))
      await tampered(() => storage.delete(ref), [`${where()}的证明照片已不在存储中（被删除）`], () => Promise.resolve(fs.writeFileSync(file, original)))
    })
  })

  describe('same-owner decisions', () => {
    const pair = () => `${wangPair[0]}、${wangPair[1]}`
    const decision = () => env.db.selectFrom('roster_owner_decisions').selectAll().where('person_a', '=', wangPair[0]).where('person_b', '=', wangPair[1]).executeTakeFirstOrThrow()
    const set = (patch: Record<string, string>) => env.db.updateTable('roster_owner_decisions').set(patch).where('person_a', '=', wangPair[0]).where('person_b', '=', wangPair[1]).execute()

    test('the decision in force is the last one logged; a decision changed in the table is found', async () => {
      const before = await decision()
      expect(before).toMatchObject({ decision: 'merge', decided_by: w.member })
      await tampered(() => set({ decision: 'apart' }), [`对两条“王芳”名册记录（${pair()}）的同一业主认定与审计记录不符（被改动）：决定为“不同的人，分开”，审计记录为“同一人，合并”`], () => set({ decision: 'merge' }))
      await tampered(() => set({ decided_by: w.chair, decided_at: '2026-01-01T00:00:00.000Z' }), [`对两条“王芳”名册记录（${pair()}）的同一业主认定与审计记录不符（被改动）：决定人、决定时间`], () => set({ decided_by: before.decided_by, decided_at: before.decided_at }))
    })

    test('a decision deleted, or written without an entry, is found', async () => {
      const before = await decision()
      const del = () => env.db.deleteFrom('roster_owner_decisions').where('person_a', '=', wangPair[0]).where('person_b', '=', wangPair[1]).execute()
      await tampered(del, [`对两条“王芳”名册记录（${pair()}）的同一业主认定已不在决定表中（被删除）`], () => env.db.insertInto('roster_owner_decisions').values(before).execute())
      const [guo1, guo2] = (await w.persons('郭杰华')).map((p) => p.id).sort()
      await tampered(
        () => env.db.insertInto('roster_owner_decisions').values({ community_id: w.a, person_a: guo1, person_b: guo2, decision: 'apart', decided_by: w.chair, decided_at: deps.now().toISOString() }).execute(),
        [`对两条“郭杰华”名册记录（${guo1}、${guo2}）的同一业主认定（不同的人，分开）没有审计记录（被另行写入）`],
        () => env.db.deleteFrom('roster_owner_decisions').where('person_a', '=', guo1).where('person_b', '=', guo2).execute(),
      )
    })
  })

  describe('objections to a vote’s electorate and their answers', () => {
    const objection = (id: string) => env.db.selectFrom('vote_objections').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    const set = (id: string, patch: Record<string, string | null>) => env.db.updateTable('vote_objections').set(patch).where('id', '=', id).execute()
    const of = (id: string) => `表决「2027 年物业服务企业选聘」的异议 ${id}`

    test('an objection or an answer changed in the table is found', async () => {
      const [first, second] = objectionIds
      const a = await objection(first)
      await tampered(() => set(second, { text: '我没有意见' }), [`${of(second)}与审计记录不符（被改动）：异议内容`], () => set(second, { text: '我在 1栋202 也是业主' }))
      await tampered(() => set(second, { raised_by: guo }), [`${of(second)}与审计记录不符（被改动）：提出人`], () => set(second, { raised_by: liu }))
      await tampered(() => set(first, { answer: '不予更正' }), [`${of(first)}的答复与审计记录不符（被改动）：答复内容`], () => set(first, { answer: a.answer }))
      await tampered(() => set(first, { answer: null, answered_by: null, answered_at: null }), [`${of(first)}的答复已不在异议表中（被删除）`], () => set(first, { answer: a.answer, answered_by: a.answered_by, answered_at: a.answered_at }))
      await tampered(
        () => set(second, { answer: '已更正', answered_by: w.chair, answered_at: deps.now().toISOString() }),
        [`${of(second)}的答复没有审计记录（被另行写入）`],
        () => set(second, { answer: null, answered_by: null, answered_at: null }),
      )
    })

    test('an objection deleted, or written without an entry, is found', async () => {
      const [first] = objectionIds
      const a = await objection(first)
      await tampered(() => env.db.deleteFrom('vote_objections').where('id', '=', first).execute(), [`${of(first)}已不在异议表中（被删除）`], () => env.db.insertInto('vote_objections').values(a).execute())
      const forged = { ...a, id: '00000000-0000-4000-8000-000000000001', text: '另行写入的异议', answer: null, answered_by: null, answered_at: null }
      await tampered(() => env.db.insertInto('vote_objections').values(forged).execute(), [`${of(forged.id)}没有审计记录（被另行写入）`], () => env.db.deleteFrom('vote_objections').where('id', '=', forged.id).execute())
    })
  })

  test('an approval deleted with its account (PIPL) is no finding; its proof photo is still checked', async () => {
    await ok(deps, 'deleteMyAccount', { confirm: DELETE_ACCOUNT_WORDS }, liu)
    expect(await env.db.selectFrom('bindings').select('id').where('id', '=', bindingId).executeTakeFirst()).toBeUndefined()
    expect(await verify()).toMatchObject({ ok: true, checked: { bindings: 1 }, problems: [] })
    const ref = proofRef.split('#')[0]
    const storage = storageFor(deps.config)
    const original = (await storage.get(ref))!
    await tampered(() => storage.delete(ref), [`增加业主的绑定审核（1栋1单元202室，${bindingId}）的证明照片已不在存储中（被删除）`], () => Promise.resolve(fs.writeFileSync(`${deps.config.dataDir}/files/${ref}`, original)))
  })
})

test('npm run audit-verify reports an approval’s proof photo swapped in the data folder and a same-owner decision changed (SQLite file)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-audit-features-'))
  const file = path.join(dir, 'gongzhi.sqlite')
  const { db } = await createDb({ sqliteFile: file })
  await migrateToLatest(db)
  const deps = testDeps(db, 'sqlite')
  deps.config.dataDir = dir
  const w = await makeObjectionsWorld(db, deps)
  const liu = await w.account('刘芳')
  const claim = await ok(deps, 'bindUnit', { communityId: w.a, building: '1栋', stair: '1单元', room: '202', name: '刘芳', phone: '13700000001' }, liu)
  const proofRef = await uploadProof(deps, w.a, claim.bindingId, w.chair)
  await ok(deps, 'decideBinding', { communityId: w.a, bindingId: claim.bindingId, approve: true, proofRef }, w.chair)
  const [wang1, wang2] = await w.persons('王芳')
  await ok(deps, 'decideRosterDuplicate', { communityId: w.a, personA: wang1.id, personB: wang2.id, decision: 'merge' }, w.chair)
  const run = () =>
    spawnSync(path.resolve('node_modules/.bin/tsx'), ['scripts/verify-audit.ts'], {
      env: { ...process.env, DATABASE_URL: '', SQLITE_FILE: file, DATA_DIR: dir, AUDIT_HMAC_SECRET: deps.config.auditHmacSecret },
      encoding: 'utf8',
    })
  try {
    const good = run()
    expect(good.stdout).toMatch(/业主变更审核 1 个，同一业主认定 1 个，名单异议 0 个，完好/)
    expect(good.status).toBe(0)

    fs.writeFileSync(path.join(dir, 'files', proofRef.split('#')[0]), proofPhoto(8))
    await db.updateTable('roster_owner_decisions').set({ decision: 'apart' }).where('community_id', '=', w.a).execute()
    await db.destroy()
    const bad = run()
    expect(bad.status).toBe(1)
    expect(bad.stdout).toContain(`增加业主的绑定审核（1栋1单元202室，${claim.bindingId}）的证明照片与审计记录的 SHA-256 不符（被替换）`)
    expect(bad.stdout).toContain('对两条“王芳”名册记录')
    expect(bad.stdout).toContain('与审计记录不符（被改动）：决定为“不同的人，分开”，审计记录为“同一人，合并”')
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}, 60_000)
