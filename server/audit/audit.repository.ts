import type { Selectable } from 'kysely'
import { compiledOnce } from '../db/compiled'
import type { DbOrTx } from '../db/database'
import type { AuditLogTable } from './audit.table'

export type AuditRow = Selectable<AuditLogTable>

/**
 * Makes sure the 小区's chain head exists and locks it for the rest of the transaction, answering
 * the head as it is now, in one statement: the insert of the empty head, or on conflict a no-op
 * update of the existing one, which takes the row lock on PostgreSQL (a concurrent appender waits
 * here until we commit, then reads the head we left) and the write lock on SQLite. Built once
 * (server/db/compiled.ts): every audited write runs it.
 */
export async function lockHead(db: DbOrTx, communityId: string, genesis: string): Promise<{ seq: number; hash: string }> {
  const [head] = await lockHeadQuery(db, communityId, genesis)
  return { seq: Number(head.seq), hash: head.hash }
}

const lockHeadQuery = compiledOnce((db, communityId: string, genesis: string) =>
  db
    .insertInto('audit_heads')
    .values({ community_id: communityId, seq: 0, hash: genesis })
    .onConflict((oc) => oc.column('community_id').doUpdateSet((eb) => ({ seq: eb.ref('audit_heads.seq') })))
    .returning(['seq', 'hash']),
)

export async function insertEntry(db: DbOrTx, row: AuditRow): Promise<void> {
  await db.insertInto('audit_log').values(row).execute()
}

export async function setHead(db: DbOrTx, communityId: string, seq: number, hash: string): Promise<void> {
  await setHeadQuery(db, communityId, seq, hash)
}

const setHeadQuery = compiledOnce((db, communityId: string, seq: number, hash: string) =>
  db.updateTable('audit_heads').set({ seq, hash }).where('community_id', '=', communityId),
)

export async function readHead(db: DbOrTx, communityId: string): Promise<{ seq: number; hash: string } | undefined> {
  const h = await db.selectFrom('audit_heads').select(['seq', 'hash']).where('community_id', '=', communityId).executeTakeFirst()
  return h && { seq: Number(h.seq), hash: h.hash }
}

/** A page of the chain in order, for verification without loading a large log at once. */
export async function entriesAfter(db: DbOrTx, communityId: string, afterSeq: number, limit: number): Promise<AuditRow[]> {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute()
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }))
}

export async function entriesOfEntity(db: DbOrTx, communityId: string, entityType: string, entityId: string): Promise<AuditRow[]> {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .orderBy('seq')
    .execute()
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }))
}

/** Every 小区 that has a chain (a head row or any entry). */
export async function communitiesWithAudit(db: DbOrTx): Promise<string[]> {
  const heads = await db.selectFrom('audit_heads').select('community_id').execute()
  const logged = await db.selectFrom('audit_log').select('community_id').distinct().execute()
  return [...new Set([...heads, ...logged].map((r) => r.community_id))].sort()
}

/** The ids of the entities of one type that have an entry with this action, e.g. every vote ever created. */
export async function entityIdsWithAction(db: DbOrTx, communityId: string, entityType: string, action: string): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_log')
    .select('entity_id')
    .distinct()
    .where('community_id', '=', communityId)
    .where('entity_type', '=', entityType)
    .where('action', '=', action)
    .execute()
  return rows.map((r) => r.entity_id).sort()
}
