/**
 * An owner's own electorate entry, and objections to it (异议, issue 8 item 5).
 *
 * From the announcement on, an owner sees their entry: their voter keys, each with its units, its
 * area and how it is counted (one key = one headcount). Before the vote opens it is computed from
 * the roster exactly as opening would freeze it now (electorateFromRoster: the committee's
 * same-owner decisions included); once open, it is read from the frozen electorate, which later
 * roster changes do not touch. The electorate's totals (units, area, headcount) come with it, as
 * the announcement publishes them.
 *
 * Before opening (status announced and the opening time not reached) an owner may object, in words;
 * after opening an objection is refused (the electorate is frozen: the committee is to be asked
 * directly). The committee lists the objections and answers each once; the owner sees the answer.
 * Raising and answering are appended to the 小区's audit log.
 */
import { randomUUID } from 'node:crypto'
import { OBJECTIONS_PER_OWNER, type ElectorateKind, type MyElectorate, type MyElectorateVoter, type ObjectionForCommittee, type ObjectionInfo } from '../../src/contracts/objections'
import { OWNER_ROLES, hasAnyRole } from '../../src/contracts/roles'
import { beijingTime } from '../../src/contracts/time'
import { appendAudit } from '../audit/audit.service'
import { requireActor, withTx, type Actor, type Ctx } from '../context'
import { AppError } from '../errors'
import { voteRunner } from './vote.policy'
import { personsOfUser } from '../rosters/roster.repository'
import { voterKind } from './electorate'
import * as objections from './objection.repository'
import { electorateFromRoster } from './vote.clock'
import { loadVisibleVote, loadVote, requireVoteManager } from './vote.policy'
import * as repo from './vote.repository'
import type { VoteRow } from './vote.repository'

type VoteRef = { communityId: string; voteId: string }

/** How one voter key is counted, in the words of the SPC interpretation arts. 8–9. */
export function howCounted(kind: ElectorateKind, units: number): string {
  switch (kind) {
    case 'sole':
      return units > 1 ? `您单独所有的 ${units} 套房屋合计为一票：面积相加，人数计 1 人。` : '您单独所有这套房屋：面积计入，人数计 1 人。'
    case 'co_owned':
      return `与他人共有${units > 1 ? `的 ${units} 套房屋合计为一票` : '，共有人合计为一票'}：人数计 1 人，由共有人中的一位投票；没有推选的，以最先投票的共有人为准。`
    case 'developer':
      return '开发商未售房屋合计为一票，人数计 1 人。'
    default:
      return '名册上这套房屋没有登记业主：面积和人数仍计入总数。'
  }
}

/** Whether an objection may be raised now, and the sentence that says so. */
function objectionWindow(ctx: Ctx, actor: Actor, vote: VoteRow): { open: boolean; note: string } {
  if (vote.status === 'draft') return { open: false, note: '表决公告后才能查看和提出异议。' }
  if (vote.status !== 'announced' || vote.opened_at) return { open: false, note: '投票已经开始，业主名单已经冻结，不能再提出异议；如有问题请直接联系业委会。' }
  if (ctx.now().toISOString() >= vote.opens_at) return { open: false, note: `投票已于 ${beijingTime(vote.opens_at)}（北京时间）开始，不能再提出异议；如有问题请直接联系业委会。` }
  if (!hasAnyRole(actor.roles, OWNER_ROLES)) return { open: false, note: '只有本小区的业主可以提出异议。' }
  return { open: true, note: `开始投票（${beijingTime(vote.opens_at)}，北京时间）之前可以提出异议，业委会会答复。` }
}

const toInfo = (r: objections.ObjectionRow): ObjectionInfo => ({ id: r.id, text: r.text, raisedAt: r.raised_at, answer: r.answer, answeredAt: r.answered_at })

type Entry = { unitId: string; voterKey: string; areaCentiM2: number; unitLabel: string }

function votersOf(keys: string[], entries: Entry[]): MyElectorateVoter[] {
  const collator = new Intl.Collator('zh-CN', { numeric: true })
  return keys.map((key) => {
    const units = entries.filter((e) => e.voterKey === key).sort((a, b) => collator.compare(a.unitLabel, b.unitLabel))
    const kind = voterKind(key)
    return {
      kind,
      units: units.map((u) => ({ label: u.unitLabel, areaCentiM2: u.areaCentiM2 })),
      areaCentiM2: units.reduce((s, u) => s + u.areaCentiM2, 0),
      headcount: 1 as const,
      howCounted: howCounted(kind, units.length),
    }
  })
}

