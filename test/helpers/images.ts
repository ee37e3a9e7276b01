import fs from 'node:fs'
import path from 'node:path'

/**
 * Small image files with real headers, for tests that store photos (every stored photo goes through
 * cleanImage, which refuses a file whose dimensions cannot be read), and a phone-like JPEG: a real
 * 16×16 picture (CPython's test image, test/fixtures/images) with the EXIF a phone writes — the
 * orientation, the camera, the time and a GPS position.
 */
const PNG_HEAD = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

const chunk = (type: string, data: Buffer) => {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)])
}

/** A PNG of `size` bytes (at least 33) declaring 1×1 in its IHDR; `fill` varies the content. */
export function tinyPng(size = 64, fill = 7): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(1, 0)
  ihdr.writeUInt32BE(1, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  const head = Buffer.concat([PNG_HEAD, chunk('IHDR', ihdr)])
  return Buffer.concat([head, Buffer.alloc(Math.max(0, size - head.length), fill)])
}

/** A JPEG of `size` bytes (at least 21) with a frame header declaring 1×1; `fill` varies the content. */
export function tinyJpeg(size = 64, fill = 3): Buffer {
  const sof = Buffer.from([0xff, 0xc0, 0, 11, 8, 0, 1, 0, 1, 1, 1, 0x11, 0])
  const head = Buffer.concat([Buffer.from([0xff, 0xd8]), sof, Buffer.from([0xff, 0xda, 0, 2])])
  return Buffer.concat([head, Buffer.alloc(Math.max(0, size - head.length - 2), fill), Buffer.from([0xff, 0xd9])])
}

/** A lossless WebP (VP8L) declaring 1×1. */
export function tinyWebp(): Buffer {
  const vp8l = Buffer.from([0x2f, 0, 0, 0, 0, 0x88, 0x88, 0x08, 0x08, 0x08])
  const body = Buffer.concat([Buffer.from('WEBP', 'latin1'), Buffer.from('VP8L', 'latin1'), Buffer.from([vp8l.length, 0, 0, 0]), vp8l])
  const size = Buffer.alloc(4)
  size.writeUInt32LE(body.length)
  return Buffer.concat([Buffer.from('RIFF', 'latin1'), size, body])
}

/** A real 16×16 baseline JPEG (JFIF, no EXIF). */
export const REAL_JPEG = fs.readFileSync(path.join(__dirname, '../fixtures/images/python-16x16.jpg'))

export const GPS = { lat: [25, 49, 45.12], lon: [114, 56, 0.6] } as const

/**
 * REAL_JPEG with an APP1 EXIF block after its JFIF segment, as a phone writes one: IFD0 with Make,
 * Model, Orientation and DateTime, and a GPS IFD (N 25°49′45.12″, E 114°56′0.6″ — 赣州章贡区).
 */
export function phoneJpeg(orientation: number, byteOrder: 'II' | 'MM' = 'MM'): Buffer {
  const le = byteOrder === 'II'
  const u16 = (v: number) => { const b = Buffer.alloc(2); if (le) b.writeUInt16LE(v); else b.writeUInt16BE(v); return b }
  const u32 = (v: number) => { const b = Buffer.alloc(4); if (le) b.writeUInt32LE(v); else b.writeUInt32BE(v); return b }
  const rational = (x: number) => Buffer.concat([u32(Math.round(x * 100)), u32(100)])
  const make = Buffer.from('Apple\0', 'latin1')
  const model = Buffer.from('iPhone 12\0', 'latin1')
  const time = Buffer.from('2026:11:28 10:00:00\0', 'latin1')
  // Layout: header (8) | IFD0: 5 entries (2 + 60 + 4 = 66) | data | GPS IFD.
  const ifd0At = 8
  const dataAt = ifd0At + 2 + 5 * 12 + 4
  const makeAt = dataAt
  const modelAt = makeAt + make.length
  const timeAt = modelAt + model.length
  const gpsAt = timeAt + time.length
  const gpsDataAt = gpsAt + 2 + 4 * 12 + 4
  const entry = (tag: number, type: number, count: number, value: Buffer) => Buffer.concat([u16(tag), u16(type), u32(count), Buffer.concat([value, Buffer.alloc(4 - value.length)])])
  const ifd0 = Buffer.concat([
    u16(5),
    entry(0x010f, 2, make.length, u32(makeAt)),
    entry(0x0110, 2, model.length, u32(modelAt)),
    entry(0x0112, 3, 1, u16(orientation)),
    entry(0x0132, 2, time.length, u32(timeAt)),
    entry(0x8825, 4, 1, u32(gpsAt)),
    u32(0),
  ])
  const lat = Buffer.concat(GPS.lat.map(rational))
  const lon = Buffer.concat(GPS.lon.map(rational))
  const gps = Buffer.concat([
    u16(4),
    entry(0x0001, 2, 2, Buffer.from('N\0', 'latin1')),
    entry(0x0002, 5, 3, u32(gpsDataAt)),
    entry(0x0003, 2, 2, Buffer.from('E\0', 'latin1')),
    entry(0x0004, 5, 3, u32(gpsDataAt + lat.length)),
    u32(0),
    lat,
    lon,
  ])
  const tiff = Buffer.concat([Buffer.from(byteOrder, 'latin1'), u16(42), u32(ifd0At), ifd0, make, model, time, gps])
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff])
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1]), Buffer.from([(payload.length + 2) >> 8, (payload.length + 2) & 0xff]), payload])
  // After SOI and the JFIF APP0 (2 + 2 + 16 bytes).
  const jfifEnd = 4 + REAL_JPEG.readUInt16BE(4)
  return Buffer.concat([REAL_JPEG.subarray(0, jfifEnd), app1, REAL_JPEG.subarray(jfifEnd)])
}
