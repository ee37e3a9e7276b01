/**
 * Reading spreadsheet files into rows of text: .xlsx from Excel or WPS, CSV in UTF-8 (with or
 * without BOM), UTF-16 or GBK. Used by the roster parser and by fees' bank-statement import.
 */
import type ExcelJS from 'exceljs'
import { newWorkbook } from '../xlsx'
import iconv from 'iconv-lite'
import { AppError } from '../errors'

/** One row of the sheet as text, with its row number as Excel shows it (header included). */
export interface RawRow {
  line: number
  cells: string[]
}

/** Rows read from one .xlsx sheet by default: a bound on the work a file can cause. */
const DEFAULT_MAX_ROWS = 10_020

/** Where the bytes say what they are, they win over the file name (a renamed file still reads). */
export function sniffSpreadsheet(fileName: string, buf: Uint8Array): 'xlsx' | 'csv' {
  if (buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04) return 'xlsx'
  if (buf[0] === 0xd0 && buf[1] === 0xcf && buf[2] === 0x11 && buf[3] === 0xe0) {
    throw new AppError('UnsupportedFile', '这是旧版 Excel（.xls）文件，请在 Excel 或 WPS 中“另存为” .xlsx 或 CSV 后再上传')
  }
  if (/\.xlsx$/i.test(fileName)) {
    throw new AppError('UnsupportedFile', '这个文件不是有效的 .xlsx 文件，请在 Excel 或 WPS 中重新保存后再上传')
  }
  return 'csv'
}

/**
 * CSV bytes to text: UTF-8 (BOM or not) when the bytes are valid UTF-8, UTF-16 when a BOM says
 * so (Excel's "Unicode text"), otherwise GBK as Excel and WPS write on Chinese Windows.
 * GB18030 is used for the GBK case because it is a superset that also covers rare name characters.
 */
export function decodeCsvBytes(buf: Uint8Array): string {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return new TextDecoder('utf-8').decode(buf.subarray(3))
  if (buf[0] === 0xff && buf[1] === 0xfe) return iconv.decode(Buffer.from(buf.subarray(2)), 'utf16le')
  if (buf[0] === 0xfe && buf[1] === 0xff) return iconv.decode(Buffer.from(buf.subarray(2)), 'utf16be')
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf)
  } catch {
    return iconv.decode(Buffer.from(buf), 'gb18030')
  }
}

/**
 * RFC 4180 records. A record's number is its position counting the header as 1, which is the
 * row number Excel shows when it opens the file (and the line number in an editor, unless a
 * quoted cell spans lines). Blank lines keep their number so later numbers still match.
 */
export function splitCsv(text: string): RawRow[] {
  const firstLine = text.slice(0, text.search(/\r?\n|$/))
  const delimiter = (firstLine.match(/\t/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? '\t' : ','
  const rows: RawRow[] = []
  let cells: string[] = []
  let cell = ''
  let inQuotes = false
  let line = 1
  const endRecord = () => {
    cells.push(cell)
    rows.push({ line, cells })
    line += 1
    cells = []
    cell = ''
  }
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"'
          i++
        } else inQuotes = false
      } else cell += ch
    } else if (ch === '"' && cell === '') inQuotes = true
    else if (ch === delimiter) {
      cells.push(cell)
      cell = ''
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++
      endRecord()
    } else cell += ch
  }
  if (cell !== '' || cells.length > 0) endRecord()
  return rows
}

/** Numbers as Excel displays them: 15 significant digits drop binary noise (89.55999999999999 → 89.56). */
function numberText(n: number): string {
  return String(Number(n.toPrecision(15)))
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number') return numberText(value)
  if (typeof value === 'boolean') return value ? '是' : '否'
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  if ('richText' in value) return value.richText.map((r) => r.text).join('')
  if ('formula' in value || 'sharedFormula' in value) return cellText((value.result ?? null) as ExcelJS.CellValue)
  if ('hyperlink' in value) return cellText(value.text as ExcelJS.CellValue)
  if ('error' in value) return value.error
  return String(value)
}

/** .xlsx sheets as rows, at most maxRows a sheet. A merged cell reads as its top-left value in every cell it covers. */
export async function readXlsxSheets(buf: Uint8Array, maxRows = DEFAULT_MAX_ROWS): Promise<RawRow[][]> {
  const wb = await newWorkbook()
  try {
    await wb.xlsx.load(Buffer.from(buf) as unknown as ExcelJS.Buffer)
  } catch {
    throw new AppError('UnsupportedFile', '无法读取这个 Excel 文件，请确认它是 .xlsx 格式（可在 Excel 或 WPS 中“另存为” .xlsx 或 CSV 后再上传）')
  }
  return wb.worksheets.map((ws) => {
    const rows: RawRow[] = []
    const width = Math.min(ws.actualColumnCount || ws.columnCount || 0, 60)
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      if (rows.length > maxRows) return
      const cells: string[] = []
      for (let c = 1; c <= Math.max(width, row.cellCount); c++) cells.push(cellText(row.getCell(c).value))
      rows.push({ line: rowNumber, cells })
    })
    return rows
  })
}
