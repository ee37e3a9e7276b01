import { REPORT_AUTO_CONFIRM_DAYS } from '../../src/contracts/reports'
import { addDays, DAY_MS } from '../../src/contracts/time'
import { withTx, type Ctx } from '../context'
import { AppError } from '../errors'
import { applyReportEvent } from './report.lifecycle'
import { purgeUnattachedReportPhotos } from './report.photos'
import { appendEvent, updateReportFrom } from './report.repository'

/**
 * The report jobs (server/jobs/registry.ts): marking reports overdue the moment their response
 * target passes (due_at <= now, so a report due at 10:30:00.000 is overdue at that instant), and
 * confirming, without a rating, reports resolved 7 days ago that nobody confirmed. Each does what
 * is due and is safe to repeat; a report changed meanwhile by a person is left for the next run.
 */
const BATCH = 500

export async function markOverdueReports(ctx: Ctx): Promise<{ marked: number }> {
  const now = ctx.now().toISOString()
  const due = await ctx.db.selectFrom('reports').selectAll()
    .where('responded_at', 'is', null).where('due_at', '<=', now).where('overdue_rank', '=', 0)
    .where('status', 'in', ['submitted', 'reopened', 'escalated'])
    .orderBy('due_at').limit(BATCH).execute()
  let marked = 0
  for (const row of due) {
    try {
      await withTx(ctx, async (tx) => {
        await updateReportFrom(tx.db, row, { overdue_rank: 1, overdue_at: row.overdue_at ?? now })
        await appendEvent(tx.db, row, { event: 'overdue', from: row.status, to: row.status, actorUserId: null, actorKind: 'system', at: now })
      })
      marked++
    } catch (err) {
      if (!(err instanceof AppError)) throw err
    }
  }
  return { marked }
}

export async function autoConfirmReports(ctx: Ctx): Promise<{ confirmed: number }> {
  const now = ctx.now()
  const before = addDays(now, -REPORT_AUTO_CONFIRM_DAYS).toISOString()
  const rows = await ctx.db.selectFrom('reports').selectAll().where('status', '=', 'resolved').where('resolved_at', '<=', before).orderBy('resolved_at').limit(BATCH).execute()
  let confirmed = 0
  for (const row of rows) {
    try {
      await withTx(ctx, async (tx) => {
        const to = applyReportEvent(row.status, 'auto_confirm')
        await updateReportFrom(tx.db, row, { status: to, confirmed_at: now.toISOString(), auto_confirmed: 1, updated_at: now.toISOString() })
        await appendEvent(tx.db, row, { event: 'auto_confirm', from: row.status, to, actorUserId: null, actorKind: 'system', at: now.toISOString() })
      })
      confirmed++
    } catch (err) {
      if (!(err instanceof AppError)) throw err
    }
  }
  return { confirmed }
}

/** Photos uploaded for a report that was never submitted, after a day. */
export async function purgeReportUploads(ctx: Ctx): Promise<{ purged: number }> {
  return { purged: await purgeUnattachedReportPhotos(ctx, new Date(ctx.now().getTime() - DAY_MS)) }
}
