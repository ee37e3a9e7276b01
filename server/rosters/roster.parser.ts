/**
 * Reading an owner roster (业主名册) as committees keep it: an .xlsx from Excel or WPS, or a CSV
 * in UTF-8 (with or without BOM) or GBK. Pure: no database, no clock, no hashing. Every problem
 * is reported with the row number the committee sees in Excel and a reason in plain Chinese,
 * so they can fix the file themselves.
 */
import { MAX_NAME_LENGTH, MAX_PLACE_LENGTH, type RosterRowError } from '../../src/contracts/rosters'
import { unitLabel } from '../../src/contracts/units'
import { AppError } from '../errors'
import { decodeCsvBytes, readXlsxSheets, sniffSpreadsheet, splitCsv, type RawRow } from './spreadsheet'

/** The file-reading layer moved to ./spreadsheet; re-exported for existing imports. */
export { decodeCsvBytes, readXlsxSheets, splitCsv, type RawRow }


export interface ParsedUnit {
  line: number
  building: string
  stair: string
  room: string
  areaCentiM2: number
  elevator: boolean
  /** False for an unsold developer unit (开发商（未售）). */
  sold: boolean
  /** Keys into ParsedRoster.persons, in the order written; empty for unsold units. */
  ownerKeys: string[]
}

export interface ParsedPerson {
  /** name|phone|id4 — how rows of one owner of several units are recognised as one person. */
  key: string
  name: string
  phone: string | null
  /** ID last four in clear: lives only in memory, the service stores an HMAC of it. */
  id4: string | null
  lines: number[]
}

export interface ParsedRoster {
  /** Non-blank data rows below the header. */
  rowCount: number
  /** Valid rows only; rows with errors are left out. */
  units: ParsedUnit[]
  persons: ParsedPerson[]
  buildings: { name: string; elevator: boolean }[]
  /** One entry per bad row, reasons of that row joined with "；", in row order. */
  errors: RosterRowError[]
}

/** Rows beyond this are refused: 10,000 units is far above any 小区, and it bounds the work. */
export const MAX_ROSTER_ROWS = 10_000

type Column = 'building' | 'stair' | 'room' | 'area' | 'elevator' | 'name' | 'phone' | 'id4'

/** Header names as registers write them, compared after normalizeHeader. */
const HEADER_ALIASES: Record<Column, string[]> = {
  building: ['楼栋', '楼栋号', '楼号', '栋', '栋号', '幢', '幢号', '楼'],
  stair: ['单元', '单元号'],
  room: ['房号', '房间号', '室号', '门牌号', '房屋号', '户号'],
  area: ['建筑面积', '面积', '房屋面积', '产权面积', '建筑面积m2', '建筑面积㎡'],
  elevator: ['是否电梯', '电梯', '有无电梯', '是否有电梯'],
  name: ['业主姓名', '业主', '姓名', '产权人', '业主名称', '产权人姓名'],
  phone: ['联系电话', '电话', '手机', '手机号', '手机号码', '联系方式', '电话号码'],
  id4: ['身份证后四位', '身份证后4位', '身份证号后四位', '身份证号后4位', '证件后四位', '证件号后四位'],
}
const REQUIRED: Column[] = ['building', 'stair', 'room', 'area', 'elevator', 'name']
const COLUMN_LABELS: Record<Column, string> = {
  building: '楼栋', stair: '单元', room: '房号', area: '建筑面积(㎡)', elevator: '是否电梯', name: '业主姓名', phone: '联系电话', id4: '身份证后四位',
}
/** The header is looked for in the first rows only: registers put at most a title or two above it. */
const HEADER_SEARCH_ROWS = 20

const DEVELOPER = /^开发商\(未售\)$/
/** Co-owners share a cell, separated by 、 (some registers use ，or ；). */
const CO_OWNER_SEPARATORS = /[、,;，；/]+/
const CJK = /[\u3400-\u9fff]/

// ---------------------------------------------------------------------------------------------
// Normalising single cells. Exported: binding requests normalise what residents type the same way.

/** NFKC turns full-width digits and letters (１０１, Ａ), full-width brackets and ㎡ into their plain forms. */
const nfkc = (s: string) => s.normalize('NFKC')

