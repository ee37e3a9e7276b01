/**
 * One owner, one headcount — the committee's part (issue 8 item 1). A roster may write one owner
 * twice (once with a phone, once with phone and ID digits), or two different people of one name.
 * The preview and the import warn about every two rows of one name with different contact details;
 * after the import the committee decides each pair of roster persons: "同一人，合并" (one voter key
 * when a vote opens) or "不同的人，分开" (never merged, even when name and phone or ID digits match).
 * The electorate builder (server/votes/electorate.ts sameOwners) applies the decisions when a vote
 * opens; an open vote's frozen electorate is not touched. Every decision is appended to the 小区's
 * audit log in the transaction that stores it.
 *
 * One WeChat account is always one owner: whoever holds it casts every key bound to it, so two
 * persons bound to one account cannot be kept apart.
 */
import { appendAudit } from '../audit/audit.service'
import type { RosterDuplicatePair, RosterDuplicatePerson, RosterDuplicateWarning, SameOwnerDecision } from '../../src/contracts/roster-duplicates'
import { requireActor, withTx, type Ctx } from '../context'
import { AppError } from '../errors'
import { sameOwners, type OwnerDecision, type OwnerIdentity } from '../votes/electorate'
import type { ParsedPerson, ParsedRoster } from './roster.parser'
import * as repo from './roster.repository'
import { maskPhone } from './roster.service'

const lines = (ls: number[]) => [...ls].sort((a, b) => a - b).join('、')

function contactDifference(a: ParsedPerson, b: ParsedPerson): string {
  const parts: string[] = []
  if (a.phone && b.phone && a.phone !== b.phone) parts.push(`电话不同（${maskPhone(a.phone)}、${maskPhone(b.phone)}）`)
  else if (!!a.phone !== !!b.phone) parts.push(`一处有电话（${maskPhone(a.phone ?? b.phone)}）、一处没有`)
  if (a.id4 && b.id4 && a.id4 !== b.id4) parts.push('身份证后四位不同')
  else if (!!a.id4 !== !!b.id4) parts.push('一处填了身份证后四位、一处没有')
  if (!a.phone && !b.phone && !a.id4 && !b.id4) parts.push('都没有填电话和身份证后四位')
  return parts.join('，')
}

/**
 * Every two owners of one name the file writes with different contact details, in row order. Those
 * with the same phone or the same ID digits are counted as one owner unless the committee keeps
 * them apart; the others as two unless it merges them.
 */
export function duplicateWarnings(parsed: ParsedRoster): RosterDuplicateWarning[] {
  const byName = new Map<string, ParsedPerson[]>()
  for (const p of parsed.persons) byName.set(p.name, [...(byName.get(p.name) ?? []), p])
  const out: (RosterDuplicateWarning & { first: number })[] = []
  for (const [name, group] of byName) {
    const sorted = [...group].sort((x, y) => Math.min(...x.lines) - Math.min(...y.lines))
    for (let i = 0; i < sorted.length; i++) {
      for (let j = i + 1; j < sorted.length; j++) {
        const [a, b] = [sorted[i], sorted[j]]
        const countedAsOne = (!!a.phone && a.phone === b.phone) || (!!a.id4 && a.id4 === b.id4)
        const how = countedAsOne
          ? `因为${a.phone && a.phone === b.phone ? '电话' : '身份证后四位'}相同，投票时会算作同一位业主（计 1 人）；如果其实是同名的两个人，导入后请选“不同的人，分开”。`
          : '投票时会算作两位业主（计 2 人）；如果是同一个人，导入后请选“同一人，合并”。'
        out.push({
          first: Math.min(...a.lines),
          name,
          linesA: [...a.lines].sort((x, y) => x - y),
          linesB: [...b.lines].sort((x, y) => x - y),
          countedAsOne,
          message: `第 ${lines(a.lines)} 行与第 ${lines(b.lines)} 行：业主姓名都是“${name}”，但${contactDifference(a, b)}。${how}`,
        })
      }
    }
  }
  return out.sort((x, y) => x.first - y.first || Math.min(...x.linesB) - Math.min(...y.linesB)).map(({ first: _f, ...w }) => w)
}

