/**
 * The first `npm start` (no H5 build yet: fresh H5_DIR and DATA_DIR) and the later ones, timed
 * from the command to the printed address, beside a baseline measured in the same run: a Node
 * process that only loads tsx and exits (what every start pays before any of our code runs).
 *
 *   npx tsx scripts/bench/first-start.ts            # one first start, two later starts
 *   START_LATER_RUNS=5 npx tsx scripts/bench/first-start.ts
 *
 * Targets: first start under 30 s, later starts under 3 s. The H5 build's own log is kept in the
 * temporary data dir while it runs; the dirs are removed at the end.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { loadLine, startChild, stopChild } from './load-kit'

const root = path.resolve(__dirname, '../..')
const LATER = Number(process.env.START_LATER_RUNS ?? 2)

async function startOnce(env: NodeJS.ProcessEnv): Promise<{ ms: number; output: string }> {
  const t0 = Date.now()
  const { child, output } = await startChild(process.execPath, [path.join(root, 'scripts/start.mjs')], env, 'npm start', 900_000)
  const ms = Date.now() - t0
  await stopChild(child)
  return { ms, output: output() }
}

async function main() {
  console.log(`first start — ${loadLine()}`)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-first-start-'))
  try {
    const env = { ...process.env, H5_DIR: path.join(dir, 'h5'), DATA_DIR: path.join(dir, 'data'), PORT: '0', HOST: '127.0.0.1' }
    const t = Date.now()
    execFileSync(process.execPath, ['--import', 'tsx', '-e', ''], { cwd: root })
    const base = Date.now() - t
    const first = await startOnce(env)
    // The first start's own step lines (the H5 build, the database, the demo data, the server), not the header.
    const steps = first.output.split('\n').filter((l) => /^\[\d\d:\d\d:\d\d\] (H5 前端|数据库|演示数据|服务)：/.test(l))
    const later: number[] = []
    for (let i = 0; i < LATER; i++) later.push((await startOnce(env)).ms)
    const best = Math.min(...later)
    console.log(`baseline: node --import tsx, empty script: ${(base / 1000).toFixed(1)} s`)
    console.log(`first start (H5 build + demo seed + server): ${(first.ms / 1000).toFixed(1)} s (target < 30 s: ${first.ms < 30_000 ? 'met' : 'NOT MET'}); ${(first.ms / base).toFixed(0)}× baseline`)
    for (const line of steps) console.log(`  ${line.trim()}`)
    console.log(`later starts: ${later.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ')} (target < 3 s: ${best < 3000 ? 'met' : 'NOT MET'} at best); ${(best / base).toFixed(1)}× baseline`)
    console.log(loadLine())
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
