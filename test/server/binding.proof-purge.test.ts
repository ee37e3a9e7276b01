import fs from 'node:fs'
import { verifyAuditAll } from '../../server/audit/verifiers'
import { systemCtx } from '../../server/context'
import { checkProof } from '../../server/rosters/binding.proof'
import { JOBS } from '../../server/jobs/registry'
import { runDueJobs } from '../../server/jobs/runner'
import { storageFor } from '../../server/storage'
import { DIALECTS, useTestDb } from '../helpers/db'
import { makeObjectionsWorld, type ObjectionsWorld } from '../helpers/objections-world'
import { secondConnection } from '../helpers/second-connection'
import { call, ok, proofPhoto, uploadProof } from '../helpers/world'

const HOUR_MS = 3600_000

/**
 * Binding proof photos (不动产权证 or purchase contract) uploaded but never used by an approval are
 * removed after a day by the hourly `bindingProofsPurge` job, from storage and from binding_proofs
 * (written at upload); the photo an approval rests on stays, and the audit verifier still finds
 * its bytes. Built through the real actions: bindUnit, uploadBindingProof, decideBinding.
 */
describe.each(DIALECTS)('unused binding proof photos are purged after a day (%s)', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  const T0 = new Date('2026-11-26T02:00:00.000Z')
  let w: ObjectionsWorld
  beforeAll(async () => {
    deps.setNow(T0)
    w = await makeObjectionsWorld(env.db, deps)
  })
  afterAll(() => fs.rmSync(deps.config.dataDir, { recursive: true, force: true }))

  const job = JOBS.find((j) => j.name === 'bindingProofsPurge')!
  /** Runs the purge job through the job runner at `at`; answers how many photos it removed. */
  const runAt = async (at: Date, db = env.db) => {
    const [outcome] = await runDueJobs({ ...deps, db, now: () => at }, at, { jobs: [job] })
    expect(outcome).toMatchObject({ name: 'bindingProofsPurge', ok: true })
    return (outcome as { result: { purged: number } }).result.purged
  }
  const tracked = (ref: string) => env.db.selectFrom('binding_proofs').selectAll().where('storage_key', '=', ref.split('#')[0]).executeTakeFirst()
  const stored = (ref: string) => storageFor(deps.config).get(ref.split('#')[0])
  const claim = (room: string, name: string, phone: string) => ({ communityId: w.a, building: '1栋', stair: '1单元', room, name, phone })

  test('a photo no approval used is gone from storage and table after 24 hours; the one an approval used stays', async () => {
    // 刘芳 is not on the roster for 1栋202: the chair photographs the certificate twice and approves on the second.
    const liu = await w.account('刘芳')
    const p = await ok(deps, 'bindUnit', claim('202', '刘芳', '13700000001'), liu)
    const blurred = await uploadProof(deps, w.a, p.bindingId, w.chair, proofPhoto(1))
    const used = await uploadProof(deps, w.a, p.bindingId, w.chair, proofPhoto(2))
    // Each upload is recorded with its digest, uploader and time, unused.
    expect(await tracked(blurred)).toMatchObject({ community_id: w.a, binding_id: p.bindingId, sha256: blurred.split('=')[1], uploaded_by: w.chair, created_at: T0.toISOString(), used_at: null })
    deps.setNow(new Date(T0.getTime() + HOUR_MS))
    await ok(deps, 'decideBinding', { communityId: w.a, bindingId: p.bindingId, approve: true, proofRef: used }, w.chair)
    expect(await tracked(used)).toMatchObject({ used_at: new Date(T0.getTime() + HOUR_MS).toISOString() })
    // A request the committee rejects leaves its photo unused.
    const stranger = await w.account('冒名者')
    const q = await ok(deps, 'bindUnit', claim('202', '冒名者', '13700000002'), stranger)
    const rejected = await uploadProof(deps, w.a, q.bindingId, w.chair, proofPhoto(3))
    await ok(deps, 'decideBinding', { communityId: w.a, bindingId: q.bindingId, approve: false, reason: '无房产证' }, w.chair)

    // One day is the boundary: a photo just under a day old stays.
    expect(await runAt(new Date(T0.getTime() + 24 * HOUR_MS - 1))).toBe(0)
    for (const ref of [blurred, used, rejected]) {
      expect(await tracked(ref)).toBeDefined()
      expect(await stored(ref)).not.toBeNull()
    }
    // Later (the job runs hourly): both unused photos (uploaded at T0 and T0 + 1 h) are more than a day old and go.
    expect(await runAt(new Date(T0.getTime() + 26 * HOUR_MS))).toBe(2)
    for (const ref of [blurred, rejected]) {
      expect(await tracked(ref)).toBeUndefined()
      expect(await stored(ref)).toBeNull()
    }
    expect(await tracked(used)).toBeDefined()
    expect(await stored(used)).not.toBeNull()
    expect((await env.db.selectFrom('bindings').select('proof_file').where('id', '=', p.bindingId).executeTakeFirstOrThrow()).proof_file).toBe(used)
    // The approval still rests on its photo: the audit verifier finds the bytes the log recorded.
    expect((await verifyAuditAll(systemCtx(deps), [w.a]))[0]).toMatchObject({ ok: true, checked: { bindings: 1 }, problems: [] })
    // Nothing more to purge.
    expect(await runAt(new Date(T0.getTime() + 27 * HOUR_MS))).toBe(0)
  })

  test('a photo purged before the approval is refused plainly; a photo named by an approval is never purged, even unmarked', async () => {
    const t1 = new Date(T0.getTime() + 30 * HOUR_MS)
    deps.setNow(t1)
    const buyer = await w.account('新买家')
    const p = await ok(deps, 'bindUnit', claim('202', '新买家', '13700000003'), buyer)
    const late = await uploadProof(deps, w.a, p.bindingId, w.chair, proofPhoto(4))
    expect(await runAt(new Date(t1.getTime() + 25 * HOUR_MS))).toBe(1)
    deps.setNow(new Date(t1.getTime() + 26 * HOUR_MS))
    expect(await call(deps, 'decideBinding', { communityId: w.a, bindingId: p.bindingId, approve: true, proofRef: late }, w.chair)).toMatchObject({
      ok: false,
      error: { code: 'NotFound', message: '找不到这张房产证或购房合同的照片，请重新拍摄上传' },
    })
    // A fresh photo is used; even with its row's mark cleared, the binding naming it keeps it.
    const fresh = await uploadProof(deps, w.a, p.bindingId, w.chair, proofPhoto(5))
    await ok(deps, 'decideBinding', { communityId: w.a, bindingId: p.bindingId, approve: true, proofRef: fresh }, w.chair)
    await env.db.updateTable('binding_proofs').set({ used_at: null }).where('storage_key', '=', fresh.split('#')[0]).execute()
    expect(await runAt(new Date(t1.getTime() + 60 * HOUR_MS))).toBe(0)
    expect(await tracked(fresh)).toBeDefined()
    expect(await stored(fresh)).not.toBeNull()
  })

  test('a purge running while an approval is using the photo waits for it and keeps the photo (a second server process)', async () => {
    const t2 = new Date(T0.getTime() + 100 * HOUR_MS)
    deps.setNow(t2)
    const owner = await w.account('赵磊')
    const p = await ok(deps, 'bindUnit', claim('202', '赵磊', '13700000004'), owner)
    const proofRef = await uploadProof(deps, w.a, p.bindingId, w.chair, proofPhoto(6))
    const later = new Date(t2.getTime() + 25 * HOUR_MS)
    deps.setNow(later)
    const other = await secondConnection(env.db, dialect)
    try {
      // The approval's transaction has checked (and marked) the photo and not yet committed, as
      // decideBinding does between checkProof and its commit; the other process's purge runs then.
      let release!: () => void
      const held = new Promise<void>((resolve) => (release = resolve))
      let checked!: () => void
      const wasChecked = new Promise<void>((resolve) => (checked = resolve))
      const approval = env.db.transaction().execute(async (trx) => {
        await checkProof({ ...systemCtx(deps), db: trx }, w.a, p.bindingId, proofRef)
        checked()
        await held
      })
      await wasChecked
      const purge = runAt(later, other.db)
      await new Promise((resolve) => setTimeout(resolve, 300))
      release()
      await approval
      expect(await purge).toBe(0)
    } finally {
      await other.close()
    }
    expect(await tracked(proofRef)).toMatchObject({ used_at: later.toISOString() })
    expect(await stored(proofRef)).not.toBeNull()
  })
})