/** Cell text without stray spaces (including the ideographic space, which NFKC turns into a plain one). */
export function cleanText(s: string): string {
  return nfkc(s).replace(/\s+/g, '')
}

/** A person's name: spaces inside Chinese names are typing noise; Latin names keep single spaces. */
export function cleanName(s: string): string {
  const t = nfkc(s).trim()
  return CJK.test(t) ? t.replace(/\s+/g, '') : t.replace(/\s+/g, ' ')
}

/** "1" → "1栋", so labels read 1栋1单元101室 whether the register wrote 1 or 1栋. */
export function normalizeBuilding(s: string): string {
  const t = cleanText(s).toUpperCase()
  return /^\d+$/.test(t) ? `${t}栋` : t
}

/** "1" → "1单元". */
export function normalizeStair(s: string): string {
  const t = cleanText(s).toUpperCase()
  return /^\d+$/.test(t) ? `${t}单元` : t
}

/** "101室" → "101"; the label adds 室 itself. */
export function normalizeRoom(s: string): string {
  return cleanText(s).toUpperCase().replace(/室$/, '')
}

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string }

/**
 * Area as integer hundredths of m², read from the decimal text digit by digit (never through a
 * float): "89.56" → 8956, "85.5平方米" → 8550. More than two decimals is refused unless the extra
 * digits are zeros ("89.5600" is exact).
 */
export function parseAreaCentiM2(raw: string): Parsed<number> {
  const s = cleanText(raw).replace(/(平方米|平米|平方|m2|平)$/i, '')
  if (s === '') return { ok: false, error: '缺少建筑面积' }
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(s)
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return { ok: false, error: `建筑面积“${raw.trim()}”不是数字` }
  const [, sign, whole, frac = ''] = m
  if (/[1-9]/.test(frac.slice(2))) return { ok: false, error: `建筑面积“${raw.trim()}”超过两位小数` }
  const intPart = whole.replace(/^0+(?=\d)/, '')
  if (intPart.length > 6) return { ok: false, error: `建筑面积“${raw.trim()}”过大` }
  const centi = Number(intPart || '0') * 100 + Number((frac + '00').slice(0, 2))
  if (centi === 0) return { ok: false, error: '建筑面积不能为 0' }
  if (sign === '-') return { ok: false, error: `建筑面积不能为负数（“${raw.trim()}”）` }
  return { ok: true, value: centi }
}

/** 是/否 (also 有/无). */
export function parseElevator(raw: string): Parsed<boolean> {
  const s = cleanText(raw).toUpperCase()
  if (s === '') return { ok: false, error: '缺少是否电梯（应填“是”或“否”）' }
  if (['是', '有', 'Y', 'YES'].includes(s)) return { ok: true, value: true }
  if (['否', '无', '没有', 'N', 'NO'].includes(s)) return { ok: true, value: false }
  return { ok: false, error: `是否电梯应填“是”或“否”（现为“${raw.trim()}”）` }
}

/** A mainland mobile number, 11 digits: "139-1234-5678", "139 1234 5678", "+86 13912345678". Empty → null. */
export function parsePhone(raw: string): Parsed<string | null> {
  let s = nfkc(raw).replace(/[\s\-()]/g, '')
  if (s === '') return { ok: true, value: null }
  s = s.replace(/^(\+?86|0086)(?=1\d{10}$)/, '')
  if (!/^1\d{10}$/.test(s)) return { ok: false, error: `联系电话应为 11 位手机号（现为“${raw.trim()}”）` }
  return { ok: true, value: s }
}

/**
 * The last four characters of a resident ID card: three digits and a digit or X. A value of
 * one to three digits is padded with zeros, because Excel drops leading zeros of numbers
 * ("0239" saved from a number cell arrives as "239"). Empty → null.
 */
export function parseId4(raw: string): Parsed<string | null> {
  const s = cleanText(raw).toUpperCase()
  if (s === '') return { ok: true, value: null }
  const padded = /^\d{1,3}$/.test(s) ? s.padStart(4, '0') : s
  if (!/^\d{3}[\dX]$/.test(padded)) return { ok: false, error: `身份证后四位应为 4 位数字（最后一位可以是 X），现为“${raw.trim()}”` }
  return { ok: true, value: padded }
}

