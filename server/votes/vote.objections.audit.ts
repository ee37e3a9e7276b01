import type { AuditChain } from '../audit/verifiers'
import type { DbOrTx } from '../db/database'

/**
 * Owners' objections to a vote's electorate and the committee's answers (vote.objections, issue 8
 * item 5) as the audit log recorded them: raising is a `vote.objection_raised` entry (vote and
 * text), answering a `vote.objection_answered` one (the answer). The verifier (registered in
 * server/audit/verifiers.ts) compares vote_objections with them: an objection or answer changed,
 * an objection deleted (they are kept with the vote, never deleted), or one written or answered
 * without an entry is a finding.
 */

type Logged = { actor: string | null; at: string; payload: { voteId: string; text?: string; answer?: string } }

/** Compares one 小区's objections and answers with the audit log. */
export async function verifyObjectionRecords(db: DbOrTx, communityId: string): Promise<{ checked: number; problems: string[] }> {
  const entries = await db
    .selectFrom('audit_log')
    .select(['entity_id', 'action', 'actor', 'at', 'payload'])
    .where('community_id', '=', communityId)
    .where('entity_type', '=', 'vote_objection')
    .where('action', 'in', ['vote.objection_raised', 'vote.objection_answered'])
    .orderBy('seq')
    .execute()
  const raised = new Map<string, Logged>()
  const answered = new Map<string, Logged>()
  for (const e of entries) {
    const logged = { actor: e.actor, at: e.at, payload: JSON.parse(e.payload) as Logged['payload'] }
    ;(e.action === 'vote.objection_raised' ? raised : answered).set(e.entity_id, logged)
  }
  const rows = await db.selectFrom('vote_objections').selectAll().where('community_id', '=', communityId).orderBy('raised_at').orderBy('id').execute()
  const titles = new Map((await db.selectFrom('votes').select(['id', 'title']).where('community_id', '=', communityId).execute()).map((v) => [v.id, v.title]))
  const ofVote = (voteId: string, id: string) => `${titles.has(voteId) ? `表决「${titles.get(voteId)}」` : `表决 ${voteId} `}的异议 ${id}`
  const problems: string[] = []
  const seen = new Set<string>()
  for (const r of rows) {
    seen.add(r.id)
    const where = ofVote(r.vote_id, r.id)
    const up = raised.get(r.id)
    if (!up) problems.push(`${where}没有审计记录（被另行写入）`)
    else {
      const differ = [
        r.vote_id !== up.payload.voteId ? '所属表决' : null,
        r.text !== up.payload.text ? '异议内容' : null,
        r.raised_by !== up.actor ? '提出人' : null,
        r.raised_at !== up.at ? '提出时间' : null,
      ].filter((d): d is string => d !== null)
      if (differ.length) problems.push(`${where}与审计记录不符（被改动）：${differ.join('、')}`)
    }
    const ans = answered.get(r.id)
    if (r.answer === null && r.answered_by === null && r.answered_at === null) {
      if (ans) problems.push(`${where}的答复已不在异议表中（被删除）`)
    } else if (!ans) problems.push(`${where}的答复没有审计记录（被另行写入）`)
    else {
      const differ = [
        r.answer !== ans.payload.answer ? '答复内容' : null,
        r.answered_by !== ans.actor ? '答复人' : null,
        r.answered_at !== ans.at ? '答复时间' : null,
        ans.payload.voteId !== r.vote_id ? '所属表决' : null,
      ].filter((d): d is string => d !== null)
      if (differ.length) problems.push(`${where}的答复与审计记录不符（被改动）：${differ.join('、')}`)
    }
  }
  for (const [id, e] of raised) if (!seen.has(id)) problems.push(`${ofVote(e.payload.voteId, id)}已不在异议表中（被删除）`)
  for (const [id, e] of answered) if (!seen.has(id) && !raised.has(id)) problems.push(`${ofVote(e.payload.voteId, id)}已不在异议表中（被删除）`)
  return { checked: rows.length, problems }
}

/** The objections in the audit verifier's registry (server/audit/verifiers.ts). */
export const voteObjectionsAuditChain: AuditChain = {
  name: 'objections',
  label: '名单异议',
  communities: async (db) => (await db.selectFrom('vote_objections').select('community_id').distinct().execute()).map((r) => r.community_id),
  verify: (db, communityId) => verifyObjectionRecords(db, communityId),
}
