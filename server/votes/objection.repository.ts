import { unitLabel } from '../../src/contracts/units'
import { sameCommunity } from '../db/colocation'
import type { DbOrTx } from '../db/database'
import type { VoteObjectionTable } from './objection.table'

/** SQL of objections to a vote's electorate (vote_objections). Every query filters on community_id. */

export type ObjectionRow = VoteObjectionTable

export async function insertObjection(db: DbOrTx, row: ObjectionRow): Promise<void> {
  await db.insertInto('vote_objections').values(row).execute()
}

export async function objectionsOf(db: DbOrTx, communityId: string, voteId: string, raisedBy?: string): Promise<ObjectionRow[]> {
  let q = db.selectFrom('vote_objections').selectAll().where('community_id', '=', communityId).where('vote_id', '=', voteId)
  if (raisedBy) q = q.where('raised_by', '=', raisedBy)
  return q.orderBy('raised_at').orderBy('id').execute()
}

export async function findObjection(db: DbOrTx, communityId: string, voteId: string, id: string): Promise<ObjectionRow | undefined> {
  return db.selectFrom('vote_objections').selectAll().where('community_id', '=', communityId).where('vote_id', '=', voteId).where('id', '=', id).executeTakeFirst()
}

/** Answers an objection not yet answered; false when someone answered it first. */
export async function answerObjection(db: DbOrTx, communityId: string, id: string, answer: string, by: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('vote_objections')
    .set({ answer, answered_by: by, answered_at: at })
    .where('community_id', '=', communityId)
    .where('id', '=', id)
    .where('answer', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** The names the roster gives these accounts in the 小区 (else their nickname), and the units they own now. */
export async function whoAre(db: DbOrTx, communityId: string, userIds: string[]): Promise<Map<string, { name: string; units: string[] }>> {
  const out = new Map<string, { name: string; units: string[] }>()
  if (userIds.length === 0) return out
  const users = await db.selectFrom('users').select(['id', 'nickname']).where('id', 'in', userIds).execute()
  for (const u of users) out.set(u.id, { name: u.nickname, units: [] })
  const rows = await db
    .selectFrom('persons as p')
    .leftJoin('ownerships as o', (j) => j.onRef('o.person_id', '=', 'p.id').on('o.community_id', '=', communityId))
    .leftJoin('units as u', (j) => sameCommunity(j, 'u.id', 'o.unit_id'))
    .leftJoin('buildings as b', (j) => sameCommunity(j, 'b.id', 'u.building_id'))
    .select(['p.user_id', 'p.name', 'b.name as building', 'u.stair', 'u.room'])
    .where('p.community_id', '=', communityId)
    .where('p.user_id', 'in', userIds)
    .execute()
  const names = new Map<string, Set<string>>()
  for (const r of rows) {
    if (!r.user_id) continue
    const entry = out.get(r.user_id) ?? { name: '', units: [] }
    names.set(r.user_id, (names.get(r.user_id) ?? new Set()).add(r.name))
    if (r.building && r.stair && r.room) entry.units.push(unitLabel(r.building, r.stair, r.room))
    out.set(r.user_id, entry)
  }
  const collator = new Intl.Collator('zh-CN', { numeric: true })
  for (const [userId, entry] of out) {
    const n = names.get(userId)
    if (n) entry.name = [...n].sort().join('、')
    entry.units = [...new Set(entry.units)].sort(collator.compare)
  }
  return out
}
