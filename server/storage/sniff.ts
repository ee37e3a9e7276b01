/** What the bytes say a file is, whatever its name claims. */
export interface Sniffed {
  kind: 'image' | 'pdf'
  mime: 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf'
  ext: 'jpg' | 'png' | 'webp' | 'pdf'
  label: string
}

const startsWith = (buf: Buffer, bytes: number[], at = 0) => buf.length >= at + bytes.length && bytes.every((b, i) => buf[at + i] === b)
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0))

/** Recognises JPEG, PNG, WebP and PDF by their magic bytes; anything else is null. */
export function sniff(buf: Buffer): Sniffed | null {
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return { kind: 'image', mime: 'image/jpeg', ext: 'jpg', label: 'JPEG 图片' }
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { kind: 'image', mime: 'image/png', ext: 'png', label: 'PNG 图片' }
  if (startsWith(buf, ascii('RIFF')) && startsWith(buf, ascii('WEBP'), 8)) return { kind: 'image', mime: 'image/webp', ext: 'webp', label: 'WebP 图片' }
  if (startsWith(buf, ascii('%PDF-'))) return { kind: 'pdf', mime: 'application/pdf', ext: 'pdf', label: 'PDF 文件' }
  return null
}

/** The extensions a file name may carry for each sniffed type. */
export const EXTENSIONS: Record<Sniffed['ext'], string[]> = {
  jpg: ['jpg', 'jpeg', 'jfif'],
  png: ['png'],
  webp: ['webp'],
  pdf: ['pdf'],
}
