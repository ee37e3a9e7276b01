import { sql, type Selectable } from 'kysely'
import { sameCommunity } from '../db/colocation'
import type { DbOrTx, NoticeFileTable, NoticeRevisionTable, NoticeTable } from '../db/database'

export type NoticeRow = Selectable<NoticeTable>
export type NoticeFileRow = Selectable<NoticeFileTable>
export type NoticeRevisionRow = Selectable<NoticeRevisionTable>

export async function insertNotice(db: DbOrTx, row: NoticeRow): Promise<void> {
  await db.insertInto('notices').values(row).execute()
}

export async function insertRevision(db: DbOrTx, row: NoticeRevisionRow): Promise<void> {
  await db.insertInto('notice_revisions').values(row).execute()
}

export async function findNotice(db: DbOrTx, communityId: string, id: string): Promise<NoticeRow | undefined> {
  return db.selectFrom('notices').selectAll().where('community_id', '=', communityId).where('id', '=', id).executeTakeFirst()
}

export async function findNoticeBySourceKey(db: DbOrTx, communityId: string, sourceKey: string): Promise<NoticeRow | undefined> {
  return db.selectFrom('notices').selectAll().where('community_id', '=', communityId).where('source_key', '=', sourceKey).executeTakeFirst()
}

/**
 * Takes the 小区's write lock for the rest of the transaction: a no-op UPDATE locks the row on
 * PostgreSQL and takes the database write lock on SQLite, so two publishers pinning at the same
 * moment are serialised and the cap of pinned notices holds.
 */
export async function lockCommunity(db: DbOrTx, communityId: string): Promise<void> {
  await db.updateTable('communities').set((eb) => ({ id: eb.ref('id') })).where('id', '=', communityId).execute()
}

/** Pinned notices that still count against the cap: not withdrawn, not expired (scheduled ones count). */
export async function countActivePinned(db: DbOrTx, communityId: string, nowIso: string, exceptId?: string): Promise<number> {
  let q = db
    .selectFrom('notices')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('community_id', '=', communityId)
    .where('pinned', '=', 1)
    .where('withdrawn_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', nowIso)]))
  if (exceptId) q = q.where('id', '!=', exceptId)
  const row = await q.executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Records the first opening; later openings change nothing. */
export async function markRead(db: DbOrTx, communityId: string, noticeId: string, userId: string, nowIso: string): Promise<void> {
  await db
    .insertInto('notice_reads')
    .values({ notice_id: noticeId, user_id: userId, community_id: communityId, first_read_at: nowIso })
    .onConflict((oc) => oc.columns(['notice_id', 'user_id']).doNothing())
    .execute()
}

/**
 * Notices in the main feed published after `sinceIso` that the user has not opened, counted up
 * to `cap` (the badge shows "99+" beyond). The window bounds the work for a reader who has
 * opened everything, however many years of notices the 小区 holds.
 */
