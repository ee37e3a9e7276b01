import { runHousekeeping } from '../../server/housekeeping'
import { runDueJobs } from '../../server/jobs/runner'
import { JOBS } from '../../server/jobs/registry'
import { DIALECTS, useTestDb } from '../helpers/db'
import { makeNoticeWorld } from '../helpers/notices-world'
import { makeUser, ok } from '../helpers/world'
import { closeSession, hashToken, openSession } from '../../server/identity/session.service'
import { tinyPng } from '../helpers/images'

const PNG = tinyPng().toString('base64')

describe.each(DIALECTS)('housekeeping (%s)', (dialect) => {
  const t = useTestDb(dialect)

  test('removes uploads abandoned for more than a day, keeps fresh ones and those on a notice', async () => {
    const { env, deps } = t
    const w = await makeNoticeWorld(env.db)
    const upload = async () => (await ok(deps, 'uploadNoticeFile', { communityId: w.a, purpose: 'image', fileName: 'p.png', dataBase64: PNG }, w.chair)).id as string
    const t0 = deps.now()
    const abandoned = await upload()
    const attached = await upload()
    await ok(deps, 'publishNotice', { communityId: w.a, kind: '公告', title: '绿化带修剪', body: '本周六修剪绿化带。', imageIds: [attached] }, w.chair)
    deps.setNow(new Date(t0.getTime() + 23 * 3600_000))
    const fresh = await upload()

    expect(await runHousekeeping(deps)).toMatchObject({ purgedFiles: 0 })
    deps.setNow(new Date(t0.getTime() + 25 * 3600_000))
    expect(await runHousekeeping(deps)).toMatchObject({ purgedFiles: 1 })
    const left = (await env.db.selectFrom('notice_files').select('id').execute()).map((r) => r.id)
    expect(left).not.toContain(abandoned)
    expect(left).toEqual(expect.arrayContaining([attached, fresh]))
  })

  test('removes sessions that ended more than a day ago, never a live one', async () => {
    const { env, deps } = t
    const user = await makeUser(env.db, 'sessions')
    const t0 = deps.now()
    const live = await openSession(deps, { userId: user, days: 30 })
    const loggedOut = await openSession(deps, { userId: user, days: 30 })
    await closeSession(deps, { token: loggedOut.token })
    const expired = await openSession({ ...deps, now: () => new Date(t0.getTime() - 40 * 86_400_000) }, { userId: user, days: 30 })
    deps.setNow(new Date(t0.getTime() + 25 * 3600_000))
    expect(await runHousekeeping(deps)).toMatchObject({ purgedSessions: 2 })
    const left = (await env.db.selectFrom('sessions').select('token_hash').where('user_id', '=', user).execute()).map((r) => r.token_hash)
    expect(left).toEqual([hashToken(live.token)])
    expect(hashToken(expired.token)).not.toBe(left[0])
  })

  test('runs hourly as a job: once due, then not again within the hour', async () => {
    const { env, deps } = t
    const w = await makeNoticeWorld(env.db)
    const housekeeping = JOBS.filter((j) => j.name === 'housekeeping')
    const t0 = deps.now()
    const abandoned = (await ok(deps, 'uploadNoticeFile', { communityId: w.a, purpose: 'image', fileName: 'p.png', dataBase64: PNG }, w.chair)).id as string
    const at = (h: number) => new Date(t0.getTime() + h * 3600_000)
    expect(await runDueJobs(deps, at(24.5), { jobs: housekeeping })).toEqual([{ name: 'housekeeping', ok: true, result: expect.objectContaining({ purgedFiles: expect.any(Number) }) }])
    expect((await env.db.selectFrom('notice_files').select('id').execute()).map((r) => r.id)).not.toContain(abandoned)
    expect(await runDueJobs(deps, at(25.4), { jobs: housekeeping })).toEqual([])
    expect(await runDueJobs(deps, at(25.5), { jobs: housekeeping })).toEqual([{ name: 'housekeeping', ok: true, result: { purgedFiles: 0, purgedSessions: 0 } }])
  })
})
