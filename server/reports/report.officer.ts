import { sql } from 'kysely'
import type { ReportPage } from '../../src/contracts/reports'
import { requireActor, type Ctx } from '../context'
import { afterKeyset } from '../db/keyset'
import { placeOfInput } from '../communities/jurisdiction.service'
import type { Place } from '../communities/jurisdiction.repository'
import type { DbOrTx } from '../db/database'
import { applyFilter, decodeInboxCursor, INBOX_KEY, summaries, type InboxFilter } from './report.queries'
import type { SummaryRow } from './report.view'

/**
 * The officers' feedback inbox: every report of every 小区 under one of their posts (an office, a
 * street, the district), overdue first, then newest, keyset-paged in SQL. The place is resolved to
 * its 小区 in SQL, and each 小区 contributes at most one page taken from reports_inbox_idx
 * (community_id, overdue_rank, created_at, id) — a LATERAL join on PostgreSQL, a correlated
 * `id IN (… LIMIT n)` on SQLite — so a district of 300 小区 and 100,000 reports reads a few
 * thousand index entries for a page, never the district's reports.
 */
function communitiesUnder(db: DbOrTx, place: Place) {
  const q = db.selectFrom('communities as c').innerJoin('offices as o', 'o.id', 'c.office_id')
  const scoped = place.level === 'office'
    ? q.where('c.office_id', '=', place.id)
    : place.level === 'street'
      ? q.where('o.street_id', '=', place.id)
      : q.innerJoin('streets as s', 's.id', 'o.street_id').where('s.district_id', '=', place.id)
  return scoped.select(['c.id', 'c.name'])
}

export async function officerInbox(
  ctx: Ctx,
  input: InboxFilter & { officeId?: string; streetId?: string; districtId?: string; cursor?: string; limit: number },
): Promise<ReportPage> {
  requireActor(ctx)
  const place = placeOfInput(input)
  const after = decodeInboxCursor(input.cursor)
  const n = input.limit + 1
  // The first page of one 小区 (the outer query's `pc`), over alias r.
  const perCommunity = (cols: 'all' | 'id') => {
    const filtered = applyFilter(ctx.db.selectFrom('reports as r').where(sql<boolean>`r.community_id = pc.id`), input)
    const keyed = after ? filtered.where(afterKeyset(INBOX_KEY, 'desc', after)) : filtered
    const ordered = keyed.orderBy('r.overdue_rank', 'desc').orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').limit(n)
    return cols === 'all' ? ordered.selectAll('r') : ordered.select('r.id')
  }
  const places = communitiesUnder(ctx.db, place)
  const order = sql`order by rr.overdue_rank desc, rr.created_at desc, rr.id desc limit ${n}`
  const query = ctx.dialect === 'postgres'
    ? sql<SummaryRow>`select rr.*, pc.name as community_name from (${places}) pc cross join lateral (${perCommunity('all')}) rr ${order}`
    : sql<SummaryRow>`select rr.*, pc.name as community_name from (${places}) pc join reports rr on rr.id in (${perCommunity('id')}) ${order}`
  const rows = (await query.execute(ctx.db)).rows.map((r) => ({ ...r, overdue_rank: Number(r.overdue_rank), anonymous: Number(r.anonymous), reopen_count: Number(r.reopen_count) }))
  return summaries(ctx, rows, input.limit)
}
