import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { DIALECTS, useTestDb } from '../helpers/db'
import { call, ok } from '../helpers/world'
import { makeNoticeWorld } from '../helpers/notices-world'
import { registry } from '../../server/actions'
import { buildApp } from '../../server/transports/http'
import { cleanImage, storageFor } from '../../server/storage'

const PNG_HEAD = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** Issue 9, item 8: photos without metadata and within 40 megapixels, PDFs that cannot run anything, links that end with their notice. */
describe.each(DIALECTS)('notice files are cleaned and links end with the notice, on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: Awaited<ReturnType<typeof makeNoticeWorld>>
  beforeAll(async () => {
    w = await makeNoticeWorld(env.db)
  })
  afterAll(async () => {
    fs.rmSync(path.resolve(deps.config.dataDir), { recursive: true, force: true })
  })
  const upload = (purpose: 'image' | 'attachment', fileName: string, data: Buffer) =>
    call(deps, 'uploadNoticeFile', { communityId: w.a, purpose, fileName, dataBase64: data.toString('base64') }, w.chair)
  const storedBytes = async (fileId: string) => {
    const row = await env.db.selectFrom('notice_files').select('storage_key').where('id', '=', fileId).executeTakeFirstOrThrow()
    return (await storageFor(deps.config).get(row.storage_key))!
  }

  const seg = (marker: number, payload: Buffer) => Buffer.concat([Buffer.from([0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]), payload])
  /** A JPEG's structure: JFIF, an EXIF block with a GPS position, a comment, tables, a frame of w×h, a scan. */
  const jpegWithGps = (width: number, height: number) =>
    Buffer.concat([
      Buffer.from([0xff, 0xd8]),
      seg(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
      seg(0xe1, Buffer.concat([Buffer.from('Exif\0\0MM\0*\0\0\0\x08', 'latin1'), Buffer.from('GPSLatitude 25.8292N GPSLongitude 114.9335E 赣州市章贡区滨江花园', 'utf8')])),
      seg(0xe1, Buffer.from('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>exif:GPSLatitude</x:xmpmeta>', 'latin1')),
      seg(0xed, Buffer.from('Photoshop 3.0\x008BIM IPTC location', 'latin1')),
      seg(0xfe, Buffer.from('taken at home', 'latin1')),
      seg(0xdb, Buffer.alloc(65, 1)),
      seg(0xc0, Buffer.from([8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0])),
      seg(0xda, Buffer.from([1, 1, 0, 0, 0x3f, 0])),
      Buffer.alloc(200, 0x55),
      Buffer.from([0xff, 0xd9]),
    ])
  const pngOf = (width: number, height: number, extra: Buffer[] = []) => {
    const chunk = (type: string, data: Buffer) => {
      const len = Buffer.alloc(4)
      len.writeUInt32BE(data.length)
      return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)])
    }
    const ihdr = Buffer.alloc(13)
    ihdr.writeUInt32BE(width, 0)
    ihdr.writeUInt32BE(height, 4)
    ihdr[8] = 8
    ihdr[9] = 2
    return Buffer.concat([PNG_HEAD, chunk('IHDR', ihdr), ...extra.map((e) => chunk(e.subarray(0, 4).toString('latin1'), e.subarray(4))), chunk('IDAT', Buffer.alloc(20, 3)), chunk('IEND', Buffer.alloc(0))])
  }

  test('a JPEG with GPS EXIF is stored without it (nor XMP, IPTC or comments); the picture itself is kept', async () => {
    const photo = jpegWithGps(1024, 768)
    const res = await upload('image', '现场.jpg', photo)
    expect(res).toMatchObject({ ok: true })
    const stored = await storedBytes((res as any).data.id)
    const text = stored.toString('latin1')
    for (const gone of ['Exif', 'GPS', 'xmpmeta', '8BIM', 'taken at home']) expect([gone, text.includes(gone)]).toEqual([gone, false])
    expect(text.includes('JFIF')).toBe(true)
    expect(stored.subarray(stored.length - 202).equals(photo.subarray(photo.length - 202))).toBe(true)
    expect(stored.length).toBeLessThan(photo.length)
    // The shared function says what it read.
    expect(cleanImage(photo)).toMatchObject({ width: 1024, height: 768, mime: 'image/jpeg' })
  })

  test('PNG text and EXIF chunks and WebP EXIF/XMP chunks are dropped too', async () => {
    const res = await upload('image', 'a.png', pngOf(800, 600, [Buffer.from('eXIfGPS 25.83N'), Buffer.from('tEXtComment\0GPS home')]))
    const stored = (await storedBytes((res as any).data.id)).toString('latin1')
    expect(stored).not.toMatch(/eXIf|tEXt|GPS/)
    expect(stored).toContain('IDAT')
    const vp8x = Buffer.alloc(10)
    vp8x[0] = 0x08 | 0x04
    vp8x.writeUIntLE(639, 4, 3)
    vp8x.writeUIntLE(479, 7, 3)
    const chunk = (tag: string, data: Buffer) => {
      const len = Buffer.alloc(4)
      len.writeUInt32LE(data.length)
      return Buffer.concat([Buffer.from(tag, 'latin1'), len, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)])
    }
    const body = Buffer.concat([Buffer.from('WEBP'), chunk('VP8X', vp8x), chunk('VP8 ', Buffer.alloc(30, 1)), chunk('EXIF', Buffer.from('GPS 25.83N')), chunk('XMP ', Buffer.from('<x:xmpmeta/>'))])
    const size = Buffer.alloc(4)
    size.writeUInt32LE(body.length)
    const webp = Buffer.concat([Buffer.from('RIFF'), size, body])
    expect(cleanImage(webp)).toMatchObject({ width: 640, height: 480, mime: 'image/webp' })
    const cleaned = cleanImage(webp).bytes
    expect(cleaned.toString('latin1')).not.toMatch(/EXIF|XMP|GPS/)
    expect(cleaned[20] & 0x0c).toBe(0)
    expect(cleaned.readUInt32LE(4)).toBe(cleaned.length - 8)
  })

  test('an image declaring more than 40 megapixels is refused (JPEG and PNG headers), one of 40 is accepted', async () => {
    expect(await upload('image', 'huge.jpg', jpegWithGps(8000, 6250))).toMatchObject({ ok: false, error: { code: 'UnsupportedFile', message: expect.stringContaining('百万像素') } })
    expect(await upload('image', 'huge.png', pngOf(10000, 5000))).toMatchObject({ ok: false, error: { code: 'UnsupportedFile' } })
    expect(await upload('image', 'big.png', pngOf(8000, 5000))).toMatchObject({ ok: true })
    expect(() => cleanImage(pngOf(50000, 1000))).toThrow(expect.objectContaining({ code: 'UnsupportedFile' }))
  })

  test('a PDF with JavaScript, an automatic action or an HTML tail is refused, however it is spelled or packed', async () => {
    const base = '%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n'
    const refused = [
      `${base}3 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj\n%%EOF\n`,
      `${base}1 0 obj << /OpenAction << /S /J#61vaScript /J#53 (x) >> >> endobj\n%%EOF`,
      `${base}4 0 obj << /AA << /O 5 0 R >> >> endobj\n%%EOF`,
      `${base}%%EOF\n<html><script>alert(document.cookie)</script></html>`,
    ].map((s) => Buffer.from(s, 'latin1'))
    const packed = zlib.deflateSync(Buffer.from('<< /Type /Action /S /JavaScript /JS (this.exportDataObject()) >>'))
    refused.push(Buffer.concat([Buffer.from(`${base}5 0 obj << /Type /ObjStm /Filter /FlateDecode /Length ${packed.length} >>\nstream\n`, 'latin1'), packed, Buffer.from('\nendstream\nendobj\n%%EOF\n', 'latin1')]))
    for (const [i, bytes] of refused.entries()) {
      expect([i, await upload('attachment', '财务报表.pdf', bytes)]).toEqual([i, expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'UnsupportedFile' }) })])
    }
    const clean = Buffer.concat([Buffer.from(`${base}5 0 obj << /Filter /FlateDecode >>\nstream\n`, 'latin1'), zlib.deflateSync(Buffer.from('BT /F1 12 Tf (2026 budget) Tj ET')), Buffer.from('\nendstream\nendobj\n%%EOF\n', 'latin1')])
    expect(await upload('attachment', '财务报表.pdf', clean)).toMatchObject({ ok: true })
  })

  test("a withdrawn notice's signed link answers 404; PDFs are served as downloads under a sandboxing policy", async () => {
    const app = await buildApp(deps, registry)
    try {
      const img = (await upload('image', 'a.jpg', jpegWithGps(100, 100))) as any
      const doc = (await upload('attachment', 'b.pdf', Buffer.from('%PDF-1.7\n%%EOF\n'))) as any
      const { id } = await ok(deps, 'publishNotice', { communityId: w.a, kind: '公告', title: '停水', body: '见附件', imageIds: [img.data.id], attachmentIds: [doc.data.id] }, w.chair)
      const notice = await ok(deps, 'getNotice', { communityId: w.a, noticeId: id }, w.owner1)
      const get = (url: string) => app.inject({ method: 'GET', url })
      const image = await get(notice.images[0].url)
      expect(image.statusCode).toBe(200)
      expect(image.headers['content-security-policy']).toMatch(/sandbox/)
      const pdfRes = await get(notice.attachments[0].url)
      expect(pdfRes.statusCode).toBe(200)
      expect(pdfRes.headers['content-disposition']).toMatch(/^attachment;/)
      expect(pdfRes.headers['content-security-policy']).toMatch(/sandbox/)
      await ok(deps, 'withdrawNotice', { communityId: w.a, noticeId: id }, w.chair)
      for (const url of [notice.images[0].url, notice.attachments[0].url]) {
        const after = await get(url)
        expect(after.statusCode).toBe(404)
        expect(after.json()).toMatchObject({ ok: false, error: { code: 'NotFound' } })
      }
    } finally {
      await app.close()
    }
  })
})
