import type { Ctx } from './context'
import { deleteEndedSessions } from './identity/session.repository'
import { purgeUnattachedFiles } from './notices/notice-files.service'

/** An upload left unattached this long was abandoned in the compose page; a session ended this long ago is gone. */
const ABANDONED_AFTER_MS = 24 * 3600_000

/**
 * Periodic clean-up that no request does: photos and PDFs uploaded but never attached to a notice,
 * and sessions that ended (their hashes are useless, but the table should not grow forever).
 * Runs hourly as the `housekeeping` job (server/jobs/registry.ts).
 */
export async function runHousekeeping(ctx: Pick<Ctx, 'db' | 'config' | 'now' | 'log'>): Promise<{ purgedFiles: number; purgedSessions: number }> {
  const before = new Date(ctx.now().getTime() - ABANDONED_AFTER_MS)
  const purgedFiles = await purgeUnattachedFiles(ctx, { before })
  const purgedSessions = await deleteEndedSessions(ctx.db, before.toISOString())
  if (purgedFiles || purgedSessions) ctx.log.info({ purgedFiles, purgedSessions }, 'housekeeping')
  return { purgedFiles, purgedSessions }
}
