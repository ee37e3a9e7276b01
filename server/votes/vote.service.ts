import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { Role } from '../../src/contracts/common'
import {
  ART278_ITEMS,
  CHOICE_LABELS,
  DAY_MS,
  VOTE_MANAGER_ROLES,
  WINDOW_MAX_DAYS,
  WINDOW_MIN_DAYS,
  type Bar,
  type Choice,
  type ConflictInfo,
  type ElectorateVoter,
  type MatterInfo,
  type MatterProgress,
  type MyBallot,
  type MyVoteStatus,
  type PaperBallotResult,
  type ReceiptLookup,
  type VoteDetail,
  type VoteProgress,
  type VoteSetup,
  type VoteSummary,
} from '../../src/contracts/votes'
import { formatArea } from '../../src/contracts/units'
import { BODY_MAX, TITLE_MAX } from '../../src/contracts/notices'
import { appendAudit, canonicalJson } from '../audit/audit.service'
import type { DbOrTx } from '../db/database'
import { AppError } from '../errors'
import { publishNotice } from '../notices/notice.service'
import { freezeElectorate, voterKind } from './electorate'
import * as repo from './vote.repository'
import type { BallotRow, ElectorateRow, MatterRow, ResultRow, VoteRow } from './vote.repository'
import { PASS_LINE, QUORUM, matterClass, meets, minimumToMeet, tallyMatter } from './tally'
import type { VoteStatus } from './vote.table'

/**
 * The rules of owners' assembly votes (domain.md "Owners' assembly votes"). Every count goes
 * through tallyMatter; every change is written together with its audit-log entry in one
 * transaction; nothing is ever deleted.
 */

export interface Actor {
  userId: string
  roles: Role[]
}

const isManager = (roles: Role[]) => roles.some((r) => (VOTE_MANAGER_ROLES as readonly string[]).includes(r))

function inTx<T>(db: DbOrTx, fn: (trx: DbOrTx) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn)
}

/** Asia/Shanghai has no daylight saving: UTC+8 always. "2026-12-01 08:00". */
export function beijingTime(iso: string): string {
  return new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')
}

/** "66.67%": integer arithmetic, rounded half up, for people to read; rules never use it. */
export function percent(part: number, whole: number): string {
  if (whole === 0) return '—'
  const basis = (BigInt(part) * 20000n) / BigInt(whole)
  const hundredths = (basis + 1n) / 2n
  return `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}%`
}

// ── receipts ────────────────────────────────────────────────────────────────

/** Crockford's base32: no I, L, O, U, so a code read aloud or copied by hand is not misread. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/**
 * A receipt is a hash of the ballot paper (vote, voter, channel, time, choices) and 128 random
 * bits, cut to 50 bits and written XXXXX-XXXXX. The random part makes it unlinkable to the voter,
 * so it can be published beside the choices; the 50 bits make a guess or a clash negligible.
 */
function makeReceipt(parts: unknown): string {
  const digest = createHash('sha256').update(canonicalJson(parts)).update(randomBytes(16)).digest()
  let n = digest.readBigUInt64BE(0) >> 14n
  let s = ''
  for (let i = 0; i < 10; i++) {
    s = ALPHABET[Number(n & 31n)] + s
    n >>= 5n
  }
  return `${s.slice(0, 5)}-${s.slice(5)}`
}

