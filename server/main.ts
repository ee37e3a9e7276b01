import type { AddressInfo } from 'node:net'
import { loadConfig } from './config'
import { createDeps } from './deps'
import { registry } from './actions'
import { buildApp } from './transports/http'
import { seedDemo } from './demo/seed'
import { duration, personaLines, step, stepLine } from './demo/start-log'
import { startJobRunner } from './jobs/runner'

/** Only starts the HTTP server (seeding the demo first in demo mode) and closes it gracefully. */
async function start() {
  const config = loadConfig()
  // One line per step, in Beijing time (server/demo/start-log.ts); npm start prints them as they come.
  const deps = await step('数据库', () => createDeps(config), (d) => `已就绪并迁移到最新（${d.dialect === 'sqlite' ? config.sqliteFile : 'PostgreSQL'}）`)
  if (config.demo) {
    await step('演示数据', () => seedDemo(deps), (seeded) => (seeded ? '已生成：章贡区 · 解放街道 · 东阳社区 · 滨江花园 / 文清苑' : '已有，沿用（删除 data/ 可重新生成）'))
  }
  // npm start runs the migration and the demo seed while the H5 front end is still building
  // (scripts/start.mjs) and writes a line here once the build is there, which the app serves.
  if (process.env.START_AWAIT_H5) await h5Built()
  const app = await buildApp(deps, registry, { logger: false })
  try {
    await app.listen({ port: config.port, host: config.host })
  } catch (err) {
    if ((err as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE') throw new Error(`端口 ${config.port} 已被占用：请关闭占用它的程序，或用 PORT=3001 npm start 换一个端口`)
    throw err
  }
  const { port } = app.server.address() as AddressInfo
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`
  const since = Number(process.env.START_TIME)
  console.log(stepLine('服务', `共治已启动 ${url}${since ? ` （从启动算起共 ${duration(Date.now() - since)}）` : ''}`))
  if (config.demo) for (const line of personaLines(url)) console.log(line)
  // Background jobs (server/jobs/registry.ts): votes open and close by themselves and results are
  // published within the minute a window ends; housekeeping; the outbox is delivered.
  const stopJobs = startJobRunner(deps)
  const stop = async () => {
    await stopJobs()
    await app.close()
    await deps.db.destroy()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

/** Resolves at the first data on stdin; stdin closed first (npm start is gone) ends the process. */
function h5Built(): Promise<void> {
  return new Promise((resolve) => {
    const gone = () => process.exit(1)
    process.stdin.once('end', gone)
    process.stdin.once('data', () => {
      process.stdin.off('end', gone)
      process.stdin.destroy()
      resolve()
    })
  })
}

start().catch((err) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
