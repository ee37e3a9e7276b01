import { systemCtx, withTx } from '../../server/context'
import { enqueueOutbox } from '../../server/outbox/outbox'
import { OUTBOX_MAX_ATTEMPTS, drainOutbox, retryDelayMs, type OutboxDeliverer, type OutboxMessage } from '../../server/outbox/outbox.drain'
import { runDueJobs } from '../../server/jobs/runner'
import { DIALECTS, useTestDb } from '../helpers/db'
import { secondConnection } from '../helpers/second-connection'
import { makeWorld } from '../helpers/world'

const T0 = new Date('2026-11-26T02:00:00.000Z')
const at = (ms: number) => new Date(T0.getTime() + ms)

/** Records what it delivered; fails while `failures` is above zero. */
function recordingDeliverer(failures = 0) {
  const delivered: OutboxMessage[] = []
  const tries: string[] = []
  const deliverer: OutboxDeliverer = {
    deliver: async (m) => {
      tries.push(m.id)
      // Yield, so concurrent drains interleave between claim and delivery.
      await new Promise((r) => setImmediate(r))
      if (failures > 0) {
        failures--
        throw new Error('微信接口超时')
      }
      delivered.push(m)
    },
  }
  return { deliverer, delivered, tries }
}

test('the backoff doubles from 30 s and stops growing at 6 hours', () => {
  expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000])
  expect(retryDelayMs(30)).toBe(6 * 3600_000)
})

describe.each(DIALECTS)('outbox (%s)', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let communityId: string
  beforeAll(async () => {
    communityId = (await makeWorld(env.db)).a
  })
  beforeEach(async () => {
    deps.setNow(T0)
    await env.db.deleteFrom('outbox').execute()
  })
  const ctx = () => systemCtx(deps)
  const event = (n: number) => ({ communityId, topic: 'notice.outagePublished' as const, payload: { noticeId: `n-${n}`, title: `停水通知 ${n}`, publishAt: T0.toISOString() } })

  test('a transaction that throws leaves no outbox row; one that commits leaves exactly its row', async () => {
    await expect(
      withTx(ctx(), async (tx) => {
        await enqueueOutbox(tx, event(1))
        throw new Error('后续步骤失败')
      }),
    ).rejects.toThrow('后续步骤失败')
    expect(await env.db.selectFrom('outbox').select('id').execute()).toEqual([])
    const { id } = await withTx(ctx(), (tx) => enqueueOutbox(tx, event(2)))
    expect(await env.db.selectFrom('outbox').selectAll().execute()).toEqual([
      expect.objectContaining({ id, community_id: communityId, topic: 'notice.outagePublished', attempts: 0, next_attempt_at: T0.toISOString(), delivered_at: null }),
    ])
  })

  test('a row waits for its notBefore instant', async () => {
    await enqueueOutbox(ctx(), { ...event(3), notBefore: at(3600_000) })
    const r = recordingDeliverer()
    expect(await drainOutbox(ctx(), r.deliverer)).toEqual({ delivered: 0, retried: 0, gaveUp: 0 })
    deps.setNow(at(3600_000))
    expect(await drainOutbox(ctx(), r.deliverer)).toEqual({ delivered: 1, retried: 0, gaveUp: 0 })
    expect(r.delivered.map((m) => m.payload)).toEqual([event(3).payload])
  })

  test('a failed delivery is retried with exponential backoff, then delivered once', async () => {
    const { id } = await enqueueOutbox(ctx(), event(4))
    const r = recordingDeliverer(2)
    const row = () => env.db.selectFrom('outbox').select(['attempts', 'next_attempt_at', 'delivered_at', 'last_error']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(await drainOutbox(ctx(), r.deliverer)).toMatchObject({ retried: 1 })
    expect(await row()).toEqual({ attempts: 1, next_attempt_at: at(30_000).toISOString(), delivered_at: null, last_error: '微信接口超时' })
    deps.setNow(at(29_999))
    expect(await drainOutbox(ctx(), r.deliverer)).toEqual({ delivered: 0, retried: 0, gaveUp: 0 })
    deps.setNow(at(30_000))
    expect(await drainOutbox(ctx(), r.deliverer)).toMatchObject({ retried: 1 })
    // The second wait is twice the first.
    expect(await row()).toMatchObject({ attempts: 2, next_attempt_at: at(90_000).toISOString() })
    deps.setNow(at(90_000))
    expect(await drainOutbox(ctx(), r.deliverer)).toEqual({ delivered: 1, retried: 0, gaveUp: 0 })
    expect(await row()).toEqual({ attempts: 3, next_attempt_at: expect.any(String), delivered_at: at(90_000).toISOString(), last_error: null })
    expect(r.delivered).toEqual([expect.objectContaining({ id, attempt: 3, topic: 'notice.outagePublished', communityId })])
    // Delivered rows are never picked again.
    deps.setNow(at(86_400_000))
    expect(await drainOutbox(ctx(), r.deliverer)).toEqual({ delivered: 0, retried: 0, gaveUp: 0 })
    expect(r.tries).toEqual([id, id, id])
  })

  test(`after ${OUTBOX_MAX_ATTEMPTS} failed attempts a row is given up and keeps its last error`, async () => {
    const { id } = await enqueueOutbox(ctx(), event(5))
    const r = recordingDeliverer(1000)
    let report
    for (let i = 0; i < OUTBOX_MAX_ATTEMPTS; i++) {
      report = await drainOutbox(ctx(), r.deliverer)
      deps.setNow(at(30 * 86_400_000 * (i + 1)))
    }
    expect(report).toEqual({ delivered: 0, retried: 0, gaveUp: 1 })
    expect(await env.db.selectFrom('outbox').select(['attempts', 'next_attempt_at', 'last_error']).where('id', '=', id).executeTakeFirstOrThrow())
      .toEqual({ attempts: OUTBOX_MAX_ATTEMPTS, next_attempt_at: null, last_error: '微信接口超时' })
    expect(await drainOutbox(ctx(), r.deliverer)).toEqual({ delivered: 0, retried: 0, gaveUp: 0 })
  })

  test('two drains at once, on two connections, deliver every row exactly once', async () => {
    const ids: string[] = []
    for (let n = 0; n < 40; n++) ids.push((await enqueueOutbox(ctx(), event(100 + n))).id)
    const r = recordingDeliverer()
    const other = await secondConnection(env.db, dialect)
    try {
      const [a, b] = await Promise.all([
        drainOutbox(ctx(), r.deliverer),
        drainOutbox({ ...ctx(), db: other.db }, r.deliverer),
      ])
      expect(a.delivered + b.delivered).toBe(40)
      expect(r.tries.slice().sort()).toEqual(ids.slice().sort())
      expect(r.delivered).toHaveLength(40)
      expect((await env.db.selectFrom('outbox').select('id').where('delivered_at', 'is', null).execute())).toEqual([])
    } finally {
      await other.close()
    }
  })

  test('the outboxDrain job delivers through the deliverer the runner is given', async () => {
    await enqueueOutbox(ctx(), event(200))
    const r = recordingDeliverer()
    const outcomes = await runDueJobs({ ...deps, deliverer: r.deliverer }, deps.now())
    expect(outcomes).toContainEqual({ name: 'outboxDrain', ok: true, result: { delivered: 1, retried: 0, gaveUp: 0 } })
    expect(r.delivered.map((m) => m.payload)).toEqual([event(200).payload])
  })
})
