import fs from 'node:fs'
import { verifyAuditAll } from '../../server/audit/verifiers'
import { systemCtx } from '../../server/context'
import { JOBS } from '../../server/jobs/registry'
import { runDueJobs } from '../../server/jobs/runner'
import { storageFor } from '../../server/storage'
import { advanceVotes } from '../../server/votes/vote.clock'
import { DIALECTS, useTestDb } from '../helpers/db'
import { tinyJpeg, tinyPng } from '../helpers/images'
import { secondConnection } from '../helpers/second-connection'
import { announcedVote, makeVoteWorld, type VoteWorld } from '../helpers/votes-world'
import { call, ok } from '../helpers/world'

const HOUR_MS = 3600_000
const GONE = '找不到这张纸质表决票的照片，请重新拍摄上传'

/**
 * Paper-ballot evidence photos uploaded but never used (issue 9 item 3: "evidence never used is
 * purged like other orphan uploads") are removed a day after their upload by the hourly
 * `ballotEvidencePurge` job, from storage and from ballot_evidence (written at upload); a photo a
 * paper ballot or a logged conflict names stays, however old, and so does one uploaded before the
 * table existed. Built through the real actions: uploadBallotEvidence, enterPaperBallot, castBallot.
 */
describe.each(DIALECTS)('unused paper-ballot photos are purged after a day (%s)', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: VoteWorld
  beforeAll(async () => {
    deps.setNow(new Date('2026-11-26T02:00:00.000Z'))
    w = await makeVoteWorld(env.db)
  })
  afterAll(() => fs.rmSync(deps.config.dataDir, { recursive: true, force: true }))

  const job = JOBS.find((j) => j.name === 'ballotEvidencePurge')!
  /** Runs the purge job through the job runner at `at`; answers how many photos it removed. */
  const runAt = async (at: Date, db = env.db) => {
    const [outcome] = await runDueJobs({ ...deps, db, now: () => at }, at, { jobs: [job] })
    expect(outcome).toMatchObject({ name: 'ballotEvidencePurge', ok: true })
    return (outcome as { result: { purged: number } }).result.purged
  }
  const keyOf = (ref: string) => ref.split('#')[0]
  const tracked = (ref: string) => env.db.selectFrom('ballot_evidence').selectAll().where('evidence_ref', '=', ref).executeTakeFirst()
  const stored = (ref: string) => storageFor(deps.config).get(keyOf(ref))
  let fill = 20
  /** A fresh vote of 小区 A announced now and opened; the clock is left at its opening. */
  async function openVote() {
    const v = await announcedVote(deps, w)
    deps.setNow(v.opensAt)
    await advanceVotes(systemCtx(deps))
    const ref = { communityId: w.a, voteId: v.voteId }
    const electorate = await ok(deps, 'voteElectorate', ref, w.chair)
    const voter = (name: string) => electorate.find((e: { names: string[] }) => e.names.includes(name)).voterKey as string
    const choices = (choice: string) => v.matters.map((m) => ({ matterId: m.id, choice }))
    /** A photo of a signed paper (a real tiny image, different bytes each time), uploaded by a committee member. */
    const upload = async (png = false) => {
      const photo = png ? tinyPng(64, ++fill) : tinyJpeg(64, ++fill)
      return (await ok(deps, 'uploadBallotEvidence', { ...ref, fileName: '表决票.jpg', dataBase64: photo.toString('base64') }, w.member)).evidenceRef as string
    }
    const paper = (name: string, evidenceRef: string) => call(deps, 'enterPaperBallot', { ...ref, voterKey: voter(name), choices: choices('agree'), evidenceRef }, w.member)
    return { ...v, ref, voter, choices, upload, paper }
  }
  const auditOk = async () => expect((await verifyAuditAll(systemCtx(deps), [w.a]))[0]).toMatchObject({ ok: true, problems: [] })

  test('a photo no ballot used is gone from storage and table after 24 hours; those a paper ballot or a logged conflict names stay, however old', async () => {
    const v = await openVote()
    const T = v.opensAt
    // The committee photographs 邓雨英's paper twice and enters it with the second photo.
    const blurred = await v.upload()
    const used = await v.upload(true)
    // Each upload is recorded with its reference as a ballot holds it, its digest, uploader and time, unchecked.
    expect(await tracked(blurred)).toEqual({ id: expect.any(String), community_id: w.a, vote_id: v.voteId, evidence_ref: blurred, sha256: blurred.split('#sha256=')[1], uploaded_by: w.member, uploaded_at: T.toISOString(), checked_at: null })
    expect(blurred).toBe(`${keyOf(blurred)}#sha256=${(await tracked(blurred))!.sha256}`)
    expect(await v.paper('邓雨英', used)).toMatchObject({ ok: true })
    expect(await tracked(used)).toMatchObject({ checked_at: T.toISOString() })
    // 韩晨梅 voted online first: her paper is refused and logged as a conflict with its photo.
    await ok(deps, 'castBallot', { ...v.ref, confirmed: true, choices: v.choices('oppose') }, w.people.other.userId)
    const refused = await v.upload()
    expect(await v.paper('韩晨梅', refused)).toMatchObject({ ok: false, error: { code: 'AlreadyVoted' } })
    expect((await env.db.selectFrom('vote_conflicts').select('evidence_file').where('vote_id', '=', v.voteId).executeTakeFirstOrThrow()).evidence_file).toBe(refused)

    // One day is the boundary: a photo just under a day old stays.
    expect(await runAt(new Date(T.getTime() + 24 * HOUR_MS - 1))).toBe(0)
    for (const ref of [blurred, used, refused]) {
      expect(await tracked(ref)).toBeDefined()
      expect(await stored(ref)).not.toBeNull()
    }
    // The next hourly run: the unused photo goes, from storage and table.
    expect(await runAt(new Date(T.getTime() + 25 * HOUR_MS))).toBe(1)
    expect(await tracked(blurred)).toBeUndefined()
    expect(await stored(blurred)).toBeNull()
    for (const ref of [used, refused]) {
      expect(await tracked(ref)).toBeDefined()
      expect(await stored(ref)).not.toBeNull()
    }
    await auditOk()

    // A purged photo entered afterwards is refused plainly, and nothing is written.
    deps.setNow(new Date(T.getTime() + 26 * HOUR_MS))
    expect(await v.paper('田志', blurred)).toMatchObject({ ok: false, error: { code: 'NotFound', message: GONE } })
    expect(await env.db.selectFrom('ballots').select('id').where('evidence_file', '=', blurred).execute()).toHaveLength(0)

    // However old, a photo a ballot or a conflict names is never purged (even with its check mark cleared).
    await env.db.updateTable('ballot_evidence').set({ checked_at: null }).where('vote_id', '=', v.voteId).execute()
    expect(await runAt(new Date(v.closesAt.getTime() + 400 * 24 * HOUR_MS))).toBe(0)
    for (const ref of [used, refused]) {
      expect(await tracked(ref)).toBeDefined()
      expect(await stored(ref)).not.toBeNull()
    }
    await auditOk()
  })

  test('a photo uploaded before its upload was recorded (no row) is never purged and still backs a paper ballot', async () => {
    deps.setNow(new Date(Date.parse('2028-03-01T02:00:00.000Z')))
    const v = await openVote()
    const old = await v.upload()
    await env.db.deleteFrom('ballot_evidence').where('evidence_ref', '=', old).execute()
    expect(await runAt(new Date(v.opensAt.getTime() + 25 * HOUR_MS))).toBe(0)
    expect(await stored(old)).not.toBeNull()
    deps.setNow(new Date(v.opensAt.getTime() + 26 * HOUR_MS))
    expect(await v.paper('邓雨英', old)).toMatchObject({ ok: true })
    expect(await runAt(new Date(v.opensAt.getTime() + 400 * 24 * HOUR_MS))).toBe(0)
    expect(await stored(old)).not.toBeNull()
  })

  test('a purge running between the photo\'s check and the ballot\'s write keeps the photo (a second server process)', async () => {
    deps.setNow(new Date(Date.parse('2030-03-01T02:00:00.000Z')))
    const v = await openVote()
    const photo = await v.upload()
    const later = new Date(v.opensAt.getTime() + 25 * HOUR_MS)
    deps.setNow(later)
    const other = await secondConnection(env.db, dialect)
    const storage = storageFor(deps.config)
    const realGet = storage.get
    let purged: number | undefined
    // enterPaperBallot checks the photo (reading its bytes last), then writes the ballot in its
    // own transaction: the other process's purge runs right between the two.
    const spy = jest.spyOn(storage, 'get').mockImplementation(async (ref) => {
      const data = await realGet(ref)
      if (ref === keyOf(photo) && purged === undefined) purged = await runAt(later, other.db)
      return data
    })
    try {
      expect(await v.paper('邓雨英', photo)).toMatchObject({ ok: true })
    } finally {
      spy.mockRestore()
      await other.close()
    }
    expect(purged).toBe(0)
    expect(await tracked(photo)).toMatchObject({ checked_at: later.toISOString() })
    expect(await stored(photo)).not.toBeNull()
    await auditOk()
  })

  test('a paper ballot entered while the purge is removing its photo waits for it and is refused: 请重新拍摄上传', async () => {
    deps.setNow(new Date(Date.parse('2032-03-01T02:00:00.000Z')))
    const v = await openVote()
    const photo = await v.upload()
    const later = new Date(v.opensAt.getTime() + 25 * HOUR_MS)
    deps.setNow(later)
    const other = await secondConnection(env.db, dialect)
    const storage = storageFor(deps.config)
    const realDelete = storage.delete
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    let deleting!: () => void
    const isDeleting = new Promise<void>((resolve) => (deleting = resolve))
    // The purge has taken the photo's row and is deleting its file (slow storage) when the committee enters the paper.
    const spy = jest.spyOn(storage, 'delete').mockImplementation(async (ref) => {
      if (ref === keyOf(photo)) {
        deleting()
        await held
      }
      return realDelete(ref)
    })
    try {
      const purge = runAt(later, other.db)
      await isDeleting
      const entry = v.paper('邓雨英', photo)
      await new Promise((resolve) => setTimeout(resolve, 300))
      release()
      expect(await purge).toBe(1)
      expect(await entry).toMatchObject({ ok: false, error: { code: 'NotFound', message: GONE } })
    } finally {
      release()
      spy.mockRestore()
      await other.close()
    }
    expect(await env.db.selectFrom('ballots').select('id').where('vote_id', '=', v.voteId).execute()).toHaveLength(0)
    expect(await tracked(photo)).toBeUndefined()
    expect(await stored(photo)).toBeNull()
    await auditOk()
  })
})
