/**
 * `npm run audit-verify [-- --community <id>] [-- --head <seq>:<hash>]`: checks every 小区's audit
 * chain (each entry's hash, link and HMAC keyed by AUDIT_HMAC_SECRET, and the chain head) against
 * the checkpoints written outside the database (`<DATA_DIR>/audit-checkpoints.log`): a log shorter
 * than or diverging from any checkpoint is refused. Then it walks the verifier's registry
 * (server/audit/verifiers.ts): each feature's records — the votes' frozen electorates, ballots,
 * paper entries, results and result notices; the repair fund's ledger and its documents; binding
 * approvals that changed ownership, with their proof photos; the committee's same-owner decisions;
 * owners' objections and their answers — must still match what the log recorded when they were
 * written. `--head` takes a head printed in a 表决结果 or 财务公开 notice and checks the chain up to it
 * (of the 小区 named, or of the 小区 whose entry it is). Reads only; exits 1 on any finding. Uses
 * the same settings as the server (DATABASE_URL, or SQLITE_FILE / DATA_DIR, and AUDIT_HMAC_SECRET).
 */
import { loadConfig } from '../server/config'
import { createDb } from '../server/db/create-db'
import { auditChains, verifyAuditAll } from '../server/audit/verifiers'
import { checkpointPath, parseHead } from '../server/audit/checkpoints'

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}

async function main() {
  const args = process.argv.slice(2)
  const only = arg(args, '--community')
  const headText = arg(args, '--head')
  const head = headText === undefined ? undefined : parseHead(headText)
  if (head === null) {
    console.error('--head 的格式应为 <序号>:<64 位哈希>，即公告中所印的审计链头')
    process.exit(2)
  }
  const config = loadConfig()
  const { db, dialect } = await createDb({ databaseUrl: config.databaseUrl, sqliteFile: config.sqliteFile })
  try {
    const chains = auditChains()
    let ids = only ? [only] : undefined
    let points: Record<string, { seq: number; hash: string; source: string }[]> | undefined
    if (head) {
      // The 小区 of the printed head: the one named, else every 小区 whose entry at that seq has that hash.
      if (!ids) {
        const rows = await db.selectFrom('audit_log').select('community_id').where('seq', '=', head.seq).where('hash', '=', head.hash).execute()
        ids = rows.map((r) => r.community_id)
      }
      if (ids.length === 0) {
        console.log(`没有第 ${head.seq} 条、哈希为 ${head.hash} 的审计记录：所印链头之前的记录被删除或改写`)
        console.log(`校验失败（${dialect}）`)
        process.exitCode = 1
        return
      }
      points = Object.fromEntries(ids.map((id) => [id, [{ ...head, source: '所印链头' }]]))
    }
    const reports = await verifyAuditAll({ db, config }, ids, chains, { checkpointFile: checkpointPath(config), points })
    let bad = 0
    for (const r of reports) {
      const status = r.ok ? '完好' : '发现问题'
      const counts = chains.map((c) => `${c.label} ${r.checked[c.name] ?? 0} 个`)
      console.log(`小区 ${r.communityId}：${[`审计记录 ${r.entries} 条`, ...counts, status].join('，')}`)
      for (const p of r.problems) console.log(`  - ${p}`)
      if (!r.ok) bad++
    }
    if (reports.length === 0) console.log('没有审计记录')
    if (head && bad === 0) console.log(`所印链头 ${head.seq}:${head.hash} 与审计链相符`)
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
