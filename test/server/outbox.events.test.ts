import { systemCtx, withTx } from '../../server/context'
import { publishSystemNotice } from '../../server/notices/notice.publish'
import { DIALECTS, useTestDb } from '../helpers/db'
import { makeNoticeWorld } from '../helpers/notices-world'
import { call, ok } from '../helpers/world'

/** Which events reach the outbox, written with the change they announce. (The vote events: jobs.votes.test.ts.) */
describe.each(DIALECTS)('outbox events (%s)', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: Awaited<ReturnType<typeof makeNoticeWorld>>
  beforeAll(async () => {
    w = await makeNoticeWorld(env.db)
  })
  const rows = () => env.db.selectFrom('outbox').selectAll().where('community_id', '=', w.a).orderBy('created_at').execute()
  beforeEach(() => env.db.deleteFrom('outbox').execute())

  test('a 停水停电 notice announces itself; other kinds do not', async () => {
    await ok(deps, 'publishNotice', { communityId: w.a, kind: '公告', title: '绿化带修剪', body: '本周六修剪绿化带。' }, w.chair)
    expect(await rows()).toEqual([])
    const { id } = await ok(deps, 'publishNotice', { communityId: w.a, kind: '停水停电', title: '12月3日上午停水', body: '因管道维修，12月3日8:00–12:00停水。' }, w.staff)
    const [row] = await rows()
    expect(row).toMatchObject({ topic: 'notice.outagePublished', next_attempt_at: deps.now().toISOString(), delivered_at: null, attempts: 0 })
    expect(JSON.parse(row.payload)).toEqual({ noticeId: id, title: '12月3日上午停水', publishAt: deps.now().toISOString() })
    expect(await rows()).toHaveLength(1)
  })

  test('a scheduled 停水停电 is not announced before it is published', async () => {
    const publishAt = new Date(deps.now().getTime() + 6 * 3600_000).toISOString()
    await ok(deps, 'publishNotice', { communityId: w.a, kind: '停水停电', title: '明晚停电检修', body: '明晚22:00–24:00停电检修。', publishAt }, w.staff)
    expect((await rows()).map((r) => [r.topic, r.next_attempt_at])).toEqual([['notice.outagePublished', publishAt]])
  })

  test('a refused publication and a transaction that fails after publishing leave no event', async () => {
    // An owner may not publish: refused before anything is written.
    expect(await call(deps, 'publishNotice', { communityId: w.a, kind: '停水停电', title: '停水', body: '停水。' }, w.owner1)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    // Published inside a larger transaction that then fails: neither the notice nor its event remains.
    await expect(
      withTx(systemCtx(deps), async (ctx) => {
        await publishSystemNotice(ctx, { communityId: w.a, kind: '停水停电', title: '回滚的停水通知', body: '不会留下。', publisherRole: 'property_staff', publisherName: '安居物业', publishedBy: null })
        throw new Error('同一事务中的后续步骤失败')
      }),
    ).rejects.toThrow('同一事务中的后续步骤失败')
    expect(await rows()).toEqual([])
    expect(await env.db.selectFrom('notices').select('id').where('title', '=', '回滚的停水通知').execute()).toEqual([])
  })
})
