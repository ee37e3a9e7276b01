/**
 * Binding a WeChat user to a unit of the roster (认证业主身份).
 *
 * A phone WeChat verified (getPhoneNumber, asked of WeChat by the server) that the roster gives an
 * owner of the unit binds at once. Typed details never do: names and phones are shared in every
 * building's WeChat group. A typed claim becomes one pending request per resident and unit; when
 * its name and phone (or ID last-4 digits) match an unbound roster owner of the unit it is flagged
 * roster_match, for the committee to approve in one tap (issue 13). 10,000 ID endings must not be
 * tried by a script: after MAX_AUTO_ATTEMPTS claims of one unit (by any accounts) or
 * MAX_ACCOUNT_ATTEMPTS claims by one account (of any units), no claim is checked (nor flagged) any
 * more and the committee decides unaided; the request shows it was locked. The counts are atomic
 * (binding.repository countClaim) and a committee decision does not reset them.
 *
 * An approval that adds an owner the roster does not list for the unit, or sells an unsold unit,
 * needs a photo of the 不动产权证 or purchase contract (binding.proof.ts) and is written to the 小区's
 * audit log (issue 8 item 9). It changes the roster only: an open vote's electorate was frozen
 * when the vote opened and is not touched.
 */
import { randomUUID } from 'node:crypto'
import type { BindingRequest, BindingRequestPage, BindResult } from '../../src/contracts/rosters'
import { governingBody } from '../../src/contracts/roles'
import { unitLabel } from '../../src/contracts/units'
import { grantRole } from '../communities/membership.repository'
import { requireActor, withTx, type Ctx } from '../context'
import { decodeCursor, isText, keysetPage } from '../db/keyset'
import { appendAudit } from '../audit/audit.service'
import { AppError } from '../errors'
import { verifiedPhone } from '../identity/phone.service'
import { checkProof } from './binding.proof'
import * as bindings from './binding.repository'
import { cleanName, normalizeBuilding, normalizeRoom, normalizeStair } from './roster.parser'
import * as repo from './roster.repository'
import { hashId4, maskPhone } from './roster.service'

/** Claims of one unit (by every account together) that are checked against the roster. */
export const MAX_AUTO_ATTEMPTS = 5
/** Claims by one account (of every unit of the 小区 together) that are checked against the roster. */
export const MAX_ACCOUNT_ATTEMPTS = 10

export interface BindClaim {
  communityId: string
  building: string
  stair: string
  room: string
  name: string
  phone?: string
  idLast4?: string
  /** WeChat's getPhoneNumber code: the phone WeChat verified replaces any typed one (issue 13). */
  phoneCode?: string
}

