import type { Ctx } from '../context'
import type { OutboxDeliverer } from '../outbox/outbox.drain'

/** When a job is due: every so many seconds after its last run started. */
export interface Schedule {
  everySeconds: number
}

/** What a job runs with: a system ctx (no actor) whose clock is the runner's instant, and the outbox deliverer. */
export interface JobCtx extends Ctx {
  deliverer: OutboxDeliverer
}

/**
 * Background work the system does on its own. `run` must be safe to repeat (it does what is due,
 * then answers a small summary for the log); the runner makes sure it never runs twice at once.
 */
export interface Job {
  name: string
  schedule: Schedule
  /** How long a runner may hold the job before another may take it over (a crashed runner); default 5 min. */
  leaseSeconds?: number
  run(ctx: JobCtx): Promise<object | void>
}

/** The instant a job is next due after a run that started at `from`. */
export function nextDue(schedule: Schedule, from: Date): Date {
  return new Date(from.getTime() + schedule.everySeconds * 1000)
}
