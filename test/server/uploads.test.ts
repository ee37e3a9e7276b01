import fs from 'node:fs'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import { DIALECTS, useTestDb } from '../helpers/db'
import { call, makeUser, ok } from '../helpers/world'
import { announcedVote, makeVoteWorld, type VoteWorld } from '../helpers/votes-world'
import { CloudFileMissing, createCloudFiles, readUploadedFile, type CloudFiles } from '../../server/uploads/uploaded-file'
import { MAX_IMAGE_BYTES, MAX_PDF_BYTES } from '../../src/contracts/notices'
import { tinyJpeg, tinyPng } from '../helpers/images'

/** WeChat cloud storage as the cloud function sees it: an in-memory bucket that records what was read and deleted. */
function fakeCloud() {
  const files = new Map<string, Buffer>()
  const downloads: string[] = []
  const deleted: string[] = []
  const cloudFiles: CloudFiles = {
    async download(id) {
      downloads.push(id)
      const f = files.get(id)
      if (!f) throw new CloudFileMissing(id)
      return Buffer.from(f)
    },
    async delete(id) {
      deleted.push(id)
      files.delete(id)
    },
  }
  /** What wx.cloud.uploadFile does for the mini-program: stores the bytes and answers the file id. */
  const upload = (data: Buffer, name = 'f.bin') => {
    const id = `cloud://prod-1a2b.7072-prod-1a2b-1300000000/uploads/${randomUUID()}/${name}`
    files.set(id, data)
    return id
  }
  return { files, downloads, deleted, cloudFiles, upload }
}

const HEADER = '楼栋,单元,房号,建筑面积(㎡),是否电梯,业主姓名,联系电话,身份证后四位'
const rosterCsv = () => Buffer.from([HEADER, '9栋,1单元,101,100,是,王伟,13912345678,1234', '9栋,1单元,102,88.5,是,李娜,13912345679,', '9栋,2单元,101,90,是,开发商(未售),,'].join('\r\n'), 'utf8')
/** Images with a real header (cleanImage refuses one whose size cannot be read). */
const png = (size = 64) => tinyPng(size)
const pdf = (size = 64) => Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(size - 9, 0x20)])
const jpeg = (size = 64) => tinyJpeg(size)

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]))
}

