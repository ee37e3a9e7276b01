import type { ReportPage } from '../../src/contracts/reports'
import { requireActor, type Ctx } from '../context'
import { afterKeyset } from '../db/keyset'
import { placeOfInput } from '../communities/jurisdiction.service'
import { applyFilter, decodeInboxCursor, INBOX_KEY, summaries, type InboxFilter } from './report.queries'

/**
 * The officers' feedback inbox: every report of every 小区 under one of their posts (an office, a
 * street, the district), overdue first, then newest, keyset-paged in SQL. A report carries the
 * office, street and district of its 小区 (copied when filed), so the page is one range of
 * reports_<level>_inbox_idx (<level>_id, overdue_rank, created_at, id): a district of 300 小区 and
 * 100,000 reports reads about a page of index entries, never the district's reports.
 */
const COLUMN = { office: 'r.office_id', street: 'r.street_id', district: 'r.district_id' } as const

export async function officerInbox(
  ctx: Ctx,
  input: InboxFilter & { officeId?: string; streetId?: string; districtId?: string; cursor?: string; limit: number },
): Promise<ReportPage> {
  requireActor(ctx)
  const place = placeOfInput(input)
  const after = decodeInboxCursor(input.cursor)
  let q = applyFilter(ctx.db.selectFrom('reports as r').innerJoin('communities as c', 'c.id', 'r.community_id').where(COLUMN[place.level], '=', place.id), input)
  if (after) q = q.where(afterKeyset(INBOX_KEY, 'desc', after))
  const rows = await q.selectAll('r').select('c.name as community_name')
    .orderBy('r.overdue_rank', 'desc').orderBy('r.created_at', 'desc').orderBy('r.id', 'desc')
    .limit(input.limit + 1).execute()
  return summaries(ctx, rows, input.limit)
}
