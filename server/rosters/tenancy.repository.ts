import { sameCommunity } from '../db/colocation'
import type { DbOrTx } from '../db/database'

/** SQL of tenancies (租户): an owner's invitation, its acceptance and its end. */

const view = (db: DbOrTx) =>
  db
    .selectFrom('tenancies as t')
    .innerJoin('units as u', (j) => sameCommunity(j, 'u.id', 't.unit_id'))
    .innerJoin('buildings as b', (j) => sameCommunity(j, 'b.id', 'u.building_id'))
    .leftJoin('users as tu', 'tu.id', 't.tenant_user_id')
    .select([
      't.id', 't.community_id', 't.unit_id', 't.invited_by', 't.invite_code', 't.tenant_user_id', 't.status', 't.created_at', 't.accepted_at', 't.revoked_at',
      'b.name as building', 'u.stair', 'u.room', 'tu.nickname as tenant_name',
    ])

export type TenancyView = NonNullable<Awaited<ReturnType<typeof getTenancy>>>

export async function getTenancy(db: DbOrTx, communityId: string, tenancyId: string) {
  return view(db).where('t.community_id', '=', communityId).where('t.id', '=', tenancyId).executeTakeFirst()
}

/** By invite code: the tenant does not know the 小区 yet, the code is globally unique. */
export async function getTenancyByCode(db: DbOrTx, code: string) {
  return view(db).where('t.invite_code', '=', code).executeTakeFirst()
}

export async function codeExists(db: DbOrTx, code: string): Promise<boolean> {
  return !!(await db.selectFrom('tenancies').select('id').where('invite_code', '=', code).executeTakeFirst())
}

export async function listTenanciesOfUnit(db: DbOrTx, communityId: string, unitId: string) {
  return view(db).where('t.community_id', '=', communityId).where('t.unit_id', '=', unitId).orderBy('t.created_at', 'desc').orderBy('t.id', 'desc').execute()
}

export async function insertTenancy(
  db: DbOrTx,
  row: { id: string; communityId: string; unitId: string; invitedBy: string; code: string; createdAt: string },
): Promise<void> {
  await db
    .insertInto('tenancies')
    .values({ id: row.id, community_id: row.communityId, unit_id: row.unitId, invited_by: row.invitedBy, invite_code: row.code, tenant_user_id: null, status: 'invited', created_at: row.createdAt, accepted_at: null, revoked_at: null })
    .execute()
}

/** Accepts only an invitation still open: two people typing one code cannot both become the tenant. */
export async function acceptTenancyRow(db: DbOrTx, communityId: string, tenancyId: string, tenantUserId: string, at: string): Promise<boolean> {
  const res = await db
    .updateTable('tenancies')
    .set({ status: 'active', tenant_user_id: tenantUserId, accepted_at: at })
    .where('community_id', '=', communityId)
    .where('id', '=', tenancyId)
    .where('status', '=', 'invited')
    .executeTakeFirst()
  return Number(res.numUpdatedRows) === 1
}

export async function revokeTenancyRow(db: DbOrTx, communityId: string, tenancyId: string, at: string): Promise<void> {
  await db.updateTable('tenancies').set({ status: 'revoked', revoked_at: at }).where('community_id', '=', communityId).where('id', '=', tenancyId).where('status', '!=', 'revoked').execute()
}

export async function activeTenancyCount(db: DbOrTx, communityId: string, tenantUserId: string): Promise<number> {
  const row = await db
    .selectFrom('tenancies')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('community_id', '=', communityId)
    .where('tenant_user_id', '=', tenantUserId)
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
