/**
 * `npm run seed`: migrates the database the server would use (DATABASE_URL, or SQLITE_FILE /
 * DATA_DIR) and seeds the demo district into it, as `npm start` does on its first run, without
 * building or serving anything; for a PostgreSQL database that `npm run serve` will then serve
 * with DEMO=1. Does nothing when a district already exists; refused in production.
 */
import { loadConfig } from '../server/config'
import { createDeps } from '../server/deps'
import { seedDemo } from '../server/demo/seed'
import { step } from '../server/demo/start-log'

async function main() {
  const config = loadConfig({ ...process.env, DEMO: '1' })
  const where = config.databaseUrl ? 'PostgreSQL' : config.sqliteFile
  const deps = await step('数据库', () => createDeps(config), () => `已就绪并迁移到最新（${where}）`)
  try {
    await step('演示数据', () => seedDemo(deps), (s) => (s ? '已生成：章贡区 · 解放街道 · 东阳社区 · 滨江花园 / 文清苑' : '已有区县数据，未改动'))
  } finally {
    await deps.db.destroy()
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
