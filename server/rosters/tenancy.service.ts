/**
 * Tenancy (租户): an owner invites a tenant of their unit with an 8-character code; the tenant
 * accepts it and becomes a 'tenant' member of the 小区 — never an owner: tenants read notices and
 * report problems, they do not vote or see the unit's fees. The owner can end the tenancy; the
 * tenant leaves the 小区 unless another active tenancy keeps them there.
 */
import { randomInt, randomUUID } from 'node:crypto'
import { INVITE_VALID_DAYS, type Tenancy } from '../../src/contracts/rosters'
import { unitLabel } from '../../src/contracts/units'
import { grantRole, revokeCommunityRole } from '../communities/membership.repository'
import { addDays } from '../../src/contracts/time'
import { requireActor, withTx, type Ctx } from '../context'
import type { DbOrTx } from '../db/database'
import { AppError } from '../errors'
import * as repo from './roster.repository'
import * as tenancies from './tenancy.repository'

export { INVITE_VALID_DAYS }
/** No 0/O or 1/I: codes are read aloud and typed by hand. 32^8 ≈ 10^12 codes. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

export function newInviteCode(): string {
  let code = ''
  for (let i = 0; i < 8; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]
  return code
}

/** The instant an invitation made at `createdAt` stops working. */
function inviteExpiry(createdAt: string): Date {
  return addDays(createdAt, INVITE_VALID_DAYS)
}

function toTenancy(t: tenancies.TenancyView, now: Date): Tenancy {
  const expiresAt = t.status === 'invited' ? inviteExpiry(t.created_at) : null
  return {
    id: t.id,
    communityId: t.community_id,
    unitId: t.unit_id,
    unitLabel: unitLabel(t.building, t.stair, t.room),
    code: t.invite_code,
    status: t.status,
    tenantName: t.tenant_name ?? null,
    createdAt: t.created_at,
    expiresAt: expiresAt?.toISOString() ?? null,
    expired: !!expiresAt && now.getTime() >= expiresAt.getTime(),
  }
}

async function requireOwnerOfUnit(db: DbOrTx, communityId: string, unitId: string, userId: string): Promise<void> {
  if (!(await repo.findUnit(db, communityId, unitId))) throw new AppError('NotFound', '找不到该房屋')
  if (!(await repo.userOwnsUnit(db, communityId, unitId, userId))) throw new AppError('Forbidden', '只有该房屋的业主才能管理它的租户')
}

/** An owner invites a tenant of one of their units; the tenancy carries the 8-character code. */
export async function inviteTenant(ctx: Ctx, input: { communityId: string; unitId: string }): Promise<Tenancy> {
  const { communityId, unitId } = input
  const ownerId = requireActor(ctx).userId
  const { db } = ctx
  const now = ctx.now()
  await requireOwnerOfUnit(db, communityId, unitId, ownerId)
  let code = newInviteCode()
  for (let tries = 0; await tenancies.codeExists(db, code); tries++) {
    if (tries > 5) throw new Error('could not draw an unused invite code')
    code = newInviteCode()
  }
  const id = randomUUID()
  await tenancies.insertTenancy(db, { id, communityId, unitId, invitedBy: ownerId, code, createdAt: now.toISOString() })
  return toTenancy((await tenancies.getTenancy(db, communityId, id))!, now)
}

/** The acting person accepts an invitation by its code and becomes a tenant member of the 小区. */
export async function acceptTenancy(ctx: Ctx, input: { code: string }): Promise<Tenancy> {
  const userId = requireActor(ctx).userId
  const { db } = ctx
  const now = ctx.now()
  const t = await tenancies.getTenancyByCode(db, input.code)
  if (!t) throw new AppError('NotFound', '邀请码不存在，请核对后再输入')
  if (t.status === 'active' && t.tenant_user_id === userId) return toTenancy(t, now)
  if (t.status === 'active') throw new AppError('Conflict', '该邀请码已被使用，请让业主重新邀请')
  if (t.status === 'revoked') throw new AppError('Conflict', '该邀请已被业主撤销')
  if (now.getTime() >= inviteExpiry(t.created_at).getTime()) throw new AppError('Conflict', `邀请码已过期（有效期 ${INVITE_VALID_DAYS} 天），请让业主重新邀请`)
  if (await repo.userOwnsUnit(db, t.community_id, t.unit_id, userId)) throw new AppError('BadInput', '您是该房屋的业主，无需以租户身份加入')
  await withTx(ctx, async ({ db: trx }) => {
    if (!(await tenancies.acceptTenancyRow(trx, t.community_id, t.id, userId, now.toISOString()))) {
      throw new AppError('Conflict', '该邀请码已被使用，请让业主重新邀请')
    }
    await grantRole(trx, userId, 'tenant', { communityId: t.community_id }, now)
  })
  return toTenancy((await tenancies.getTenancy(db, t.community_id, t.id))!, now)
}

/** The owner ends a tenancy; the tenant leaves the 小区 unless another active tenancy keeps them there. */
export async function revokeTenancy(ctx: Ctx, input: { communityId: string; tenancyId: string }): Promise<Tenancy> {
  const { communityId, tenancyId } = input
  const ownerId = requireActor(ctx).userId
  const { db } = ctx
  const now = ctx.now()
  const t = await tenancies.getTenancy(db, communityId, tenancyId)
  if (!t) throw new AppError('NotFound', '找不到该租户记录')
  await requireOwnerOfUnit(db, communityId, t.unit_id, ownerId)
  if (t.status !== 'revoked') {
    await withTx(ctx, async ({ db: trx }) => {
      await tenancies.revokeTenancyRow(trx, communityId, tenancyId, now.toISOString())
      if (t.tenant_user_id && (await tenancies.activeTenancyCount(trx, communityId, t.tenant_user_id)) === 0) {
        await revokeCommunityRole(trx, t.tenant_user_id, 'tenant', communityId)
      }
    })
  }
  return toTenancy((await tenancies.getTenancy(db, communityId, tenancyId))!, now)
}

/** The tenancies of one of the owner's units, invitations included. */
export async function listTenancies(ctx: Ctx, input: { communityId: string; unitId: string }): Promise<Tenancy[]> {
  const { communityId, unitId } = input
  await requireOwnerOfUnit(ctx.db, communityId, unitId, requireActor(ctx).userId)
  const now = ctx.now()
  return (await tenancies.listTenanciesOfUnit(ctx.db, communityId, unitId)).map((t) => toTenancy(t, now))
}
