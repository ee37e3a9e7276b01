import type { AddressInfo } from 'node:net'
import { loadConfig } from './config'
import { createDeps } from './deps'
import { registry } from './actions'
import { buildApp } from './transports/http'
import { seedDemo } from './demo/seed'
import { DEMO_PERSONAS } from './demo/personas'
import { startJobRunner } from './jobs/runner'

/** Only starts the HTTP server (seeding the demo first in demo mode) and closes it gracefully. */
async function start() {
  const config = loadConfig()
  const deps = await createDeps(config)
  if (config.demo && (await seedDemo(deps))) console.log('已生成演示数据：章贡区 · 解放街道 · 东阳社区 · 滨江花园 / 文清苑')
  const app = await buildApp(deps, registry, { logger: false })
  try {
    await app.listen({ port: config.port, host: config.host })
  } catch (err: any) {
    if (err?.code === 'EADDRINUSE') throw new Error(`端口 ${config.port} 已被占用：请关闭占用它的程序，或用 PORT=3001 npm start 换一个端口`)
    throw err
  }
  const { port } = app.server.address() as AddressInfo
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`
  const took = process.env.START_TIME ? `，用时 ${((Date.now() - Number(process.env.START_TIME)) / 1000).toFixed(1)} 秒` : ''
  console.log(`\n共治已启动 ${url}  （数据库：${deps.dialect === 'sqlite' ? config.sqliteFile : 'PostgreSQL'}${took}）`)
  if (config.demo) {
    console.log('在浏览器打开上面的地址，选择一个演示身份登录：')
    for (const p of DEMO_PERSONAS) console.log(`  · ${p.label}：${p.description}`)
  }
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

start().catch((err) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