export function isDeveloperName(raw: string): boolean {
  return DEVELOPER.test(cleanText(raw))
}

// ---------------------------------------------------------------------------------------------
// Rows to units and owners.

function normalizeHeader(s: string): string {
  return cleanText(s).replace(/\(.*?\)|\[.*?\]|【.*?】/g, '').replace(/[:：*]/g, '')
}

type HeaderMap = Partial<Record<Column, number>>

function matchHeader(cells: string[]): HeaderMap {
  const map: HeaderMap = {}
  cells.forEach((cell, i) => {
    const h = normalizeHeader(cell)
    if (!h) return
    for (const col of Object.keys(HEADER_ALIASES) as Column[]) {
      if (map[col] === undefined && HEADER_ALIASES[col].includes(h)) {
        map[col] = i
        return
      }
    }
  })
  return map
}

type HeaderSearch = { ok: true; index: number; map: HeaderMap } | { ok: false; error: RosterRowError }

function findHeader(rows: RawRow[]): HeaderSearch {
  let best: { index: number; map: HeaderMap; found: number } | null = null
  for (let i = 0; i < Math.min(rows.length, HEADER_SEARCH_ROWS); i++) {
    const map = matchHeader(rows[i].cells)
    const found = REQUIRED.filter((c) => map[c] !== undefined).length
    if (found === REQUIRED.length) return { ok: true, index: i, map }
    if (found >= 3 && (!best || found > best.found)) best = { index: i, map, found }
  }
  const wanted = Object.values(COLUMN_LABELS).join('、')
  if (best) {
    const missing = REQUIRED.filter((c) => best!.map[c] === undefined).map((c) => COLUMN_LABELS[c])
    return { ok: false, error: { line: rows[best.index].line, reason: `表头缺少列：${missing.join('、')}（需要的列：${wanted}）` } }
  }
  return { ok: false, error: { line: rows[0]?.line ?? 1, reason: `找不到表头行（需要的列：${wanted}）` } }
}

