/**
 * The cloud function's bundle: its size (target ≤ 3 MB) and its cold first call (a fresh Node
 * process requires the bundle and answers `me` for a WeChat caller; the database already migrated),
 * beside a baseline measured the same way: a process that only requires wx-server-sdk, which
 * every cloud function pays. Medians of a few runs.
 *
 *   npx tsx scripts/bench/cloud-cold.ts     # also printed at the end of npm run bench
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { createDb, migrateToLatest } from '../../server/db/create-db'

const root = path.resolve(__dirname, '../..')
const RUNS = Number(process.env.BENCH_COLD_RUNS ?? 5)
const MAX_BYTES = 3 * 1024 * 1024
const MAX_COLD_MS = 500

/** Builds the bundle into `outDir` (scripts/build-cloud.mjs with CLOUD_OUT_DIR). */
export function buildCloudBundle(outDir: string): void {
  execFileSync(process.execPath, [path.join(root, 'scripts/build-cloud.mjs')], { cwd: root, stdio: 'pipe', env: { ...process.env, CLOUD_OUT_DIR: outDir } })
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

export async function cloudBundleFigures(): Promise<string[]> {
  // Under node_modules/.cache so the bundle's externals (wx-server-sdk, better-sqlite3, pg's
  // dynamic import) resolve from the project's node_modules, as the cloud installs them beside it.
  fs.mkdirSync(path.join(root, 'node_modules/.cache'), { recursive: true })
  const dir = fs.mkdtempSync(path.join(root, 'node_modules/.cache/gongzhi-cloud-cold-'))
  try {
    const out = path.join(dir, 'api')
    buildCloudBundle(out)
    const bytes = fs.statSync(path.join(out, 'index.js')).size
    const sqliteFile = path.join(dir, 'cloud.sqlite')
    const { db } = await createDb({ sqliteFile })
    await migrateToLatest(db)
    await db.destroy()
    const env = { PATH: process.env.PATH, NODE_ENV: 'test', SQLITE_FILE: sqliteFile, TCB_ENV: 'bench', WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID', WX_OPENID: 'o-bench', WX_APPID: 'wx-bench' }
    const probe = (body: string) => Number(execFileSync(process.execPath, ['-e', `const t0 = performance.now(); ${body}`], { env, cwd: dir, encoding: 'utf8' }))
    const cold: number[] = [], base: number[] = []
    for (let i = 0; i < RUNS; i++) {
      base.push(probe(`require('wx-server-sdk'); process.stdout.write(String(performance.now() - t0))`))
      cold.push(probe(`require(${JSON.stringify(out)}).main({ action: 'me', input: {} }, {}).then((r) => { if (!r.ok) throw new Error(JSON.stringify(r)); process.stdout.write(String(performance.now() - t0)) })`))
    }
    const c = median(cold), b = median(base)
    return [
      `cloud function bundle: ${(bytes / 1024).toFixed(0)} KB (target ≤ ${MAX_BYTES / 1024 / 1024} MB): ${bytes <= MAX_BYTES ? 'met' : 'NOT MET'}`,
      `cold first call (require the bundle + answer me, migrations done), median of ${RUNS}: ${c.toFixed(0)} ms (target < ${MAX_COLD_MS} ms: ${c < MAX_COLD_MS ? 'met' : 'NOT MET'}); baseline require('wx-server-sdk') alone ${b.toFixed(0)} ms; ratio ${(c / b).toFixed(1)}×`,
    ]
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

if (require.main === module) {
  cloudBundleFigures().then((lines) => console.log(lines.join('\n')), (err) => {
    console.error(err)
    process.exit(1)
  })
}
