import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Sqlite from 'better-sqlite3'
import { registry } from '../../server/actions'
import { verifyAuditAll } from '../../server/audit/verifiers'
import { createDb, migrateToLatest } from '../../server/db/create-db'
import { seedDemo } from '../../server/demo/seed'
import { backupSqlite, checkFile, restoreSqlite } from '../../server/ops/backup'
import { dispatch } from '../../server/registry'
import { testDeps } from '../helpers/db'

/**
 * `npm run backup` takes a consistent copy of a live SQLite database with the online backup API
 * while the server writes, and `npm run restore` puts it back. (PostgreSQL is backed up with
 * pg_dump and point-in-time recovery: the README says how.)
 */
describe('backup and restore of a live SQLite database', () => {
  const dir = path.join(os.tmpdir(), `gongzhi-backup-${randomUUID()}`)
  const file = path.join(dir, 'gongzhi.sqlite')
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  test('a backup taken under writes restores to a consistent database whose audit chain verifies', async () => {
    const { db } = await createDb({ sqliteFile: file })
    await migrateToLatest(db)
    const deps = testDeps(db, 'sqlite')
    expect(await seedDemo(deps)).toBe(true)
    const community = (await db.selectFrom('communities').select('id').where('name', '=', '滨江花园').executeTakeFirstOrThrow()).id
    const chair = (await db.selectFrom('users').select('id').where('openid', '=', 'demo:committee').executeTakeFirstOrThrow()).id
    const before = (await db.selectFrom('notices').select('id').execute()).length

    // Writes through the real action keep landing while the backup copies page by page.
    let writing = true
    let written = 0
    const writer = (async () => {
      while (writing) {
        const r = await dispatch(registry, 'publishNotice', { communityId: community, kind: '公告', title: `备份期间的公告 ${written + 1}`, body: '正文' }, deps, {
          caller: async () => ({ userId: chair, openid: 'demo:committee' }),
        })
        if (!r.ok) throw new Error(`${r.error.code} ${r.error.message}`)
        written++
        await new Promise((resolve) => setImmediate(resolve))
      }
    })()
    const dest = path.join(dir, 'backups', 'b1.sqlite')
    const report = await backupSqlite(file, dest)
    writing = false
    await writer
    expect(written).toBeGreaterThan(0)
    expect(report.pages).toBeGreaterThan(0)
    expect(checkFile(dest)).toBe('ok')
    await expect(backupSqlite(file, dest)).rejects.toThrow('不会覆盖')

    // Restore over the live file (the server stopped): the copy is a moment between before and after.
    await db.destroy()
    const { previous } = restoreSqlite(dest, file)
    expect(previous).toBe(`${file}.before-restore`)
    const restored = await createDb({ sqliteFile: file })
    try {
      const notices = await restored.db.selectFrom('notices').select(['id', 'title']).execute()
      expect(notices.length).toBeGreaterThanOrEqual(before)
      expect(notices.length).toBeLessThanOrEqual(before + written)
      // Every notice in the copy is whole: its revision is there too.
      const revisions = await restored.db.selectFrom('notice_revisions').select('notice_id').distinct().execute()
      expect(new Set(revisions.map((r) => r.notice_id))).toEqual(new Set(notices.map((n) => n.id)))
      const reports = await verifyAuditAll(restored.db)
      expect(reports.length).toBeGreaterThan(0)
      for (const r of reports) expect(r.problems).toEqual([])
    } finally {
      await restored.db.destroy()
    }
  })

  test('a damaged backup is refused and the database is left as it was', async () => {
    const bad = path.join(dir, 'bad.sqlite')
    fs.writeFileSync(bad, Buffer.alloc(8192, 7))
    const target = path.join(dir, 'target.sqlite')
    const t = new Sqlite(target)
    t.exec('CREATE TABLE x (a INTEGER); INSERT INTO x VALUES (42);')
    t.close()
    expect(() => restoreSqlite(bad, target)).toThrow()
    const again = new Sqlite(target, { readonly: true })
    expect(again.prepare('SELECT a FROM x').get()).toEqual({ a: 42 })
    again.close()
  })
})
