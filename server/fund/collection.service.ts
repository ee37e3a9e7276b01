import { newWorkbook } from '../xlsx'
import { OLD_COMMUNITY_BUILT_BEFORE } from '../../src/contracts/communities'
import type { FundCollectionPage, FundCollectionRow } from '../../src/contracts/fund'
import { fenDigits } from '../../src/contracts/money'
import { beijingDate } from '../../src/contracts/time'
import type { ExportFile } from '../../src/contracts/votes'
import { placeOfInput } from '../communities/jurisdiction.service'
import type { Place } from '../communities/jurisdiction.repository'
import type { Ctx } from '../context'
import type { DbOrTx } from '../db/database'
import { afterKeyset, decodeCursor, isText, keysetPage } from '../db/keyset'
import { accountsOf } from './account'
import { sumsByKind } from './fund.repository'

/**
 * The community and street officers' view for the district's reporting: each old community under
 * their post with what its owners must contribute, what they deposited and what the district
 * matched. Filtered by the post in SQL and keyset-paged by (name, id); exportable to .xlsx.
 */
function oldCommunitiesUnder(db: DbOrTx, place: Place) {
  let q = db.selectFrom('communities as c').innerJoin('offices as o', 'o.id', 'c.office_id').where('c.built_on', '<', OLD_COMMUNITY_BUILT_BEFORE)
  if (place.level === 'office') q = q.where('c.office_id', '=', place.id)
  else if (place.level === 'street') q = q.where('o.street_id', '=', place.id)
  else q = q.innerJoin('streets as s', 's.id', 'o.street_id').where('s.district_id', '=', place.id)
  return q.select(['c.id', 'c.name', 'o.name as office_name'])
}

async function rowOf(db: DbOrTx, c: { id: string; name: string; office_name: string }): Promise<FundCollectionRow> {
  const sums = await sumsByKind(db, c.id)
  const required = (await accountsOf(db, c.id)).reduce((s, a) => s + a.requiredFen, 0)
  return { communityId: c.id, name: c.name, officeName: c.office_name, requiredFen: required, depositedFen: sums.deposit, matchedFen: sums.match }
}

export async function fundCollection(ctx: Ctx, input: { officeId?: string; streetId?: string; districtId?: string; cursor?: string; limit: number }): Promise<FundCollectionPage> {
  const place = placeOfInput(input)
  const after = decodeCursor(input.cursor, [isText, isText] as const)
  let q = oldCommunitiesUnder(ctx.db, place)
  if (after) q = q.where(afterKeyset(['c.name', 'c.id'], 'asc', after))
  const rows = await q.orderBy('c.name').orderBy('c.id').limit(input.limit + 1).execute()
  const { page, nextCursor } = keysetPage(rows, input.limit, (r) => [r.name, r.id])
  const items: FundCollectionRow[] = []
  for (const c of page) items.push(await rowOf(ctx.db, c))
  return { items, nextCursor }
}

export async function exportFundCollection(ctx: Ctx, input: { officeId?: string; streetId?: string; districtId?: string }): Promise<ExportFile> {
  const all: FundCollectionRow[] = []
  let cursor: string | undefined
  do {
    const page = await fundCollection(ctx, { ...input, cursor, limit: 100 })
    all.push(...page.items)
    cursor = page.nextCursor ?? undefined
  } while (cursor)
  const wb = await newWorkbook()
  const ws = wb.addWorksheet('老旧小区维修资金归集')
  ws.addRow(['小区', '社区', '应交（元）', '已交存（元）', '区财政配套（元）', '未交（元）'])
  for (const r of all) ws.addRow([r.name, r.officeName, fenDigits(r.requiredFen), fenDigits(r.depositedFen), fenDigits(r.matchedFen), fenDigits(Math.max(0, r.requiredFen - r.depositedFen))])
  const sum = (k: 'requiredFen' | 'depositedFen' | 'matchedFen') => all.reduce((s, r) => s + r[k], 0)
  ws.addRow(['合计', '', fenDigits(sum('requiredFen')), fenDigits(sum('depositedFen')), fenDigits(sum('matchedFen')), fenDigits(Math.max(0, sum('requiredFen') - sum('depositedFen')))])
  const buf = Buffer.from(await wb.xlsx.writeBuffer())
  return { fileName: `老旧小区维修资金归集情况-${beijingDate(ctx.now())}.xlsx`, mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', base64: buf.toString('base64') }
}
