import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { createDb, migrateToLatest } from '../../server/db/create-db'
import type { Db } from '../../server/db/database'
import { systemCtx } from '../../server/context'
import { openSession } from '../../server/identity/session.service'
import { DEMO_PHONE_CODE } from '../../src/contracts/privacy'
import { verifyAuditAll } from '../../server/audit/verifiers'
import { advanceVotes } from '../../server/votes/vote.clock'
import { DIALECTS, testDeps } from '../helpers/db'
import { bindOwner, makeUser, makeWorld, ok } from '../helpers/world'
import { rosterCsv } from '../helpers/votes-world'

const root = path.resolve(__dirname, '../..')

/** An acknowledged write survives a crash: the server is killed with SIGKILL right after answering, then the file is reopened. */
test('an acknowledged write survives SIGKILL of the server (SQLite, WAL, synchronous=FULL)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-crash-'))
  const sqliteFile = path.join(dir, 'crash.sqlite')
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/main.ts')], {
    cwd: root,
    env: { ...process.env, DEMO: '1', PORT: '0', DATA_DIR: dir, SQLITE_FILE: sqliteFile, DATABASE_URL: '', H5_DIR: path.join(dir, 'no-h5') },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (c: Buffer) => {
      out += c.toString()
      const m = out.match(/共治已启动 (http:\/\/\S+)/)
      if (m) resolve(m[1])
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)))
  })
  // Node's fetch types json() as unknown; these tests read the envelope as any.
  const post = async (action: string, body: object, token?: string): Promise<any> =>
    (await fetch(`${url}/api/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    })).json()

  const { data: session } = await post('demoLogin', { persona: 'owner-new' })
  const [binjiang] = (await post('communityDirectory', { query: '滨江' }, session.token)).data
  // The demo's stand-in for WeChat's phone verification: a verified phone binds at once.
  const bound = await post('bindUnit', { communityId: binjiang.id, building: '1栋', stair: '1单元', room: '101', name: '韩晨梅', phoneCode: DEMO_PHONE_CODE }, session.token)
  expect(bound).toMatchObject({ ok: true, data: { status: 'approved' } })
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGKILL')
  await exited

  const { db } = await createDb({ sqliteFile })
  const row = await db.selectFrom('bindings').select(['status']).where('id', '=', bound.data.bindingId).executeTakeFirst()
  expect(row).toEqual({ status: 'approved' })
  await db.destroy()
  fs.rmSync(dir, { recursive: true, force: true })
}, 120_000)

/**
 * Issue 9 item 10c: 1,000 concurrent writes — ballot casts (50 owners, each trying 10 times) and
 * notice publishes — to a real server process, killed with SIGKILL mid-way and restarted: every
 * acknowledged write is there exactly once, no owner has two ballots, and the audit chain verifies;
 * on SQLite (WAL, synchronous=FULL) and PostgreSQL.
 */
const OWNERS = 50
const CAST_TRIES = 10
const SURNAMES = '赵钱孙李周吴郑王冯陈'
const GIVEN = '伟芳娜敏静丽强磊军洋'
const ownerName = (i: number) => `${SURNAMES[i % 10]}${GIVEN[Math.floor(i / 10) % 10]}`
const roomOf = (i: number) => `${Math.floor(i / 4) + 1}0${(i % 4) + 1}`

function startServer(env: NodeJS.ProcessEnv): Promise<{ url: string; child: ReturnType<typeof spawn> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/main.ts')], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  return new Promise((resolve, reject) => {
    const onData = (c: Buffer) => {
      out += c.toString()
      const m = out.match(/共治已启动 (http:\/\/\S+)/)
      if (m) resolve({ url: m[1], child })
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)))
  })
}

describe.each(DIALECTS)('1,000 concurrent writes and a SIGKILL mid-way (%s)', (dialect) => {
  test('every acknowledged ballot and notice is there exactly once after the restart', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-kill-'))
    const sqliteFile = path.join(dir, 'kill.sqlite')
    let serverEnv: NodeJS.ProcessEnv = { PORT: '0', DATA_DIR: dir, SQLITE_FILE: sqliteFile, DATABASE_URL: '', H5_DIR: path.join(dir, 'no-h5'), DEMO: '' }
    let open: () => Promise<Db>
    let dropSchema = async () => {}
    if (dialect === 'sqlite') {
      open = async () => (await createDb({ sqliteFile })).db
    } else {
      const schema = `k_${randomUUID().replace(/-/g, '').slice(0, 16)}`
      const admin = (await createDb({ databaseUrl: process.env.DATABASE_URL! })).db
      await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(admin)
      await admin.destroy()
      const u = new URL(process.env.DATABASE_URL!)
      u.searchParams.set('options', `-c search_path=${schema}`)
      serverEnv = { ...serverEnv, DATABASE_URL: u.toString() }
      open = async () => (await createDb({ databaseUrl: u.toString() })).db
      dropSchema = async () => {
        const a = (await createDb({ databaseUrl: process.env.DATABASE_URL! })).db
        await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(a)
        await a.destroy()
      }
    }

    // The world, through the actions: a roster of 50 owners who bind their units, a vote opened now.
    const db = await open()
    await migrateToLatest(db)
    const deps = testDeps(db, dialect)
    deps.config.dataDir = dir
    const realNow = new Date()
    deps.setNow(new Date(realNow.getTime() - 20 * 86_400_000))
    const w = await makeWorld(db)
    const chair = await makeUser(db, 'chair', 'committee_chair', { communityId: w.a })
    const lines = Array.from({ length: OWNERS }, (_, i) => `1栋,1单元,${roomOf(i)},89.56,是,${ownerName(i)},139${String(10_000_000 + i)},`)
    await ok(deps, 'importRoster', { communityId: w.a, fileName: 'roster.csv', fileBase64: rosterCsv(...lines) }, chair)
    const owners: string[] = []
    for (let i = 0; i < OWNERS; i++) {
      const userId = await makeUser(db, `owner${i}`)
      const r = await bindOwner(deps, userId, { communityId: w.a, building: '1栋', room: roomOf(i), name: ownerName(i), phone: `139${String(10_000_000 + i)}` }, chair)
      expect(r.status).toBe('approved')
      owners.push(userId)
    }
    const opensAt = new Date(realNow.getTime() - 3600_000)
    const vote = await ok(deps, 'createVote', { communityId: w.a, title: '续聘物业', scope: 'whole', opensAt: opensAt.toISOString(), closesAt: new Date(realNow.getTime() + 7 * 86_400_000).toISOString(), matters: [{ item: 4, title: '续聘物业' }] }, chair)
    await ok(deps, 'announceVote', { communityId: w.a, voteId: vote.id }, chair)
    deps.setNow(realNow)
    await advanceVotes(systemCtx(deps))
    const token = async (userId: string) => (await openSession({ ...deps, now: () => new Date() }, { userId })).token
    const chairToken = await token(chair)
    const ownerTokens = await Promise.all(owners.map(token))
    await db.destroy()

    const first = await startServer(serverEnv)
    const post = async (action: string, body: object, tok: string): Promise<any> =>
      (await fetch(`${first.url}/api/${action}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tok}` }, body: JSON.stringify(body) })).json()
    const ackedBallots: { userId: string; receipt: string }[] = []
    const ackedNotices: { id: string; title: string }[] = []
    let killed = false
    const exited = new Promise((r) => first.child.once('exit', r))
    const kill = () => {
      if (!killed) {
        killed = true
        first.child.kill('SIGKILL')
      }
    }
    const requests: Promise<void>[] = []
    for (let k = 0; k < 1000; k++) {
      if (k % 2 === 0 && k / 2 < OWNERS * CAST_TRIES) {
        const i = (k / 2) % OWNERS
        requests.push(
          post('castBallot', { communityId: w.a, voteId: vote.id, confirmed: true, choices: [{ matterId: vote.matters[0].id, choice: i % 3 === 0 ? 'oppose' : 'agree' }] }, ownerTokens[i]).then(
            (r) => void (r.ok && ackedBallots.push({ userId: owners[i], receipt: r.data.receiptCode })),
            () => undefined,
          ),
        )
      } else {
        const title = `压力测试公告 第${k}号`
        requests.push(
          post('publishNotice', { communityId: w.a, kind: '公告', title, body: '停电检修，请提前准备。' }, chairToken).then(
            (r) => void (r.ok && ackedNotices.push({ id: r.data.id, title })),
            () => undefined,
          ),
        )
      }
      // Killed once 150 writes were acknowledged: mid-way through the burst. Every answer that arrives counts.
      void requests[requests.length - 1].then(() => {
        if (ackedBallots.length + ackedNotices.length >= 150) kill()
      })
    }
    await Promise.all(requests)
    kill()
    await exited
    const acknowledged = ackedBallots.length + ackedNotices.length
    expect(acknowledged).toBeGreaterThanOrEqual(150)
    expect(acknowledged).toBeLessThan(1000)

    // Restart on the same data: it comes back and answers.
    const second = await startServer(serverEnv)
    const feed = (await (await fetch(`${second.url}/api/listNotices`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${chairToken}` }, body: JSON.stringify({ communityId: w.a }) })).json()) as { ok: boolean }
    expect(feed.ok).toBe(true)
    const stopped = new Promise((r) => second.child.once('exit', r))
    second.child.kill('SIGKILL')
    await stopped

    const after = await open()
    const notices = await after.selectFrom('notices').select(['id', 'title']).where('community_id', '=', w.a).where('title', 'like', '压力测试公告%').execute()
    const byTitle = new Map<string, number>()
    for (const n of notices) byTitle.set(n.title, (byTitle.get(n.title) ?? 0) + 1)
    for (const n of ackedNotices) {
      expect(notices.filter((x) => x.id === n.id)).toEqual([{ id: n.id, title: n.title }])
      expect(byTitle.get(n.title)).toBe(1)
    }
    for (const count of byTitle.values()) expect(count).toBe(1)
    const ballots = await after.selectFrom('ballots').select(['voter_key', 'receipt_code', 'person_id']).where('vote_id', '=', vote.id).execute()
    const perVoter = new Map<string, number>()
    for (const b of ballots) perVoter.set(b.voter_key, (perVoter.get(b.voter_key) ?? 0) + 1)
    for (const c of perVoter.values()) expect(c).toBe(1)
    const receipts = new Set(ballots.map((b) => b.receipt_code))
    const ackedUsers = new Set<string>()
    for (const b of ackedBallots) {
      expect(receipts.has(b.receipt)).toBe(true)
      expect(ackedUsers.has(b.userId)).toBe(false) // a second ballot of one owner is never acknowledged
      ackedUsers.add(b.userId)
    }
    const [audit] = await verifyAuditAll(after, [w.a])
    expect(audit.problems).toEqual([])
    await after.destroy()
    const recovered = ackedNotices.filter((n) => byTitle.get(n.title) === 1).length + ackedBallots.filter((b) => receipts.has(b.receipt)).length
    const line = `SIGKILL (${dialect}): 1000 sent, ${acknowledged} acknowledged (${ackedBallots.length} ballots, ${ackedNotices.length} notices), ${recovered} recovered exactly once; ${ballots.length} ballots and ${notices.length} test notices in the database`
    fs.appendFileSync(path.join(os.tmpdir(), 'gongzhi-security-counts.log'), `${new Date().toISOString()} ${line}\n`)
    console.log(line)
    expect(recovered).toBe(acknowledged)
    await dropSchema()
    fs.rmSync(dir, { recursive: true, force: true })
  }, 180_000)
})
