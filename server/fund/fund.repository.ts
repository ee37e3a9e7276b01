import { sql, type Selectable } from 'kysely'
import { lineAmount } from '../../src/contracts/money'
import { unitLabel } from '../../src/contracts/units'
import { sameCommunity } from '../db/colocation'
import type { DbOrTx } from '../db/database'
import type { FundEntryTable, FundSchemeTable } from './fund.table'

export type EntryRow = Selectable<FundEntryTable>
export type SchemeRow = Selectable<FundSchemeTable>

export interface FundUnit {
  id: string
  buildingId: string
  buildingName: string
  hasElevator: boolean
  label: string
  areaCentiM2: number
}

export async function buildingsOf(db: DbOrTx, communityId: string) {
  const rows = await db.selectFrom('buildings').select(['id', 'name', 'has_elevator']).where('community_id', '=', communityId).orderBy('name').execute()
  return rows.map((b) => ({ id: b.id, name: b.name, hasElevator: Number(b.has_elevator) === 1 }))
}

export async function unitsOf(db: DbOrTx, communityId: string, opts: { buildingIds?: string[]; unitIds?: string[] } = {}): Promise<FundUnit[]> {
  let q = db
    .selectFrom('units as u')
    .innerJoin('buildings as b', (j) => sameCommunity(j, 'b.id', 'u.building_id'))
    .select(['u.id', 'u.building_id', 'b.name as building', 'b.has_elevator', 'u.stair', 'u.room', 'u.area_centi_m2'])
    .where('u.community_id', '=', communityId)
  if (opts.buildingIds) q = q.where('u.building_id', 'in', opts.buildingIds.length ? opts.buildingIds : ['-'])
  if (opts.unitIds) q = q.where('u.id', 'in', opts.unitIds.length ? opts.unitIds : ['-'])
  const rows = await q.orderBy('b.name').orderBy('u.stair').orderBy('u.room').orderBy('u.id').execute()
  return rows.map((u) => ({ id: u.id, buildingId: u.building_id, buildingName: u.building, hasElevator: Number(u.has_elevator) === 1, label: unitLabel(u.building, u.stair, u.room), areaCentiM2: Number(u.area_centi_m2) }))
}

export async function schemesOf(db: DbOrTx, communityId: string): Promise<SchemeRow[]> {
  const rows = await db.selectFrom('fund_schemes').selectAll().where('community_id', '=', communityId).orderBy('created_at').orderBy('id').execute()
  return rows.map((r) => ({ ...r, rate_fen: Number(r.rate_fen) }))
}

/** What a unit must contribute: each call of its building's schemes, rate × area rounded half up to the fen once per call. */
export function requiredOf(unit: FundUnit, schemes: SchemeRow[]): { required: number; first: number } {
  let required = 0
  let first = 0
  for (const s of schemes) {
    if (s.building_id !== unit.buildingId) continue
    const amount = lineAmount(s.rate_fen, unit.areaCentiM2, 1)
    required += amount
    if (s.kind === 'initial') first = amount
  }
  return { required, first }
}

export async function entriesOf(db: DbOrTx, communityId: string, opts: { unitIds?: string[] } = {}): Promise<EntryRow[]> {
  let q = db.selectFrom('fund_entries').selectAll().where('community_id', '=', communityId)
  if (opts.unitIds) q = q.where('unit_id', 'in', opts.unitIds.length ? opts.unitIds : ['-'])
  const rows = await q.orderBy('on_date').orderBy('created_at').orderBy('id').execute()
  // Rows written together (a deposit and its match) share their time: deposit first, then its match.
  const rank = (r: { kind: string; reverses_id: string | null }) => (r.reverses_id ? 10 : 0) + ['deposit', 'match', 'interest', 'expense'].indexOf(r.kind)
  const sorted = rows.map((r, i) => ({ r, i })).sort((a, b) => (a.r.on_date === b.r.on_date && a.r.created_at === b.r.created_at ? rank(a.r) - rank(b.r) || a.i - b.i : a.i - b.i))
  return sorted.map(({ r }) => ({ ...r, amount_fen: Number(r.amount_fen) }))
}

export async function findEntry(db: DbOrTx, communityId: string, id: string): Promise<EntryRow | undefined> {
  const r = await db.selectFrom('fund_entries').selectAll().where('community_id', '=', communityId).where('id', '=', id).executeTakeFirst()
  return r && { ...r, amount_fen: Number(r.amount_fen) }
}

/** Sums by kind over the 小区 (or some units), in SQL. */
export async function sumsByKind(db: DbOrTx, communityId: string, unitIds?: string[]): Promise<Record<EntryRow['kind'], number>> {
  let q = db.selectFrom('fund_entries').select(['kind', sql<number | string>`sum(amount_fen)`.as('total')]).where('community_id', '=', communityId)
  if (unitIds) q = q.where('unit_id', 'in', unitIds.length ? unitIds : ['-'])
  const rows = await q.groupBy('kind').execute()
  const out = { deposit: 0, match: 0, interest: 0, expense: 0 }
  for (const r of rows) out[r.kind] = Number(r.total)
  return out
}

/** The 小区's units each owned by this user (through the roster persons bound to them). */
export async function ownedUnitIds(db: DbOrTx, communityId: string, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('ownerships as o')
    .innerJoin('persons as p', (j) => sameCommunity(j, 'p.id', 'o.person_id'))
    .select('o.unit_id')
    .distinct()
    .where('o.community_id', '=', communityId)
    .where('p.user_id', '=', userId)
    .execute()
  return rows.map((r) => r.unit_id)
}

/** Closed votes of the 小区 with a passed matter of the given item, and the buildings each covered ([] = whole). */
export async function passedDecisions(db: DbOrTx, communityId: string, item: 5 | 6, voteId?: string) {
  let q = db
    .selectFrom('votes as v')
    .innerJoin('vote_matters as m', (j) => sameCommunity(j, 'm.vote_id', 'v.id'))
    .innerJoin('vote_results as r', (j) => sameCommunity(j, 'r.matter_id', 'm.id').onRef('r.vote_id', '=', 'v.id'))
    .select(['v.id', 'v.title', 'v.scope', 'v.closed_at', 'm.title as matter_title', 'm.item'])
    .where('v.community_id', '=', communityId)
    .where('v.status', '=', 'closed')
    .where('m.item', '=', item)
    .where('r.passed', '=', 1)
  if (voteId) q = q.where('v.id', '=', voteId)
  const rows = await q.orderBy('v.closed_at', 'desc').execute()
  const ids = [...new Set(rows.map((r) => r.id))]
  const scope = ids.length ? await db.selectFrom('vote_scope_buildings').select(['vote_id', 'building_id']).where('vote_id', 'in', ids).execute() : []
  return rows.map((r) => ({
    voteId: r.id,
    title: r.title,
    item: Number(r.item) as 5 | 6,
    matterTitle: r.matter_title,
    closedAt: r.closed_at ?? '',
    buildingIds: r.scope === 'whole' ? [] : scope.filter((s) => s.vote_id === r.id).map((s) => s.building_id),
  }))
}

export async function voteTitles(db: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const rows = await db.selectFrom('votes').select(['id', 'title']).where('id', 'in', ids).execute()
  return new Map(rows.map((r) => [r.id, r.title]))
}
