/**
 * `npm run backup [-- <file>]`: a consistent copy of the live SQLite database (the server may keep
 * running), by default data/backups/gongzhi-<北京时间>.sqlite. `npm run restore -- <file>` puts
 * one back (stop the server first). PostgreSQL: see the README (pg_dump, point-in-time recovery).
 */
import path from 'node:path'
import { loadConfig } from '../server/config'
import { backupSqlite, restoreSqlite } from '../server/ops/backup'
import { beijingTime } from '../src/contracts/time'

function stamp(): string {
  return beijingTime(new Date().toISOString()).replace(/[-: ]/g, '').slice(0, 12)
}

async function main() {
  const [mode, arg] = process.argv.slice(2)
  const config = loadConfig()
  if (config.databaseUrl) {
    console.error('当前使用 PostgreSQL（DATABASE_URL）：请用 pg_dump 备份、pg_restore 恢复，见 README 的“备份”一节。')
    process.exit(2)
  }
  if (mode === 'restore') {
    if (!arg) throw new Error('用法：npm run restore -- <备份文件>')
    const { previous } = restoreSqlite(arg, config.sqliteFile)
    console.log(`已恢复 ${arg} → ${config.sqliteFile}${previous ? `（原文件保留为 ${previous}）` : ''}`)
    return
  }
  if (mode !== 'backup') throw new Error('用法：npm run backup [-- <文件>] 或 npm run restore -- <备份文件>')
  const dest = arg ?? path.join(config.dataDir, 'backups', `gongzhi-${stamp()}.sqlite`)
  const r = await backupSqlite(config.sqliteFile, dest)
  console.log(`已备份 ${config.sqliteFile} → ${r.file}（${(r.bytes / 1024 / 1024).toFixed(1)} MB，${r.pages} 页，${r.ms} ms）`)
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