type OwningPerson = Awaited<ReturnType<typeof repo.owningPersonsWithUnits>>[number]

const identity = (p: OwningPerson): OwnerIdentity => ({ personId: p.id, name: p.name, phone: p.phone, id4Hash: p.id4_hash, userId: p.user_id })

function automaticOf(a: OwningPerson, b: OwningPerson): RosterDuplicatePair['automatic'] {
  if (a.user_id && a.user_id === b.user_id) return 'account'
  if (a.phone && a.phone === b.phone) return 'phone'
  if (a.id4_hash && a.id4_hash === b.id4_hash) return 'id'
  return null
}

function personView(p: OwningPerson): RosterDuplicatePerson {
  return { personId: p.id, name: p.name, phone: maskPhone(p.phone), hasIdDigits: !!p.id4_hash, bound: !!p.user_id, units: p.units }
}

function pairMessage(automatic: RosterDuplicatePair['automatic'], decision: SameOwnerDecision | null, countedAsOne: boolean): string {
  const counted = countedAsOne ? '投票时算作同一位业主（计 1 人）' : '投票时算作两位业主（计 2 人）'
  if (automatic === 'account') return `两处已绑定同一个微信账号，只能算作同一位业主（计 1 人）。`
  if (decision === 'merge') return countedAsOne ? `已确认是同一人：${counted}。` : `已确认是同一人，但与另一个“分开”的决定冲突，目前仍${counted}。请检查同名的其他记录。`
  if (decision === 'apart') return `已确认是不同的人：${counted}。`
  if (automatic) return `${automatic === 'phone' ? '电话' : '身份证后四位'}相同，${counted}。如果其实是同名的两个人，请选“不同的人，分开”。`
  return `联系方式不同，${counted}。如果是同一个人，请选“同一人，合并”。`
}

/** Two persons in id order, as decisions are stored. */
const ordered = (x: string, y: string): [string, string] => (x < y ? [x, y] : [y, x])

/** Every two roster owners of one name in the 小区, how a vote opened now would count them, and the committee's decision. */
export async function listRosterDuplicates(ctx: Ctx, input: { communityId: string }): Promise<RosterDuplicatePair[]> {
  const persons = await repo.owningPersonsWithUnits(ctx.db, input.communityId)
  const decisions = await repo.ownerDecisions(ctx.db, input.communityId)
  return pairsOf(persons, decisions)
}

function pairsOf(persons: OwningPerson[], decisions: (OwnerDecision & { decidedAt: string })[]): RosterDuplicatePair[] {
  const ownerOf = sameOwners(persons.map(identity), decisions)
  const decided = new Map(decisions.map((d) => [`${d.personA}+${d.personB}`, d]))
  const byName = new Map<string, OwningPerson[]>()
  for (const p of persons) byName.set(p.name, [...(byName.get(p.name) ?? []), p])
  const out: RosterDuplicatePair[] = []
  const collator = new Intl.Collator('zh-CN', { numeric: true })
  for (const [name, group] of byName) {
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        const [a, b] = [group[i], group[j]].sort((x, y) => collator.compare(x.units[0] ?? '', y.units[0] ?? '') || (x.id < y.id ? -1 : 1))
        const [pa, pb] = ordered(a.id, b.id)
        const d = decided.get(`${pa}+${pb}`)
        const automatic = automaticOf(a, b)
        const countedAsOne = ownerOf.get(a.id) === ownerOf.get(b.id)
        out.push({ name, a: personView(a), b: personView(b), automatic, decision: d?.decision ?? null, decidedAt: d?.decidedAt ?? null, countedAsOne, message: pairMessage(automatic, d?.decision ?? null, countedAsOne) })
      }
    }
  }
  return out.sort((x, y) => collator.compare(x.a.units[0] ?? '', y.a.units[0] ?? '') || collator.compare(x.b.units[0] ?? '', y.b.units[0] ?? ''))
}

