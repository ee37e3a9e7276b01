import { createHash } from 'node:crypto'
import { appendAudit, canonicalJson, rowToEntry } from '../audit/audit.service'
import { entityIdsWithAction, entriesOfEntity } from '../audit/audit.repository'
import type { AuditChain } from '../audit/verifiers'
import type { Ctx } from '../context'
import type { DbOrTx } from '../db/database'
import * as repo from './vote.repository'
import type { BallotRow, MatterRow, ResultRow, VoteRow } from './vote.repository'

/**
 * The vote's audit trail: every state change, ballot and paper entry is appended to the 小区's
 * hash-chained log in the transaction that makes it (these payloads), and verifyVoteRecords
 * compares the tables with what the log recorded.
 */

export type VoteAuditAction =
  | 'vote.created'
  | 'vote.edited'
  | 'vote.deleted'
  | 'vote.announced'
  | 'vote.corrected'
  | 'vote.cancelled'
  | 'vote.opened'
  | 'vote.counting'
  | 'vote.closed'
  | 'ballot.cast'
  | 'ballot.paper'
  | 'ballot.conflict'

/** The status each status-changing entry leaves the vote in: verification replays them in order. */
const STATUS_AFTER: Record<string, VoteRow['status']> = {
  'vote.created': 'draft',
  'vote.announced': 'announced',
  'vote.corrected': 'announced',
  'vote.cancelled': 'cancelled',
  'vote.opened': 'open',
  'vote.counting': 'counting',
  'vote.closed': 'closed',
}

/** Appends one entry about a vote; ctx.db must be the transaction of the change it records. */
export async function appendVoteAudit(ctx: Ctx, e: { communityId: string; voteId: string; at: string; actor: string | null; action: VoteAuditAction; payload: object }): Promise<void> {
  await appendAudit(ctx.db, { communityId: e.communityId, at: e.at, actor: e.actor, action: e.action, entityType: 'vote', entityId: e.voteId, payload: e.payload })
}

/** The audited form of a matter (what verification compares the stored matters with). */
export const matterPayload = (m: MatterRow) => ({ id: m.id, position: m.position, item: m.item, class: m.class, title: m.title, description: m.description })

/** What vote.created records: the vote as drafted, with its matters and scope. */
export function createdPayload(row: VoteRow, buildingIds: string[], matters: MatterRow[]) {
  return {
    title: row.title,
    description: row.description,
    scope: row.scope,
    buildingIds: [...buildingIds].sort(),
    opensAt: row.opens_at,
    closesAt: row.closes_at,
    matters: matters.map(matterPayload),
    // Only when paper is accepted, so entries recorded before migration 019 read the same.
    ...(Number(row.accepts_paper) === 1 ? { acceptsPaper: true, countingDays: Number(row.counting_days) } : {}),
  }
}

/** A digest of the frozen electorate and who may cast each key, recorded in the audit log at opening. */
export function electorateDigest(entries: { unit_id: string; voter_key: string; area_centi_m2: number; unit_label: string }[], voters: { voter_key: string; person_id: string }[]): string {
  const e = entries.map((r) => [r.unit_id, r.voter_key, Number(r.area_centi_m2), r.unit_label]).sort((a, b) => String(a[0]).localeCompare(String(b[0])))
  const v = voters.map((r) => [r.voter_key, r.person_id]).sort((a, b) => (a[0] + ' ' + a[1]).localeCompare(b[0] + ' ' + b[1]))
  return createHash('sha256').update(canonicalJson({ electorate: e, voters: v })).digest('hex')
}

/** The audited form of one ballot paper (what verification compares the stored rows with). */
export function ballotPayload(rows: BallotRow[]) {
  const r = rows[0]
  return {
    voterKey: r.voter_key,
    channel: r.channel,
    receiptCode: r.receipt_code,
    castAt: r.cast_at,
    castBy: r.cast_by,
    personId: r.person_id,
    evidenceFile: r.evidence_file,
    // A proxy's name and a paper's signing time (migration 019), only when there are some.
    ...(r.kind === 'proxy' ? { kind: r.kind, proxyName: r.proxy_name } : {}),
    ...(r.signed_at ? { signedAt: r.signed_at } : {}),
    rows: [...rows].sort((a, b) => a.id.localeCompare(b.id)).map((b) => ({ id: b.id, matterId: b.matter_id, choice: b.choice })),
  }
}

