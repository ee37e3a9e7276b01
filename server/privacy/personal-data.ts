/**
 * Personal data never appears in what a 小区 posts (PIPL art. 25; domain.md on 欠费公示): no
 * mobile number, no ID number, no name from the 小区's roster — in a notice's title and body, in
 * the names of its files, and in arrears postings. One check for every feature that posts.
 *
 * Text is compared as a reader sees it (./normalize): full-width digits, zero-width characters,
 * separators inside numbers and names, a +86 prefix and traditional characters do not hide
 * anything (issue 9, item 6). Numbers are read as clusters of digit groups joined by separators
 * (139.5888.1297, 139、5888、1297, +86 139 5888 1297): any run of whole groups that makes a
 * mobile or ID number is one, and a roster phone is found anywhere in a cluster's digits (two
 * phones typed together). Short public numbers (12345, 12358), landlines with an area code (0…),
 * dates, amounts and room numbers do not make such runs.
 */
import type { Ctx } from '../context'
import type { DbOrTx } from '../db/database'
import { AppError } from '../errors'
import { nameView, normalizeName, readable } from './normalize'

/** What was found: the kind, and for a roster name the name itself (the person posting typed it). */
export type PersonalData = { kind: 'mobile' } | { kind: 'idNumber' } | { kind: 'name'; name: string }

/** What people read when their text is refused, by what was found. */
export interface PersonalDataWording {
  mobile: string
  idNumber: string
  name: (name: string) => string
}

/** What may stand between the digit groups of one number: spaces, dashes, dots, commas, 、, brackets, a plus. */
const SEP = String.raw`[\s\-.·・,、_/()+*~]`
/** A cluster: digit groups joined by one to three separators, perhaps ending in the X of an ID number. */
const CLUSTER = new RegExp(String.raw`\d+(?:${SEP}{1,3}\d+)*(?:${SEP}{0,3}[Xx])?`, 'g')
const MOBILE = /^1[3-9]\d{9}$/
const MOBILE_86 = /^(?:86|0086)1[3-9]\d{9}$/
/** Province codes that start a resident ID number. */
const PROVINCES = new Set(['11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82', '83', '91'])

const plausibleDate = (mm: string, dd: string) => +mm >= 1 && +mm <= 12 && +dd >= 1 && +dd <= 31
/** An 18-character ID: province, then a birth date of 18xx–20xx. */
function plausibleId18(s: string): boolean {
  return /^\d{17}[\dX]$/.test(s) && PROVINCES.has(s.slice(0, 2)) && /^(18|19|20)$/.test(s.slice(6, 8)) && plausibleDate(s.slice(10, 12), s.slice(12, 14))
}
/** A 15-digit ID of the first generation: province, then a birth date yymmdd. */
function plausibleId15(s: string): boolean {
  return /^\d{15}$/.test(s) && PROVINCES.has(s.slice(0, 2)) && plausibleDate(s.slice(8, 10), s.slice(10, 12))
}

function isMobileRun(digits: string): boolean {
  if (MOBILE.test(digits) || MOBILE_86.test(digits)) return true
  // Phones typed together: 13958881297 13800001111 written as one run.
  if (digits.length >= 22 && digits.length % 11 === 0) {
    for (let i = 0; i < digits.length; i += 11) if (!MOBILE.test(digits.slice(i, i + 11))) return false
    return true
  }
  return false
}

/** The roster as the check compares it: phones (11 digits) and names (normalised → as written in the roster). */
export interface RosterIndex {
  phones: Set<string>
  names: Map<string, string>
  nameLengths: number[]
}

/** Roster names as normalised before, so a check over 10,000 names does not normalise them again each time. */
const nameMemo = new Map<string, string>()
function normalizedName(raw: string): string {
  let n = nameMemo.get(raw)
  if (n === undefined) {
    n = normalizeName(raw)
    if (nameMemo.size >= 200_000) nameMemo.clear()
    nameMemo.set(raw, n)
  }
  return n
}

function indexOf(rows: Array<{ name: string; phone: string | null }>): RosterIndex {
  const phones = new Set<string>()
  const names = new Map<string, string>()
  for (const r of rows) {
    if (r.phone) phones.add(r.phone)
    const n = normalizedName(r.name)
    if (n.length >= 2 && !names.has(n)) names.set(n, r.name)
  }
  return { phones, names, nameLengths: [...new Set([...names.keys()].map((n) => n.length))].sort((a, b) => b - a) }
}

/** The 小区's roster persons (developers' unsold units are not people), for checking many texts with one load. */
export async function loadRosterIndex(db: DbOrTx, communityId: string): Promise<RosterIndex> {
  return indexOf(await db.selectFrom('persons').select(['name', 'phone']).where('community_id', '=', communityId).where('is_developer', '=', 0).execute())
}

