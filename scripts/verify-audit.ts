/**
 * `npm run audit-verify [-- --community <id>]`: checks every 小区's audit chain (each entry's hash
 * and link, and the chain head), then walks the verifier's registry (server/audit/verifiers.ts):
 * each feature's records — today the votes' frozen electorates, ballots, results and result
 * notices — must still match what the log recorded when they were written. Reads only; exits 1
 * on any finding. Uses the same database settings as the server (DATABASE_URL, or SQLITE_FILE / DATA_DIR).
 */
import { loadConfig } from '../server/config'
import { createDb } from '../server/db/create-db'
import { auditChains, verifyAuditAll } from '../server/audit/verifiers'

async function main() {
  const args = process.argv.slice(2)
  const i = args.indexOf('--community')
  const only = i >= 0 ? args[i + 1] : undefined
  const config = loadConfig()
  const { db, dialect } = await createDb({ databaseUrl: config.databaseUrl, sqliteFile: config.sqliteFile })
  try {
    const chains = auditChains()
    const reports = await verifyAuditAll(db, only ? [only] : undefined, chains)
    let bad = 0
    for (const r of reports) {
      const status = r.ok ? '完好' : '发现问题'
      const counts = chains.map((c) => `${c.label} ${r.checked[c.name] ?? 0} 个`)
      console.log(`小区 ${r.communityId}：${[`审计记录 ${r.entries} 条`, ...counts, status].join('，')}`)
      for (const p of r.problems) console.log(`  - ${p}`)
      if (!r.ok) bad++
    }
    if (reports.length === 0) console.log('没有审计记录')
    console.log(bad === 0 ? `校验通过（${dialect}）` : `校验失败：${bad} 个小区的记录与审计链不符`)
    process.exitCode = bad === 0 ? 0 : 1
  } finally {
    await db.destroy()
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(2)
})
