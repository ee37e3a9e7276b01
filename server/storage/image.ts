/**
 * One cleaning step for every photo the server keeps (notices, problem reports, repair-fund
 * documents): `cleanImage(bytes)` reads the dimensions the file declares, refuses a file whose
 * header declares none that can be read (not a picture a phone can show; refused rather than kept
 * unchecked) and anything over MAX_IMAGE_PIXELS (a small file can declare a huge picture that a
 * phone then tries to decode), and answers the bytes without metadata — EXIF (with the GPS
 * position residents' phones write), XMP, IPTC, comments — so a posted photo never tells where it
 * was taken. Pure JS, no binary: JPEG segments, PNG chunks and WebP RIFF chunks are rewritten; the
 * picture data is untouched.
 *
 * A phone photo taken upright is usually stored sideways with an EXIF orientation saying how to
 * turn it. Dropping EXIF would show it sideways, so a JPEG's orientation is kept: its EXIF block is
 * replaced by a new one holding the orientation tag alone (no position, no camera, no time). The
 * pixels are not turned: that would need decoding and re-encoding the JPEG (no image codec here,
 * and a lossy re-encode of up to 40 megapixels in JS is slow); every current browser and the
 * WeChat image component turn a JPEG by its orientation tag.
 */
import { AppError } from '../errors'
import { sniff } from './sniff'

export const MAX_IMAGE_PIXELS = 40_000_000

export interface CleanImage {
  bytes: Buffer
  width: number
  height: number
  mime: 'image/jpeg' | 'image/png' | 'image/webp'
}

/** The cleaned image, or UnsupportedFile (not an image, a header without readable dimensions, or too many pixels). */
export function cleanImage(bytes: Buffer): CleanImage {
  const type = sniff(bytes)
  if (!type || type.kind !== 'image') throw new AppError('UnsupportedFile', '不支持的图片类型：只能是 JPEG、PNG 或 WebP')
  const mime = type.mime as CleanImage['mime']
  const out = mime === 'image/jpeg' ? cleanJpeg(bytes) : mime === 'image/png' ? cleanPng(bytes) : cleanWebp(bytes)
  // Nothing removed: keep the very bytes uploaded.
  if (out.bytes.length === bytes.length && out.bytes.equals(bytes)) out.bytes = bytes
  const { width, height } = out
  if (width === null || height === null) throw new AppError('UnsupportedFile', '图片文件不完整，读不出它的尺寸（可能已损坏或只传了一部分）；请重新拍摄或导出后再上传')
  if (width === 0 || height === 0) throw new AppError('UnsupportedFile', '图片尺寸无效，请换一张图片')
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new AppError('UnsupportedFile', `图片太大（${width}×${height}，约 ${Math.round((width * height) / 1e6)} 百万像素），最多 ${MAX_IMAGE_PIXELS / 1e6} 百万像素；请缩小后再上传`)
  }
  return { bytes: out.bytes, width, height, mime }
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

/**
 * The orientation (1–8) an EXIF block declares in its first IFD (tag 0x0112), or null when it has
 * none or cannot be read. `tiff` is the block after "Exif\0\0": a TIFF header in either byte order.
 */
export function exifOrientation(tiff: Buffer): number | null {
  if (tiff.length < 8) return null
  const order = tiff.subarray(0, 2).toString('latin1')
  if (order !== 'II' && order !== 'MM') return null
  const le = order === 'II'
  const u16 = (at: number) => (le ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at))
  const u32 = (at: number) => (le ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at))
  if (u16(2) !== 42) return null
  const ifd = u32(4)
  if (ifd + 2 > tiff.length) return null
  const count = u16(ifd)
  for (let n = 0; n < count; n++) {
    const at = ifd + 2 + n * 12
    if (at + 12 > tiff.length) return null
    // SHORT (type 3), one value, held in the entry itself.
    if (u16(at) === 0x0112 && u16(at + 2) === 3 && u32(at + 4) === 1) {
      const v = u16(at + 8)
      return v >= 1 && v <= 8 ? v : null
    }
  }
  return null
}

/** An APP1 EXIF segment holding the orientation tag and nothing else. */
function orientationSegment(orientation: number): Buffer {
  const tiff = Buffer.alloc(26)
  tiff.write('MM', 0, 'latin1')
  tiff.writeUInt16BE(42, 2)
  tiff.writeUInt32BE(8, 4) // IFD0 right after the header
  tiff.writeUInt16BE(1, 8) // one entry
  tiff.writeUInt16BE(0x0112, 10)
  tiff.writeUInt16BE(3, 12) // SHORT
  tiff.writeUInt32BE(1, 14)
  tiff.writeUInt16BE(orientation, 18)
  tiff.writeUInt32BE(0, 22) // no further IFD
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff])
  const head = Buffer.from([0xff, 0xe1, 0, 0])
  head.writeUInt16BE(payload.length + 2, 2)
  return Buffer.concat([head, payload])
}

function cleanJpeg(buf: Buffer): Dims {
  const parts: Buffer[] = [buf.subarray(0, 2)]
  let width: number | null = null
  let height: number | null = null
  // Where the first EXIF block was, and the orientation it declared (kept, alone, in its place).
  let exifAt = -1
  let orientation: number | null = null
  const withOrientation = (bytes: Buffer[]): Buffer[] => {
    if (exifAt < 0 || orientation === null || orientation === 1) return bytes
    return [...bytes.slice(0, exifAt), orientationSegment(orientation), ...bytes.slice(exifAt)]
  }
  let i = 2
  while (i + 4 <= buf.length) {
    if (buf[i] !== 0xff) break
    const marker = buf[i + 1]
    if (marker === 0xff) { i++; continue } // fill byte
    if (marker === 0xd9) { parts.push(buf.subarray(i, i + 2)); i += 2; return { bytes: Buffer.concat(withOrientation(parts)), width, height } }
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
      return { bytes: stripTrailingJpeg(Buffer.concat(withOrientation(parts))), width, height }
    }
    if (marker === 0xe1 && exifAt < 0 && payload.subarray(0, 6).toString('latin1') === 'Exif\0\0') {
      exifAt = parts.length
      orientation = exifOrientation(payload.subarray(6))
    }
    if (keepSegment(marker, payload)) parts.push(buf.subarray(i, i + 2 + len))
    i += 2 + len
  }
  // Not a well-formed JPEG past this point: nothing after it is read as metadata by a decoder either.
  parts.push(buf.subarray(i))
  return { bytes: Buffer.concat(withOrientation(parts)), width, height }
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
