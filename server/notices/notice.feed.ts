import { sql } from 'kysely'
import { compiledOnce } from '../db/compiled'
import type { DbOrTx } from '../db/database'
import { afterKeyset } from '../db/keyset'
import type { NoticeRow } from './notice.repository'

/**
 * The feed's one statement: a page of a 小区's notices, with the pinned block on the first page
 * of the main feed, each row with its image count and whether the reader has opened it. Built
 * and compiled once per shape (view, filters, cursor, pinned block); every value is a bound
 * parameter.
 */

/** Columns a feed row needs; the body only as an excerpt so a page stays small. */
const EXCERPT_CHARS = 120

export interface FeedQuery {
  communityId: string
  /** Whose reads mark the rows read. */
  readerId: string
  nowIso: string
  view: 'feed' | 'archive' | 'scheduled'
  kind?: string
  q?: string
  /** The (publish_at, id) of the last row of the previous page (see server/db/keyset). */
  after?: readonly [string, string]
  limit: number
  /** feed view only: also the pinned block, up to this many, before the page. */
  pinnedLimit?: number
}

/** A notice's columns as the feed selects them: an excerpt instead of the body, its image count, and whether the reader opened it. */
export interface FeedRow
  extends Pick<NoticeRow, 'id' | 'community_id' | 'kind' | 'title' | 'publisher_role' | 'publisher_name' | 'publish_at' | 'posting_ends_at' | 'expires_at' | 'pinned' | 'corrects_notice_id' | 'corrected_by_notice_id' | 'version'> {
  excerpt: string
  image_count: number
  read: boolean
}

