import { createHash } from 'node:crypto'
import { verifyChain } from '../../server/audit/audit.service'
import { storageFor } from '../../server/storage'
import { advanceVotes } from '../../server/votes/vote.clock'
import { DIALECTS, useTestDb } from '../helpers/db'
import { DAY_MS, makeRosterVoteWorld, systemCtxAt } from '../helpers/votes-world'
import { bindOwner, call, makeUser, makeWorld, ok, proofPhoto, uploadProof } from '../helpers/world'

const HEADER = '楼栋,单元,房号,建筑面积(㎡),是否电梯,业主姓名,联系电话,身份证后四位'
const csv = (...lines: string[]) => Buffer.from([HEADER, ...lines].join('\n'), 'utf8').toString('base64')

const ROSTER = csv(
  '1栋,1单元,101,89.56,是,王伟,13912345678,552X',
  '1栋,1单元,102,118.20,是,李娜、张强,13900000002,1234',
  '1栋,1单元,201,89.56,是,开发商（未售）,,',
)

/** A 1×1 JPEG with the EXIF block (camera, GPS) a phone writes: the stored proof must not keep it. */
function phoneJpeg(): Buffer {
  const seg = (marker: number, payload: Buffer) => {
    const len = Buffer.alloc(2)
    len.writeUInt16BE(payload.length + 2)
    return Buffer.concat([Buffer.from([0xff, marker]), len, payload])
  }
  const exif = Buffer.concat([Buffer.from('Exif\0\0MM\0*\0\0\0\x08', 'latin1'), Buffer.from('GPS 25.829 114.933 iPhone 12', 'latin1')])
  const sof = Buffer.from([8, 0, 1, 0, 1, 1, 1, 0x11, 0])
  const sos = Buffer.from([1, 1, 0, 0, 0x3f, 0])
  return Buffer.concat([Buffer.from([0xff, 0xd8]), seg(0xe1, exif), seg(0xc0, sof), seg(0xda, sos), Buffer.alloc(8, 5), Buffer.from([0xff, 0xd9])])
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')

/**
 * Binding approvals that change ownership are evidence-based and audited (issue 8 item 9): adding
 * an owner the roster does not list for a unit, or selling an unsold unit, needs a photo of the
 * 不动产权证 or purchase contract (cleaned like every kept photo) and is written to the 小区's audit
 * log; confirming a roster match needs neither; an open vote's electorate, frozen at its opening,
 * is never changed by an approval.
 */
describe.each(DIALECTS)('binding approvals that change ownership on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)

  async function setup() {
    const w = await makeWorld(env.db)
    const chair = await makeUser(env.db, 'chair', 'committee_chair', { communityId: w.a })
    await ok(deps, 'importRoster', { communityId: w.a, fileName: 'roster.csv', fileBase64: ROSTER }, chair)
    return { ...w, chair }
  }
  const claim = (communityId: string, room: string, name: string, phone: string) => ({ communityId, building: '1栋', stair: '1单元', room, name, phone })
  const auditOf = (communityId: string) =>
    env.db.selectFrom('audit_log').select(['action', 'actor', 'entity_type', 'entity_id', 'payload']).where('community_id', '=', communityId).where('action', 'like', 'binding.%').orderBy('seq').execute()
  const ownersOf = async (communityId: string, room: string) =>
    (
      await env.db
        .selectFrom('ownerships as o')
        .innerJoin('persons as p', 'p.id', 'o.person_id')
        .innerJoin('units as u', 'u.id', 'o.unit_id')
        .select('p.name')
        .where('o.community_id', '=', communityId)
        .where('u.room', '=', room)
        .execute()
    ).map((r) => r.name).sort()
  const bindingOf = (id: string) => env.db.selectFrom('bindings').select(['status', 'proof_file', 'person_id']).where('id', '=', id).executeTakeFirstOrThrow()

  test('An approval that adds an owner the roster does not list needs a proof photo (cleaned, kept with its digest) and is audited', async () => {
    const w = await setup()
    const wife = await makeUser(env.db, 'liu')
    const p = await ok(deps, 'bindUnit', claim(w.a, '101', '刘芳', '13700000001'), wife)
    const [listed] = (await ok(deps, 'listBindingRequests', { communityId: w.a }, w.chair)).items
    expect(listed).toMatchObject({ id: p.bindingId, rosterMatch: false, needsProof: true })
    // Without proof: refused plainly, nothing changes.
    expect(await call(deps, 'decideBinding', { communityId: w.a, bindingId: p.bindingId, approve: true }, w.chair)).toMatchObject({
      ok: false,
      error: { code: 'BadInput', message: expect.stringContaining('不动产权证或购房合同') },
    })
    expect(await ownersOf(w.a, '101')).toEqual(['王伟'])
    expect(await bindingOf(p.bindingId)).toMatchObject({ status: 'pending', proof_file: null })
    expect(await auditOf(w.a)).toEqual([])

    // The photo goes through cleanImage: the stored bytes carry no EXIF (camera, GPS).
    const proof = await ok(deps, 'uploadBindingProof', { communityId: w.a, bindingId: p.bindingId, fileName: '不动产权证.jpg', dataBase64: phoneJpeg().toString('base64') }, w.chair)
    const stored = (await storageFor(deps.config).get(proof.proofRef.split('#')[0]))!
    expect(stored.includes(Buffer.from('Exif'))).toBe(false)
    expect(stored.includes(Buffer.from('GPS'))).toBe(false)
    expect(proof.sha256).toBe(sha256(stored))
    expect(proof.proofRef).toBe(`${proof.proofRef.split('#')[0]}#sha256=${sha256(stored)}`)

    const decided = await ok(deps, 'decideBinding', { communityId: w.a, bindingId: p.bindingId, approve: true, proofRef: proof.proofRef }, w.chair)
    expect(decided).toMatchObject({ status: 'approved', rosterOwners: ['刘芳', '王伟'], needsProof: false })
    expect(await ownersOf(w.a, '101')).toEqual(['刘芳', '王伟'])
    const row = await bindingOf(p.bindingId)
    expect(row).toMatchObject({ status: 'approved', proof_file: proof.proofRef })
    const audit = await auditOf(w.a)
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ action: 'binding.owner_added', actor: w.chair, entity_type: 'binding', entity_id: p.bindingId })
    expect(JSON.parse(audit[0].payload)).toMatchObject({
      unit: '1栋1单元101室',
      userId: wife,
      personId: row.person_id,
      newPerson: true,
      addedOwner: true,
      soldUnit: false,
      developerRemoved: [],
      proofFile: proof.proofRef.split('#')[0],
      proofSha256: proof.sha256,
    })
    expect((await verifyChain({ db: env.db, config: deps.config }, w.a)).problems).toEqual([])
    expect((await ok(deps, 'me', {}, wife)).units.map((u: { label: string }) => u.label)).toEqual(['1栋1单元101室'])
  })

  test('An approval that turns an unsold unit into a sold one needs a proof photo and is audited; the developer no longer owns it', async () => {
    const w = await setup()
    const buyer = await makeUser(env.db, 'buyer')
    const p = await ok(deps, 'bindUnit', claim(w.a, '201', '新买家', '13700000000'), buyer)
    expect(await call(deps, 'decideBinding', { communityId: w.a, bindingId: p.bindingId, approve: true }, w.chair)).toMatchObject({
      ok: false,
      error: { code: 'BadInput', message: expect.stringContaining('未售') },
    })
    expect((await env.db.selectFrom('units').select('sold').where('community_id', '=', w.a).where('room', '=', '201').executeTakeFirstOrThrow()).sold).toBe(0)
    expect(await ownersOf(w.a, '201')).toEqual(['开发商（未售）'])
    const proofRef = await uploadProof(deps, w.a, p.bindingId, w.chair)
    await ok(deps, 'decideBinding', { communityId: w.a, bindingId: p.bindingId, approve: true, proofRef }, w.chair)
    expect((await env.db.selectFrom('units').select('sold').where('community_id', '=', w.a).where('room', '=', '201').executeTakeFirstOrThrow()).sold).toBe(1)
    expect(await ownersOf(w.a, '201')).toEqual(['新买家'])
    const [entry] = await auditOf(w.a)
    expect(JSON.parse(entry.payload)).toMatchObject({ unit: '1栋1单元201室', addedOwner: true, soldUnit: true, developerRemoved: [expect.any(String)], proofSha256: proofRef.split('=')[1] })
    expect((await verifyChain({ db: env.db, config: deps.config }, w.a)).ok).toBe(true)
  })

  test('Approvals that only confirm a roster match need no proof and write no ownership change to the log', async () => {
    const w = await setup()
    // Flagged (typed details match the roster): one tap.
    const wang = await makeUser(env.db, 'wang')
    await bindOwner(deps, wang, claim(w.a, '101', '王伟', '13912345678'), w.chair)
    // Not flagged (another phone), but the name is the roster's owner of the unit: still no proof.
    const li = await makeUser(env.db, 'li')
    const p = await ok(deps, 'bindUnit', claim(w.a, '102', '李娜', '13600000000'), li)
    const [listed] = (await ok(deps, 'listBindingRequests', { communityId: w.a }, w.chair)).items
    expect(listed).toMatchObject({ id: p.bindingId, rosterMatch: false, needsProof: false })
    expect(await ok(deps, 'decideBinding', { communityId: w.a, bindingId: p.bindingId, approve: true }, w.chair)).toMatchObject({ status: 'approved' })
    expect(await ownersOf(w.a, '101')).toEqual(['王伟'])
    expect(await ownersOf(w.a, '102')).toEqual(['张强', '李娜'])
    expect(await auditOf(w.a)).toEqual([])
    // A rejection needs no proof either.
    const stranger = await makeUser(env.db, 'stranger')
    const q = await ok(deps, 'bindUnit', claim(w.a, '201', '冒名者', '13600000001'), stranger)
    expect(await ok(deps, 'decideBinding', { communityId: w.a, bindingId: q.bindingId, approve: false, reason: '无房产证' }, w.chair)).toMatchObject({ status: 'rejected' })
    expect(await auditOf(w.a)).toEqual([])
  })

  test('A proof backs only the request it was uploaded for, unchanged; only photos; only by the committee; only while pending', async () => {
    const w = await setup()
    const [a, b] = [await makeUser(env.db, 'a'), await makeUser(env.db, 'b')]
    const pa = await ok(deps, 'bindUnit', claim(w.a, '201', '甲', '13700000010'), a)
    const pb = await ok(deps, 'bindUnit', claim(w.a, '101', '乙', '13700000011'), b)
    const forB = await uploadProof(deps, w.a, pb.bindingId, w.chair)
    // Another request's photo, a made-up reference, a changed digest: refused, nothing written.
    expect(await call(deps, 'decideBinding', { communityId: w.a, bindingId: pa.bindingId, approve: true, proofRef: forB }, w.chair)).toMatchObject({ ok: false, error: { code: 'NotFound' } })
    expect(await call(deps, 'decideBinding', { communityId: w.a, bindingId: pa.bindingId, approve: true, proofRef: `bindings/${w.a}/${pa.bindingId}/x.png#sha256=${'0'.repeat(64)}` }, w.chair)).toMatchObject({ ok: false, error: { code: 'NotFound' } })
    const forA = await uploadProof(deps, w.a, pa.bindingId, w.chair, proofPhoto(9))
    const swapped = forA.replace(/[0-9a-f]{64}$/, '1'.repeat(64))
    expect(await call(deps, 'decideBinding', { communityId: w.a, bindingId: pa.bindingId, approve: true, proofRef: swapped }, w.chair)).toMatchObject({ ok: false, error: { code: 'Conflict' } })
    // The photo changed on disk after the upload: refused.
    const ref = forB.split('#')[0]
    await storageFor(deps.config).put(ref.slice(ref.indexOf('bindings/')), proofPhoto(1), 'image/png')
    expect(await call(deps, 'decideBinding', { communityId: w.a, bindingId: pb.bindingId, approve: true, proofRef: forB }, w.chair)).toMatchObject({ ok: false, error: { code: 'Conflict' } })
    expect((await bindingOf(pa.bindingId)).status).toBe('pending')
    expect(await auditOf(w.a)).toEqual([])
    // Not a photo (a PDF, text): refused by its bytes.
    for (const bytes of [Buffer.from('%PDF-1.4\n%…'), Buffer.from('hello')]) {
      expect(await call(deps, 'uploadBindingProof', { communityId: w.a, bindingId: pa.bindingId, fileName: 'x.jpg', dataBase64: bytes.toString('base64') }, w.chair)).toMatchObject({ ok: false, error: { code: 'UnsupportedFile' } })
    }
    // An owner cannot upload; another 小区's committee does not find the request.
    const chairB = await makeUser(env.db, 'chairB', 'committee_member', { communityId: w.b })
    expect(await call(deps, 'uploadBindingProof', { communityId: w.a, bindingId: pa.bindingId, fileName: 'p.png', dataBase64: proofPhoto().toString('base64') }, a)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    expect(await call(deps, 'uploadBindingProof', { communityId: w.b, bindingId: pa.bindingId, fileName: 'p.png', dataBase64: proofPhoto().toString('base64') }, chairB)).toMatchObject({ ok: false, error: { code: 'NotFound' } })
    // The right photo approves; afterwards nothing more can be uploaded for the request.
    await ok(deps, 'decideBinding', { communityId: w.a, bindingId: pa.bindingId, approve: true, proofRef: forA }, w.chair)
    expect(await call(deps, 'uploadBindingProof', { communityId: w.a, bindingId: pa.bindingId, fileName: 'p.png', dataBase64: proofPhoto().toString('base64') }, w.chair)).toMatchObject({ ok: false, error: { code: 'Conflict' } })
  })

  test('A proof photo also arrives as a temporary cloud upload (the mini-program), read once and deleted; both or neither source is refused', async () => {
    const w = await setup()
    const buyer = await makeUser(env.db, 'buyer')
    const p = await ok(deps, 'bindUnit', claim(w.a, '201', '新买家', '13700000000'), buyer)
    const bucket = new Map<string, Buffer>()
    const deleted: string[] = []
    const cloudDeps = { ...deps, cloudFiles: { download: async (id: string) => Buffer.from(bucket.get(id)!), delete: async (id: string) => void (deleted.push(id), bucket.delete(id)) } }
    const id = 'cloud://prod-1a2b.7072-prod-1a2b-1300000000/uploads/abc/proof.png'
    bucket.set(id, proofPhoto(4))
    const base = { communityId: w.a, bindingId: p.bindingId, fileName: 'proof.png' }
    expect(await call(cloudDeps, 'uploadBindingProof', { ...base, cloudFileId: id, dataBase64: proofPhoto().toString('base64') }, w.chair)).toMatchObject({ ok: false, error: { code: 'BadInput', message: '文件内容和云文件只能二选一' } })
    expect(await call(cloudDeps, 'uploadBindingProof', base, w.chair)).toMatchObject({ ok: false, error: { code: 'BadInput', message: '需要文件内容（或小程序上传的云文件）' } })
    const proof = await ok(cloudDeps, 'uploadBindingProof', { ...base, cloudFileId: id }, w.chair)
    expect(deleted).toEqual([id])
    expect(proof.sha256).toBe(sha256(proofPhoto(4)))
    expect(await ok(deps, 'decideBinding', { communityId: w.a, bindingId: p.bindingId, approve: true, proofRef: proof.proofRef }, w.chair)).toMatchObject({ status: 'approved' })
  })

  test('An approval during an open vote leaves its electorate and tally unchanged; a vote opened afterwards counts the new owner', async () => {
    const w = await makeRosterVoteWorld(env.db, deps)
    const T = new Date('2026-11-26T02:00:00.000Z')
    deps.setNow(T)
    const opensAt = new Date(T.getTime() + 16 * DAY_MS)
    const vote = await ok(deps, 'createVote', { communityId: w.a, title: '续聘物业', scope: 'whole', opensAt: opensAt.toISOString(), closesAt: new Date(opensAt.getTime() + 7 * DAY_MS).toISOString(), matters: [{ item: 4, title: '续聘安居物业' }] }, w.chair)
    await ok(deps, 'announceVote', { communityId: w.a, voteId: vote.id }, w.chair)
    deps.setNow(opensAt)
    await advanceVotes(systemCtxAt(deps, opensAt))
    const ref = { communityId: w.a, voteId: vote.id }
    await ok(deps, 'castBallot', { ...ref, choices: [{ matterId: vote.matters[0].id, choice: 'agree' }], confirmed: true }, w.people.solo.userId)
    const electorate = await ok(deps, 'voteElectorate', ref, w.chair)
    const progress = await ok(deps, 'voteProgress', ref, w.chair)

    // During the vote: a buyer of unsold 2栋201 and a new co-owner of 1栋202 are approved on proof.
    const buyer = await makeUser(env.db, '新业主')
    const b1 = await ok(deps, 'bindUnit', { communityId: w.a, building: '2栋', stair: '1单元', room: '201', name: '新业主', phone: '13700000020' }, buyer)
    await ok(deps, 'decideBinding', { communityId: w.a, bindingId: b1.bindingId, approve: true, proofRef: await uploadProof(deps, w.a, b1.bindingId, w.chair) }, w.chair)
    const heir = await makeUser(env.db, '邓小明')
    const b2 = await ok(deps, 'bindUnit', { communityId: w.a, building: '1栋', stair: '1单元', room: '202', name: '邓小明', phone: '13700000021' }, heir)
    await ok(deps, 'decideBinding', { communityId: w.a, bindingId: b2.bindingId, approve: true, proofRef: await uploadProof(deps, w.a, b2.bindingId, w.member) }, w.member)
    expect((await ok(deps, 'me', {}, buyer)).units).toHaveLength(1)

    // The open vote's electorate and tally are exactly what they were.
    expect(await ok(deps, 'voteElectorate', ref, w.chair)).toEqual(electorate)
    expect(await ok(deps, 'voteProgress', ref, w.chair)).toEqual(progress)
    expect(progress.matters[0]).toMatchObject({ totalHeadcount: 5, participatingHeadcount: 1 })
    for (const who of [buyer, heir]) {
      expect(await call(deps, 'castBallot', { ...ref, choices: [{ matterId: vote.matters[0].id, choice: 'oppose' }], confirmed: true }, who)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    }
    expect(await ok(deps, 'voteProgress', ref, w.chair)).toEqual(progress)
    // Both approvals are in the log, and the chain (with the vote's entries around them) verifies.
    expect((await auditOf(w.a)).map((e) => [e.action, e.entity_id])).toEqual([['binding.owner_added', b1.bindingId], ['binding.owner_added', b2.bindingId]])
    expect((await verifyChain({ db: env.db, config: deps.config }, w.a)).problems).toEqual([])

    // Boundary: a vote opened after the approvals counts the buyer's unit as sold to them.
    const later = new Date(opensAt.getTime() + 16 * DAY_MS)
    const next = await ok(deps, 'createVote', { communityId: w.a, title: '电梯维修', scope: 'whole', opensAt: later.toISOString(), closesAt: new Date(later.getTime() + 7 * DAY_MS).toISOString(), matters: [{ item: 5, title: '使用维修资金维修电梯' }] }, w.chair)
    await ok(deps, 'announceVote', { communityId: w.a, voteId: next.id }, w.chair)
    deps.setNow(later)
    await advanceVotes(systemCtxAt(deps, later))
    const nextElectorate = await ok(deps, 'voteElectorate', { communityId: w.a, voteId: next.id }, w.chair)
    expect(nextElectorate.find((v: { names: string[] }) => v.names.includes('新业主'))).toMatchObject({ kind: 'sole', units: ['2栋1单元201室'] })
    expect(electorate.some((v: { names: string[] }) => v.names.includes('新业主'))).toBe(false)
  })
})
