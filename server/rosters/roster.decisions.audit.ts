import type { AuditChain } from '../audit/verifiers'
import type { DbOrTx } from '../db/database'

/**
 * The committee's same-owner decisions (roster.duplicates decideRosterDuplicate, issue 8 item 1) as
 * the audit log recorded them: every decision about a pair of roster persons is an entry
 * (`roster.owners_merged` or `roster.owners_kept_apart`), and a later decision replaces the pair's
 * row. The verifier (registered in server/audit/verifiers.ts) compares roster_owner_decisions with
 * the last entry of each pair: a decision changed (merge ↔ apart, who or when), deleted, or written
 * without an entry is a finding — each changes how many owners a vote counts.
 */

const DECISION = { merge: '同一人，合并', apart: '不同的人，分开' } as const

/** Compares one 小区's same-owner decisions with the audit log. */
export async function verifyRosterDecisions(db: DbOrTx, communityId: string): Promise<{ checked: number; problems: string[] }> {
  const entries = await db
    .selectFrom('audit_log')
    .select(['entity_id', 'actor', 'at', 'payload'])
    .where('community_id', '=', communityId)
    .where('entity_type', '=', 'roster_person_pair')
    .where('action', 'in', ['roster.owners_merged', 'roster.owners_kept_apart'])
    .orderBy('seq')
    .execute()
  // The last decision of each pair is the one in force.
  const logged = new Map<string, { actor: string | null; at: string; decision: string; name: string }>()
  for (const e of entries) {
    const p = JSON.parse(e.payload) as { decision: string; name: string }
    logged.set(e.entity_id, { actor: e.actor, at: e.at, decision: p.decision, name: p.name })
  }
  const rows = await db.selectFrom('roster_owner_decisions').selectAll().where('community_id', '=', communityId).execute()
  const personIds = [...new Set([...rows.flatMap((r) => [r.person_a, r.person_b]), ...[...logged.keys()].flatMap((pair) => pair.split('+'))])]
  const names = new Map(
    personIds.length ? (await db.selectFrom('persons').select(['id', 'name']).where('community_id', '=', communityId).where('id', 'in', personIds).execute()).map((p) => [p.id, p.name]) : [],
  )
  const problems: string[] = []
  const what = (pair: string, logged?: string) => {
    const [a, b] = pair.split('+').map((id) => names.get(id) ?? logged ?? '？')
    return `对${a === b ? `两条“${a}”` : `“${a}”与“${b}”两条`}名册记录（${pair.replace('+', '、')}）的同一业主认定`
  }
  const seen = new Set<string>()
  for (const r of rows) {
    const pair = `${r.person_a}+${r.person_b}`
    seen.add(pair)
    const e = logged.get(pair)
    if (!e) {
      problems.push(`${what(pair)}（${DECISION[r.decision] ?? r.decision}）没有审计记录（被另行写入）`)
      continue
    }
    const differ = [
      r.decision !== e.decision ? `决定为“${DECISION[r.decision] ?? r.decision}”，审计记录为“${DECISION[e.decision as keyof typeof DECISION] ?? e.decision}”` : null,
      r.decided_by !== e.actor ? '决定人' : null,
      r.decided_at !== e.at ? '决定时间' : null,
    ].filter((d): d is string => d !== null)
    if (differ.length) problems.push(`${what(pair, e.name)}与审计记录不符（被改动）：${differ.join('、')}`)
  }
  for (const [pair, e] of logged) if (!seen.has(pair)) problems.push(`${what(pair, e.name)}已不在决定表中（被删除）`)
  return { checked: rows.length, problems }
}

/** The same-owner decisions in the audit verifier's registry (server/audit/verifiers.ts). */
export const rosterDecisionsAuditChain: AuditChain = {
  name: 'rosterDecisions',
  label: '同一业主认定',
  communities: async (db) => (await db.selectFrom('roster_owner_decisions').select('community_id').distinct().execute()).map((r) => r.community_id),
  verify: (db, communityId) => verifyRosterDecisions(db, communityId),
}