/** Validates rows below the header and gathers units, buildings and owners. */
export function parseRows(rows: RawRow[]): ParsedRoster {
  const empty: ParsedRoster = { rowCount: 0, units: [], persons: [], buildings: [], errors: [] }
  const header = findHeader(rows)
  if (!header.ok) return { ...empty, errors: [header.error] }
  const col = header.map
  const get = (r: RawRow, c: Column) => (col[c] === undefined ? '' : (r.cells[col[c]!] ?? '')).trim()

  const data = rows.slice(header.index + 1).filter((r) => r.cells.some((c) => c.trim() !== ''))
  if (data.length > MAX_ROSTER_ROWS) {
    throw new AppError('PayloadTooLarge', `名册超过 ${MAX_ROSTER_ROWS} 行，请按楼栋分开导入`)
  }
  const units: ParsedUnit[] = []
  const persons = new Map<string, ParsedPerson>()
  const errors: RosterRowError[] = []
  const roomLines = new Map<string, number>()
  const buildingFlags = new Map<string, { elevator: boolean; line: number }>()

  for (const r of data) {
    const problems: string[] = []
    const building = normalizeBuilding(get(r, 'building'))
    const stair = normalizeStair(get(r, 'stair'))
    const room = normalizeRoom(get(r, 'room'))
    if (!building) problems.push('缺少楼栋')
    if (!stair) problems.push('缺少单元（没有分单元的楼请填“1单元”）')
    if (!room) problems.push('缺少房号')
    // A resident binding a unit types these (bindUnit bounds them alike): longer ones could never be claimed.
    if (building.length > MAX_PLACE_LENGTH) problems.push(`楼栋名称过长（最多 ${MAX_PLACE_LENGTH} 个字）`)
    if (stair.length > MAX_PLACE_LENGTH) problems.push(`单元名称过长（最多 ${MAX_PLACE_LENGTH} 个字）`)
    if (room.length > MAX_PLACE_LENGTH) problems.push(`房号过长（最多 ${MAX_PLACE_LENGTH} 个字）`)

    const area = parseAreaCentiM2(get(r, 'area'))
    if (!area.ok) problems.push(area.error)
    const elevator = parseElevator(get(r, 'elevator'))
    if (!elevator.ok) problems.push(elevator.error)

    const ownerCell = get(r, 'name')
    const developer = isDeveloperName(ownerCell)
    const names = developer ? [] : [...new Set(nfkc(ownerCell).split(CO_OWNER_SEPARATORS).map(cleanName).filter(Boolean))]
    if (!developer && names.length === 0) problems.push('缺少业主姓名')
    if (names.some((n) => n.length > MAX_NAME_LENGTH)) problems.push(`业主姓名过长（最多 ${MAX_NAME_LENGTH} 个字）`)
    if (names.some(isDeveloperName)) problems.push('“开发商（未售）”应单独一格，不能与其他业主同列')
    // The developer needs no phone or ID; whatever is written there is ignored rather than judged.
    const phone = developer ? ({ ok: true, value: null } as const) : parsePhone(get(r, 'phone'))
    if (!phone.ok) problems.push(phone.error)
    const id4 = developer ? ({ ok: true, value: null } as const) : parseId4(get(r, 'id4'))
    if (!id4.ok) problems.push(id4.error)

    if (building && stair && room) {
      const key = `${building}|${stair}|${room}`
      const earlier = roomLines.get(key)
      if (earlier !== undefined) problems.push(`与第 ${earlier} 行是同一房间（${unitLabel(building, stair, room)}）`)
      else roomLines.set(key, r.line)
    }
    if (building && elevator.ok) {
      const first = buildingFlags.get(building)
      if (!first) buildingFlags.set(building, { elevator: elevator.value, line: r.line })
      else if (first.elevator !== elevator.value) {
        problems.push(`${building}的“是否电梯”与第 ${first.line} 行不一致（同一栋楼应相同）`)
      }
    }

    if (problems.length > 0) {
      errors.push({ line: r.line, reason: problems.join('；') })
      continue
    }
    const ownerKeys = names.map((name) => {
      const p = phone.ok ? phone.value : null
      const d = id4.ok ? id4.value : null
      // With neither phone nor ID digits two rows of one name may be two people: never merge them.
      const key = p || d ? `${name}|${p ?? ''}|${d ?? ''}` : `${name}|line:${r.line}`
      const person = persons.get(key)
      if (person) person.lines.push(r.line)
      else persons.set(key, { key, name, phone: p, id4: d, lines: [r.line] })
      return key
    })
    units.push({
      line: r.line,
      building,
      stair,
      room,
      areaCentiM2: (area as { value: number }).value,
      elevator: (elevator as { value: boolean }).value,
      sold: !developer,
      ownerKeys,
    })
  }

  const buildings = [...new Set(units.map((u) => u.building))].map((name) => ({ name, elevator: buildingFlags.get(name)!.elevator }))
  return { rowCount: data.length, units, persons: [...persons.values()], buildings, errors }
}

/** Parses a roster file (.xlsx or .csv). Throws AppError only when the file as a whole cannot be read. */
export async function parseRosterFile(fileName: string, buf: Uint8Array): Promise<ParsedRoster> {
  if (buf.length === 0) throw new AppError('BadInput', '文件为空')
  if (sniffSpreadsheet(fileName, buf) === 'csv') return parseRows(splitCsv(decodeCsvBytes(buf)))
  const sheets = (await readXlsxSheets(buf, MAX_ROSTER_ROWS + HEADER_SEARCH_ROWS)).filter((rows) => rows.length > 0)
  if (sheets.length === 0) return { rowCount: 0, units: [], persons: [], buildings: [], errors: [{ line: 1, reason: '工作表是空的' }] }
  // The roster is the first sheet with a recognisable header; others (notes, totals) are ignored.
  const parsed = sheets.map((rows) => ({ rows, header: findHeader(rows) }))
  const chosen = parsed.find((s) => s.header.ok) ?? parsed[0]
  return parseRows(chosen.rows)
}
