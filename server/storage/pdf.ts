/**
 * PDFs residents open must not run anything: `assertSafePdf(bytes)` refuses (UnsupportedFile) a
 * PDF that carries JavaScript or automatic actions (/JS, /JavaScript, /OpenAction, /AA, /Launch,
 * /SubmitForm, /ImportData, /RichMedia, /EmbeddedFile), looking inside compressed streams too and
 * through #xx escapes in names, and a PDF with anything but whitespace after its last %%EOF (an
 * HTML page glued on, which a browser sniffing the bytes could render). The files route also
 * serves PDFs as downloads under a sandboxing Content-Security-Policy.
 */
import { inflateSync } from 'node:zlib'
import { AppError } from '../errors'

const ACTIVE = /\/(JS|JavaScript|OpenAction|AA|Launch|SubmitForm|ImportData|RichMedia|EmbeddedFile|XFA)(?![A-Za-z0-9])/
const MAX_INFLATED = 64 * 1024 * 1024

/** PDF names may spell letters as #xx: /J#61vaScript is /JavaScript. */
const decodeNames = (s: string) => s.replace(/#([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))

export function assertSafePdf(bytes: Buffer): void {
  const text = bytes.toString('latin1')
  const eof = text.lastIndexOf('%%EOF')
  if (eof >= 0 && text.slice(eof + 5).trim() !== '') throw new AppError('UnsupportedFile', 'PDF 文件不完整或结尾附带了其他内容，请重新导出 PDF 后上传')
  if (/<\s*(html|script|body|iframe|svg)\b/i.test(text)) throw new AppError('UnsupportedFile', 'PDF 文件里夹带了网页内容，不能上传；请重新导出 PDF 后上传')
  if (ACTIVE.test(decodeNames(text))) throw active()
  // Compressed streams (object streams hide dictionaries): inflate and look again.
  let inflated = 0
  const stream = /stream\r?\n/g
  for (let m = stream.exec(text); m; m = stream.exec(text)) {
    const start = m.index + m[0].length
    const end = text.indexOf('endstream', start)
    if (end < 0) break
    try {
      const out = inflateSync(bytes.subarray(start, end), { maxOutputLength: MAX_INFLATED })
      inflated += out.length
      const s = out.toString('latin1')
      if (ACTIVE.test(decodeNames(s)) || /<\s*(html|script)\b/i.test(s)) throw active()
    } catch (err) {
      if (err instanceof AppError) throw err
      // Not a Flate stream (an image, a font in another filter): nothing to read.
    }
    if (inflated > MAX_INFLATED) throw new AppError('UnsupportedFile', 'PDF 文件解压后过大，请压缩后再上传')
    stream.lastIndex = end
  }
}

const active = () => new AppError('UnsupportedFile', 'PDF 文件含有脚本或自动执行的动作，不能上传；请用“打印为 PDF”重新导出后上传')
