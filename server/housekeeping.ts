import type { AppDeps } from './context'
import { deleteEndedSessions } from './identity/session.repository'
import { purgeUnattachedFiles } from './notices/notice-files.service'
import { storageFor } from './storage'

/** An upload left unattached this long was abandoned in the compose page; a session ended this long ago is gone. */
const ABANDONED_AFTER_MS = 24 * 3600_000

/**
 * Periodic clean-up that no request does: photos and PDFs uploaded but never attached to a notice,
 * and sessions that ended (their hashes are useless, but the table should not grow forever).
 */
export async function runHousekeeping(deps: Pick<AppDeps, 'db' | 'config' | 'now' | 'log'>): Promise<{ purgedFiles: number; purgedSessions: number }> {
  const before = new Date(deps.now().getTime() - ABANDONED_AFTER_MS)
  const purgedFiles = await purgeUnattachedFiles(deps.db, storageFor(deps.config), before)
  const purgedSessions = await deleteEndedSessions(deps.db, before.toISOString())
  if (purgedFiles || purgedSessions) deps.log.info({ purgedFiles, purgedSessions }, 'housekeeping')
  return { purgedFiles, purgedSessions }
}

/** Runs the housekeeping now and then hourly; a failure is logged and retried next hour. Returns a stop function. */
export function startHousekeeping(deps: Pick<AppDeps, 'db' | 'config' | 'now' | 'log'>, intervalMs = 3600_000): () => void {
  const run = () => runHousekeeping(deps).catch((err) => deps.log.error({ err }, 'housekeeping failed'))
  const timer = setInterval(run, intervalMs)
  timer.unref?.()
  void run()
  return () => clearInterval(timer)
}
