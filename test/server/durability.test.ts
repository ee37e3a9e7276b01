import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createDb } from '../../server/db/create-db'

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
  const bound = await post('bindUnit', { communityId: binjiang.id, building: '1栋', stair: '1单元', room: '101', name: '韩晨梅', phone: '15853130865' }, session.token)
  expect(bound).toMatchObject({ ok: true, data: { status: 'approved' } })
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGKILL')
  await exited

  const { db } = await createDb({ sqliteFile })
  const row = await db.selectFrom('bindings').select(['status']).where('id', '=', bound.data.bindingId).executeTakeFirst()
  expect(row).toEqual({ status: 'approved' })
  await db.destroy()
  fs.rmSync(dir, { recursive: true, force: true })
})
