/**
 * One cleaning step for every photo the server keeps (notices, problem reports, repair-fund
 * documents): `cleanImage(bytes)` reads the dimensions the file declares, refuses anything over
 * MAX_IMAGE_PIXELS (a small file can declare a huge picture that a phone then tries to decode),
 * and answers the bytes without metadata — EXIF (with the GPS position residents' phones write),
 * XMP, IPTC, comments — so a posted photo never tells where it was taken. Pure JS, no binary:
 * JPEG segments, PNG chunks and WebP RIFF chunks are rewritten; the picture data is untouched.
 */
import { AppError } from '../errors'
import { sniff } from './sniff'

export const MAX_IMAGE_PIXELS = 40_000_000

export interface CleanImage {
  bytes: Buffer
  /** Null when the file declares none that could be read (then nothing is known to refuse). */
  width: number | null
  height: number | null
  mime: 'image/jpeg' | 'image/png' | 'image/webp'
}

/** The cleaned image, or UnsupportedFile (not an image, or too many pixels). */
export function cleanImage(bytes: Buffer): CleanImage {
  const type = sniff(bytes)
  if (!type || type.kind !== 'image') throw new AppError('UnsupportedFile', '不支持的图片类型：只能是 JPEG、PNG 或 WebP')
  const mime = type.mime as CleanImage['mime']
  const out = mime === 'image/jpeg' ? cleanJpeg(bytes) : mime === 'image/png' ? cleanPng(bytes) : cleanWebp(bytes)
  // Nothing removed: keep the very bytes uploaded.
  if (out.bytes.length === bytes.length && out.bytes.equals(bytes)) out.bytes = bytes
  if (out.width !== null && out.height !== null) {
    if (out.width === 0 || out.height === 0) throw new AppError('UnsupportedFile', '图片尺寸无效，请换一张图片')
    if (out.width * out.height > MAX_IMAGE_PIXELS) {
      throw new AppError('UnsupportedFile', `图片太大（${out.width}×${out.height}，约 ${Math.round((out.width * out.height) / 1e6)} 百万像素），最多 ${MAX_IMAGE_PIXELS / 1e6} 百万像素；请缩小后再上传`)
    }
  }
  return { ...out, mime }
}

type Dims = { bytes: Buffer; width: number | null; height: number | null }

/** Start-of-frame markers (baseline, progressive, lossless, arithmetic), which carry the size. */
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf])

/** Application segments worth keeping: JFIF (APP0), the colour profile (APP2 ICC_PROFILE) and Adobe's colour transform (APP14). */
function keepSegment(marker: number, payload: Buffer): boolean {
  if (marker === 0xfe) return false // comment
  if (marker < 0xe0 || marker > 0xef) return true // not an APPn: tables, frame, restart interval…
  if (marker === 0xe0) return payload.subarray(0, 5).toString('latin1') === 'JFIF\0'
  if (marker === 0xe2) return payload.subarray(0, 12).toString('latin1') === 'ICC_PROFILE\0'
  if (marker === 0xee) return payload.subarray(0, 5).toString('latin1') === 'Adobe'
  return false // APP1 Exif/XMP, APP13 Photoshop/IPTC, and the rest
}

function cleanJpeg(buf: Buffer): Dims {
  const parts: Buffer[] = [buf.subarray(0, 2)]
  let width: number | null = null
  let height: number | null = null
  let i = 2
  while (i + 4 <= buf.length) {
    if (buf[i] !== 0xff) break
    const marker = buf[i + 1]
    if (marker === 0xff) { i++; continue } // fill byte
    if (marker === 0xd9) { parts.push(buf.subarray(i, i + 2)); i += 2; return { bytes: Buffer.concat(parts), width, height } }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) { parts.push(buf.subarray(i, i + 2)); i += 2; continue }
    const len = buf.readUInt16BE(i + 2)
    if (len < 2 || i + 2 + len > buf.length) break
    const payload = buf.subarray(i + 4, i + 2 + len)
    if (SOF.has(marker) && payload.length >= 5) {
      height = payload.readUInt16BE(1)
      width = payload.readUInt16BE(3)
    }
    if (marker === 0xda) {
      // Start of scan: the picture data follows to the end; later metadata segments cannot come after it in a valid file.
      parts.push(buf.subarray(i))
      return { bytes: stripTrailingJpeg(Buffer.concat(parts)), width, height }
    }
    if (keepSegment(marker, payload)) parts.push(buf.subarray(i, i + 2 + len))
    i += 2 + len
  }
  // Not a well-formed JPEG past this point: nothing after it is read as metadata by a decoder either.
  parts.push(buf.subarray(i))
  return { bytes: Buffer.concat(parts), width, height }
}