/** The digest of a published notice's title and body, recorded when the vote closes. */
export function noticeDigest(n: { title: string; body: string }): string {
  return createHash('sha256').update(n.title).update('\n').update(n.body).digest('hex')
}

/**
 * The audited form of a result row (what verification compares the stored row with). The invalid
 * papers' figures (migration 019) are left out when there are none, so results recorded before
 * them still compare equal.
 */
export function resultPayload(r: ResultRow) {
  const { community_id: _c, vote_id: _v, ...rest } = r
  const out = Object.fromEntries(Object.entries(rest).map(([k, val]) => [k, typeof val === 'string' ? val : Number(val)]))
  if (!out.invalid_area_centi_m2 && !out.invalid_headcount) {
    delete out.invalid_area_centi_m2
    delete out.invalid_headcount
  }
  return out
}

/**
 * Checks the vote records against the audit log. The chain proves the log itself is intact;
 * this proves the tables still say what the log recorded when each row was written: a ballot
 * whose choice was changed, a ballot added or removed behind the app's back, an altered frozen
 * electorate or result, or a vote whose status or dates moved without an entry.
 */
export async function verifyVoteRecords(db: DbOrTx, communityId: string): Promise<{ votesChecked: number; problems: string[] }> {
  const problems: string[] = []
  const votes = await repo.votesOfCommunity(db, communityId)
  // A vote the log recorded must still exist: deleting a whole vote with its ballots and results
  // leaves no row to compare, so it is found from the log's side.
  const stored = new Set(votes.map((v) => v.id))
  // A draft deleted through the app leaves its vote.deleted entry; any other missing vote was removed behind its back.
  const deleted = new Set(await entityIdsWithAction(db, communityId, 'vote', 'vote.deleted'))
  for (const id of await entityIdsWithAction(db, communityId, 'vote', 'vote.created')) {
    if (!stored.has(id) && !deleted.has(id)) problems.push(`审计记录中的表决（${id}）已不在表决表中（被删除）`)
  }
  for (const vote of votes) {
    const where = `表决「${vote.title}」（${vote.id}）`
    const entries = (await entriesOfEntity(db, communityId, 'vote', vote.id)).map((r) => ({ seq: r.seq, ...rowToEntry(r) }))
    const of = (action: string) => entries.filter((e) => e.action === action)
    // Audit payloads are JSON written by this module; read back as such.
    const payload = (e: { payload: unknown }) => e.payload as Record<string, unknown>

    const created = of('vote.created')[0]
    if (!created) {
      problems.push(`${where}：审计记录中没有创建记录`)
      continue
    }
    const opened = of('vote.opened')[0]
    const closed = of('vote.closed')[0]
    let expectedStatus: string = 'draft'
    for (const e of entries) expectedStatus = STATUS_AFTER[e.action] ?? expectedStatus
    if (vote.status !== expectedStatus) problems.push(`${where}：状态为 ${vote.status}，审计记录为 ${expectedStatus}`)

    // The vote as last written (drafted, edited, or corrected) and its dates as last announced.
    const last = (...actions: string[]) => entries.filter((e) => actions.includes(e.action)).at(-1)
    const c = payload(last('vote.created', 'vote.edited', 'vote.corrected')!)
    const dated = last('vote.announced', 'vote.corrected')
    const dates = dated ? payload(dated) : c
    if (vote.title !== c.title || vote.description !== c.description || vote.scope !== c.scope) problems.push(`${where}：标题、说明或范围与审计记录不符`)
    if (vote.opens_at !== dates.opensAt || vote.closes_at !== dates.closesAt) problems.push(`${where}：投票时间与审计记录不符`)
    // Whether it takes paper decides whether it closes into counting, and for how long.
    if ((Number(vote.accepts_paper) === 1) !== (c.acceptsPaper === true) || Number(vote.counting_days) !== Number(c.countingDays ?? 0)) {
      problems.push(`${where}：是否接受纸质票或计票期与审计记录不符`)
    }
    const counting = of('vote.counting')[0]
    if (counting && vote.counting_ends_at !== payload(counting).countingEndsAt) problems.push(`${where}：计票截止时间与审计记录不符`)
    const matters = await repo.mattersOf(db, communityId, vote.id)
    const recordedMatters = canonicalJson(c.matters)
    const storedMatters = canonicalJson(matters.map(matterPayload))
    if (recordedMatters !== storedMatters) problems.push(`${where}：表决事项与审计记录不符`)
    const scope = (await repo.scopeBuildingsOf(db, communityId, vote.id)).map((b) => b.id).sort()
    if (canonicalJson(scope) !== canonicalJson(c.buildingIds)) problems.push(`${where}：表决范围（楼栋）与审计记录不符`)

    if (opened) {
      const electorate = await repo.electorateOf(db, communityId, vote.id)
      const voters = await repo.votersOf(db, communityId, vote.id)
      if (electorateDigest(electorate, voters) !== payload(opened).electorateDigest) problems.push(`${where}：开始投票时冻结的业主名单被改动`)
    } else if ((await repo.electorateOf(db, communityId, vote.id)).length > 0) {
      problems.push(`${where}：未开始投票却有业主名单`)
    }

    // Ballots: every stored row must be one recorded, unchanged; every recorded one must be stored.
    const recorded = new Map<string, string>()
    for (const e of [...of('ballot.cast'), ...of('ballot.paper')]) {
      const p = payload(e)
      for (const r of p.rows as { id: string; matterId: string; choice: string }[]) {
        recorded.set(r.id, canonicalJson({ ...p, rows: undefined, matterId: r.matterId, choice: r.choice }))
      }
    }
    const stored = await repo.ballotsOf(db, communityId, vote.id)
    const seen = new Set<string>()
    for (const b of stored) {
      seen.add(b.id)
      const expected = recorded.get(b.id)
      const actual = canonicalJson({ ...ballotPayload([b as BallotRow]), rows: undefined, matterId: b.matter_id, choice: b.choice })
      if (expected === undefined) problems.push(`${where}：回执 ${b.receipt_code} 的一条选票没有审计记录（被另行写入）`)
      else if (expected !== actual) problems.push(`${where}：回执 ${b.receipt_code} 的选票与审计记录不符（被改动）`)
    }
    for (const id of recorded.keys()) if (!seen.has(id)) problems.push(`${where}：审计记录中的选票 ${id} 已不在选票表中（被删除）`)

    const results = await repo.resultsOf(db, communityId, vote.id)
    if (closed) {
      const byMatter = (a: Record<string, unknown>, b: Record<string, unknown>) => String(a.matter_id).localeCompare(String(b.matter_id))
      const expected = canonicalJson([...(payload(closed).results as Record<string, unknown>[])].sort(byMatter))
      const actual = canonicalJson(results.map(resultPayload).sort(byMatter))
      if (expected !== actual) problems.push(`${where}：表决结果与审计记录不符`)
      if (vote.result_notice_id !== payload(closed).resultNoticeId) problems.push(`${where}：结果公告与审计记录不符`)
      // The published result must stay as published: never withdrawn, edited or removed.
      const notice = await repo.resultNotice(db, communityId, String(payload(closed).resultNoticeId))
      if (!notice) problems.push(`${where}：结果公告已不存在`)
      else {
        if (notice.withdrawn_at) problems.push(`${where}：结果公告已被撤回`)
        // Logs written before the digest was recorded carry none; those are checked for presence only.
        const digest = payload(closed).resultNoticeSha256
        if (typeof digest === 'string' && noticeDigest(notice) !== digest) problems.push(`${where}：结果公告的内容与审计记录不符（被改动）`)
      }
    } else if (results.length > 0) {
      problems.push(`${where}：未结束却有表决结果`)
    }
  }
  return { votesChecked: votes.length, problems }
}

/**
 * The votes' entry in the audit verifier's registry (server/audit/verifiers.ts): besides the hash
 * chain, a vote deleted whole, a ballot changed, added or removed, a frozen electorate or result
 * altered, and a result notice changed or withdrawn are found here.
 */
export const voteAuditChain: AuditChain = {
  name: 'votes',
  label: '表决记录',
  communities: (db) => repo.communitiesWithVotes(db),
  verify: async (db, communityId) => {
    const r = await verifyVoteRecords(db, communityId)
    return { checked: r.votesChecked, problems: r.problems }
  },
}
