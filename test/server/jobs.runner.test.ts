import { JOBS } from '../../server/jobs/registry'
import { runDueJobs, startJobRunner } from '../../server/jobs/runner'
import type { Job } from '../../server/jobs/job'
import { DIALECTS, useTestDb } from '../helpers/db'
import { secondConnection } from '../helpers/second-connection'

const T0 = new Date('2026-11-26T02:00:00.000Z')
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000)

/** A job that counts its runs and the instants it saw; hold() makes its next run wait until released. */
function countingJob(name: string, everySeconds: number) {
  const seen: string[] = []
  let gate: Promise<void> | null = null
  const job: Job = {
    name,
    schedule: { everySeconds },
    leaseSeconds: 60,
    run: async (ctx) => {
      seen.push(ctx.now().toISOString())
      const runs = seen.length
      const g = gate
      gate = null
      if (g) await g
      return { runs }
    },
  }
  const started = async (n: number) => {
    const deadline = Date.now() + 5000
    while (seen.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5))
  }
  return {
    job,
    seen,
    started,
    hold: () => {
      let release!: () => void
      gate = new Promise((r) => (release = r))
      return () => release()
    },
  }
}

test('the registry names each job once, with a positive schedule, and holds the vote clock, housekeeping and the outbox drain', () => {
  const names = JOBS.map((j) => j.name)
  expect(new Set(names).size).toBe(names.length)
  expect(names).toEqual(expect.arrayContaining(['voteClock', 'housekeeping', 'outboxDrain']))
  for (const j of JOBS) expect(j.schedule.everySeconds).toBeGreaterThan(0)
})

describe.each(DIALECTS)('job runner (%s)', (dialect) => {
  const { env, deps } = useTestDb(dialect)

  test('a job runs when due, not before its next due time, and again after it', async () => {
    const c = countingJob('count-a', 60)
    expect(await runDueJobs(deps, T0, { jobs: [c.job] })).toEqual([{ name: 'count-a', ok: true, result: { runs: 1 } }])
    expect(await runDueJobs(deps, at(59), { jobs: [c.job] })).toEqual([])
    expect(await runDueJobs(deps, at(60), { jobs: [c.job] })).toEqual([{ name: 'count-a', ok: true, result: { runs: 2 } }])
    // The job saw the runner's instant as its clock.
    expect(c.seen).toEqual([T0.toISOString(), at(60).toISOString()])
    const row = await env.db.selectFrom('job_runs').selectAll().where('name', '=', 'count-a').executeTakeFirstOrThrow()
    expect(row).toMatchObject({ next_due_at: at(120).toISOString(), lease_owner: null, lease_expires_at: null, last_error: null })
  })

  test('the schedule survives a restart: a new runner over the same database waits for the due time', async () => {
    const c = countingJob('count-restart', 60)
    const first = startJobRunner({ ...deps, now: () => T0 }, { jobs: [c.job], intervalMs: 10 })
    await new Promise((r) => setTimeout(r, 100))
    await first()
    expect(c.seen).toEqual([T0.toISOString()])
    // "Restart": another process (another connection pool), knowing nothing in memory.
    const other = await secondConnection(env.db, dialect)
    try {
      const again = { ...deps, db: other.db }
      expect(await runDueJobs(again, at(30), { jobs: [c.job] })).toEqual([])
      expect(await runDueJobs(again, at(60), { jobs: [c.job] })).toMatchObject([{ name: 'count-restart', ok: true }])
      expect(c.seen).toEqual([T0.toISOString(), at(60).toISOString()])
    } finally {
      await other.close()
    }
  })

  test('a failing job is recorded and retried at its next due time; the other jobs still run', async () => {
    let fail = true
    const flaky: Job = { name: 'flaky', schedule: { everySeconds: 30 }, run: async () => { if (fail) throw new Error('上游暂时不可用') } }
    const c = countingJob('count-beside-flaky', 30)
    expect(await runDueJobs(deps, T0, { jobs: [flaky, c.job] })).toEqual([
      { name: 'flaky', ok: false, error: '上游暂时不可用' },
      { name: 'count-beside-flaky', ok: true, result: { runs: 1 } },
    ])
    expect(await env.db.selectFrom('job_runs').select(['last_error', 'next_due_at', 'lease_owner']).where('name', '=', 'flaky').executeTakeFirstOrThrow())
      .toEqual({ last_error: '上游暂时不可用', next_due_at: at(30).toISOString(), lease_owner: null })
    fail = false
    expect(await runDueJobs(deps, at(10), { jobs: [flaky] })).toEqual([])
    expect(await runDueJobs(deps, at(30), { jobs: [flaky] })).toEqual([{ name: 'flaky', ok: true, result: undefined }])
    expect((await env.db.selectFrom('job_runs').select('last_error').where('name', '=', 'flaky').executeTakeFirstOrThrow()).last_error).toBeNull()
  })

  test('two runners on one database at once: the job runs once', async () => {
    const c = countingJob('count-race', 60)
    const release = c.hold()
    const other = await secondConnection(env.db, dialect)
    try {
      const a = runDueJobs(deps, T0, { jobs: [c.job], owner: 'runner-a' })
      const b = runDueJobs({ ...deps, db: other.db }, T0, { jobs: [c.job], owner: 'runner-b' })
      // Whichever claimed it is held inside run(); give the other every chance to run it too.
      await c.started(1)
      await new Promise((r) => setTimeout(r, 100))
      release()
      const [ra, rb] = await Promise.all([a, b])
      expect([...ra, ...rb]).toEqual([{ name: 'count-race', ok: true, result: { runs: 1 } }])
      expect(c.seen).toHaveLength(1)
    } finally {
      await other.close()
    }
  })

  test('a runner that died holding a job loses it when the lease runs out, and cannot undo its successor', async () => {
    const c = countingJob('count-crash', 600)
    const release = c.hold()
    // Runner A takes the job and hangs in it (as if its process had died).
    const a = runDueJobs(deps, T0, { jobs: [c.job], owner: 'runner-dead' })
    await c.started(1)
    expect(await env.db.selectFrom('job_runs').select(['lease_owner', 'lease_expires_at']).where('name', '=', 'count-crash').executeTakeFirstOrThrow())
      .toEqual({ lease_owner: 'runner-dead', lease_expires_at: at(60).toISOString() })
    // While the lease (60 s) holds nobody else runs it; after it, runner B does.
    expect(await runDueJobs(deps, at(59), { jobs: [c.job], owner: 'runner-b' })).toEqual([])
    expect(await runDueJobs(deps, at(61), { jobs: [c.job], owner: 'runner-b' })).toEqual([{ name: 'count-crash', ok: true, result: { runs: 2 } }])
    // A comes back late: its release does not touch the schedule B set.
    release()
    await a
    expect(await env.db.selectFrom('job_runs').select(['next_due_at', 'lease_owner']).where('name', '=', 'count-crash').executeTakeFirstOrThrow())
      .toEqual({ next_due_at: at(661).toISOString(), lease_owner: null })
  })
})