/**
 * The committee decides whether two roster persons of one name are one owner. Refused when they are
 * not two owners of one name in this 小区, when one account holds both and they would be kept
 * apart, or when the decision contradicts an earlier one (a merge joining two persons kept apart).
 */
export async function decideRosterDuplicate(
  ctx: Ctx,
  input: { communityId: string; personA: string; personB: string; decision: SameOwnerDecision },
): Promise<RosterDuplicatePair> {
  const { userId } = requireActor(ctx)
  const { communityId, decision } = input
  if (input.personA === input.personB) throw new AppError('BadInput', '请选择两条不同的名册记录')
  const [personA, personB] = ordered(input.personA, input.personB)
  const nowIso = ctx.now().toISOString()
  return withTx(ctx, async (tx) => {
    const persons = await repo.owningPersonsWithUnits(tx.db, communityId)
    const a = persons.find((p) => p.id === personA)
    const b = persons.find((p) => p.id === personB)
    if (!a || !b) throw new AppError('NotFound', '找不到这两条名册记录（可能已在重新导入名册后不再拥有房屋）')
    if (a.name !== b.name) throw new AppError('BadInput', `两条记录的姓名不同（“${a.name}”与“${b.name}”），只有同名的记录才需要确认是否同一人`)
    if (decision === 'apart' && a.user_id && a.user_id === b.user_id) {
      throw new AppError('Conflict', `两处“${a.name}”已绑定同一个微信账号，只能算作同一位业主，不能分开。如确是两个人，请先核实并更正绑定。`)
    }
    const before = await repo.ownerDecisions(tx.db, communityId)
    const previous = before.find((d) => d.personA === personA && d.personB === personB) ?? null
    const after = [...before.filter((d) => d !== previous), { personA, personB, decision, decidedAt: nowIso }]
    const honoured = (ds: OwnerDecision[]) => {
      const ownerOf = sameOwners(persons.map(identity), ds)
      return new Set(ds.filter((d) => ownerOf.has(d.personA) && ownerOf.has(d.personB) && (ownerOf.get(d.personA) === ownerOf.get(d.personB)) === (d.decision === 'merge')).map((d) => `${d.personA}+${d.personB}`))
    }
    const wasHonoured = honoured(before)
    const nowHonoured = honoured(after)
    const broken = before.filter((d) => d !== previous && wasHonoured.has(`${d.personA}+${d.personB}`) && !nowHonoured.has(`${d.personA}+${d.personB}`))
    if (!nowHonoured.has(`${personA}+${personB}`) || broken.length > 0) {
      throw new AppError(
        'Conflict',
        decision === 'merge'
          ? `不能合并：与之前对“${a.name}”的“不同的人，分开”决定矛盾。请先改正那个决定。`
          : `不能分开：与之前对“${a.name}”的“同一人，合并”决定矛盾。请先改正那个决定。`,
      )
    }
    await repo.saveOwnerDecision(tx.db, { communityId, personA, personB, decision, decidedBy: userId, decidedAt: nowIso })
    await appendAudit(tx, {
      communityId,
      at: nowIso,
      actor: userId,
      action: decision === 'merge' ? 'roster.owners_merged' : 'roster.owners_kept_apart',
      entityType: 'roster_person_pair',
      entityId: `${personA}+${personB}`,
      payload: { personIds: [personA, personB], name: a.name, units: [a.units, b.units], decision, previous: previous?.decision ?? null },
    })
    const pair = pairsOf(persons, after).find((p) => ordered(p.a.personId, p.b.personId).join('+') === `${personA}+${personB}`)
    return pair!
  })
}
