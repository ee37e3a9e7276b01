import { randomUUID } from 'node:crypto'
import os from 'node:os'
import { systemCtx, type AppDeps } from '../context'
import { loggerDeliverer, type OutboxDeliverer } from '../outbox/outbox.drain'
import { nextDue, type Job, type JobCtx } from './job'
import { JOBS } from './registry'

/** The process deps, and optionally the outbox deliverer (default: the log). */
export interface JobDeps extends AppDeps {
  deliverer?: OutboxDeliverer
}

export interface RunOptions {
  /** The jobs to consider; default the registry. */
  jobs?: readonly Job[]
  /** Who holds the leases taken; default a fresh id per call. A runner passes its own. */
  owner?: string
}

/** What one call did with a job it ran (jobs not due, or held by another runner, are not listed). */
export type JobOutcome = { name: string; ok: true; result: object | void } | { name: string; ok: false; error: string }

const DEFAULT_LEASE_S = 300

/** An id naming this runner in the lease column: host, process, and a random part. */
export function runnerId(): string {
  return `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`
}

/**
 * Runs, one after another, the jobs that are due at `now` and that no other runner holds. The
 * schedule lives in `job_runs`, so a restarted process carries on where the last one stopped.
 * A job is taken with one conditional UPDATE that sets the lease only where it is free or expired:
 * with several processes on one database (PostgreSQL, also behind PgBouncer's transaction pooling,
 * since nothing is held across statements) exactly one of them gets it. A failing job is logged,
 * recorded in last_error and tried again at its next due time; the others still run.
 */
export async function runDueJobs(deps: JobDeps, now: Date, opts: RunOptions = {}): Promise<JobOutcome[]> {
  const jobs = opts.jobs ?? JOBS
  const owner = opts.owner ?? runnerId()
  const nowIso = now.toISOString()
  const rows = new Map((await deps.db.selectFrom('job_runs').selectAll().execute()).map((r) => [r.name, r]))
  const ctx: JobCtx = { ...systemCtx(deps), now: () => now, deliverer: deps.deliverer ?? loggerDeliverer(deps.log) }
  const outcomes: JobOutcome[] = []
  for (const job of jobs) {
    const row = rows.get(job.name)
    if (!row) {
      // First sight of this job on this database: due now.
      await deps.db.insertInto('job_runs').values({ name: job.name, next_due_at: nowIso, lease_owner: null, lease_expires_at: null, last_started_at: null, last_finished_at: null, last_error: null })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute()
    } else if (row.next_due_at > nowIso || (row.lease_expires_at !== null && row.lease_expires_at > nowIso)) {
      continue
    }
    const leaseUntil = new Date(now.getTime() + (job.leaseSeconds ?? DEFAULT_LEASE_S) * 1000).toISOString()
    const claim = await deps.db
      .updateTable('job_runs')
      .set({ lease_owner: owner, lease_expires_at: leaseUntil, last_started_at: nowIso })
      .where('name', '=', job.name)
      .where('next_due_at', '<=', nowIso)
      .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', nowIso)]))
      .executeTakeFirst()
    if (Number(claim.numUpdatedRows) !== 1) continue
    let outcome: JobOutcome
    try {
      outcome = { name: job.name, ok: true, result: await job.run(ctx) }
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err)
      deps.log.error({ err, job: job.name }, 'job failed')
      outcome = { name: job.name, ok: false, error }
    }
    outcomes.push(outcome)
    // Released only if still ours: a runner that outlived its lease does not undo its successor's.
    await deps.db
      .updateTable('job_runs')
      .set({
        next_due_at: nextDue(job.schedule, now).toISOString(),
        lease_owner: null,
        lease_expires_at: null,
        last_finished_at: deps.now().toISOString(),
        last_error: outcome.ok ? null : outcome.error.slice(0, 500),
      })
      .where('name', '=', job.name)
      .where('lease_owner', '=', owner)
      .execute()
  }
  return outcomes
}

export interface RunnerOptions extends RunOptions {
  /** How often the runner looks for due jobs; default 5 s. */
  intervalMs?: number
}

/**
 * The server's runner: looks for due jobs now and then every few seconds (never two passes at
 * once in this process), on an unref'd timer so it does not keep the process alive. Answers a
 * stop function that resolves once a pass in progress has finished.
 */
export function startJobRunner(deps: JobDeps, opts: RunnerOptions = {}): () => Promise<void> {
  const owner = opts.owner ?? runnerId()
  let current: Promise<void> | null = null
  let stopped = false
  const pass = () => {
    if (current || stopped) return
    current = runDueJobs(deps, deps.now(), { jobs: opts.jobs, owner })
      .then(() => undefined, (err) => deps.log.error({ err }, 'job runner failed'))
      .finally(() => {
        current = null
      })
  }
  const timer = setInterval(pass, opts.intervalMs ?? 5000)
  timer.unref?.()
  pass()
  return async () => {
    stopped = true
    clearInterval(timer)
    await current
  }
}
