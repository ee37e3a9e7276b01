import fs from 'node:fs'
import path from 'node:path'
import { createHash } from 'node:crypto'
import { DIALECTS, useTestDb, type TestDeps } from '../helpers/db'
import { advanceVotes } from '../../server/votes/vote.clock'
import { announcedVote, makeVoteWorld, systemCtxAt } from '../helpers/votes-world'
import { call, ok } from '../helpers/world'
import { fileRepair, makeReportWorld, uploadPhoto, type ReportWorld } from '../helpers/reports-world'
import { makeNoticeWorld } from '../helpers/notices-world'
import { cleanImage, storageFor } from '../../server/storage'
import { exifOrientation } from '../../server/storage/image'
import { AppError } from '../../server/errors'
import { GPS, phoneJpeg, REAL_JPEG, tinyJpeg, tinyPng, tinyWebp } from '../helpers/images'

/** An independent reader of image headers and EXIF orientation (probe-image-size, a devDependency; untyped). */
const probe = require('probe-image-size') as { sync(data: Buffer): { width: number; height: number; orientation?: number } | null }

/**
 * Issue 9 item 8 (files): a photo is stored without its EXIF — residents' phones write where it was
 * taken — but keeps the orientation, else a photo taken upright shows sideways; and an image whose
 * header declares no readable dimensions is refused, not stored unchecked.
 */
const app1Of = (jpeg: Buffer): Buffer[] => {
  const out: Buffer[] = []
  let i = 2
  while (i + 4 <= jpeg.length && jpeg[i] === 0xff && jpeg[i + 1] !== 0xda) {
    const len = jpeg.readUInt16BE(i + 2)
    if (jpeg[i + 1] === 0xe1) out.push(jpeg.subarray(i + 4, i + 2 + len))
    i += 2 + len
  }
  return out
}
/** The latitude as the GPS IFD stores it: three rationals (degrees, minutes, seconds) ×100 / 100. */
const gpsBytes = (order: 'II' | 'MM') =>
  Buffer.concat(
    GPS.lat.flatMap((x) => [Math.round(x * 100), 100]).map((n) => {
      const b = Buffer.alloc(4)
      if (order === 'II') b.writeUInt32LE(n)
      else b.writeUInt32BE(n)
      return b
    }),
  )

describe('cleanImage: orientation kept, everything else of EXIF gone', () => {
  test.each(['MM', 'II'] as const)('a real JPEG from a phone (orientation 6, GPS, camera, time; %s byte order) keeps orientation 6 and nothing else', (order) => {
    const photo = phoneJpeg(6, order)
    // The fixture is what it claims: a decodable JPEG whose EXIF says "turn 90° clockwise" and carries a position.
    expect(probe.sync(photo)).toMatchObject({ width: 16, height: 16, orientation: 6 })
    expect(photo.includes(Buffer.from('iPhone 12'))).toBe(true)
    expect(photo.includes(gpsBytes(order))).toBe(true)

    const out = cleanImage(photo)
    expect(out).toMatchObject({ width: 16, height: 16, mime: 'image/jpeg' })
    // An independent reader still turns it the same way.
    expect(probe.sync(out.bytes)).toMatchObject({ width: 16, height: 16, orientation: 6 })
    const [exif, ...more] = app1Of(out.bytes)
    expect(more).toEqual([])
    expect(exifOrientation(exif.subarray(6))).toBe(6)
    // The new EXIF block is the orientation alone: 6 bytes of "Exif\0\0", the TIFF header and one IFD entry.
    expect(exif.length).toBe(32)
    for (const gone of [Buffer.from('Apple'), Buffer.from('iPhone 12'), Buffer.from('2026:11:28'), gpsBytes(order), Buffer.from([0x88, 0x25]), Buffer.from([0x25, 0x88])]) {
      expect(out.bytes.includes(gone)).toBe(false)
    }
    // The picture is untouched: the original file with only the orientation block added.
    const jfifEnd = 4 + REAL_JPEG.readUInt16BE(4)
    expect(out.bytes.subarray(0, jfifEnd).equals(REAL_JPEG.subarray(0, jfifEnd))).toBe(true)
    expect(out.bytes.subarray(jfifEnd + 4 + 32).equals(REAL_JPEG.subarray(jfifEnd))).toBe(true)
  })

  test('an upright photo (orientation 1) loses its EXIF block whole: the stored file is the picture as it was before the phone wrote EXIF', () => {
    const out = cleanImage(phoneJpeg(1))
    expect(out.bytes.equals(REAL_JPEG)).toBe(true)
    expect(probe.sync(out.bytes)).not.toHaveProperty('orientation')
  })

  test('every orientation 2–8 is kept; a value outside 1–8 is not', () => {
    for (let o = 2; o <= 8; o++) expect(probe.sync(cleanImage(phoneJpeg(o)).bytes)).toMatchObject({ orientation: o })
    expect(cleanImage(phoneJpeg(9)).bytes.equals(REAL_JPEG)).toBe(true)
  })

  test('an image whose header declares no readable size is refused with a clear reason, whatever its kind', () => {
    const headless = [
      Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(60, 1)]),
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(56, 7)]),
      Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x20, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(32, 2)]),
      REAL_JPEG.subarray(0, 60), // cut before its frame header
    ]
    for (const bytes of headless) {
      let err: unknown
      try {
        cleanImage(bytes)
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(AppError)
      expect(err).toMatchObject({ code: 'UnsupportedFile', message: '图片文件不完整，读不出它的尺寸（可能已损坏或只传了一部分）；请重新拍摄或导出后再上传' })
    }
    for (const ok of [tinyPng(), tinyJpeg(), tinyWebp(), REAL_JPEG]) expect(cleanImage(ok)).toMatchObject({ width: expect.any(Number), height: expect.any(Number) })
  })
})