/** Escapes LIKE's wildcards so a search for "50%" means the characters typed. */
function likeContains(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/** What decides the statement's text: which predicates it has and whether the pinned block is there. */
interface Shape {
  view: FeedQuery['view']
  kind: boolean
  q: boolean
  after: boolean
  pinned: boolean
}

/** The statement's parameters, each bound as a value. */
interface Params {
  communityId: string
  readerId: string
  nowIso: string
  kind: string
  pattern: string
  afterAt: string
  afterId: string
  limit: number
  pinnedLimit: number
}

/** The parameters a shape binds, in the order the compiled statement takes them. */
function paramNames(s: Shape): (keyof Params)[] {
  return [
    'communityId', 'readerId', 'nowIso',
    ...(s.kind ? (['kind'] as const) : []),
    ...(s.q ? (['pattern'] as const) : []),
    ...(s.after ? (['afterAt', 'afterId'] as const) : []),
    'limit',
    ...(s.pinned ? (['pinnedLimit'] as const) : []),
  ]
}

/**
 * One block of the feed, newest first by (publish_at, id). The predicates are shaped so the feed
 * index (community_id, [kind,] pinned, publish_at, id) yields rows already in order and the query
 * stops after its limit. `pinned` picks the main feed's pinned block or the rest (feed view only).
 */
function block(db: DbOrTx, s: Shape, p: Params, pinned: boolean | null) {
  let q = db
    .selectFrom('notices as n')
    .select((eb) => [
      // Not n.community_id: it is the one asked for (listFeedPage fills it in), and each text
      // value costs a conversion per row.
      'n.id',
      'n.kind',
      'n.title',
      sql<string>`substr(n.body, 1, ${sql.lit(EXCERPT_CHARS)})`.as('excerpt'),
      'n.publisher_role',
      'n.publisher_name',
      'n.publish_at',
      'n.posting_ends_at',
      'n.expires_at',
      'n.pinned',
      'n.corrects_notice_id',
      'n.corrected_by_notice_id',
      'n.version',
      eb
        .selectFrom('notice_files as f')
        .select((eb2) => eb2.fn.countAll<number>().as('c'))
        .whereRef('f.notice_id', '=', 'n.id')
        .whereRef('f.community_id', '=', 'n.community_id')
        .where('f.kind', '=', 'image')
        .where('f.removed_at', 'is', null)
        .as('image_count'),
      // The reader's first opening, by the primary key (notice_id, user_id).
      eb
        .exists(
          eb
            .selectFrom('notice_reads as r')
            .select(sql.lit(1).as('one'))
            .whereRef('r.notice_id', '=', 'n.id')
            .where('r.user_id', '=', p.readerId)
            .whereRef('r.community_id', '=', 'n.community_id'),
        )
        .as('read'),
    ])
    .where('n.community_id', '=', p.communityId)
    .where('n.withdrawn_at', 'is', null)
  if (s.kind) q = q.where('n.kind', '=', p.kind)
  if (s.view === 'feed') {
    q = q
      .where('n.pinned', '=', pinned ? 1 : 0)
      .where('n.publish_at', '<=', p.nowIso)
      .where((eb) => eb.or([eb('n.expires_at', 'is', null), eb('n.expires_at', '>', p.nowIso)]))
  } else if (s.view === 'archive') {
    q = q.where('n.publish_at', '<=', p.nowIso).where('n.expires_at', '<=', p.nowIso)
  } else {
    q = q.where('n.publish_at', '>', p.nowIso)
  }
  if (s.q) q = q.where(sql<boolean>`lower(n.title) like ${p.pattern} escape '\\'`)
  // Row-value comparison: strictly after the cursor in (publish_at desc, id desc) order, so
  // notices sharing a publish time are neither repeated nor skipped across pages.
  if (s.after && !pinned) q = q.where(afterKeyset(['n.publish_at', 'n.id'], 'desc', [p.afterAt, p.afterId]))
  return q.orderBy('n.publish_at', 'desc').orderBy('n.id', 'desc').limit(pinned ? p.pinnedLimit : p.limit)
}

/** The statement of a shape: one block, or the pinned block and the page, pinned first, each in its own order. */
function statement(db: DbOrTx, s: Shape, p: Params) {
  if (!s.pinned) return block(db, s, p, s.view === 'feed' ? false : null)
  // Each block keeps its own index range and limit inside a derived table; the outer ORDER BY
  // puts the pinned block first (pinned = 1 there, 0 in the page) and keeps each block's order.
  return db
    .selectFrom(block(db, s, p, true).as('pinned_block'))
    .selectAll()
    .unionAll(db.selectFrom(block(db, s, p, false).as('page_block')).selectAll())
    .orderBy('pinned', 'desc')
    .orderBy('publish_at', 'desc')
    .orderBy('id', 'desc')
}

type RawFeedRow = Omit<FeedRow, 'community_id' | 'read' | 'image_count'> & { read: unknown; image_count: number | string | null }
const statements = new Map<string, (db: DbOrTx, ...params: (string | number)[]) => Promise<RawFeedRow[]>>()

/**
 * One page of a 小区's notices (the rows after `after`, up to `limit`), preceded on the main
 * feed by the pinned block when `pinnedLimit` is given: one statement, the pinned rows first.
 */
export async function listFeedPage(db: DbOrTx, f: FeedQuery): Promise<FeedRow[]> {
  const shape: Shape = { view: f.view, kind: f.kind !== undefined, q: f.q !== undefined, after: f.after !== undefined, pinned: f.view === 'feed' && f.pinnedLimit !== undefined }
  const key = JSON.stringify(shape)
  const names = paramNames(shape)
  let run = statements.get(key)
  if (!run) {
    run = compiledOnce((db2, ...values: (string | number)[]) => {
      const p = Object.fromEntries(names.map((n, i) => [n, values[i]])) as unknown as Params
      return statement(db2, shape, p)
    }) as (db: DbOrTx, ...params: (string | number)[]) => Promise<RawFeedRow[]>
    statements.set(key, run)
  }
  const params: Params = {
    communityId: f.communityId,
    readerId: f.readerId,
    nowIso: f.nowIso,
    kind: f.kind ?? '',
    pattern: f.q === undefined ? '' : likeContains(f.q),
    afterAt: f.after?.[0] ?? '',
    afterId: f.after?.[1] ?? '',
    limit: f.limit,
    pinnedLimit: f.pinnedLimit ?? 0,
  }
  const rows = await run(db, ...names.map((n) => params[n]))
  return rows.map((r) => ({ ...r, community_id: f.communityId, image_count: Number(r.image_count ?? 0), read: Boolean(r.read) }))
}
