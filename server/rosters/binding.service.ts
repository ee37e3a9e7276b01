/**
 * Binding a WeChat user to a unit of the roster (认证业主身份).
 *
 * Exact match → bound at once: the unit exists, one of its roster owners has exactly the name
 * typed AND (the same phone OR the same ID last-4 digits), and that roster person is not bound to
 * another user. Anything else becomes one pending request per resident and unit, for a committee
 * member to decide. 10,000 ID endings must not be tried by a script: after MAX_AUTO_ATTEMPTS claims
 * of one unit (by any accounts) or MAX_ACCOUNT_ATTEMPTS claims by one account (of any units), no
 * claim is checked any more and the committee decides; the request shows it was locked. The
 * counts are atomic (binding.repository countClaim) and a committee decision does not reset them.
 */
import { randomUUID } from 'node:crypto'
import type { BindingRequest, BindingRequestPage, BindResult } from '../../src/contracts/rosters'
import { unitLabel } from '../../src/contracts/units'
import { grantRole } from '../communities/membership.repository'
import { requireActor, withTx, type Ctx } from '../context'
import { decodeCursor, isText, keysetPage } from '../db/keyset'
import { AppError } from '../errors'
import { verifiedPhone } from '../identity/phone.service'
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

/** The acting person claims a unit: bound at once on an exact roster match, else a pending request. */
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
    const match = owners.find(
      (p) => !p.is_developer && p.name === name && ((!!phone && p.phone === phone) || (!!hash && p.id4_hash === hash)),
    )
    if (match && !match.user_id && (await repo.bindPersonToUser(trx, cid, match.id, userId))) {
      await grantRole(trx, userId, 'owner', { communityId: cid }, now)
      const decided = { status: 'approved' as const, person_id: match.id, decided_at: nowIso, decided_by: null, reason: null }
      const bindingId = pending?.id ?? randomUUID()
      if (pending) await bindings.updateBinding(trx, cid, pending.id, { ...decided, claimed_name: name, claimed_phone: phone, attempts })
      else await bindings.insertBinding(trx, baseRow(bindingId, cid, userId, unit.id, name, phone, nowIso, decided))
      return { bindingId, status: 'approved', message: `核验通过，已绑定 ${label}` }
    }

    // A roster owner already bound to another account is answered like any miss: the answer must
    // not tell a guesser that the name and digits were right.
    let lockedAt = pending?.locked_at ?? null
    if (locked) {
      lockedAt ??= nowIso
      const passed = [count.unit > MAX_AUTO_ATTEMPTS ? `unit:${unit.id}` : null, count.user > MAX_ACCOUNT_ATTEMPTS ? `user:${userId}` : null]
      await bindings.markLocked(trx, cid, passed.filter((s): s is string => !!s), nowIso)
    }
    const message = locked
      ? `${label} 多次核对未成功，已停止自动核验，绑定申请已转交业委会人工审核`
      : `填写的信息与名册未能核对上，${label} 的绑定申请已提交业委会审核，结果会显示在“我的”页面`
    if (pending) {
      await bindings.updateBinding(trx, cid, pending.id, { claimed_name: name, claimed_phone: phone, attempts, locked_at: lockedAt })
      return { bindingId: pending.id, status: 'pending', message }
    }
    const bindingId = randomUUID()
    await bindings.insertBinding(trx, baseRow(bindingId, cid, userId, unit.id, name, phone, nowIso, { status: 'pending', locked_at: lockedAt }))
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

function toRequest(r: ViewRow, owners: string[]): BindingRequest {
  return {
    id: r.id,
    unitId: r.unit_id,
    unitLabel: unitLabel(r.building, r.stair, r.room),
    claimedName: r.claimed_name,
    claimedPhone: maskPhone(r.claimed_phone),
    rosterOwners: owners,
    status: r.status,
    reason: r.reason,
    createdAt: r.created_at,
    ...(r.locked_at ? { lockedAt: r.locked_at } : {}),
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
  const owners = await repo.ownerNamesOfUnits(ctx.db, communityId, [...new Set(page.map((r) => r.unit_id))])
  return {
    items: page.map((r) => toRequest(r, owners.get(r.unit_id) ?? [])),
    nextCursor,
  }
}

export interface Decision {
  communityId: string
  bindingId: string
  approve: boolean
  reason?: string
}

/**
 * A committee member's decision, never on their own request. Approving binds the claimant to the roster person of that unit
 * with the claimed name; when there is none the roster was out of date, so the claimant becomes
 * an owner of the unit (reusing their own roster person in this 小区 if they have one, so an
 * owner of several units still counts once). An unsold unit approved this way is sold: the
 * developer no longer owns it. Other owners already listed stay; a roster re-import corrects them.
 */
export async function decideBinding(ctx: Ctx, d: Decision): Promise<BindingRequest> {
  const deciderId = requireActor(ctx).userId
  const now = ctx.now()
  const cid = d.communityId
  const nowIso = now.toISOString()
  await withTx(ctx, async ({ db: trx }) => {
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
    if (named) {
      if (named.user_id && named.user_id !== b.user_id) {
        throw new AppError('Conflict', `名册上的“${named.name}”已绑定了另一个微信账号，不能再绑定给这位申请人；如确有变更，请先更新名册`)
      }
      if (!named.user_id && !(await repo.bindPersonToUser(trx, cid, named.id, b.user_id))) {
        throw new AppError('Conflict', '该业主刚刚被其他账号绑定，请刷新后再处理')
      }
      personId = named.id
    } else {
      const own = (await repo.personsOfUser(trx, cid, b.user_id)).find((p) => !p.is_developer)
      const sameContact = own ? undefined : b.claimed_phone ? await repo.findUnboundPersonByNamePhone(trx, cid, b.claimed_name, b.claimed_phone) : undefined
      if (own) personId = own.id
      else if (sameContact) {
        if (!(await repo.bindPersonToUser(trx, cid, sameContact.id, b.user_id))) throw new AppError('Conflict', '该业主刚刚被其他账号绑定，请刷新后再处理')
        personId = sameContact.id
      } else {
        personId = randomUUID()
        await repo.insertPersons(trx, cid, [{ id: personId, name: b.claimed_name, phone: b.claimed_phone, id4Hash: null, isDeveloper: false, userId: b.user_id }])
      }
      if (!owners.some((p) => p.id === personId)) await repo.insertOwnerships(trx, cid, [{ unitId: b.unit_id, personId }])
      const unit = await repo.findUnit(trx, cid, b.unit_id)
      if (unit && !unit.sold) {
        await repo.setUnitSold(trx, cid, b.unit_id, true)
        for (const dev of owners.filter((p) => p.is_developer)) await repo.deleteOwnership(trx, cid, b.unit_id, dev.id)
      }
    }
    await grantRole(trx, b.user_id, 'owner', { communityId: cid }, now)
    await bindings.updateBinding(trx, cid, b.id, { status: 'approved', person_id: personId, decided_by: deciderId, decided_at: nowIso, reason: d.reason?.trim() || null })
  })
  const view = await bindings.getBindingView(ctx.db, cid, d.bindingId)
  const owners = await repo.ownerNamesOfUnits(ctx.db, cid, [view!.unit_id])
  return toRequest(view!, owners.get(view!.unit_id) ?? [])
}
