/** Row shape of the job bookkeeping table (migration 005_jobs_outbox), snake_case as stored. */

/**
 * One row per registered job: when it is next due and who holds it now. A runner claims a due job
 * by setting the lease with one conditional UPDATE (only where no live lease is held), so two
 * processes on one database never run a job at once; the row survives restarts.
 */
export interface JobRunTable {
  name: string
  /** ISO instant from which the job may run again. */
  next_due_at: string
  /** The runner holding the job, while it runs (null when free). */
  lease_owner: string | null
  /** Until when that hold counts: a runner that crashed mid-run loses the job at this instant. */
  lease_expires_at: string | null
  last_started_at: string | null
  last_finished_at: string | null
  /** The last run's error message, null after a run that succeeded. */
  last_error: string | null
}

/** Merged into the app's Database interface (server/db/database.ts). */
export interface JobTables {
  job_runs: JobRunTable
}
