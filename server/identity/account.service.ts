import type { DeleteAccountResult, MyData } from '../../src/contracts/privacy'
import { REPORT_CATEGORY_LABELS, REPORT_STATUS_LABELS } from '../../src/contracts/reports'
import { ROLE_LABELS, type Role } from '../../src/contracts/roles'
import { unitLabel } from '../../src/contracts/units'
import { requireCaller, withTx, type Ctx } from '../context'
import {
  ballotsOf,
  bindingsOf,
  consentsOf,
  deleteAccountRows,
  membershipsOf,
  reportsOf,
  rosterEntriesOf,
  tenanciesOf,
  userRow,
} from './account.repository'
import { mySessions } from './session.service'

const BINDING_STATUS: Record<string, string> = { approved: '已绑定', pending: '待审核', rejected: '未通过' }
const TENANCY_STATUS: Record<string, string> = { invited: '已邀请', active: '租住中', revoked: '已收回' }

/** Everything stored about the caller (PIPL arts. 45, 47), for 个人信息 and its export. */
export async function myData(ctx: Ctx): Promise<MyData> {
  const userId = requireCaller(ctx).userId
  const db = ctx.db
  const [user, roles, roster, bindings, tenancies, reports, ballots, consents, sessions] = await Promise.all([
    userRow(db, userId),
    membershipsOf(db, userId),
    rosterEntriesOf(db, userId),
    bindingsOf(db, userId),
    tenanciesOf(db, userId),
    reportsOf(db, userId),
    ballotsOf(db, userId),
    consentsOf(db, userId),
    mySessions(ctx),
  ])
  const rosterByPerson = new Map<string, MyData['rosterEntries'][number]>()
  for (const r of roster) {
    const entry = rosterByPerson.get(r.id) ?? { communityName: r.community, name: r.name, phone: r.phone, units: [] }
    if (r.building && r.stair && r.room) entry.units.push(unitLabel(r.building, r.stair, r.room))
    rosterByPerson.set(r.id, entry)
  }
  return {
    exportedAt: ctx.now().toISOString(),
    account: { userId: user.id, nickname: user.nickname, createdAt: user.created_at },
    roles: roles.map((m) => ({
      role: ROLE_LABELS[m.role as Role] ?? m.role,
      place: m.community ?? m.office ?? m.street ?? m.district ?? '',
      since: m.created_at,
    })),
    rosterEntries: [...rosterByPerson.values()],
    bindings: bindings.map((b) => ({
      communityName: b.community,
      unitLabel: unitLabel(b.building, b.stair, b.room),
      claimedName: b.claimed_name,
      claimedPhone: b.claimed_phone,
      status: BINDING_STATUS[b.status] ?? b.status,
      reason: b.reason,
      createdAt: b.created_at,
      decidedAt: b.decided_at,
    })),
    tenancies: tenancies.map((t) => ({
      communityName: t.community,
      unitLabel: unitLabel(t.building, t.stair, t.room),
      relation: t.tenant_user_id === userId ? ('tenant' as const) : ('invited_by_me' as const),
      status: TENANCY_STATUS[t.status] ?? t.status,
      createdAt: t.created_at,
    })),
    reports: reports.map((r) => ({
      communityName: r.community,
      category: REPORT_CATEGORY_LABELS[r.category] ?? r.category,
      description: r.description,
      place: r.place_label,
      status: REPORT_STATUS_LABELS[r.status] ?? r.status,
      anonymous: !!r.anonymous,
      createdAt: r.created_at,
    })),
    ballots: ballots.map((b) => ({ communityName: b.community, voteTitle: b.title, receiptCode: b.receipt_code, castAt: b.cast_at })),
    consents: consents.map((c) => ({ version: c.version, acceptedAt: c.accepted_at })),
    sessions,
  }
}

/**
 * Deletes the caller's account (PIPL art. 47): every session ends, bindings and tenancies go,
 * their roles go, the roster rows are unbound, and the name and phone they gave leave every place
 * but the roster the committee keeps. Cast ballots stay with their voter key, as the law requires
 * for a year after the decision (SPC interpretation on building ownership, art. 12).
 */
export async function deleteMyAccount(ctx: Ctx): Promise<DeleteAccountResult> {
  const userId = requireCaller(ctx).userId
  await withTx(ctx, (tx) => deleteAccountRows(tx.db, userId, tx.now().toISOString()))
  ctx.log.info({ userId }, 'account deleted by its owner')
  return {
    deleted: true,
    kept: [
      '已投的表决票：依法保留（决定作出后至少一年），只与名册上的投票人相连，不再与您的账号相连',
      '业主名册：由业委会（物管会）保管，如需更正或删除请联系他们',
      '您提交的报事：保留处理记录，不再显示您的姓名',
    ],
  }
}
