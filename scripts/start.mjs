// `npm start`: run the server in demo mode and build what is missing (the H5 front end) meanwhile.
// The server migrates the database and seeds the demo 小区 on first run while the build runs, then
// waits for the build, serves it and the API, and prints the address and the demo personas.
//
// The log is written for a person: one line per step with its Beijing time and how long it took.
// The H5 build's own output (webpack progress bars, colours, tips) goes to data/logs/h5-build.log
// and is summarised in one line; the server's JSON log lines go to data/logs/server.log, with a
// short line here for each warning or error. In a terminal the build shows a live elapsed time.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const started = Date.now()
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const tty = !!process.stdout.isTTY
const dataDir = path.resolve(root, process.env.DATA_DIR ?? 'data')
const logDir = path.join(dataDir, 'logs')
/** A path as a person types it: relative inside the project, absolute outside it. */
const rel = (p) => (p.startsWith(root + path.sep) ? path.relative(root, p) : p)
// The server serves H5_DIR (default dist-h5); a missing build is made there.
const h5Dir = path.resolve(root, process.env.H5_DIR ?? 'dist-h5')
const needsBuild = !fs.existsSync(path.join(h5Dir, 'index.html'))

/** The H5 build while it runs. */
let build = null

/**
 * The server, started at once: loading it (Node, tsx, our code), migrating and seeding overlap
 * with loading this script's own TypeScript helpers and with the H5 build. With a build to wait
 * for (START_AWAIT_H5), it stops before serving until a line on its stdin says the build is there.
 * Its output waits in the pipe until this script reads it, after its own first lines.
 */
function startServer() {
  const env = { ...process.env, DEMO: process.env.DEMO ?? '1', START_TIME: String(started), FORCE_COLOR: '0', ...(needsBuild ? { START_AWAIT_H5: '1' } : {}) }
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/main.ts')], { cwd: root, env, stdio: [needsBuild ? 'pipe' : 'ignore', 'pipe', 'inherit'] })
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
  child.on('exit', (code) => {
    build?.kill('SIGTERM')
    process.exit(code ?? 0)
  })
  return child
}
const server = startServer()

const { tsImport } = await import('tsx/esm/api')
const { beijingStamp, beijingToday, duration, stepLine } = await tsImport('../server/demo/start-log.ts', import.meta.url)
const { cleanBuildOutput, summariseBuild } = await tsImport('./start-output.ts', import.meta.url)

/** In a terminal, the build's live line is redrawn in place; a line printed meanwhile clears it first. */
let live = false
function say(line) {
  if (live) process.stdout.write('\r\x1b[2K')
  console.log(line)
}

console.log(`共治 · 启动于北京时间 ${beijingToday(started)} ${beijingStamp(started)}${needsBuild ? '（首次运行要先构建 H5 前端，约半分钟）' : ''}`)
if (!needsBuild) console.log(stepLine('H5 前端', `已构建，沿用 ${rel(h5Dir)}/（删除它可重新构建）`))

// The server's lines as they come: with a build running, its database and demo data steps.
const serverLog = path.join(logDir, 'server.log')
let pointed = false
let pending = ''
server.stdout.on('data', (chunk) => {
  pending += chunk.toString('utf8')
  const lines = pending.split('\n')
  pending = lines.pop() ?? ''
  for (const line of lines) {
    let entry = null
    if (line.startsWith('{')) {
      try {
        entry = JSON.parse(line)
      } catch {
        entry = null
      }
    }
    if (!entry || typeof entry.level !== 'number') {
      say(line)
      continue
    }
    // A pino line: kept whole in the log file; a warning or an error gets one readable line here.
    fs.mkdirSync(logDir, { recursive: true })
    fs.appendFileSync(serverLog, `${line}\n`)
    if (entry.level >= 40) {
      const what = entry.level >= 50 ? '服务出错' : '服务警告'
      const at = typeof entry.time === 'number' ? entry.time : Date.now()
      say(`[${beijingStamp(at)}] ${what}：${entry.msg ?? ''}（详见 ${rel(serverLog)}）`)
    } else if (!pointed) {
      pointed = true
      say(`[${beijingStamp()}] 服务日志：写入 ${rel(serverLog)}`)
    }
  }
})

/** Runs the H5 build with its output captured; answers its exit code and what it printed. */
function buildH5() {
  return new Promise((resolve) => {
    const chunks = []
    // The local build (config/h5-local.ts): esbuild instead of babel's ES5 output, shared code split
    // once instead of copied into every page, esbuild's minifier. `npm run build:h5` is unchanged.
    const env = { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', OUTPUT_ROOT: h5Dir, H5_BUILD: process.env.H5_BUILD ?? 'local' }
    build = spawn(path.join(root, 'node_modules', '.bin', 'taro'), ['build', '--type', 'h5'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
    build.stdout.on('data', (c) => chunks.push(c))
    build.stderr.on('data', (c) => chunks.push(c))
    let ticker
    if (tty) {
      const t0 = Date.now()
      ticker = setInterval(() => {
        process.stdout.write(`\r[${beijingStamp()}] H5 前端：构建中，已用 ${duration(Date.now() - t0)}   `)
        live = true
      }, 1000)
    }
    build.on('close', (code) => {
      build = null
      if (ticker) clearInterval(ticker)
      if (live) process.stdout.write('\r\x1b[2K')
      live = false
      resolve({ code: code ?? 1, output: Buffer.concat(chunks).toString('utf8') })
    })
  })
}

if (needsBuild) {
  const t0 = Date.now()
  const { code, output } = await buildH5()
  fs.mkdirSync(logDir, { recursive: true })
  const logFile = path.join(logDir, 'h5-build.log')
  const cleaned = cleanBuildOutput(output)
  fs.writeFileSync(logFile, `# taro build --type h5，北京时间 ${beijingToday()} ${beijingStamp(t0)}，退出码 ${code}\n${cleaned}\n`)
  const summary = summariseBuild(cleaned)
  if (code !== 0) {
    console.error(stepLine('H5 前端', `构建失败，详见 ${rel(logFile)}`, Date.now() - t0))
    for (const line of summary.errors.slice(0, 10)) console.error(`  ${line}`)
    server.kill('SIGTERM')
    process.exit(code)
  }
  const n = summary.warnings.length
  const warned = n ? `；${n} 条警告（${summary.warnings.slice(0, 2).join('；')}${n > 2 ? '…' : ''}），详见 ${rel(logFile)}` : `；输出见 ${rel(logFile)}`
  console.log(stepLine('H5 前端', `构建完成，用时 ${duration(Date.now() - t0)}${warned}`))
  // The server serves the build from here on (server/main.ts waits for this line).
  server.stdin.end('built\n')
}
