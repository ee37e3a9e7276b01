import fs from 'node:fs'
import path from 'node:path'
import { DIALECTS, useTestDb } from '../helpers/db'
import { call, ok } from '../helpers/world'
import { makeNoticeWorld } from '../helpers/notices-world'
import { registry } from '../../server/actions'
import { buildApp } from '../../server/transports/http'
import { openSession } from '../../server/identity/session.service'
import { storageFor } from '../../server/storage'
import { createLocalStorage } from '../../server/storage/local-storage'
import { createWxCloudStorage, type WxCloudFiles } from '../../server/storage/wxcloud-storage'
import { purgeUnattachedFiles, uploadNoticeFile } from '../../server/notices/notice-files.service'
import { fileUrlVia } from '../../server/notices/notice.queries'
import { actorCtx } from '../../server/context'
import { MAX_IMAGE_BYTES, MAX_PDF_BYTES } from '../../src/contracts/notices'
import { tinyJpeg, tinyPng, tinyWebp } from '../helpers/images'

/** Images with a real header (cleanImage refuses one whose size cannot be read). */
const png = (size = 64) => tinyPng(size)
const jpeg = (size = 64) => tinyJpeg(size, 1)
const webp = () => tinyWebp()
const pdf = (size = 64) => Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(size - 9, 0x20)])

/** Every file under a folder, recursively (empty folders do not count: nothing was left in them). */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]))
}