describe.each(DIALECTS)('a stored photo has no GPS but its orientation (%s)', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: Awaited<ReturnType<typeof makeNoticeWorld>>
  beforeAll(async () => {
    w = await makeNoticeWorld(env.db)
  })
  afterAll(() => fs.rmSync(path.resolve(deps.config.dataDir), { recursive: true, force: true }))

  test('a notice photo from a phone is stored turned the same way, without its position; a headless one is refused and nothing is stored', async () => {
    const res = await call(deps, 'uploadNoticeFile', { communityId: w.a, purpose: 'image', fileName: '现场.jpg', dataBase64: phoneJpeg(6).toString('base64') }, w.chair)
    expect(res).toMatchObject({ ok: true })
    const row = await env.db.selectFrom('notice_files').select('storage_key').where('id', '=', (res as { data: { id: string } }).data.id).executeTakeFirstOrThrow()
    const stored = (await storageFor(deps.config).get(row.storage_key))!
    expect(probe.sync(stored)).toMatchObject({ width: 16, height: 16, orientation: 6 })
    expect(stored.includes(gpsBytes('MM'))).toBe(false)
    expect(stored.includes(Buffer.from('iPhone'))).toBe(false)

    const before = await env.db.selectFrom('notice_files').select(env.db.fn.countAll().as('n')).executeTakeFirstOrThrow()
    const bad = await call(deps, 'uploadNoticeFile', { communityId: w.a, purpose: 'image', fileName: '坏.png', dataBase64: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(56, 7)]).toString('base64') }, w.chair)
    expect(bad).toMatchObject({ ok: false, error: { code: 'UnsupportedFile', message: expect.stringContaining('读不出它的尺寸') } })
    const after = await env.db.selectFrom('notice_files').select(env.db.fn.countAll().as('n')).executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))
  })
})

describe.each(DIALECTS)('a resident\'s report photo is stored without where it was taken (%s)', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: ReportWorld
  beforeAll(async () => {
    w = await makeReportWorld(env.db, deps)
  })
  afterAll(() => fs.rmSync(path.resolve(deps.config.dataDir), { recursive: true, force: true }))

  test('the photo a handler reads back has its orientation and no GPS; a photo without a readable size is refused', async () => {
    const photoId = await uploadPhoto(deps, w.a, w.owners.wang, phoneJpeg(6, 'II'))
    const r = await fileRepair(deps, w, { photoIds: [photoId] })
    const data = await ok(deps, 'reportPhoto', { communityId: w.a, photoId }, w.staff)
    expect(r.photos).toHaveLength(1)
    const bytes = Buffer.from(data.base64, 'base64')
    expect(probe.sync(bytes)).toMatchObject({ width: 16, height: 16, orientation: 6 })
    expect(bytes.includes(gpsBytes('II'))).toBe(false)
    expect(phoneJpeg(6, 'II').includes(gpsBytes('II'))).toBe(true)
    const headless = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(60, 1)])
    expect(await call(deps, 'uploadReportPhoto', { communityId: w.a, fileName: 'x.jpg', dataBase64: headless.toString('base64') }, w.owners.wang)).toMatchObject({ ok: false, error: { code: 'UnsupportedFile' } })
  })
})

describe.each(DIALECTS)('the photo of a signed paper ballot is stored without where it was taken (%s)', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  afterAll(() => fs.rmSync(path.resolve(deps.config.dataDir), { recursive: true, force: true }))

  test('the stored evidence keeps its orientation and loses its GPS; its digest is of the bytes stored; a headless photo is refused', async () => {
    const w = await makeVoteWorld(env.db)
    const v = await announcedVote(deps, w)
    await advanceVotes(systemCtxAt(deps, v.opensAt))
    const ref = { communityId: w.a, voteId: v.voteId }
    const ev = await callAt(deps, v.opensAt, w.member, 'uploadBallotEvidence', { ...ref, fileName: '表决票.jpg', dataBase64: phoneJpeg(6).toString('base64') })
    const [key, digest] = ev.evidenceRef.split('#sha256=')
    const stored = (await storageFor(deps.config).get(key))!
    expect(probe.sync(stored)).toMatchObject({ width: 16, height: 16, orientation: 6 })
    expect(stored.includes(gpsBytes('MM'))).toBe(false)
    expect(phoneJpeg(6).includes(gpsBytes('MM'))).toBe(true)
    expect(createHash('sha256').update(stored).digest('hex')).toBe(digest)
    const bad = await callAt(deps, v.opensAt, w.member, 'uploadBallotEvidence', { ...ref, fileName: '坏.jpg', dataBase64: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(60, 1)]).toString('base64') }, false)
    expect(bad).toMatchObject({ ok: false, error: { code: 'UnsupportedFile' } })
  })
})

/** An action as a user at a given moment (the vote's clock moved). */
async function callAt(deps: TestDeps, at: Date, userId: string, action: string, input: unknown, mustSucceed = true): Promise<any> {
  const saved = deps.now()
  deps.setNow(at)
  try {
    const res = await call(deps, action, input, userId)
    if (!mustSucceed) return res
    if (!res.ok) throw new Error(`${action}: ${res.error.code} ${res.error.message}`)
    return res.data
  } finally {
    deps.setNow(saved)
  }
}