/** The acting person claims a unit: bound at once on a WeChat-verified roster phone, else a pending request (flagged when typed details match). */
export async function bindUnit(ctx: Ctx, claim: BindClaim): Promise<BindResult> {
  const { userId } = requireActor(ctx)
  const db = ctx.db
  const now = ctx.now()
  const community = await repo.findCommunity(db, claim.communityId)
  if (!community) throw new AppError('NotFound', '找不到该小区')
  const building = normalizeBuilding(claim.building)
  const stair = normalizeStair(claim.stair)
  const room = normalizeRoom(claim.room)
  const name = cleanName(claim.name)
  // A verified phone (asked of WeChat before the transaction) replaces any typed one.
  const verified = claim.phoneCode ? await verifiedPhone(ctx, claim.phoneCode) : null
  const phone = verified ?? (claim.phone || null)
  const label = unitLabel(building, stair, room)
  const unit = await repo.findUnitByLabel(db, claim.communityId, building, stair, room)
  if (!unit) throw new AppError('NotFound', `${community.name}的名册里没有 ${label}，请核对楼栋、单元和房号；确认无误的话请联系业委会`)
  const hash = claim.idLast4 ? hashId4(ctx.config.idHashSecret, claim.communityId, claim.idLast4) : null
  const cid = claim.communityId
  const nowIso = now.toISOString()

  return withTx(ctx, async ({ db: trx }): Promise<BindResult> => {
    const already = await repo.ownersOfUnit(trx, cid, unit.id)
    if (already.some((p) => p.user_id === userId)) {
      // Already bound (a second tap, or a re-import kept the binding): answer the same, add nothing, count nothing.
      const approved = await bindings.findBindingOfUserUnit(trx, cid, userId, unit.id, 'approved')
      const bindingId = approved?.id ?? randomUUID()
      if (!approved) {
        const person = already.find((p) => p.user_id === userId)!
        await bindings.insertBinding(trx, baseRow(bindingId, cid, userId, unit.id, name, phone, nowIso, { status: 'approved', person_id: person.id, decided_at: nowIso }))
      }
      await grantRole(trx, userId, 'owner', { communityId: cid }, now)
      return { bindingId, status: 'approved', message: `您已绑定 ${label}` }
    }

    // A phone WeChat verified that the roster gives this unit's owner binds at once: it cannot be
    // guessed, so it is neither counted nor stopped by the lock.
    const verifiedOwner = verified ? pickVerifiedOwner(already, verified, name) : undefined
    if (verifiedOwner && !verifiedOwner.user_id && (await repo.bindPersonToUser(trx, cid, verifiedOwner.id, userId))) {
      await grantRole(trx, userId, 'owner', { communityId: cid }, now)
      const pendingNow = await bindings.findBindingOfUserUnit(trx, cid, userId, unit.id, 'pending')
      const decided = { status: 'approved' as const, person_id: verifiedOwner.id, decided_at: nowIso, decided_by: null, reason: null }
      const bindingId = pendingNow?.id ?? randomUUID()
      if (pendingNow) await bindings.updateBinding(trx, cid, pendingNow.id, { ...decided, claimed_name: name, claimed_phone: phone })
      else await bindings.insertBinding(trx, baseRow(bindingId, cid, userId, unit.id, name, phone, nowIso, decided))
      return { bindingId, status: 'approved', message: `微信验证的手机号与名册一致，已绑定 ${label}` }
    }

    // Count first, in one statement (it also locks the unit's counter on PostgreSQL until this
    // claim is settled): claims racing each other get numbers 1, 2, 3… and only the first few are checked.
    const count = await bindings.countClaim(trx, cid, unit.id, userId)
    const locked = count.unit > MAX_AUTO_ATTEMPTS || count.user > MAX_ACCOUNT_ATTEMPTS
    const pending = await bindings.findBindingOfUserUnit(trx, cid, userId, unit.id, 'pending')
    const attempts = (pending?.attempts ?? 0) + 1
    const owners = locked ? [] : await repo.ownersOfUnit(trx, cid, unit.id)
    // A typed phone or ID digits are no secret among neighbours: a match is flagged for the
    // committee (one tap to approve), never bound here. A roster owner already bound to another
    // account is not flagged, and every unlocked claim gets the same answer, match or not, so the
    // answer never tells a guesser that the name and digits were right.
    const match = owners.find(
      (p) => !p.is_developer && !p.user_id && p.name === name && ((!!phone && p.phone === phone) || (!!hash && p.id4_hash === hash)),
    )
    const rosterMatch = match ? 1 : 0
    let lockedAt = pending?.locked_at ?? null
    if (locked) {
      lockedAt ??= nowIso
      const passed = [count.unit > MAX_AUTO_ATTEMPTS ? `unit:${unit.id}` : null, count.user > MAX_ACCOUNT_ATTEMPTS ? `user:${userId}` : null]
      await bindings.markLocked(trx, cid, passed.filter((s): s is string => !!s), nowIso)
    }
    const body = governingBody(await bindings.governanceOf(trx, cid))
    // A verified phone is the person's own, not a guess: saying it did not match gives nothing away.
    const message = locked
      ? `${label} 多次核对未成功，已停止自动核验，绑定申请已转交${body}人工审核`
      : verified
        ? `微信验证的手机号不是名册上 ${label} 业主的手机号，绑定申请已提交${body}审核，结果会显示在“我的”页面`
        : `${label} 的绑定申请已提交${body}确认，确认后即绑定，结果会显示在“我的”页面。想立即绑定，请用“微信验证手机号”`
    if (pending) {
      await bindings.updateBinding(trx, cid, pending.id, { claimed_name: name, claimed_phone: phone, attempts, locked_at: lockedAt, roster_match: rosterMatch })
      return { bindingId: pending.id, status: 'pending', message }
    }
    const bindingId = randomUUID()
    await bindings.insertBinding(trx, baseRow(bindingId, cid, userId, unit.id, name, phone, nowIso, { status: 'pending', locked_at: lockedAt, roster_match: rosterMatch }))
    return { bindingId, status: 'pending', message }
  })
}