export async function countUnread(db: DbOrTx, communityId: string, userId: string, nowIso: string, sinceIso: string, cap: number): Promise<number> {
  const unread = db
    .selectFrom('notices as n')
    .select('n.id')
    .where('n.community_id', '=', communityId)
    // Both values spelled out so the feed index's (community_id, pinned, publish_at) range applies.
    .where('n.pinned', 'in', [0, 1])
    .where('n.withdrawn_at', 'is', null)
    .where('n.publish_at', '<=', nowIso)
    .where('n.publish_at', '>', sinceIso)
    .where((eb) => eb.or([eb('n.expires_at', 'is', null), eb('n.expires_at', '>', nowIso)]))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('notice_reads as r').select(sql.lit(1).as('one')).whereRef('r.notice_id', '=', 'n.id').where('r.user_id', '=', userId).whereRef('r.community_id', '=', 'n.community_id'),
        ),
      ),
    )
    .limit(cap)
  const row = await db.selectFrom(unread.as('u')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Applies an edit if nobody changed the notice since `expectedVersion`; false when someone did. */
export async function updateNoticeIfVersion(
  db: DbOrTx,
  communityId: string,
  id: string,
  expectedVersion: number,
  patch: Partial<Pick<NoticeRow, 'title' | 'body' | 'expires_at' | 'publish_at' | 'posting_ends_at' | 'updated_at'>>,
): Promise<boolean> {
  const res = await db
    .updateTable('notices')
    .set({ ...patch, version: expectedVersion + 1 })
    .where('community_id', '=', communityId)
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst()
  return Number(res.numUpdatedRows) === 1
}

export async function setPinned(db: DbOrTx, communityId: string, id: string, pinned: boolean, nowIso: string): Promise<void> {
  await db.updateTable('notices').set({ pinned: pinned ? 1 : 0, updated_at: nowIso }).where('community_id', '=', communityId).where('id', '=', id).execute()
}

export async function setWithdrawn(db: DbOrTx, communityId: string, id: string, nowIso: string): Promise<void> {
  await db.updateTable('notices').set({ withdrawn_at: nowIso, pinned: 0, updated_at: nowIso }).where('community_id', '=', communityId).where('id', '=', id).execute()
}

/** Links the old notice to its correction, unless another correction got there first (then false). */
export async function linkCorrection(db: DbOrTx, communityId: string, oldId: string, newId: string, nowIso: string): Promise<boolean> {
  const res = await db
    .updateTable('notices')
    .set({ corrected_by_notice_id: newId, updated_at: nowIso })
    .where('community_id', '=', communityId)
    .where('id', '=', oldId)
    .where('corrected_by_notice_id', 'is', null)
    .executeTakeFirst()
  return Number(res.numUpdatedRows) === 1
}

export async function revisionsOf(db: DbOrTx, communityId: string, noticeId: string): Promise<NoticeRevisionRow[]> {
  return db.selectFrom('notice_revisions').selectAll().where('community_id', '=', communityId).where('notice_id', '=', noticeId).orderBy('version').execute()
}

export async function titleOf(db: DbOrTx, communityId: string, id: string): Promise<{ id: string; title: string; publish_at: string } | undefined> {
  return db.selectFrom('notices').select(['id', 'title', 'publish_at']).where('community_id', '=', communityId).where('id', '=', id).executeTakeFirst()
}

// ── files ────────────────────────────────────────────────────────────────────

export async function insertFile(db: DbOrTx, row: NoticeFileRow): Promise<void> {
  await db.insertInto('notice_files').values(row).execute()
}

export async function findFile(db: DbOrTx, id: string): Promise<NoticeFileRow | undefined> {
  return db.selectFrom('notice_files').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function filesByIds(db: DbOrTx, communityId: string, ids: string[]): Promise<NoticeFileRow[]> {
  if (ids.length === 0) return []
  return db.selectFrom('notice_files').selectAll().where('community_id', '=', communityId).where('id', 'in', ids).execute()
}

/** Current files of a notice, in display order. */
export async function filesOfNotice(db: DbOrTx, communityId: string, noticeId: string): Promise<NoticeFileRow[]> {
  return db
    .selectFrom('notice_files')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('notice_id', '=', noticeId)
    .where('removed_at', 'is', null)
    .orderBy('position')
    .execute()
}

export async function attachFile(db: DbOrTx, communityId: string, fileId: string, noticeId: string, position: number): Promise<void> {
  await db.updateTable('notice_files').set({ notice_id: noticeId, position, removed_at: null }).where('community_id', '=', communityId).where('id', '=', fileId).execute()
}

export async function markFileRemoved(db: DbOrTx, communityId: string, fileId: string, nowIso: string): Promise<void> {
  await db.updateTable('notice_files').set({ removed_at: nowIso }).where('community_id', '=', communityId).where('id', '=', fileId).execute()
}

export async function deleteFileRow(db: DbOrTx, id: string): Promise<void> {
  await db.deleteFrom('notice_files').where('id', '=', id).execute()
}

/** Uploads never attached to a notice and older than `beforeIso`: abandoned compose sessions. */
export async function unattachedFilesBefore(db: DbOrTx, beforeIso: string): Promise<NoticeFileRow[]> {
  return db.selectFrom('notice_files').selectAll().where('notice_id', 'is', null).where('created_at', '<', beforeIso).execute()
}

// ── read counts ──────────────────────────────────────────────────────────────

/**
 * Households (sold units) of the 小区 per building, and how many of them have opened the notice:
 * a unit counts as read when any of its owners (a roster person bound to the reader) or active
 * tenants opened it. One row per building, counted in the database.
 */
export async function readershipByBuilding(
  db: DbOrTx,
  communityId: string,
  noticeId: string,
): Promise<{ building_id: string; name: string; households: number; read_households: number }[]> {
  const readUnits = db
    .selectFrom('notice_reads as r')
    .innerJoin('persons as p', (j) => j.onRef('p.user_id', '=', 'r.user_id').onRef('p.community_id', '=', 'r.community_id'))
    .innerJoin('ownerships as o', (j) => sameCommunity(j, 'o.person_id', 'p.id'))
    .select('o.unit_id as unit_id')
    .where('r.notice_id', '=', noticeId)
    .where('r.community_id', '=', communityId)
    .union(
      db
        .selectFrom('notice_reads as r')
        .innerJoin('tenancies as t', (j) => j.onRef('t.tenant_user_id', '=', 'r.user_id').onRef('t.community_id', '=', 'r.community_id'))
        .select('t.unit_id as unit_id')
        .where('r.notice_id', '=', noticeId)
        .where('r.community_id', '=', communityId)
        .where('t.status', '=', 'active'),
    )
  const rows = await db
    .selectFrom('units as u')
    .innerJoin('buildings as b', (j) => sameCommunity(j, 'b.id', 'u.building_id'))
    .select((eb) => [
      'b.id as building_id',
      'b.name',
      eb.fn.countAll<number>().as('households'),
      eb.fn.count<number>(eb.case().when('u.id', 'in', readUnits).then(1).end()).as('read_households'),
    ])
    .where('u.community_id', '=', communityId)
    // A unit the developer has not sold is no household: nobody lives there to read, and counting
    // it would flag a building of unsold flats as lagging for every 公示.
    .where('u.sold', '=', 1)
    .groupBy(['b.id', 'b.name'])
    .orderBy('b.name')
    .execute()
  return rows.map((r) => ({ ...r, households: Number(r.households), read_households: Number(r.read_households) }))
}

// ── who publishes ────────────────────────────────────────────────────────────

/** Names of the bodies that can speak for a 小区: its committee, its company, and its community office. */
export async function publisherBodies(
  db: DbOrTx,
  communityId: string,
): Promise<{ name: string; committee_name: string; company_name: string | null; office: string } | undefined> {
  return db
    .selectFrom('communities as c')
    .innerJoin('offices as o', 'o.id', 'c.office_id')
    .select(['c.name', 'c.committee_name', 'c.company_name', 'o.name as office'])
    .where('c.id', '=', communityId)
    .executeTakeFirst()
}
