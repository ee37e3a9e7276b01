// `npm start`: build what is missing (the H5 front end), then run the server in demo mode.
// The server migrates the database, seeds the demo 小区 on first run, serves the H5 build and
// the API, and prints the address and the demo personas.
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = (name) => path.join(root, 'node_modules', '.bin', name)
const started = Date.now()

if (!fs.existsSync(path.join(root, 'dist-h5', 'index.html'))) {
  console.log('首次运行：正在构建 H5 前端（约 1 分钟）…')
  const r = spawnSync(bin('taro'), ['build', '--type', 'h5'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
  if (r.status !== 0) {
    console.error('H5 前端构建失败，请查看上面的错误信息')
    process.exit(r.status ?? 1)
  }
  console.log(`H5 前端构建完成（${((Date.now() - started) / 1000).toFixed(0)} 秒）`)
}

const env = { ...process.env, DEMO: process.env.DEMO ?? '1', START_TIME: String(started) }
const server = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/main.ts')], { cwd: root, env, stdio: 'inherit' })
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig))
server.on('exit', (code) => process.exit(code ?? 0))