/**
 * A number in the text that is a mobile or an ID number by its shape, and every 11-digit window of
 * the text's digit clusters (what a roster phone would be, however it was cut or glued to others).
 */
function scanNumbers(text: string): { found: PersonalData | null; windows: string[] } {
  const windows = new Set<string>()
  for (const [cluster] of text.matchAll(CLUSTER)) {
    const groups = cluster.toUpperCase().split(/[^\dX]+/).filter(Boolean)
    const digits = groups.join('').replace(/X/g, '')
    if (digits.length < 11) continue
    for (let i = 0; i + 11 <= digits.length; i++) windows.add(digits.slice(i, i + 11))
    for (let s = 0; s < groups.length; s++) {
      let run = ''
      for (let e = s; e < groups.length && run.length < 44; e++) {
        run += groups[e]
        if (isMobileRun(run)) return { found: { kind: 'mobile' }, windows: [] }
        // One unbroken 18-character number is an ID number as it always was; pieces joined up must look like one.
        if (run.length === 18 && (s === e ? /^\d{17}[\dX]$/.test(run) : plausibleId18(run))) return { found: { kind: 'idNumber' }, windows: [] }
        if (run.length === 15 && plausibleId15(run)) return { found: { kind: 'idNumber' }, windows: [] }
      }
    }
  }
  return { found: null, windows: [...windows] }
}

/** A roster name in the text, read without spaces, dots or invisible characters between its characters. */
function findName(text: string, roster: RosterIndex): PersonalData | null {
  if (roster.names.size === 0) return null
  const view = nameView(text)
  for (let i = 0; i < view.length; i++) {
    for (const len of roster.nameLengths) {
      if (i + len > view.length) continue
      const name = roster.names.get(view.slice(i, i + len))
      if (name) return { kind: 'name', name }
    }
  }
  return null
}

/** The first personal datum in these texts, with the roster already loaded (for checking many texts at once). */
export function findPersonalDataIn(roster: RosterIndex, texts: readonly string[]): PersonalData | null {
  const text = readable(texts.join('\n'))
  const numbers = scanNumbers(text)
  if (numbers.found) return numbers.found
  if (numbers.windows.some((w) => roster.phones.has(w))) return { kind: 'mobile' }
  return findName(text, roster)
}

/** Whether any of these 11-digit strings is the phone of a roster person of the 小区. */
async function isRosterPhone(db: DbOrTx, communityId: string, windows: string[]): Promise<boolean> {
  for (let i = 0; i < windows.length; i += 500) {
    const hit = await db
      .selectFrom('persons')
      .select('id')
      .where('community_id', '=', communityId)
      .where('is_developer', '=', 0)
      .where('phone', 'in', windows.slice(i, i + 500))
      .limit(1)
      .executeTakeFirst()
    if (hit) return true
  }
  return false
}

/** The roster's names only (what a check of a text with no long digit run needs). */
async function loadRosterNames(db: DbOrTx, communityId: string): Promise<RosterIndex> {
  const rows = await db.selectFrom('persons').select('name').distinct().where('community_id', '=', communityId).where('is_developer', '=', 0).execute()
  return indexOf(rows.map((r) => ({ name: r.name, phone: null })))
}

/**
 * The first personal datum in these texts, or null: a mobile number, an ID number, or a name of
 * two or more characters on the 小区's roster. Roster phones are looked up only for the digit
 * windows the text has; the names are read once per check.
 */
export async function findPersonalData(ctx: Pick<Ctx, 'db'>, communityId: string, texts: readonly string[]): Promise<PersonalData | null> {
  const text = readable(texts.join('\n'))
  const numbers = scanNumbers(text)
  if (numbers.found) return numbers.found
  if (numbers.windows.length > 0 && (await isRosterPhone(ctx.db, communityId, numbers.windows))) return { kind: 'mobile' }
  return findName(text, await loadRosterNames(ctx.db, communityId))
}

/** Refuses (BadInput, in the wording given) texts that hold personal data. */
export async function assertNoPersonalData(ctx: Pick<Ctx, 'db'>, communityId: string, texts: readonly string[], wording: PersonalDataWording): Promise<void> {
  if (texts.every((t) => t === '')) return
  const found = await findPersonalData(ctx, communityId, texts)
  if (!found) return
  const message = found.kind === 'mobile' ? wording.mobile : found.kind === 'idNumber' ? wording.idNumber : wording.name(found.name)
  throw new AppError('BadInput', message)
}
