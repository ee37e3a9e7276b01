import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createDb, migrateToLatest } from '../../server/db/create-db'
import { JOBS } from '../../server/jobs/registry'
import { grantRole } from '../../server/communities/membership.repository'
import { findOrCreateUser } from '../../server/identity/user.repository'
import { makeWorld } from '../helpers/world'

const root = path.resolve(__dirname, '../..')
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-cloud-'))
const sqliteFile = path.join(dir, 'cloud.sqlite')

/** Runs the built bundle's exports.main in a fresh Node process, as WeChat's runtime would, with the caller's OPENID in the context env. */
function invoke(event: object, openid?: string) {
  const script = `require(${JSON.stringify(path.join(root, 'cloudfunctions/api'))}).main(${JSON.stringify(event)}, {}).then((r) => process.stdout.write(JSON.stringify(r)), (e) => { console.error(e); process.exit(1) })`
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, NODE_ENV: 'test', SQLITE_FILE: sqliteFile, TCB_ENV: 'test-env' }
  if (openid) Object.assign(env, { WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID', WX_OPENID: openid, WX_APPID: 'wx-test' })
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { env, cwd: dir, encoding: 'utf8' }))
}

beforeAll(() => {
  execFileSync(process.execPath, [path.join(root, 'scripts/build-cloud.mjs')], { cwd: root, stdio: 'pipe' })
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

test('the built cloud function has its package.json and main()', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'cloudfunctions/api/package.json'), 'utf8'))
  expect(pkg.main).toBe('index.js')
  expect(pkg.dependencies).toHaveProperty('wx-server-sdk')
})

test('the bundle answers envelopes and takes the caller from getWXContext', async () => {
  expect(invoke({ action: 'me', input: {} })).toMatchObject({ ok: false, error: { code: 'Unauthenticated' } })
  expect(invoke({ input: {} }, 'o-cloud')).toMatchObject({ ok: false, error: { code: 'BadInput' } })
  expect(invoke({ action: 'noSuchAction' }, 'o-cloud')).toMatchObject({ ok: false, error: { code: 'NotFound' } })

  // The first call created the database and the user; make them a committee chair of one 小区.
  const first = invoke({ action: 'me', input: {} }, 'o-cloud')
  expect(first).toMatchObject({ ok: true, data: { communities: [] } })
  const { db } = await createDb({ sqliteFile })
  await migrateToLatest(db)
  const w = await makeWorld(db)
  const user = await findOrCreateUser(db, 'o-cloud', '微信用户', new Date())
  expect(user.id).toBe(first.data.userId)
  await grantRole(db, user.id, 'committee_chair', { communityId: w.a }, new Date())
  await db.destroy()

  const me = invoke({ action: 'me', input: {} }, 'o-cloud')
  expect(me.data.communities).toEqual([{ id: w.a, name: '滨江花园', isOld: false, governance: 'committee', roles: ['committee_chair'] }])
  // Another WeChat user sees nothing of it.
  expect(invoke({ action: 'me', input: {} }, 'o-stranger').data.communities).toEqual([])
})

test('the timer trigger runs the due jobs (the vote clock among them); a mini-program call shaped like it does not', () => {
  const first = invoke({ Type: 'Timer', TriggerName: 'voteClock', Time: new Date().toISOString() })
  expect(first).toMatchObject({
    ok: true,
    data: { voteClock: { opened: 0, closed: 0, failed: 0 }, housekeeping: { purgedFiles: 0, purgedSessions: 0 }, outboxDrain: { delivered: 0, retried: 0, gaveUp: 0 } },
  })
  // Every job of the registry ran, and nothing else.
  expect(Object.keys(first.data).sort()).toEqual(JOBS.map((j) => j.name).sort())
  // The next minute's instance (a fresh process) finds in the database that the hourly job already ran.
  const next = invoke({ Type: 'Timer', TriggerName: 'voteClock', Time: new Date().toISOString() })
  expect(next.ok).toBe(true)
  expect(next.data).not.toHaveProperty('housekeeping')
  expect(invoke({ Type: 'Timer' }, 'o-cloud')).toMatchObject({ ok: false, error: { code: 'BadInput' } })
  const config = JSON.parse(fs.readFileSync(path.join(root, 'cloudfunctions/api/config.json'), 'utf8'))
  expect(config.triggers).toEqual([{ name: 'voteClock', type: 'timer', config: '0 * * * * * *' }])
})
