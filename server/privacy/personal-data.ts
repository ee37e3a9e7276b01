/**
 * Personal data never appears in what a 小区 posts (PIPL art. 25; domain.md on 欠费公示): no
 * mobile number, no ID number, no name from the 小区's roster — in a notice's title and body, in
 * the names of its files, and (next) in arrears postings. One check for every feature that posts.
 */
import type { Ctx } from '../context'
import type { DbOrTx } from '../db/database'
import { AppError } from '../errors'

// Mobile numbers written plainly or as 139-1234-5678 / 139 1234 5678, and 18-digit ID numbers.
const MOBILE = /(?<!\d)1[3-9]\d(?:[\s-]?\d){8}(?!\d)/
const ID_NUMBER = /(?<![\dXx])\d{17}[\dXx](?![\dXx])/

/** What was found: the kind, and for a roster name the name itself (the person posting typed it). */
export type PersonalData = { kind: 'mobile' } | { kind: 'idNumber' } | { kind: 'name'; name: string }

/** What people read when their text is refused, by what was found. */
export interface PersonalDataWording {
  mobile: string
  idNumber: string
  name: (name: string) => string
}

/** Names on the 小区's roster (developers' unsold units are not people). */
async function rosterNames(db: DbOrTx, communityId: string): Promise<string[]> {
  const rows = await db.selectFrom('persons').select('name').distinct().where('community_id', '=', communityId).where('is_developer', '=', 0).execute()
  return rows.map((r) => r.name)
}

/**
 * The first personal datum in these texts, or null: a mobile number, an ID number, or a name of
 * two or more characters on the 小区's roster.
 */
export async function findPersonalData(ctx: Pick<Ctx, 'db'>, communityId: string, texts: readonly string[]): Promise<PersonalData | null> {
  const text = texts.join('\n')
  if (MOBILE.test(text)) return { kind: 'mobile' }
  if (ID_NUMBER.test(text)) return { kind: 'idNumber' }
  const name = (await rosterNames(ctx.db, communityId)).find((n) => n.length >= 2 && text.includes(n))
  return name ? { kind: 'name', name } : null
}

/** Refuses (BadInput, in the wording given) texts that hold personal data. */
export async function assertNoPersonalData(ctx: Pick<Ctx, 'db'>, communityId: string, texts: readonly string[], wording: PersonalDataWording): Promise<void> {
  if (texts.every((t) => t === '')) return
  const found = await findPersonalData(ctx, communityId, texts)
  if (!found) return
  const message = found.kind === 'mobile' ? wording.mobile : found.kind === 'idNumber' ? wording.idNumber : wording.name(found.name)
  throw new AppError('BadInput', message)
}