/** The unit's roster owner with this verified phone: the one of the typed name, else the only one with it. */
function pickVerifiedOwner(owners: repo.PersonRow[], phone: string, name: string): repo.PersonRow | undefined {
  const withPhone = owners.filter((p) => !p.is_developer && p.phone === phone)
  return withPhone.find((p) => p.name === name) ?? (withPhone.length === 1 ? withPhone[0] : undefined)
}

function baseRow(
  id: string,
  communityId: string,
  userId: string,
  unitId: string,
  name: string,
  phone: string | null,
  createdAt: string,
  over: Partial<bindings.BindingRow> & { status: bindings.BindingRow['status'] },
) {
  return {
    id,
    community_id: communityId,
    user_id: userId,
    unit_id: unitId,
    claimed_name: name,
    claimed_phone: phone,
    person_id: null,
    decided_at: null,
    created_at: createdAt,
    attempts: 1,
    ...over,
  }
}

type ViewRow = NonNullable<Awaited<ReturnType<typeof bindings.getBindingView>>>

function toRequest(r: ViewRow, owners: { names: string[]; people: Set<string> } | undefined): BindingRequest {
  return {
    id: r.id,
    unitId: r.unit_id,
    unitLabel: unitLabel(r.building, r.stair, r.room),
    claimedName: r.claimed_name,
    claimedPhone: maskPhone(r.claimed_phone),
    rosterOwners: owners?.names ?? [],
    status: r.status,
    reason: r.reason,
    createdAt: r.created_at,
    ...(r.locked_at ? { lockedAt: r.locked_at } : {}),
    rosterMatch: r.roster_match === 1,
    // Approving binds a roster owner of that name (no change of ownership), or else adds one.
    needsProof: !owners?.people.has(r.claimed_name),
  }
}

/** Requests of a 小区, pending oldest first (a queue), decided ones newest first. */
export async function listBindingRequests(
  ctx: Ctx,
  input: { communityId: string; status: bindings.BindingRow['status']; cursor?: string; limit: number },
): Promise<BindingRequestPage> {
  const { communityId, status, limit } = input
  const order = status === 'pending' ? 'asc' : 'desc'
  const after = decodeCursor(input.cursor, [isText, isText], '分页参数无效，请刷新列表') as [string, string] | undefined
  const rows = await bindings.listBindings(ctx.db, communityId, status, order, after, limit + 1)
  const { page, nextCursor } = keysetPage(rows, limit, (r) => [r.created_at, r.id])
  const unitIds = [...new Set(page.map((r) => r.unit_id))]
  const owners = await repo.ownerNamesOfUnits(ctx.db, communityId, unitIds)
  return {
    items: page.map((r) => toRequest(r, owners.get(r.unit_id))),
    nextCursor,
  }
}

export interface Decision {
  communityId: string
  bindingId: string
  approve: boolean
  reason?: string
  /** The proofRef of uploadBindingProof: needed when the approval adds an owner or sells the unit. */
  proofRef?: string
}

/**
 * A committee member's decision, never on their own request. Approving binds the claimant to the
 * roster owner of that name on the unit (a roster match: no proof needed); when there is none the
 * roster was out of date and addOwner makes the claimant an owner, on proof, audited.
 */
export async function decideBinding(ctx: Ctx, d: Decision): Promise<BindingRequest> {
  const deciderId = requireActor(ctx).userId
  const now = ctx.now()
  const cid = d.communityId
  const nowIso = now.toISOString()
  await withTx(ctx, async (tx) => {
    const trx = tx.db
    const b = await bindings.getBinding(trx, cid, d.bindingId)
    if (!b) throw new AppError('NotFound', '找不到该绑定申请')
    if (b.status !== 'pending') throw new AppError('Conflict', b.status === 'approved' ? '该申请已经通过了' : '该申请已经被拒绝了')
    // Approving one's own claim would let a member make themselves an owner (and a voter) of any unit.
    if (b.user_id === deciderId) throw new AppError('Forbidden', '不能审核自己提交的绑定申请，请由其他委员或社区工作人员审核')
    if (!d.approve) {
      const reason = d.reason?.trim() || '信息与名册不符，未通过审核'
      await bindings.updateBinding(trx, cid, b.id, { status: 'rejected', reason, decided_by: deciderId, decided_at: nowIso })
      return
    }
    const owners = await repo.ownersOfUnit(trx, cid, b.unit_id)
    const named = owners.find((p) => !p.is_developer && p.name === b.claimed_name && (!p.user_id || p.user_id === b.user_id))
      ?? owners.find((p) => !p.is_developer && p.name === b.claimed_name)
    let personId: string
    let proofFile: string | null = null
    if (named) {
      if (named.user_id && named.user_id !== b.user_id) {
        throw new AppError('Conflict', `名册上的“${named.name}”已绑定了另一个微信账号，不能再绑定给这位申请人；如确有变更，请先更新名册`)
      }
      if (!named.user_id && !(await repo.bindPersonToUser(trx, cid, named.id, b.user_id))) {
        throw new AppError('Conflict', '该业主刚刚被其他账号绑定，请刷新后再处理')
      }
      personId = named.id
    } else {
      personId = await addOwner(tx, b, owners, d, deciderId, nowIso)
      proofFile = d.proofRef!
    }
    await grantRole(trx, b.user_id, 'owner', { communityId: cid }, now)
    await bindings.updateBinding(trx, cid, b.id, { status: 'approved', person_id: personId, decided_by: deciderId, decided_at: nowIso, reason: d.reason?.trim() || null, proof_file: proofFile })
  })
  const view = await bindings.getBindingView(ctx.db, cid, d.bindingId)
  const owners = await repo.ownerNamesOfUnits(ctx.db, cid, [view!.unit_id])
  return toRequest(view!, owners.get(view!.unit_id))
}