describe.each(DIALECTS)('files through a temporary cloud upload (cloudFileId) on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: VoteWorld
  let chairB: string
  let voteId: string
  let cloud: ReturnType<typeof fakeCloud>
  /** The cloud function's deps: the same as the HTTP server's, plus cloudFiles. */
  const cloudDeps = () => ({ ...deps, cloudFiles: cloud.cloudFiles })
  const stored = () => filesUnder(path.resolve(deps.config.dataDir, 'files')).length
  const rows = async () => ({
    noticeFiles: Number((await env.db.selectFrom('notice_files').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
    imports: Number((await env.db.selectFrom('roster_imports').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
    files: stored(),
  })

  beforeAll(async () => {
    w = await makeVoteWorld(env.db)
    chairB = await makeUser(env.db, '文清苑主任', 'committee_chair', { communityId: w.b })
    voteId = (await announcedVote(deps, w)).voteId
  })
  beforeEach(() => {
    cloud = fakeCloud()
  })
  afterAll(() => fs.rmSync(path.resolve(deps.config.dataDir), { recursive: true, force: true }))

  describe('previewRoster / importRoster', () => {
    test('a roster through cloudFileId previews and imports exactly as through base64, and the upload is deleted', async () => {
      const file = rosterCsv()
      const viaBase64 = await ok(deps, 'previewRoster', { communityId: w.b, fileName: '名册.csv', fileBase64: file.toString('base64') }, chairB)
      const id = cloud.upload(file, 'roster.csv')
      const viaCloud = await ok(cloudDeps(), 'previewRoster', { communityId: w.b, fileName: '名册.csv', cloudFileId: id }, chairB)
      expect(viaCloud).toEqual(viaBase64)
      expect(viaCloud).toMatchObject({ unitCount: 3, errors: [] })
      expect(cloud.deleted).toEqual([id])
      expect(cloud.files.size).toBe(0)

      // The same file imported into two like 小区: one by base64, one through the cloud.
      const twin = randomUUID()
      const b = await env.db.selectFrom('communities').selectAll().where('id', '=', w.b).executeTakeFirstOrThrow()
      await env.db.insertInto('communities').values({ ...b, id: twin, name: '文清苑二期' }).execute()
      const twinChair = await makeUser(env.db, '二期主任', 'committee_chair', { communityId: twin })
      const imported = await ok(deps, 'importRoster', { communityId: twin, fileName: '名册.csv', fileBase64: file.toString('base64') }, twinChair)
      const id2 = cloud.upload(file, 'roster.csv')
      const importedCloud = await ok(cloudDeps(), 'importRoster', { communityId: w.b, fileName: '名册.csv', cloudFileId: id2 }, chairB)
      const { importId: _a, ...rest } = imported
      const { importId: _b, ...restCloud } = importedCloud
      expect(restCloud).toEqual(rest)
      expect(restCloud).toMatchObject({ unitsAdded: 3, ownerCount: 2 })
      expect(cloud.files.size).toBe(0)
    })

    test('a roster over 5 MB in the cloud is refused as over base64 (PayloadTooLarge), deleted, and nothing is imported', async () => {
      const big = Buffer.concat([rosterCsv(), Buffer.alloc(5 * 1024 * 1024, 0x20)])
      const before = await rows()
      const viaBase64 = await call(deps, 'importRoster', { communityId: w.b, fileName: 'big.csv', fileBase64: big.toString('base64') }, chairB)
      const id = cloud.upload(big)
      const viaCloud = await call(cloudDeps(), 'importRoster', { communityId: w.b, fileName: 'big.csv', cloudFileId: id }, chairB)
      expect(viaBase64).toMatchObject({ ok: false, error: { code: 'PayloadTooLarge', message: '名册文件超过 5 MB' } })
      expect(viaCloud).toEqual(viaBase64)
      expect(cloud.deleted).toEqual([id])
      expect(cloud.files.size).toBe(0)
      expect(await rows()).toEqual(before)
    })
  })

  describe('uploadNoticeFile', () => {
    test('an image and a PDF through cloudFileId are stored exactly as through base64, and the uploads are deleted', async () => {
      for (const [purpose, name, data] of [['image', '现场.png', png()], ['attachment', '预算.pdf', pdf()]] as const) {
        const viaBase64 = await ok(deps, 'uploadNoticeFile', { communityId: w.a, purpose, fileName: name, dataBase64: data.toString('base64') }, w.chair)
        const id = cloud.upload(data, 'x')
        const viaCloud = await ok(cloudDeps(), 'uploadNoticeFile', { communityId: w.a, purpose, fileName: name, cloudFileId: id }, w.chair)
        const strip = ({ id: _i, url: _u, ...r }: any) => r
        expect(strip(viaCloud)).toEqual(strip(viaBase64))
        const row = await env.db.selectFrom('notice_files').selectAll().where('id', '=', viaCloud.id).executeTakeFirstOrThrow()
        expect(fs.readFileSync(path.resolve(deps.config.dataDir, 'files', row.storage_key)).equals(data)).toBe(true)
        expect(cloud.deleted).toContain(id)
      }
      expect(cloud.files.size).toBe(0)
    })

    test('an image over 5 MB and a PDF over 20 MB in the cloud are refused with the same message as over base64, deleted, nothing stored', async () => {
      const before = await rows()
      for (const [purpose, name, data] of [['image', 'big.png', png(MAX_IMAGE_BYTES + 1)], ['attachment', 'big.pdf', pdf(MAX_PDF_BYTES + 1)]] as const) {
        const viaBase64 = await call(deps, 'uploadNoticeFile', { communityId: w.a, purpose, fileName: name, dataBase64: data.toString('base64') }, w.chair)
        const id = cloud.upload(data)
        const viaCloud = await call(cloudDeps(), 'uploadNoticeFile', { communityId: w.a, purpose, fileName: name, cloudFileId: id }, w.chair)
        expect(viaBase64).toMatchObject({ ok: false, error: { code: 'PayloadTooLarge' } })
        expect(viaCloud).toEqual(viaBase64)
        expect(cloud.deleted).toContain(id)
      }
      // A cloud file of the wrong type is deleted too: every refusal after the read leaves nothing.
      const id = cloud.upload(png(), 'a.pdf')
      expect(await call(cloudDeps(), 'uploadNoticeFile', { communityId: w.a, purpose: 'attachment', fileName: 'a.pdf', cloudFileId: id }, w.chair)).toMatchObject({ ok: false, error: { code: 'UnsupportedFile' } })
      expect(cloud.files.size).toBe(0)
      expect(await rows()).toEqual(before)
    })
  })

  describe('uploadBallotEvidence', () => {
    test('a ballot photo through cloudFileId gives the same digest as through base64 and the stored photo is those bytes', async () => {
      const photo = jpeg(256)
      const viaBase64 = await ok(deps, 'uploadBallotEvidence', { communityId: w.a, voteId, fileName: 'ballot.jpg', dataBase64: photo.toString('base64') }, w.chair)
      const id = cloud.upload(photo, 'ballot.jpg')
      const viaCloud = await ok(cloudDeps(), 'uploadBallotEvidence', { communityId: w.a, voteId, fileName: 'ballot.jpg', cloudFileId: id }, w.chair)
      expect(viaCloud.sha256).toBe(viaBase64.sha256)
      expect(viaCloud.evidenceRef).toMatch(new RegExp(`^votes/${w.a}/${voteId}/[0-9a-f-]+\\.jpg#sha256=${viaBase64.sha256}$`))
      const key = viaCloud.evidenceRef.split('#')[0]
      expect(fs.readFileSync(path.resolve(deps.config.dataDir, 'files', key)).equals(photo)).toBe(true)
      expect(cloud.deleted).toEqual([id])
      expect(cloud.files.size).toBe(0)
    })

    test('a photo over 10 MB in the cloud is refused as over base64, deleted, nothing stored', async () => {
      const big = jpeg(10 * 1024 * 1024 + 1)
      const before = stored()
      const viaBase64 = await call(deps, 'uploadBallotEvidence', { communityId: w.a, voteId, fileName: 'b.jpg', dataBase64: big.toString('base64') }, w.chair)
      const id = cloud.upload(big)
      const viaCloud = await call(cloudDeps(), 'uploadBallotEvidence', { communityId: w.a, voteId, fileName: 'b.jpg', cloudFileId: id }, w.chair)
      expect(viaBase64).toMatchObject({ ok: false, error: { code: 'PayloadTooLarge', message: '文件不能超过 10 MB' } })
      expect(viaCloud).toEqual(viaBase64)
      expect(cloud.deleted).toEqual([id])
      expect(cloud.files.size).toBe(0)
      expect(stored()).toBe(before)
    })
  })

  describe('which source an input may name', () => {
    const inputs = () => [
      { action: 'previewRoster', who: chairB, base: { communityId: w.b, fileName: 'r.csv' }, field: 'fileBase64', data: rosterCsv() },
      { action: 'importRoster', who: chairB, base: { communityId: w.b, fileName: 'r.csv' }, field: 'fileBase64', data: rosterCsv() },
      { action: 'uploadNoticeFile', who: w.chair, base: { communityId: w.a, purpose: 'image', fileName: 'a.png' }, field: 'dataBase64', data: png() },
      { action: 'uploadBallotEvidence', who: w.chair, base: { communityId: w.a, voteId, fileName: 'b.jpg' }, field: 'dataBase64', data: jpeg() },
    ]

    test('a cloudFileId sent to the HTTP server (no cloud storage) answers BadInput and reads nothing', async () => {
      for (const i of inputs()) {
        const id = cloud.upload(i.data)
        const res = await call(deps, i.action, { ...i.base, cloudFileId: id }, i.who)
        expect([i.action, res]).toEqual([i.action, { ok: false, error: { code: 'BadInput', message: '此方式仅用于小程序云开发，请直接上传文件内容' } }])
      }
      expect(cloud.downloads).toEqual([])
    })

    test('both the base64 field and cloudFileId, or neither, answer BadInput with a clear message, and nothing is read or written', async () => {
      const before = await rows()
      for (const i of inputs()) {
        const id = cloud.upload(i.data)
        const both = await call(cloudDeps(), i.action, { ...i.base, [i.field]: i.data.toString('base64'), cloudFileId: id }, i.who)
        expect([i.action, both]).toEqual([i.action, { ok: false, error: expect.objectContaining({ code: 'BadInput', message: '文件内容和云文件只能二选一' }) }])
        const neither = await call(cloudDeps(), i.action, i.base, i.who)
        expect([i.action, neither]).toEqual([i.action, { ok: false, error: expect.objectContaining({ code: 'BadInput', message: '需要文件内容（或小程序上传的云文件）' }) }])
      }
      expect(cloud.downloads).toEqual([])
      expect(await rows()).toEqual(before)
    })

    test('only our own temporary uploads are read: a cloud:// id outside uploads/, with a .. segment, or not cloud:// at all is BadInput', async () => {
      for (const bad of ['cloud://prod.7072/votes/a/b.jpg', 'cloud://prod.7072/uploads/../votes/b.jpg', 'cloud://prod.7072/uploads/', 'https://example.com/uploads/a.png', 'uploads/a.png', 42]) {
        for (const i of inputs()) {
          const res = await call(cloudDeps(), i.action, { ...i.base, cloudFileId: bad }, i.who)
          expect([i.action, bad, res]).toEqual([i.action, bad, { ok: false, error: expect.objectContaining({ code: 'BadInput', message: expect.stringContaining('cloudFileId：云文件编号') }) }])
        }
      }
      expect(cloud.downloads).toEqual([])
    })

    test('a cloud file that is not there (never uploaded, or already read once) answers NotFound', async () => {
      const id = cloud.upload(png())
      await ok(cloudDeps(), 'uploadNoticeFile', { communityId: w.a, purpose: 'image', fileName: 'a.png', cloudFileId: id }, w.chair)
      const again = await call(cloudDeps(), 'uploadNoticeFile', { communityId: w.a, purpose: 'image', fileName: 'a.png', cloudFileId: id }, w.chair)
      expect(again).toEqual({ ok: false, error: { code: 'NotFound', message: '找不到上传的文件，请重新选择文件' } })
    })
  })
})

describe('readUploadedFile and the wx-server-sdk adapter', () => {
  const log = { info() {}, warn: jest.fn(), error() {} }

  test('decodes base64 (a data: prefix and URL-safe letters too) and refuses what is not base64 or empty', async () => {
    const bytes = Buffer.from([0xfb, 0xff, 0x00, 0x41])
    expect(await readUploadedFile({ log }, { base64: bytes.toString('base64') })).toEqual(bytes)
    expect(await readUploadedFile({ log }, { base64: `data:image/png;base64,${bytes.toString('base64url')}` })).toEqual(bytes)
    await expect(readUploadedFile({ log }, { base64: '!!!!' })).rejects.toMatchObject({ code: 'BadInput', message: '文件内容不是有效的 base64 编码' })
    await expect(readUploadedFile({ log }, { base64: '' })).rejects.toMatchObject({ code: 'BadInput', message: '文件为空' })
  })

  test('a cloud upload is deleted even when the download fails, and a failed delete does not fail the read', async () => {
    const deleted: string[] = []
    const id = 'cloud://env.bucket/uploads/x/a.png'
    const broken: CloudFiles = { download: async () => Promise.reject(new Error('network down')), delete: async (f) => void deleted.push(f) }
    await expect(readUploadedFile({ log, cloudFiles: broken }, { cloudFileId: id })).rejects.toThrow('network down')
    expect(deleted).toEqual([id])
    const undeletable: CloudFiles = { download: async () => Buffer.from('abc'), delete: async () => Promise.reject(new Error('no permission')) }
    expect(await readUploadedFile({ log, cloudFiles: undeletable }, { cloudFileId: id })).toEqual(Buffer.from('abc'))
    expect(log.warn).toHaveBeenCalled()
  })

  test('createCloudFiles calls cloud.downloadFile / cloud.deleteFile and maps a missing file to CloudFileMissing', async () => {
    const calls: unknown[] = []
    const sdk = {
      downloadFile: async (p: { fileID: string }) => {
        calls.push(['download', p])
        if (p.fileID.endsWith('gone')) throw Object.assign(new Error('storage file not exists'), { errCode: 'STORAGE_FILE_NONEXIST' })
        return { fileContent: Buffer.from('hi') }
      },
      deleteFile: async (p: { fileList: string[] }) => {
        calls.push(['delete', p])
        return { fileList: p.fileList.map((fileID) => ({ fileID, status: fileID.endsWith('locked') ? -1 : 0, errMsg: 'denied' })) }
      },
    }
    const files = createCloudFiles(sdk)
    expect(await files.download('cloud://e/uploads/a')).toEqual(Buffer.from('hi'))
    await expect(files.download('cloud://e/uploads/gone')).rejects.toBeInstanceOf(CloudFileMissing)
    await files.delete('cloud://e/uploads/a')
    await expect(files.delete('cloud://e/uploads/locked')).rejects.toThrow(/denied/)
    expect(calls).toEqual([
      ['download', { fileID: 'cloud://e/uploads/a' }],
      ['download', { fileID: 'cloud://e/uploads/gone' }],
      ['delete', { fileList: ['cloud://e/uploads/a'] }],
      ['delete', { fileList: ['cloud://e/uploads/locked'] }],
    ])
  })
})