/** The caller's entry in a vote's electorate (forecast before opening, frozen after), their objections and whether they may object. */
export async function myElectorate(ctx: Ctx, ref: VoteRef): Promise<MyElectorate> {
  const actor = requireActor(ctx)
  const vote = await loadVisibleVote(ctx, ref)
  const mine = (await objections.objectionsOf(ctx.db, ref.communityId, ref.voteId, actor.userId)).map(toInfo)
  const window = objectionWindow(ctx, actor, vote)
  const base = { voteId: vote.id, status: vote.status, objections: mine, canObject: window.open, objectionNote: window.note }
  let basis: MyElectorate['basis']
  let keys: string[]
  let entries: Entry[]
  if (vote.status === 'announced' && !vote.opened_at) {
    basis = 'forecast'
    const { frozen } = await electorateFromRoster(ctx, vote)
    const myPersons = new Set((await personsOfUser(ctx.db, ref.communityId, actor.userId)).map((p) => p.id))
    keys = [...new Set(frozen.voters.filter((v) => myPersons.has(v.personId)).map((v) => v.voterKey))].sort()
    entries = frozen.entries
  } else if (vote.opened_at) {
    basis = 'frozen'
    keys = [...new Set((await repo.voterKeysOfUser(ctx.db, ref.communityId, ref.voteId, actor.userId)).map((k) => k.voter_key))].sort()
    entries = (await repo.electorateOf(ctx.db, ref.communityId, ref.voteId)).map((e) => ({ unitId: e.unit_id, voterKey: e.voter_key, areaCentiM2: Number(e.area_centi_m2), unitLabel: e.unit_label }))
  } else {
    return { ...base, basis: 'none', voters: [], note: null, totals: null }
  }
  const voters = votersOf(keys, entries)
  const totals = { units: entries.length, areaCentiM2: entries.reduce((s, e) => s + e.areaCentiM2, 0), headcount: new Set(entries.map((e) => e.voterKey)).size }
  const kinds = new Set(voters.map((v) => v.kind))
  const note =
    voters.length === 0
      ? `名册上没有您在表决范围内的房屋，${basis === 'forecast' ? '按现在的名册' : '本次表决'}您没有表决票。${window.open ? '如果有误，请在开始投票前提出异议。' : ''}`
      : kinds.has('sole') && kinds.has('co_owned')
        ? '您单独所有的房屋与您和他人共有的房屋，按法律是两个不同的买受人：各计 1 人，各投一票。'
        : null
  return { ...base, basis, voters, note, totals }
}

/** An owner's objection, before the vote opens only. */
export async function raiseObjection(ctx: Ctx, input: VoteRef & { text: string }): Promise<ObjectionInfo> {
  const actor = requireActor(ctx)
  const nowIso = ctx.now().toISOString()
  return withTx(ctx, async (tx) => {
    const vote = await loadVisibleVote(tx, input)
    const window = objectionWindow(tx, actor, vote)
    if (!window.open) throw new AppError(hasAnyRole(actor.roles, OWNER_ROLES) || vote.status !== 'announced' ? 'Conflict' : 'Forbidden', window.note)
    const already = await objections.objectionsOf(tx.db, input.communityId, input.voteId, actor.userId)
    if (already.length >= OBJECTIONS_PER_OWNER) throw new AppError('Conflict', `每位业主对一次表决最多提出 ${OBJECTIONS_PER_OWNER} 条异议；请等待业委会答复，或直接联系业委会`)
    const row: objections.ObjectionRow = {
      id: randomUUID(),
      community_id: input.communityId,
      vote_id: input.voteId,
      raised_by: actor.userId,
      text: input.text,
      raised_at: nowIso,
      answer: null,
      answered_by: null,
      answered_at: null,
    }
    await objections.insertObjection(tx.db, row)
    await appendAudit(tx, {
      communityId: input.communityId,
      at: nowIso,
      actor: actor.userId,
      action: 'vote.objection_raised',
      entityType: 'vote_objection',
      entityId: row.id,
      payload: { voteId: input.voteId, text: row.text },
    })
    return toInfo(row)
  })
}

async function forCommittee(ctx: Ctx, communityId: string, rows: objections.ObjectionRow[]): Promise<ObjectionForCommittee[]> {
  const people = await objections.whoAre(ctx.db, communityId, [...new Set(rows.flatMap((r) => [r.raised_by, ...(r.answered_by ? [r.answered_by] : [])]))])
  return rows.map((r) => ({
    ...toInfo(r),
    raisedByName: people.get(r.raised_by)?.name ?? '',
    units: people.get(r.raised_by)?.units ?? [],
    answeredByName: r.answered_by ? (people.get(r.answered_by)?.name ?? '') : null,
  }))
}

/** Every objection to a vote, unanswered first, for those who run votes. */
export async function voteObjections(ctx: Ctx, ref: VoteRef): Promise<ObjectionForCommittee[]> {
  requireVoteManager(requireActor(ctx))
  await loadVote(ctx, ref)
  const rows = await objections.objectionsOf(ctx.db, ref.communityId, ref.voteId)
  const list = await forCommittee(ctx, ref.communityId, rows)
  return [...list.filter((o) => !o.answer), ...list.filter((o) => !!o.answer)]
}

/** The committee answers an objection, once; the owner sees the answer. */
export async function answerObjection(ctx: Ctx, input: VoteRef & { objectionId: string; answer: string }): Promise<ObjectionForCommittee> {
  const { actor } = await voteRunner(ctx, input.communityId)
  const nowIso = ctx.now().toISOString()
  const row = await withTx(ctx, async (tx) => {
    await loadVote(tx, input)
    const found = await objections.findObjection(tx.db, input.communityId, input.voteId, input.objectionId)
    if (!found) throw new AppError('NotFound', '找不到这条异议')
    if (found.answer !== null || !(await objections.answerObjection(tx.db, input.communityId, found.id, input.answer, actor.userId, nowIso))) {
      throw new AppError('Conflict', '这条异议已经答复过了')
    }
    await appendAudit(tx, {
      communityId: input.communityId,
      at: nowIso,
      actor: actor.userId,
      action: 'vote.objection_answered',
      entityType: 'vote_objection',
      entityId: found.id,
      payload: { voteId: input.voteId, answer: input.answer },
    })
    return { ...found, answer: input.answer, answered_by: actor.userId, answered_at: nowIso }
  })
  return (await forCommittee(ctx, input.communityId, [row]))[0]
}