describe.each(DIALECTS)('notice files on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: Awaited<ReturnType<typeof makeNoticeWorld>>
  let filesDir: string
  beforeAll(async () => {
    filesDir = path.resolve(deps.config.dataDir, 'files')
    w = await makeNoticeWorld(env.db)
  })
  afterAll(async () => {
    fs.rmSync(path.resolve(deps.config.dataDir), { recursive: true, force: true })
  })

  const upload = (purpose: 'image' | 'attachment', fileName: string, data: Buffer, by = w.chair) =>
    call(deps, 'uploadNoticeFile', { communityId: w.a, purpose, fileName, dataBase64: data.toString('base64') }, by)
  const rowCount = async () => Number((await env.db.selectFrom('notice_files').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

  describe('Notices (公告/公示): images and files are checked on the server', () => {
    test('JPEG, PNG and WebP images and PDF attachments are recognised by their bytes and stored', async () => {
      for (const [purpose, name, data, mime] of [
        ['image', '现场.jpg', jpeg(), 'image/jpeg'],
        ['image', '平面图.PNG', png(), 'image/png'],
        ['image', '效果图.webp', webp(), 'image/webp'],
        ['attachment', '预算.pdf', pdf(), 'application/pdf'],
        // No extension: the bytes decide and the name gets the right one.
        ['image', '照片', png(), 'image/png'],
      ] as const) {
        const res = await upload(purpose, name, data)
        expect(res).toMatchObject({ ok: true, data: { mime, sizeBytes: data.length } })
        const info = (res as any).data
        expect(info.url).toMatch(new RegExp(`^/api/files/${info.id}\\?exp=\\d+&sig=`))
        const row = await env.db.selectFrom('notice_files').selectAll().where('id', '=', info.id).executeTakeFirstOrThrow()
        expect(fs.readFileSync(path.join(filesDir, row.storage_key)).equals(data)).toBe(true)
      }
      expect((await upload('image', '照片', png())) as any).toMatchObject({ data: { fileName: '照片.png' } })
    })

    test('a PNG renamed .pdf is refused, as attachment and as image, and nothing is left on disk or in the database', async () => {
      const before = { files: filesUnder(filesDir).length, rows: await rowCount() }
      const asAttachment = await upload('attachment', '财务报表.pdf', png())
      expect(asAttachment).toMatchObject({ ok: false, error: { code: 'UnsupportedFile' } })
      expect((asAttachment as any).error.message).toBe('这是PNG 图片，不是 PDF；附件只能是 PDF 文件')
      const asImage = await upload('image', '财务报表.pdf', png())
      expect(asImage).toMatchObject({ ok: false, error: { code: 'UnsupportedFile', message: '文件名是 .pdf，但内容是PNG 图片；请检查后重新选择文件' } })
      const text = await upload('attachment', 'readme.pdf', Buffer.from('just text, not a pdf'))
      expect(text).toMatchObject({ ok: false, error: { code: 'UnsupportedFile' } })
      const gif = await upload('image', 'a.gif', Buffer.from('GIF89a........'))
      expect(gif).toMatchObject({ ok: false, error: { code: 'UnsupportedFile' } })
      expect({ files: filesUnder(filesDir).length, rows: await rowCount() }).toEqual(before)
    })

    test('an image over 5 MB and a PDF over 20 MB are refused (boundary: exactly the limit is accepted), leaving nothing behind', async () => {
      const exact = await upload('image', 'big.png', png(MAX_IMAGE_BYTES))
      expect(exact.ok).toBe(true)
      const before = { files: filesUnder(filesDir).length, rows: await rowCount() }
      const over = await upload('image', 'big.png', png(MAX_IMAGE_BYTES + 1))
      expect(over).toMatchObject({ ok: false, error: { code: 'PayloadTooLarge', message: '图片不能超过 5 MB（这个文件 5.1 MB）' } })
      const overPdf = await upload('attachment', 'big.pdf', pdf(MAX_PDF_BYTES + 1))
      expect(overPdf).toMatchObject({ ok: false, error: { code: 'PayloadTooLarge' } })
      expect((overPdf as any).error.message).toBe('PDF 文件不能超过 20 MB（这个文件 20.1 MB）')
      // Far beyond any limit: refused by the contract before it is even decoded.
      const huge = await call(deps, 'uploadNoticeFile', { communityId: w.a, purpose: 'attachment', fileName: 'x.pdf', dataBase64: 'A'.repeat(28_000_000) }, w.chair)
      expect(huge).toMatchObject({ ok: false, error: { code: 'BadInput' } })
      expect(await upload('image', 'x.png', Buffer.from('not base64!!'))).toMatchObject({ ok: false })
      expect({ files: filesUnder(filesDir).length, rows: await rowCount() }).toEqual(before)
    })

    test('when the database write fails after the file was stored, the stored file is removed again', async () => {
      const before = filesUnder(filesDir).length
      // A 小区 id that does not exist: the row's foreign key fails after storage.put succeeded.
      // (Compared by message: better-sqlite3's error class comes from another jest realm, so toThrow would not see an Error.)
      const ctx = actorCtx(deps, { userId: w.chair, roles: ['committee_chair'] })
      const err = await uploadNoticeFile(ctx, { communityId: 'no-such-community', purpose: 'image', fileName: 'a.png', data: png() }).then(
        () => null,
        (e: unknown) => e as { message?: string },
      )
      expect(String(err?.message)).toMatch(/foreign key/i)
      expect(filesUnder(filesDir).length).toBe(before)
    })

    test('images attach to a notice (at most 9) and show on the detail; someone else’s upload cannot be attached', async () => {
      const ids: string[] = []
      for (let i = 0; i < 10; i++) ids.push(((await upload('image', `${i}.png`, png())) as any).data.id)
      const pdfId = ((await upload('attachment', '方案.pdf', pdf())) as any).data.id
      const tooMany = await call(deps, 'publishNotice', { communityId: w.a, kind: '公示', title: '方案', body: '见附件', imageIds: ids }, w.chair)
      expect(tooMany).toMatchObject({ ok: false, error: { code: 'BadInput', message: 'imageIds：图片最多 9 张' } })
      // A PDF in the image slot, or a file uploaded by someone else, is refused.
      expect(await call(deps, 'publishNotice', { communityId: w.a, kind: '公告', title: 't', body: 'b', imageIds: [pdfId] }, w.chair)).toMatchObject({ error: { code: 'BadInput' } })
      expect(await call(deps, 'publishNotice', { communityId: w.a, kind: '公告', title: 't', body: 'b', imageIds: [ids[0]] }, w.staff)).toMatchObject({ error: { code: 'BadInput' } })

      const { id } = await ok(deps, 'publishNotice', { communityId: w.a, kind: '公示', title: '方案', body: '见附件', imageIds: ids.slice(0, 9), attachmentIds: [pdfId] }, w.chair)
      const d = await ok(deps, 'getNotice', { communityId: w.a, noticeId: id }, w.tenant)
      expect(d.images.map((f: any) => f.id)).toEqual(ids.slice(0, 9))
      expect(d.attachments.map((f: any) => [f.id, f.fileName, f.mime])).toEqual([[pdfId, '方案.pdf', 'application/pdf']])
      const page = await ok(deps, 'listNotices', { communityId: w.a }, w.tenant)
      expect(page.items.find((n: any) => n.id === id).imageCount).toBe(9)
      // Attached files cannot be reused for another notice.
      expect(await call(deps, 'publishNotice', { communityId: w.a, kind: '公告', title: 't', body: 'b', imageIds: [ids[0]] }, w.chair)).toMatchObject({ error: { code: 'BadInput' } })
    })

    test('Notices (公告/公示): names and phones never appear in notices — nor in the names of its files, which residents read beside each PDF', async () => {
      const named = ((await upload('attachment', '张伟欠费明细.pdf', pdf())) as any).data.id
      const phoned = ((await upload('image', '13912345678.png', png())) as any).data.id
      const res = await call(deps, 'publishNotice', { communityId: w.a, kind: '欠费公示', title: '欠费公示', body: '详见附件。', attachmentIds: [named] }, w.chair)
      expect(res).toMatchObject({ ok: false, error: { code: 'BadInput', message: '文件名中不能出现住户姓名（发现“张伟”）；请改名后重新上传' } })
      expect(await call(deps, 'publishNotice', { communityId: w.a, kind: '活动', title: '活动', body: '见图。', imageIds: [phoned] }, w.chair)).toMatchObject({
        ok: false,
        error: { code: 'BadInput', message: '文件名中不能出现手机号码；请改名后重新上传' },
      })
      const { id } = await ok(deps, 'publishNotice', { communityId: w.a, kind: '活动', title: '活动', body: '见附件。' }, w.chair)
      expect(await call(deps, 'editNotice', { communityId: w.a, noticeId: id, expectedVersion: 1, attachmentIds: [named] }, w.chair)).toMatchObject({ ok: false, error: { code: 'BadInput' } })
      // Both files are still free to use once renamed (re-uploaded): nothing was attached.
      const rows = await env.db.selectFrom('notice_files').select('notice_id').where('id', 'in', [named, phoned]).execute()
      expect(rows.map((r) => r.notice_id)).toEqual([null, null])
    })

    test('an edit that drops an image keeps it in the history', async () => {
      const a = ((await upload('image', 'a.png', png())) as any).data.id
      const b = ((await upload('image', 'b.png', png())) as any).data.id
      const { id } = await ok(deps, 'publishNotice', { communityId: w.a, kind: '活动', title: '植树', body: '周六植树', imageIds: [a, b] }, w.chair)
      await ok(deps, 'editNotice', { communityId: w.a, noticeId: id, expectedVersion: 1, imageIds: [b] }, w.chair)
      const d = await ok(deps, 'getNotice', { communityId: w.a, noticeId: id }, w.owner1)
      expect(d.images.map((f: any) => f.id)).toEqual([b])
      expect(d.revisions.map((r: any) => r.files.map((f: any) => f.id))).toEqual([[a, b], [b]])
    })
  })

  describe('Notices (公告/公示): readers are members of that 小区 (file route)', () => {
    test("GET /api/files/:id serves members with the session token; another 小区's member gets Forbidden; nobody gets Unauthenticated", async () => {
      const img = ((await upload('image', 'gate.png', png(100))) as any).data
      const { id } = await ok(deps, 'publishNotice', { communityId: w.a, kind: '公告', title: '大门改造', body: '见图', imageIds: [img.id] }, w.chair)
      const app = await buildApp(deps, registry)
      const token = async (userId: string) => (await openSession(deps, { userId, days: 30 })).token
      const get = (url: string, auth?: string) => app.inject({ method: 'GET', url, headers: auth ? { authorization: `Bearer ${auth}` } : {} })

      const resident = await get(`/api/files/${img.id}`, await token(w.tenant))
      expect(resident.statusCode).toBe(200)
      expect(resident.headers['content-type']).toBe('image/png')
      expect(resident.headers['x-content-type-options']).toBe('nosniff')
      expect(resident.rawPayload.equals(png(100))).toBe(true)
      // <img src> cannot send headers: the notice carries a link signed for its reader, which needs no
      // session; a token in the URL (history, logs) is never accepted.
      const signed = (await ok(deps, 'getNotice', { communityId: w.a, noticeId: id }, w.owner1)).images[0].url as string
      expect(signed).toMatch(new RegExp(`^/api/files/${img.id}\\?exp=\\d+&sig=[\\w-]+$`))
      const bySignature = await get(signed)
      expect(bySignature.statusCode).toBe(200)
      expect(bySignature.rawPayload.equals(png(100))).toBe(true)
      expect((await get(`/api/files/${img.id}?token=${encodeURIComponent(await token(w.owner1))}`)).statusCode).toBe(401)
      expect((await get(signed.replace(/sig=[\w-]+/, 'sig=forged'))).statusCode).toBe(403)
      expect((await get(signed.replace(/exp=\d+/, (m) => `exp=${Number(m.slice(4)) + 60}`))).statusCode).toBe(403)
      const draftLater = ((await upload('image', 'other.png', png())) as any).data.id
      expect((await get(signed.replace(img.id, draftLater))).statusCode).toBe(403)
      const clock = deps.now()
      deps.setNow(new Date(clock.getTime() + 2 * 3600_000))
      expect((await get(signed)).statusCode).toBe(403)
      deps.setNow(clock)

      const other = await get(`/api/files/${img.id}`, await token(w.ownerB))
      expect(other.statusCode).toBe(403)
      expect(other.json()).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
      expect((await get(`/api/files/${img.id}`)).json()).toMatchObject({ error: { code: 'Unauthenticated' } })
      expect((await get(`/api/files/${img.id}`, 'forged-token')).json()).toMatchObject({ error: { code: 'SessionExpired' } })
      expect((await get(`/api/files/nope`, await token(w.tenant))).statusCode).toBe(404)

      // An upload not yet on a published notice is for publishers only.
      const draft = ((await upload('image', 'draft.png', png())) as any).data
      expect((await get(`/api/files/${draft.id}`, await token(w.tenant))).statusCode).toBe(404)
      expect((await get(`/api/files/${draft.id}`, await token(w.chair))).statusCode).toBe(200)
      expect((await ok(deps, 'getNotice', { communityId: w.a, noticeId: id }, w.tenant)).images[0].url).toMatch(new RegExp(`^/api/files/${img.id}\\?exp=`))
      await app.close()
    })
  })

  test('abandoned uploads (never attached) are purged from disk and database', async () => {
    const stale = ((await upload('image', 'old.png', png())) as any).data.id
    const row = await env.db.selectFrom('notice_files').select('storage_key').where('id', '=', stale).executeTakeFirstOrThrow()
    const later = new Date(deps.now().getTime() + 2 * 86_400_000)
    const purged = await purgeUnattachedFiles(deps, { before: new Date(later.getTime() - 86_400_000) })
    expect(purged).toBeGreaterThanOrEqual(1)
    expect(await env.db.selectFrom('notice_files').select('id').where('id', '=', stale).executeTakeFirst()).toBeUndefined()
    expect(fs.existsSync(path.join(filesDir, row.storage_key))).toBe(false)
    // Attached files are untouched.
    const attached = await env.db.selectFrom('notice_files').select('id').where('notice_id', 'is not', null).execute()
    expect(attached.length).toBeGreaterThan(0)
  })
})

describe('storage adapters', () => {
  test('local storage refuses keys that climb out of its folder and answers null for a missing file', async () => {
    const root = path.resolve('data', `test-local-${process.pid}-${Date.now()}`)
    const s = createLocalStorage(root)
    await expect(s.put('../escape.png', png(), 'image/png')).rejects.toThrow(/unsafe/)
    await expect(s.get('a/../../x')).rejects.toThrow(/unsafe/)
    expect(await s.get('notices/none.png')).toBeNull()
    const ref = await s.put('notices/c/1.png', png(), 'image/png')
    expect((await s.get(ref))!.equals(png())).toBe(true)
    await s.delete(ref)
    await s.delete(ref)
    expect(await s.get(ref)).toBeNull()
    expect(filesUnder(root)).toEqual([])
    fs.rmSync(root, { recursive: true, force: true })
  })

  // The real wx-server-sdk only works inside a WeChat cloud function; here a fake stands in for it.
  test('WeChat cloud storage goes through cloud.uploadFile / getTempFileURL / deleteFile / downloadFile', async () => {
    const bucket = new Map<string, Buffer>()
    const calls: string[] = []
    const fake: WxCloudFiles = {
      uploadFile: async ({ cloudPath, fileContent }) => {
        calls.push(`upload ${cloudPath}`)
        bucket.set(`cloud://env-1.bucket/${cloudPath}`, fileContent)
        return { fileID: `cloud://env-1.bucket/${cloudPath}` }
      },
      downloadFile: async ({ fileID }) => {
        const c = bucket.get(fileID)
        if (!c) throw Object.assign(new Error('storage file not exist'), { errCode: 'STORAGE_FILE_NONEXIST' })
        return { fileContent: c }
      },
      getTempFileURL: async ({ fileList }) => ({
        fileList: fileList.map((f: any) => ({ fileID: f.fileID, tempFileURL: `https://tmp.example/${encodeURIComponent(f.fileID)}?max=${f.maxAge}`, status: 0 })),
      }),
      deleteFile: async ({ fileList }) => {
        calls.push(`delete ${fileList[0]}`)
        return { fileList: fileList.map((id) => ({ fileID: id, status: bucket.delete(id) ? 0 : -1, errMsg: bucket.has(id) ? '' : 'STORAGE_FILE_NONEXIST' })) }
      },
    }
    const s = createWxCloudStorage(fake)
    const ref = await s.put('notices/c1/f1.png', png(), 'image/png')
    expect(ref).toBe('cloud://env-1.bucket/notices/c1/f1.png')
    expect((await s.get(ref))!.equals(png())).toBe(true)
    expect(await s.url(ref)).toBe(`https://tmp.example/${encodeURIComponent(ref)}?max=7200`)
    expect(await fileUrlVia(s, 'secret', new Date())({ id: 'f1', storage_key: ref } as any)).toMatch(/^https:\/\/tmp\.example\//)
    await s.delete(ref)
    await s.delete(ref)
    expect(await s.get(ref)).toBeNull()
    expect(calls[0]).toBe('upload notices/c1/f1.png')
    await expect(s.put('../x', png(), 'image/png')).rejects.toThrow(/unsafe/)
  })

  test('storageFor picks the local disk by default and WeChat cloud storage when asked', () => {
    expect(storageFor({ dataDir: 'data/x' }, {}).kind).toBe('local')
    expect(storageFor({ dataDir: 'data/x' }, { TENCENTCLOUD_RUNENV: 'SCF', STORAGE: 'local' }).kind).toBe('local')
    expect(storageFor({ dataDir: 'data/x' }, { STORAGE: 'wxcloud' }).kind).toBe('wxcloud')
    expect(storageFor({ dataDir: 'data/x' }, { TENCENTCLOUD_RUNENV: 'SCF' }).kind).toBe('wxcloud')
  })
})