/** Reads a receipt as people type it: any case, with or without the dash, O for 0 and I/L for 1. */
export function normalizeReceipt(code: string): string {
  const s = code.toUpperCase().replace(/[^0-9A-Z]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1')
  return `${s.slice(0, 5)}-${s.slice(5, 10)}`
}

// ── mapping ─────────────────────────────────────────────────────────────────

function toMatter(m: MatterRow): MatterInfo {
  return { id: m.id, position: m.position, item: m.item, itemLabel: ART278_ITEMS[m.item], class: m.class, title: m.title, description: m.description }
}

function toSummary(v: VoteRow, matterCount: number): Omit<VoteSummary, 'myPart'> {
  return {
    id: v.id,
    communityId: v.community_id,
    title: v.title,
    status: v.status,
    scope: v.scope,
    announceAt: v.announce_at,
    opensAt: v.opens_at,
    closesAt: v.closes_at,
    matterCount,
  }
}

async function loadVote(db: DbOrTx, communityId: string, voteId: string): Promise<VoteRow> {
  const v = await repo.findVote(db, communityId, voteId)
  if (!v) throw new AppError('NotFound', '找不到这次表决')
  return v
}

function requireManager(actor: Actor): void {
  if (!isManager(actor.roles)) throw new AppError('Forbidden', '只有业委会（物管会）委员或社区工作人员可以组织表决')
}

// ── dates ───────────────────────────────────────────────────────────────────

/**
 * Notice period: the vote opens at least `noticeDays` after it is announced (物业管理条例 art. 14;
 * the 小区's rules may set another period). Window: 5 to 60 days (Hangzhou art. 20).
 */
function checkDates(opensAt: Date, closesAt: Date, announceAt: Date, noticeDays: number): void {
  if (Number.isNaN(opensAt.getTime()) || Number.isNaN(closesAt.getTime())) throw new AppError('BadInput', '时间格式不正确')
  const earliest = new Date(announceAt.getTime() + noticeDays * DAY_MS)
  if (opensAt < earliest) {
    throw new AppError('BadInput', `表决须在公告发布 ${noticeDays} 天后才能开始：最早 ${beijingTime(earliest.toISOString())}（北京时间）`)
  }
  const window = closesAt.getTime() - opensAt.getTime()
  if (window < WINDOW_MIN_DAYS * DAY_MS || window > WINDOW_MAX_DAYS * DAY_MS) {
    throw new AppError('BadInput', `投票期应为 ${WINDOW_MIN_DAYS}–${WINDOW_MAX_DAYS} 天`)
  }
}

/** What the create form needs: the 小区's notice period and its buildings. */
export async function voteSetup(db: DbOrTx, actor: Actor, communityId: string): Promise<VoteSetup> {
  requireManager(actor)
  const community = await repo.communityForVotes(db, communityId)
  if (!community) throw new AppError('NotFound', '小区不存在')
  return { noticeDays: Number(community.vote_notice_days), buildings: await repo.buildingsOfCommunity(db, communityId) }
}

// ── create, announce ────────────────────────────────────────────────────────

export interface CreateVoteRequest {
  communityId: string
  title: string
  description: string
  scope: 'whole' | 'buildings'
  buildingIds: string[]
  opensAt: string
  closesAt: string
  matters: { item: number; title: string; description: string }[]
}

export async function createVote(db: DbOrTx, actor: Actor, req: CreateVoteRequest, now: Date): Promise<VoteDetail> {
  requireManager(actor)
  const community = await repo.communityForVotes(db, req.communityId)
  if (!community) throw new AppError('NotFound', '小区不存在')
  checkDates(new Date(req.opensAt), new Date(req.closesAt), now, Number(community.vote_notice_days))
  const buildingIds = req.scope === 'buildings' ? [...new Set(req.buildingIds)] : []
  if (req.scope === 'buildings') {
    const found = await repo.buildingsByIds(db, req.communityId, buildingIds)
    if (found.length !== buildingIds.length) throw new AppError('NotFound', '所选楼栋不属于本小区')
  }
  const id = randomUUID()
  const nowIso = now.toISOString()
  const row: VoteRow = {
    id,
    community_id: req.communityId,
    title: req.title,
    description: req.description,
    status: 'draft',
    scope: req.scope,
    announce_at: null,
    opens_at: new Date(req.opensAt).toISOString(),
    closes_at: new Date(req.closesAt).toISOString(),
    opened_at: null,
    closed_at: null,
    announce_notice_id: null,
    result_notice_id: null,
    created_by: actor.userId,
    created_at: nowIso,
  }
  // The class is derived from the item here and checked again by the table's constraint.
  const matters: MatterRow[] = req.matters.map((m, i) => ({
    id: randomUUID(),
    community_id: req.communityId,
    vote_id: id,
    position: i + 1,
    item: m.item,
    class: matterClass(m.item),
    title: m.title,
    description: m.description,
  }))
  await inTx(db, async (trx) => {
    await repo.insertVote(trx, row)
    await repo.insertMatters(trx, matters)
    await repo.insertScopeBuildings(trx, req.communityId, id, buildingIds)
    await appendAudit(trx, {
      communityId: req.communityId,
      at: nowIso,
      actor: actor.userId,
      action: 'vote.created',
      entityType: 'vote',
      entityId: id,
      payload: {
        title: row.title,
        description: row.description,
        scope: row.scope,
        buildingIds: [...buildingIds].sort(),
        opensAt: row.opens_at,
        closesAt: row.closes_at,
        matters: matters.map((m) => ({ id: m.id, position: m.position, item: m.item, class: m.class, title: m.title, description: m.description })),
      },
    })
  })
  return getVote(db, actor, req.communityId, id)
}

function publisherOf(actor: Actor, community: NonNullable<Awaited<ReturnType<typeof repo.communityForVotes>>>): { role: string; name: string } {
  for (const role of ['committee_chair', 'committee_member'] as const) {
    if (actor.roles.includes(role)) return { role, name: community.committee_name }
  }
  return { role: 'community_officer', name: community.office_name }
}

/** The body that speaks for the 小区 in system notices: the committee, or the office when it acts for one. */
function systemPublisherName(community: NonNullable<Awaited<ReturnType<typeof repo.communityForVotes>>>): string {
  return community.governance === 'office_acting' ? community.office_name : community.committee_name
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`
}

function scopeText(scope: 'whole' | 'buildings', buildings: { name: string }[]): string {
  return scope === 'whole' ? '全体业主' : `${buildings.map((b) => b.name).join('、')}业主`
}

/** Publishes the announcement (a 公示 posted until the vote closes) and moves the draft to announced. */
export async function announceVote(
  db: DbOrTx,
  actor: Actor,
  req: { communityId: string; voteId: string; opensAt?: string; closesAt?: string },
  now: Date,
): Promise<VoteDetail> {
  requireManager(actor)
  const community = await repo.communityForVotes(db, req.communityId)
  if (!community) throw new AppError('NotFound', '小区不存在')
  const nowIso = now.toISOString()
  await inTx(db, async (trx) => {
    const vote = await loadVote(trx, req.communityId, req.voteId)
    if (vote.status !== 'draft') throw new AppError('Conflict', '这次表决已经公告过了')
    const opensAt = new Date(req.opensAt ?? vote.opens_at)
    const closesAt = new Date(req.closesAt ?? vote.closes_at)
    checkDates(opensAt, closesAt, now, Number(community.vote_notice_days))
    const matters = await repo.mattersOf(trx, req.communityId, req.voteId)
    const buildings = await repo.scopeBuildingsOf(trx, req.communityId, req.voteId)
    const publisher = publisherOf(actor, community)
    const lines = [
      vote.description,
      `表决范围：${scopeText(vote.scope, buildings)}`,
      `投票时间：${beijingTime(opensAt.toISOString())} 至 ${beijingTime(closesAt.toISOString())}（北京时间）`,
      '',
      '表决事项：',
      ...matters.map((m) => `${m.position}. ${m.title}（《民法典》第二百七十八条第${m.item}项：${ART278_ITEMS[m.item]}；${m.class === 'special' ? '须参与表决面积和人数均达三分之二以上，且同意面积和人数均达参与表决的四分之三以上' : '须参与表决面积和人数均达三分之二以上，且同意面积和人数均过参与表决的半数'}）${m.description ? `\n   ${m.description}` : ''}`),
      '',
      '每位业主对每个事项选择同意、反对或弃权，一经提交不可更改；拥有多套房屋的业主对范围内全部房屋投一票，面积合计、人数计一人；共有房屋由共有人推选一人投票。投票后可凭回执码查询计票情况。',
      '也可领取纸质表决票，签字后交业委会，由业委会拍照录入。',
    ].filter((l, i) => i !== 0 || l.trim() !== '')
    const notice = await publishNotice(trx, {
      communityId: req.communityId,
      kind: '公示',
      title: clip(`业主大会表决公告：${vote.title}`, TITLE_MAX),
      body: clip(lines.join('\n'), BODY_MAX),
      publisherRole: publisher.role,
      publisherName: publisher.name,
      publishedBy: actor.userId,
      now,
      postingEndsAt: new Date(Math.max(closesAt.getTime(), now.getTime() + 7 * DAY_MS)),
      sourceKey: `vote:${vote.id}:announce`,
    })
    const moved = await repo.transition(trx, req.communityId, req.voteId, 'draft', 'announced', {
      announce_at: nowIso,
      opens_at: opensAt.toISOString(),
      closes_at: closesAt.toISOString(),
      announce_notice_id: notice.id,
    })
    if (!moved) throw new AppError('Conflict', '这次表决已经公告过了')
    await appendAudit(trx, {
      communityId: req.communityId,
      at: nowIso,
      actor: actor.userId,
      action: 'vote.announced',
      entityType: 'vote',
      entityId: vote.id,
      payload: { announceAt: nowIso, opensAt: opensAt.toISOString(), closesAt: closesAt.toISOString(), noticeId: notice.id },
    })
  })
  return getVote(db, actor, req.communityId, req.voteId)
}

// ── open, close, tick ───────────────────────────────────────────────────────

/** A digest of the frozen electorate and who may cast each key, recorded in the audit log at opening. */
export function electorateDigest(entries: { unit_id: string; voter_key: string; area_centi_m2: number; unit_label: string }[], voters: { voter_key: string; person_id: string }[]): string {
  const e = entries.map((r) => [r.unit_id, r.voter_key, Number(r.area_centi_m2), r.unit_label]).sort((a, b) => String(a[0]).localeCompare(String(b[0])))
  const v = voters.map((r) => [r.voter_key, r.person_id]).sort((a, b) => (a[0] + ' ' + a[1]).localeCompare(b[0] + ' ' + b[1]))
  return createHash('sha256').update(canonicalJson({ electorate: e, voters: v })).digest('hex')
}

/**
 * Opens an announced vote whose opening time has come: freezes the electorate (every unit in scope
 * with its area and voter key, and who may cast each key) from the roster as it is now. Later
 * roster changes do not touch it. Answers false when the vote was not due or someone else opened it.
 */
export async function openVote(db: DbOrTx, communityId: string, voteId: string, now: Date): Promise<boolean> {
  const nowIso = now.toISOString()
  return inTx(db, async (trx) => {
    const vote = await repo.findVote(trx, communityId, voteId)
    if (!vote || vote.status !== 'announced' || vote.opens_at > nowIso) return false
    if (!(await repo.transition(trx, communityId, voteId, 'announced', 'open', { opened_at: nowIso }))) return false
    const units = await repo.rosterUnitsInScope(trx, communityId, voteId, vote.scope)
    const frozen = freezeElectorate(units, await repo.developerPersonIds(trx, communityId))
    const entries: ElectorateRow[] = frozen.entries.map((e) => ({ community_id: communityId, vote_id: voteId, unit_id: e.unitId, voter_key: e.voterKey, area_centi_m2: e.areaCentiM2, unit_label: e.unitLabel }))
    const voters = frozen.voters.map((v) => ({ community_id: communityId, vote_id: voteId, voter_key: v.voterKey, person_id: v.personId }))
    await repo.insertElectorate(trx, entries)
    await repo.insertVoters(trx, voters)
    const totals = tallyMatter({ item: 9, electorate: frozen.entries, ballots: [] })
    await appendAudit(trx, {
      communityId,
      at: nowIso,
      actor: null,
      action: 'vote.opened',
      entityType: 'vote',
      entityId: voteId,
      payload: { openedAt: nowIso, units: entries.length, headcount: totals.totalHeadcount, totalAreaCentiM2: totals.totalAreaCentiM2, electorateDigest: electorateDigest(entries, voters) },
    })
    return true
  })
}

/** For each matter and voter the ballot that counts: the online one when there is also a paper one. */
function countedBallots(ballots: BallotRow[]): { counted: Map<string, BallotRow[]>; superseded: Set<string> } {
  const best = new Map<string, BallotRow>()
  for (const b of ballots) {
    const k = `${b.matter_id} ${b.voter_key}`
    const cur = best.get(k)
    if (!cur || (cur.channel === 'paper' && b.channel === 'online')) best.set(k, b)
  }
  const counted = new Map<string, BallotRow[]>()
  const kept = new Set<string>()
  for (const b of best.values()) {
    // Push in place: copying the list per ballot made progress quadratic in the ballots cast.
    const list = counted.get(b.matter_id)
    if (list) list.push(b)
    else counted.set(b.matter_id, [b])
    kept.add(b.id)
  }
  return { counted, superseded: new Set(ballots.filter((b) => !kept.has(b.id)).map((b) => b.id)) }
}

function conflictsOf(ballots: BallotRow[], electorate: ElectorateRow[]): ConflictInfo[] {
  const byKey = new Map<string, { online?: string; paper?: string }>()
  for (const b of ballots) {
    const e = byKey.get(b.voter_key) ?? {}
    if (b.channel === 'online') e.online = b.receipt_code
    else e.paper = b.receipt_code
    byKey.set(b.voter_key, e)
  }
  const units = unitsByKey(electorate)
  return [...byKey]
    .filter(([, e]) => e.online && e.paper)
    .map(([voterKey, e]) => ({ voterKey, units: (units.get(voterKey) ?? []).map((u) => u.unit_label), paperReceipt: e.paper! }))
    .sort((a, b) => a.units.join().localeCompare(b.units.join(), 'zh'))
}

function unitsByKey(electorate: ElectorateRow[]): Map<string, ElectorateRow[]> {
  const m = new Map<string, ElectorateRow[]>()
  for (const e of electorate) m.set(e.voter_key, [...(m.get(e.voter_key) ?? []), e])
  for (const list of m.values()) list.sort((a, b) => a.unit_label.localeCompare(b.unit_label, 'zh'))
  return m
}

type Figures = Omit<MatterProgress, 'matterId' | 'position' | 'item' | 'class' | 'title' | 'bars'>

/** The figures of one matter: the tally itself, plus how the participants split (for the report). */
function figuresOf(matter: MatterRow, electorate: ElectorateRow[], counted: BallotRow[]): Figures {
  const r = tallyMatter({
    item: matter.item,
    electorate: electorate.map((e) => ({ unitId: e.unit_id, voterKey: e.voter_key, areaCentiM2: e.area_centi_m2 })),
    ballots: counted.map((b) => ({ voterKey: b.voter_key, choice: b.choice })),
  })
  const area = new Map<string, number>()
  for (const e of electorate) area.set(e.voter_key, (area.get(e.voter_key) ?? 0) + e.area_centi_m2)
  const split = (choice: Choice) => {
    const bs = counted.filter((b) => b.choice === choice)
    return { area: bs.reduce((s, b) => s + (area.get(b.voter_key) ?? 0), 0), head: bs.length }
  }
  const oppose = split('oppose')
  const abstain = split('abstain')
  return { ...r, opposeAreaCentiM2: oppose.area, opposeHeadcount: oppose.head, abstainAreaCentiM2: abstain.area, abstainHeadcount: abstain.head }
}

function bar(value: number, total: number, t: typeof QUORUM): Bar {
  return { value, total, needed: minimumToMeet(total, t), met: meets(value, total, t) }
}

function toProgress(matter: MatterRow, f: Figures): MatterProgress {
  const line = PASS_LINE[matter.class]
  return {
    matterId: matter.id,
    position: matter.position,
    item: matter.item,
    class: matter.class,
    title: matter.title,
    ...f,
    bars: {
      quorumArea: bar(f.participatingAreaCentiM2, f.totalAreaCentiM2, QUORUM),
      quorumHeadcount: bar(f.participatingHeadcount, f.totalHeadcount, QUORUM),
      passArea: bar(f.agreeAreaCentiM2, f.participatingAreaCentiM2, line),
      passHeadcount: bar(f.agreeHeadcount, f.participatingHeadcount, line),
    },
  }
}

function resultToFigures(r: ResultRow): Figures {
  return {
    totalAreaCentiM2: r.total_area_centi_m2,
    totalHeadcount: r.total_headcount,
    participatingAreaCentiM2: r.participating_area_centi_m2,
    participatingHeadcount: r.participating_headcount,
    agreeAreaCentiM2: r.agree_area_centi_m2,
    agreeHeadcount: r.agree_headcount,
    opposeAreaCentiM2: r.oppose_area_centi_m2,
    opposeHeadcount: r.oppose_headcount,
    abstainAreaCentiM2: r.abstain_area_centi_m2,
    abstainHeadcount: r.abstain_headcount,
    quorumMet: r.quorum_met === 1,
    passed: r.passed === 1,
  }
}

/** Counted ballot papers for publication: receipt code and the choices in matter order; no names. */
function receiptsOf(matters: MatterRow[], ballots: BallotRow[], superseded: Set<string>) {
  const papers = new Map<string, { channel: 'online' | 'paper'; choices: Map<string, Choice> }>()
  for (const b of ballots) {
    if (superseded.has(b.id)) continue
    const p = papers.get(b.receipt_code) ?? { channel: b.channel, choices: new Map() }
    p.choices.set(b.matter_id, b.choice)
    papers.set(b.receipt_code, p)
  }
  return [...papers]
    .map(([receiptCode, p]) => ({ receiptCode, channel: p.channel, choices: matters.map((m) => p.choices.get(m.id)!).filter(Boolean) }))
    .sort((a, b) => a.receiptCode.localeCompare(b.receiptCode))
}

/** The longest tail the receipt list may need ("……其余 N 张回执见…"), kept free below BODY_MAX. */
const RECEIPTS_TAIL_ROOM = 60

function resultNoticeBody(vote: VoteRow, matters: MatterRow[], figures: Figures[], receipts: ReturnType<typeof receiptsOf>, conflicts: number, scope: string): string {
  const intro = [
    `表决范围：${scope}`,
    `投票时间：${beijingTime(vote.opens_at)} 至 ${beijingTime(vote.closes_at)}（北京时间）`,
    `专有部分总面积 ${formatArea(figures[0]?.totalAreaCentiM2 ?? 0)} ㎡，业主总人数 ${figures[0]?.totalHeadcount ?? 0} 人（按《民法典》第二百七十八条及最高人民法院建筑物区分所有权司法解释第八、九条计算：一套专有部分计一人，同一业主的多套房屋计一人，开发商未售房屋合计一人）。`,
    '',
  ]
  const full = matters.flatMap((m, i) => {
    const f = figures[i]
    return [
      `${m.position}. ${m.title}（第${m.item}项，${m.class === 'special' ? '特别事项：同意须达参与表决的四分之三以上' : '一般事项：同意须过参与表决的半数'}）`,
      `   参与表决：面积 ${formatArea(f.participatingAreaCentiM2)} ㎡（${percent(f.participatingAreaCentiM2, f.totalAreaCentiM2)}），人数 ${f.participatingHeadcount} 人（${percent(f.participatingHeadcount, f.totalHeadcount)}），${f.quorumMet ? '达到' : '未达到'}三分之二`,
      `   同意：面积 ${formatArea(f.agreeAreaCentiM2)} ㎡（占参与 ${percent(f.agreeAreaCentiM2, f.participatingAreaCentiM2)}），人数 ${f.agreeHeadcount} 人（占参与 ${percent(f.agreeHeadcount, f.participatingHeadcount)}）`,
      `   反对：面积 ${formatArea(f.opposeAreaCentiM2)} ㎡，${f.opposeHeadcount} 人；弃权：面积 ${formatArea(f.abstainAreaCentiM2)} ㎡，${f.abstainHeadcount} 人`,
      `   结果：${f.passed ? '通过' : '未通过'}`,
    ]
  })
  const receiptsHead = ['', `计入的表决票 ${receipts.length} 张${conflicts ? `（另有 ${conflicts} 户同时提交了纸质票和线上票，按线上票计）` : ''}。回执码与选择（按事项顺序，不含姓名）：`]
  let head = [...intro, ...full, ...receiptsHead].join('\n')
  if (head.length + RECEIPTS_TAIL_ROOM > BODY_MAX) {
    // Many matters with long titles in a large 小区: the full wording would not fit in one notice,
    // and a notice that cannot be published would keep the vote from closing. Each matter then
    // takes one line with the figures the law asks for; the rest is on the result page.
    const compact = matters.map((m, i) => {
      const f = figures[i]
      return `${m.position}. ${clip(m.title, 30)}（第${m.item}项，${m.class === 'special' ? '特别事项' : '一般事项'}）：参与 ${formatArea(f.participatingAreaCentiM2)} ㎡、${f.participatingHeadcount} 人，${f.quorumMet ? '达到' : '未达到'}三分之二；同意 ${formatArea(f.agreeAreaCentiM2)} ㎡、${f.agreeHeadcount} 人；结果：${f.passed ? '通过' : '未通过'}`
    })
    const note = '（事项较多，各事项的完整内容、反对和弃权数及比例见“议事”中本次表决的结果页。）'
    head = clip([...intro, note, ...compact, ...receiptsHead].join('\n'), BODY_MAX - RECEIPTS_TAIL_ROOM)
  }
  let body = head
  for (let i = 0; i < receipts.length; i++) {
    const r = receipts[i]
    const line = `\n${r.receiptCode} ${r.choices.map((c) => CHOICE_LABELS[c]).join('/')}${r.channel === 'paper' ? '（纸质）' : ''}`
    const rest = receipts.length - i
    const tail = `\n……其余 ${rest} 张回执见“议事”中本次表决的结果页，可按回执码查询。`
    if (body.length + line.length + tail.length > BODY_MAX) {
      body += tail
      break
    }
    body += line
  }
  return body
}

/**
 * Closes an open vote whose window has ended: computes every matter with tallyMatter, freezes
 * the results, and publishes the 表决结果 notice, all in one transaction. Answers false when the
 * vote was not due or someone else closed it.
 */
export async function closeVote(db: DbOrTx, communityId: string, voteId: string, now: Date): Promise<boolean> {
  const nowIso = now.toISOString()
  return inTx(db, async (trx) => {
    const vote = await repo.findVote(trx, communityId, voteId)
    if (!vote || vote.status !== 'open' || vote.closes_at > nowIso) return false
    // Taking the row first: ballots in flight commit before this (and are counted) or see it closed.
    if (!(await repo.transition(trx, communityId, voteId, 'open', 'closed', { closed_at: nowIso }))) return false
    const community = await repo.communityForVotes(trx, communityId)
    // One statement at a time: a transaction is one connection.
    const matters = await repo.mattersOf(trx, communityId, voteId)
    const electorate = await repo.electorateOf(trx, communityId, voteId)
    const ballots = await repo.ballotsOf(trx, communityId, voteId)
    const buildings = await repo.scopeBuildingsOf(trx, communityId, voteId)
    const { counted, superseded } = countedBallots(ballots)
    const figures = matters.map((m) => figuresOf(m, electorate, counted.get(m.id) ?? []))
    const results: ResultRow[] = matters.map((m, i) => ({
      community_id: communityId,
      vote_id: voteId,
      matter_id: m.id,
      total_area_centi_m2: figures[i].totalAreaCentiM2,
      total_headcount: figures[i].totalHeadcount,
      participating_area_centi_m2: figures[i].participatingAreaCentiM2,
      participating_headcount: figures[i].participatingHeadcount,
      agree_area_centi_m2: figures[i].agreeAreaCentiM2,
      agree_headcount: figures[i].agreeHeadcount,
      oppose_area_centi_m2: figures[i].opposeAreaCentiM2,
      oppose_headcount: figures[i].opposeHeadcount,
      abstain_area_centi_m2: figures[i].abstainAreaCentiM2,
      abstain_headcount: figures[i].abstainHeadcount,
      quorum_met: figures[i].quorumMet ? 1 : 0,
      passed: figures[i].passed ? 1 : 0,
      computed_at: nowIso,
    }))
    await repo.insertResults(trx, results)
    const receipts = receiptsOf(matters, ballots, superseded)
    const conflicts = conflictsOf(ballots, electorate)
    const notice = await publishNotice(trx, {
      communityId,
      kind: '表决结果',
      title: clip(`表决结果：${vote.title}`, TITLE_MAX),
      body: resultNoticeBody(vote, matters, figures, receipts, conflicts.length, scopeText(vote.scope, buildings)),
      publisherRole: 'system',
      publisherName: community ? systemPublisherName(community) : '业主大会',
      publishedBy: null,
      now,
      sourceKey: `vote:${voteId}:result`,
    })
    await repo.setVoteFields(trx, communityId, voteId, { result_notice_id: notice.id })
    // The notice as stored, so verification can tell a changed or removed result notice.
    const published = await repo.resultNotice(trx, communityId, notice.id)
    await appendAudit(trx, {
      communityId,
      at: nowIso,
      actor: null,
      action: 'vote.closed',
      entityType: 'vote',
      entityId: voteId,
      payload: {
        closedAt: nowIso,
        resultNoticeId: notice.id,
        resultNoticeSha256: published ? noticeDigest(published) : null,
        results: results.map(resultPayload),
        countedReceipts: receipts.map((r) => r.receiptCode),
      },
    })
    return true
  })
}

/** The digest of a published notice's title and body, recorded when the vote closes. */
export function noticeDigest(n: { title: string; body: string }): string {
  return createHash('sha256').update(n.title).update('\n').update(n.body).digest('hex')
}

/** The audited form of a result row (what verification compares the stored row with). */
export function resultPayload(r: ResultRow) {
  const { community_id: _c, vote_id: _v, ...rest } = r
  return Object.fromEntries(Object.entries(rest).map(([k, val]) => [k, typeof val === 'string' ? val : Number(val)]))
}

export interface TickReport {
  opened: string[]
  closed: string[]
  failed: { voteId: string; error: string }[]
}

/**
 * The vote clock: opens announced votes whose opening time has come and closes open votes whose
 * window has ended (publishing the result). Idempotent and safe to run from several places at
 * once; run lazily before reads and by a timer in the server. One failing vote does not stop
 * the others; failures are answered (and logged by the caller).
 */
export async function advanceVotes(db: DbOrTx, now: Date, opts: { communityId?: string } = {}): Promise<TickReport> {
  const report: TickReport = { opened: [], closed: [], failed: [] }
  const nowIso = now.toISOString()
  for (const v of await repo.votesDue(db, nowIso, opts.communityId)) {
    if (v.status !== 'announced') continue
    try {
      if (await openVote(db, v.community_id, v.id, now)) report.opened.push(v.id)
    } catch (err) {
      report.failed.push({ voteId: v.id, error: err instanceof Error ? err.message : String(err) })
    }
  }
  // Asked again: a vote opened just now may also be past its end (the server was down all window).
  for (const v of await repo.votesDue(db, nowIso, opts.communityId)) {
    if (v.status !== 'open') continue
    try {
      if (await closeVote(db, v.community_id, v.id, now)) report.closed.push(v.id)
    } catch (err) {
      report.failed.push({ voteId: v.id, error: err instanceof Error ? err.message : String(err) })
    }
  }
  return report
}

/** Opening by hand: the same step as the clock, refused before the announced opening time. */
export async function openVoteNow(db: DbOrTx, actor: Actor, communityId: string, voteId: string, now: Date): Promise<VoteDetail> {
  requireManager(actor)
  const vote = await loadVote(db, communityId, voteId)
  if (vote.status === 'draft') throw new AppError('Conflict', '请先发布表决公告')
  if (vote.status === 'announced') {
    if (vote.opens_at > now.toISOString()) throw new AppError('Conflict', `公告期未满，${beijingTime(vote.opens_at)}（北京时间）才能开始投票`)
    await advanceVotes(db, now, { communityId })
  }
  return getVote(db, actor, communityId, voteId)
}

/** Closing by hand: refused before the announced end (the window cannot be cut short). */
export async function closeVoteNow(db: DbOrTx, actor: Actor, communityId: string, voteId: string, now: Date): Promise<VoteDetail> {
  requireManager(actor)
  const vote = await loadVote(db, communityId, voteId)
  if (vote.status === 'draft' || vote.status === 'announced') throw new AppError('Conflict', '表决尚未开始')
  if (vote.status === 'open') {
    if (vote.closes_at > now.toISOString()) throw new AppError('Conflict', `投票期到 ${beijingTime(vote.closes_at)}（北京时间）才结束，不能提前结束`)
    await advanceVotes(db, now, { communityId })
  }
  return getVote(db, actor, communityId, voteId)
}

// ── reading ─────────────────────────────────────────────────────────────────

export async function listVotes(db: DbOrTx, actor: Actor, communityId: string, status?: VoteStatus): Promise<VoteSummary[]> {
  const rows = await repo.listVotes(db, communityId, status)
  // Drafts are the committee's working papers; owners see a vote once it is announced.
  const visible = rows.filter((r) => r.status !== 'draft' || isManager(actor.roles))
  return Promise.all(
    visible.map(async (r) => ({ ...toSummary(r, r.matter_count), myPart: r.status === 'open' ? await myPart(db, actor, communityId, r.id) : null })),
  )
}

/** Whether the caller still has a ballot to cast in an open vote (so the list says 去投票 only then). */
async function myPart(db: DbOrTx, actor: Actor, communityId: string, voteId: string): Promise<VoteSummary['myPart']> {
  const keys = [...new Set((await repo.voterKeysOfUser(db, communityId, voteId, actor.userId)).map((k) => k.voter_key))]
  if (keys.length === 0) return 'not_eligible'
  for (const key of keys) if ((await repo.ballotsOfVoter(db, communityId, voteId, key)).length === 0) return 'to_vote'
  return 'voted'
}

export async function getVote(db: DbOrTx, actor: Actor, communityId: string, voteId: string): Promise<VoteDetail> {
  const vote = await loadVote(db, communityId, voteId)
  if (vote.status === 'draft' && !isManager(actor.roles)) throw new AppError('NotFound', '找不到这次表决')
  const [matters, buildings, community] = await Promise.all([
    repo.mattersOf(db, communityId, voteId),
    repo.scopeBuildingsOf(db, communityId, voteId),
    repo.communityForVotes(db, communityId),
  ])
  return {
    ...toSummary(vote, matters.length),
    myPart: vote.status === 'open' ? await myPart(db, actor, communityId, voteId) : null,
    description: vote.description,
    matters: matters.map(toMatter),
    buildings,
    noticeDays: Number(community?.vote_notice_days ?? 15),
    announceNoticeId: vote.announce_notice_id,
    resultNoticeId: vote.result_notice_id,
    openedAt: vote.opened_at,
    closedAt: vote.closed_at,
    canManage: isManager(actor.roles),
  }
}

function ballotOf(rows: BallotRow[], counted: boolean): MyBallot | null {
  if (rows.length === 0) return null
  return {
    receiptCode: rows[0].receipt_code,
    channel: rows[0].channel,
    castAt: rows[0].cast_at,
    choices: rows.map((b) => ({ matterId: b.matter_id, choice: b.choice })),
    counted,
  }
}

/** The caller's voters in this vote (frozen at opening), their units and their ballot if cast. */
export async function myVote(db: DbOrTx, actor: Actor, communityId: string, voteId: string): Promise<MyVoteStatus> {
  const vote = await loadVote(db, communityId, voteId)
  if (vote.status === 'draft' && !isManager(actor.roles)) throw new AppError('NotFound', '找不到这次表决')
  if (vote.status === 'draft' || vote.status === 'announced') return { voteId, status: vote.status, voters: [] }
  const keys = [...new Set((await repo.voterKeysOfUser(db, communityId, voteId, actor.userId)).map((k) => k.voter_key))]
  if (keys.length === 0) return { voteId, status: vote.status, voters: [] }
  const electorate = unitsByKey(await repo.electorateOf(db, communityId, voteId))
  const voters = []
  for (const key of keys) {
    const units = electorate.get(key) ?? []
    const ballots = await repo.ballotsOfVoter(db, communityId, voteId, key)
    const online = ballots.filter((b) => b.channel === 'online')
    const paper = ballots.filter((b) => b.channel === 'paper')
    const kind = voterKind(key)
    voters.push({
      voterKey: key,
      kind: kind === 'unknown' ? ('sole' as const) : kind,
      units: units.map((u) => ({ unitId: u.unit_id, label: u.unit_label, areaCentiM2: u.area_centi_m2 })),
      areaCentiM2: units.reduce((s, u) => s + u.area_centi_m2, 0),
      ballot: ballotOf(online, true) ?? ballotOf(paper, true),
    })
  }
  return { voteId, status: vote.status, voters }
}

export async function progress(db: DbOrTx, communityId: string, voteId: string, now: Date, actor: Actor): Promise<VoteProgress> {
  const vote = await loadVote(db, communityId, voteId)
  if (vote.status === 'draft' && !isManager(actor.roles)) throw new AppError('NotFound', '找不到这次表决')
  const matters = await repo.mattersOf(db, communityId, voteId)
  if (vote.status === 'draft' || vote.status === 'announced') {
    return { voteId, status: vote.status, asOf: now.toISOString(), final: false, matters: [], conflicts: 0 }
  }
  const [electorate, ballots] = await Promise.all([repo.electorateOf(db, communityId, voteId), repo.ballotsOf(db, communityId, voteId)])
  const conflicts = conflictsOf(ballots, electorate).length
  if (vote.status === 'closed') {
    // The frozen result, exactly as published; never recomputed.
    const results = new Map((await repo.resultsOf(db, communityId, voteId)).map((r) => [r.matter_id, r]))
    return {
      voteId,
      status: vote.status,
      asOf: vote.closed_at ?? now.toISOString(),
      final: true,
      matters: matters.map((m) => toProgress(m, resultToFigures(results.get(m.id)!))),
      conflicts,
    }
  }
  const { counted } = countedBallots(ballots)
  return {
    voteId,
    status: vote.status,
    asOf: now.toISOString(),
    final: false,
    matters: matters.map((m) => toProgress(m, figuresOf(m, electorate, counted.get(m.id) ?? []))),
    conflicts,
  }
}

// ── casting ─────────────────────────────────────────────────────────────────

function checkChoices(matters: MatterRow[], choices: { matterId: string; choice: Choice }[]): { matterId: string; choice: Choice }[] {
  const ids = new Set(matters.map((m) => m.id))
  // A matter of another vote (or another 小区) is not one of this vote's: nothing to choose there.
  if (choices.some((c) => !ids.has(c.matterId))) throw new AppError('NotFound', '找不到所选的表决事项，请刷新后重新选择')
  if (choices.length !== matters.length || new Set(choices.map((c) => c.matterId)).size !== choices.length) {
    throw new AppError('BadInput', `请为全部 ${matters.length} 个事项各选择一项（同意、反对或弃权）`)
  }
  const position = new Map(matters.map((m) => [m.id, m.position]))
  return [...choices].sort((a, b) => position.get(a.matterId)! - position.get(b.matterId)!)
}

function notOpen(vote: VoteRow, nowIso: string): AppError {
  if (vote.status === 'draft' || vote.status === 'announced' || vote.opens_at > nowIso) return new AppError('VoteClosed', `表决尚未开始，${beijingTime(vote.opens_at)}（北京时间）开始投票`)
  return new AppError('VoteClosed', '表决已经结束，不能再投票')
}

const alreadyVoted = (receiptCode?: string) =>
  new AppError('AlreadyVoted', '您已经投过票了，投票提交后不能更改', receiptCode ? { receiptCode } : undefined)

export interface CastRequest {
  communityId: string
  voteId: string
  voterKey?: string
  choices: { matterId: string; choice: Choice }[]
}

/**
 * An owner's ballot paper: one choice per matter, for every unit the voter key covers. Final once
 * cast. Concurrent or repeated submissions leave exactly one ballot: the rows take the vote's
 * lock and are checked, and the unique constraint (vote, matter, voter, channel) refuses any
 * second row whatever the timing.
 */
export async function castBallot(db: DbOrTx, actor: Actor, req: CastRequest, now: Date): Promise<MyBallot> {
  const nowIso = now.toISOString()
  try {
    return await inTx(db, async (trx) => {
      const vote = await loadVote(trx, req.communityId, req.voteId)
      if (vote.status === 'draft') throw new AppError('NotFound', '找不到这次表决')
      if (!(await repo.lockOpenVote(trx, req.communityId, req.voteId, nowIso))) throw notOpen(vote, nowIso)
      const mine = await repo.voterKeysOfUser(trx, req.communityId, req.voteId, actor.userId)
      const keys = [...new Set(mine.map((k) => k.voter_key))]
      if (keys.length === 0) throw new AppError('Forbidden', '您在本次表决范围内没有登记的房屋，不能投票')
      let key: string
      if (req.voterKey !== undefined) {
        if (!keys.includes(req.voterKey)) throw new AppError('Forbidden', '您不能代表这户投票')
        key = req.voterKey
      } else if (keys.length === 1) {
        key = keys[0]
      } else {
        throw new AppError('BadInput', '您可以代表多户投票，请选择本次代表哪一户')
      }
      const matters = await repo.mattersOf(trx, req.communityId, req.voteId)
      const choices = checkChoices(matters, req.choices)
      const existing = await repo.ballotsOfVoter(trx, req.communityId, req.voteId, key, 'online')
      if (existing.length > 0) throw alreadyVoted(existing[0].receipt_code)
      const personId = mine.find((k) => k.voter_key === key)!.person_id
      const receiptCode = makeReceipt({ voteId: req.voteId, voterKey: key, channel: 'online', castAt: nowIso, choices })
      const rows: BallotRow[] = choices.map((c) => ({
        id: randomUUID(),
        community_id: req.communityId,
        vote_id: req.voteId,
        matter_id: c.matterId,
        voter_key: key,
        choice: c.choice,
        channel: 'online',
        receipt_code: receiptCode,
        cast_by: actor.userId,
        person_id: personId,
        cast_at: nowIso,
        evidence_file: null,
      }))
      await repo.insertBallots(trx, rows)
      await appendAudit(trx, { communityId: req.communityId, at: nowIso, actor: actor.userId, action: 'ballot.cast', entityType: 'vote', entityId: req.voteId, payload: ballotPayload(rows) })
      return ballotOf(rows, true)!
    })
  } catch (err) {
    if (repo.isUniqueViolation(err)) throw alreadyVoted()
    throw err
  }
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
    rows: [...rows].sort((a, b) => a.id.localeCompare(b.id)).map((b) => ({ id: b.id, matterId: b.matter_id, choice: b.choice })),
  }
}

/**
 * The committee enters a signed paper ballot with a photo of it as evidence. A voter has at most
 * one paper ballot; if they also voted online, both are kept, the online one counts and the
 * conflict is shown.
 */
export async function enterPaperBallot(
  db: DbOrTx,
  actor: Actor,
  req: { communityId: string; voteId: string; voterKey: string; choices: { matterId: string; choice: Choice }[]; evidenceRef: string },
  now: Date,
): Promise<PaperBallotResult> {
  requireManager(actor)
  const nowIso = now.toISOString()
  try {
    return await inTx(db, async (trx) => {
      const vote = await loadVote(trx, req.communityId, req.voteId)
      if (!(await repo.lockOpenVote(trx, req.communityId, req.voteId, nowIso))) throw notOpen(vote, nowIso)
      const units = (await repo.electorateOf(trx, req.communityId, req.voteId)).filter((e) => e.voter_key === req.voterKey)
      if (units.length === 0) throw new AppError('NotFound', '该投票人不在本次表决的业主名单中')
      const matters = await repo.mattersOf(trx, req.communityId, req.voteId)
      const choices = checkChoices(matters, req.choices)
      const ballots = await repo.ballotsOfVoter(trx, req.communityId, req.voteId, req.voterKey)
      if (ballots.some((b) => b.channel === 'paper')) throw new AppError('AlreadyVoted', '这一户的纸质表决票已经录入过了')
      // One photo is the evidence of one signed ballot paper, never of two voters' papers.
      if (await repo.paperBallotWithEvidence(trx, req.communityId, req.voteId, req.evidenceRef)) {
        throw new AppError('Conflict', '这张照片已经作为另一户纸质表决票的凭证，请拍摄这一户签字的表决票')
      }
      const receiptCode = makeReceipt({ voteId: req.voteId, voterKey: req.voterKey, channel: 'paper', castAt: nowIso, choices })
      const rows: BallotRow[] = choices.map((c) => ({
        id: randomUUID(),
        community_id: req.communityId,
        vote_id: req.voteId,
        matter_id: c.matterId,
        voter_key: req.voterKey,
        choice: c.choice,
        channel: 'paper',
        receipt_code: receiptCode,
        cast_by: actor.userId,
        person_id: null,
        cast_at: nowIso,
        evidence_file: req.evidenceRef,
      }))
      await repo.insertBallots(trx, rows)
      await appendAudit(trx, { communityId: req.communityId, at: nowIso, actor: actor.userId, action: 'ballot.paper', entityType: 'vote', entityId: req.voteId, payload: ballotPayload(rows) })
      return { receiptCode, conflict: ballots.some((b) => b.channel === 'online') }
    })
  } catch (err) {
    if (repo.isUniqueViolation(err)) throw new AppError('AlreadyVoted', '这一户的纸质表决票已经录入过了')
    throw err
  }
}

/**
 * The storage reference of an evidence photo, checked to be one uploadBallotEvidence made for
 * this vote of this 小区: `<ref>#sha256=<hex>`, where the ref ends in
 * `votes/<communityId>/<voteId>/<uuid>.<ext>` (the key itself on disk; a cloud fileID ends with it).
 * Anything else (a made-up reference, a photo of another vote or 小区) is not found.
 */
export function parseEvidenceRef(communityId: string, voteId: string, evidenceRef: string): { ref: string; sha256: string } {
  const m = /^(.+)#sha256=([0-9a-f]{64})$/.exec(evidenceRef)
  const key = m && /(?:^|\/)(votes\/[^/]+\/[^/]+\/[0-9a-f-]{36}\.[a-z0-9]{2,5})$/.exec(m[1])
  if (!m || !key || key[1].split('/')[1] !== communityId || key[1].split('/')[2] !== voteId) {
    throw new AppError('NotFound', '找不到这张纸质表决票的照片，请重新拍摄上传')
  }
  return { ref: m[1], sha256: m[2] }
}

/** Anyone who may follow the vote can check a receipt: its choices and whether it is counted. No names. */
/**
 * The day (Asia/Shanghai, which keeps UTC+8 all year) of an instant. A receipt lookup shows only the
 * day: receipts and choices are public, and an exact time would let a neighbour who saw someone
 * vote at 10:32 find that person's receipt, and so their choices.
 */
function shanghaiDate(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10)
}

export async function lookupReceipt(db: DbOrTx, actor: Actor, communityId: string, voteId: string, code: string): Promise<ReceiptLookup> {
  const vote = await loadVote(db, communityId, voteId)
  if (vote.status === 'draft' && !isManager(actor.roles)) throw new AppError('NotFound', '找不到这次表决')
  const rows = await repo.ballotsByReceipt(db, communityId, voteId, normalizeReceipt(code))
  if (rows.length === 0) throw new AppError('NotFound', '没有这个回执码，请核对后再查')
  const matters = new Map((await repo.mattersOf(db, communityId, voteId)).map((m) => [m.id, m]))
  let counted = true
  if (rows[0].channel === 'paper') {
    counted = (await repo.ballotsOfVoter(db, communityId, voteId, rows[0].voter_key, 'online')).length === 0
  }
  return {
    receiptCode: rows[0].receipt_code,
    channel: rows[0].channel,
    castOn: shanghaiDate(rows[0].cast_at),
    choices: rows
      .map((b) => ({ matterId: b.matter_id, position: matters.get(b.matter_id)!.position, title: matters.get(b.matter_id)!.title, choice: b.choice }))
      .sort((a, b) => a.position - b.position),
    counted,
  }
}

/** The frozen electorate by voter, for the committee matching paper ballots and following turnout. */
export async function electorateList(db: DbOrTx, actor: Actor, communityId: string, voteId: string): Promise<ElectorateVoter[]> {
  requireManager(actor)
  const vote = await loadVote(db, communityId, voteId)
  if (vote.status === 'draft' || vote.status === 'announced') return []
  const [electorate, voters, ballots] = await Promise.all([repo.electorateOf(db, communityId, voteId), repo.votersOf(db, communityId, voteId), repo.ballotsOf(db, communityId, voteId)])
  const names = new Map<string, string[]>()
  for (const v of voters) names.set(v.voter_key, [...(names.get(v.voter_key) ?? []), v.name])
  const online = new Set(ballots.filter((b) => b.channel === 'online').map((b) => b.voter_key))
  const paper = new Set(ballots.filter((b) => b.channel === 'paper').map((b) => b.voter_key))
  return [...unitsByKey(electorate)]
    .map(([voterKey, units]) => ({
      voterKey,
      kind: voterKind(voterKey),
      units: units.map((u) => u.unit_label),
      areaCentiM2: units.reduce((s, u) => s + u.area_centi_m2, 0),
      names: names.get(voterKey) ?? [],
      online: online.has(voterKey),
      paper: paper.has(voterKey),
    }))
    .sort((a, b) => a.units[0].localeCompare(b.units[0], 'zh'))
}

export async function conflicts(db: DbOrTx, actor: Actor, communityId: string, voteId: string): Promise<ConflictInfo[]> {
  requireManager(actor)
  await loadVote(db, communityId, voteId)
  const [electorate, ballots] = await Promise.all([repo.electorateOf(db, communityId, voteId), repo.ballotsOf(db, communityId, voteId)])
  return conflictsOf(ballots, electorate)
}

/** Everything the printable result and the .xlsx show; only for closed votes. */
export async function resultData(db: DbOrTx, actor: Actor, communityId: string, voteId: string, now: Date) {
  const vote = await loadVote(db, communityId, voteId)
  if (vote.status !== 'closed') throw new AppError('Conflict', '表决结束后才有结果')
  const [detail, prog, community, matters, ballots, electorate] = await Promise.all([
    getVote(db, actor, communityId, voteId),
    progress(db, communityId, voteId, now, actor),
    repo.communityForVotes(db, communityId),
    repo.mattersOf(db, communityId, voteId),
    repo.ballotsOf(db, communityId, voteId),
    repo.electorateOf(db, communityId, voteId),
  ])
  const { superseded } = countedBallots(ballots)
  return {
    vote: detail,
    communityName: community?.name ?? '',
    committeeName: community ? systemPublisherName(community) : '',
    progress: prog,
    receipts: receiptsOf(matters, ballots, superseded),
    // Units beside a paper receipt tie that paper's choices to a flat: only for those who run the
    // vote (who entered the paper anyway). Owners get the count, in progress.conflicts.
    conflicts: isManager(actor.roles) ? conflictsOf(ballots, electorate) : [],
  }
}