/**
 * The roster does not list the claimant for this unit (it was out of date): the claimant becomes
 * an owner of it (reusing their own roster person in this 小区 if they have one, so an owner of
 * several units still counts once), and an unsold unit is sold — the developer no longer owns it.
 * Other owners already listed stay; a roster re-import corrects them. This rests on the proof
 * photo uploaded for this request and is written to the 小区's audit log in the same transaction.
 * Only the roster changes: a vote's electorate is frozen when it opens.
 */
async function addOwner(ctx: Ctx, b: bindings.BindingRow, owners: repo.PersonRow[], d: Decision, deciderId: string, nowIso: string): Promise<string> {
  const trx = ctx.db
  const cid = b.community_id
  const unit = await repo.findUnit(trx, cid, b.unit_id)
  if (!unit) throw new AppError('NotFound', '找不到该房屋')
  const label = unitLabel(unit.building, unit.stair, unit.room)
  if (!d.proofRef) {
    throw new AppError(
      'BadInput',
      unit.sold
        ? `名册上 ${label} 的业主没有“${b.claimed_name}”：通过前请拍照上传不动产权证或购房合同，作为增加业主的依据`
        : `${label} 在名册上是未售房屋：通过前请拍照上传不动产权证或购房合同，作为已售的依据`,
    )
  }
  const proof = await checkProof(ctx, cid, b.id, d.proofRef)
  const own = (await repo.personsOfUser(trx, cid, b.user_id)).find((p) => !p.is_developer)
  const sameContact = own ? undefined : b.claimed_phone ? await repo.findUnboundPersonByNamePhone(trx, cid, b.claimed_name, b.claimed_phone) : undefined
  let personId: string
  let newPerson = false
  if (own) personId = own.id
  else if (sameContact) {
    if (!(await repo.bindPersonToUser(trx, cid, sameContact.id, b.user_id))) throw new AppError('Conflict', '该业主刚刚被其他账号绑定，请刷新后再处理')
    personId = sameContact.id
  } else {
    personId = randomUUID()
    newPerson = true
    await repo.insertPersons(trx, cid, [{ id: personId, name: b.claimed_name, phone: b.claimed_phone, id4Hash: null, isDeveloper: false, userId: b.user_id }])
  }
  const addedOwner = !owners.some((p) => p.id === personId)
  if (addedOwner) await repo.insertOwnerships(trx, cid, [{ unitId: b.unit_id, personId }])
  const developers = unit.sold ? [] : owners.filter((p) => p.is_developer)
  if (!unit.sold) {
    await repo.setUnitSold(trx, cid, b.unit_id, true)
    for (const dev of developers) await repo.deleteOwnership(trx, cid, b.unit_id, dev.id)
  }
  await appendAudit(ctx, {
    communityId: cid,
    at: nowIso,
    actor: deciderId,
    action: 'binding.owner_added',
    entityType: 'binding',
    entityId: b.id,
    payload: {
      unitId: b.unit_id,
      unit: label,
      userId: b.user_id,
      personId,
      newPerson,
      addedOwner,
      soldUnit: !unit.sold,
      developerRemoved: developers.map((p) => p.id),
      ownersBefore: owners.filter((p) => !p.is_developer).map((p) => p.id),
      proofFile: proof.ref,
      proofSha256: proof.sha256,
    },
  })
  return personId
}