/** Anything after the end-of-image marker (a second file, a tail of text) is dropped. */
function stripTrailingJpeg(buf: Buffer): Buffer {
  const end = buf.lastIndexOf(Buffer.from([0xff, 0xd9]))
  return end > 0 ? buf.subarray(0, end + 2) : buf
}

/** Ancillary PNG chunks that carry text, time or EXIF. */
const PNG_METADATA = new Set(['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME'])

function cleanPng(buf: Buffer): Dims {
  const parts: Buffer[] = [buf.subarray(0, 8)]
  let width: number | null = null
  let height: number | null = null
  let i = 8
  while (i + 12 <= buf.length) {
    const len = buf.readUInt32BE(i)
    const type = buf.subarray(i + 4, i + 8).toString('latin1')
    const end = i + 12 + len
    if (end > buf.length) break
    if (type === 'IHDR' && len >= 8) {
      width = buf.readUInt32BE(i + 8)
      height = buf.readUInt32BE(i + 12)
    }
    if (!PNG_METADATA.has(type)) parts.push(buf.subarray(i, end))
    i = end
    if (type === 'IEND') return { bytes: Buffer.concat(parts), width, height }
  }
  parts.push(buf.subarray(i))
  return { bytes: Buffer.concat(parts), width, height }
}

function cleanWebp(buf: Buffer): Dims {
  const parts: Buffer[] = []
  let width: number | null = null
  let height: number | null = null
  let i = 12
  let vp8x: Buffer | null = null
  while (i + 8 <= buf.length) {
    const tag = buf.subarray(i, i + 4).toString('latin1')
    const len = buf.readUInt32LE(i + 4)
    const end = i + 8 + len + (len % 2)
    if (i + 8 + len > buf.length) break
    const data = buf.subarray(i + 8, i + 8 + len)
    if (tag === 'VP8X' && len >= 10) {
      width = 1 + data.readUIntLE(4, 3)
      height = 1 + data.readUIntLE(7, 3)
      vp8x = Buffer.from(buf.subarray(i, Math.min(end, buf.length)))
      vp8x[8] &= ~(0x08 | 0x04) // no EXIF, no XMP
      parts.push(vp8x)
    } else if (tag === 'VP8 ' && len >= 10 && width === null) {
      width = data.readUInt16LE(6) & 0x3fff
      height = data.readUInt16LE(8) & 0x3fff
      parts.push(buf.subarray(i, Math.min(end, buf.length)))
    } else if (tag === 'VP8L' && len >= 5 && width === null) {
      const bits = data.readUInt32LE(1)
      width = (bits & 0x3fff) + 1
      height = ((bits >> 14) & 0x3fff) + 1
      parts.push(buf.subarray(i, Math.min(end, buf.length)))
    } else if (tag !== 'EXIF' && tag !== 'XMP ') {
      parts.push(buf.subarray(i, Math.min(end, buf.length)))
    }
    i = end
  }
  if (i < buf.length) parts.push(buf.subarray(i))
  const body = Buffer.concat(parts)
  if (body.length + 12 === buf.length && !vp8x?.equals(buf.subarray(12, 12 + vp8x.length))) return { bytes: buf, width, height }
  const header = Buffer.from(buf.subarray(0, 12))
  header.writeUInt32LE(body.length + 4, 4)
  return { bytes: Buffer.concat([header, body]), width, height }
}
