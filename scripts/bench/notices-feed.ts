/**
 * Benchmark: the first page of a 小区's notice feed with 10,000 notices.
 *
 *   npx tsx scripts/bench/notices-feed.ts            # SQLite (a file in a temp dir)
 *   DATABASE_URL=postgres://… npx tsx scripts/bench/notices-feed.ts   # and PostgreSQL (a scratch schema)
 *
 * Seeds 10,000 notices in one 小区 (3 pinned, mixed kinds, some expired or scheduled, 30% read
 * by the resident) plus 9 other 小区 with 2,000 each as noise, then times over many runs:
 * - the feed's first page as the action computes it (pinned block + first page + read marks),
 * - the same with a kind filter, a page deep in the cursor, and the unread badge count,
 * against baselines measured in the same run: a `SELECT 1` round-trip, and the same first page
 * with the feed indexes dropped. Prints median and p95 in milliseconds and the ratios.
 */
import { randomUUID } from 'node:crypto'
import { onEachDialect, time, type Stat } from './bench-kit'
import { Kysely, sql, type Insertable } from 'kysely'
import type { Dialect } from '../../server/db/create-db'
import type { Database } from '../../server/db/database'
import type { Actor, Ctx } from '../../server/context'
import { listNotices, unreadCount } from '../../server/notices/notice.queries'
import { NOTICE_KINDS } from '../../src/contracts/notices'
import { decodeCursor, isIsoTime, isText } from '../../server/db/keyset'

const TARGET_NOTICES = 10_000
const NOISE_COMMUNITIES = 9
const NOISE_NOTICES = 2_000
const RUNS = Number(process.env.BENCH_RUNS ?? 500)
const WARMUP = 50
const NOW = new Date('2026-11-26T02:00:00.000Z')

const timed = (fn: () => Promise<unknown>, runs = RUNS) => time(fn, runs, WARMUP)

async function seed(db: Kysely<Database>) {
  const district = randomUUID(), street = randomUUID(), office = randomUUID()
  await db.insertInto('districts').values({ id: district, name: '章贡区' }).execute()
  await db.insertInto('streets').values({ id: street, district_id: district, name: '解放街道' }).execute()
  await db.insertInto('offices').values({ id: office, street_id: street, name: '东阳社区' }).execute()
  const communities = Array.from({ length: NOISE_COMMUNITIES + 1 }, (_, i) => ({
    id: randomUUID(), office_id: office, name: `小区${i}`, built_on: '2010-01-01', governance: 'committee' as const,
    committee_name: `小区${i}业主委员会`, company_name: '安居物业', vote_notice_days: 15, created_at: NOW.toISOString(),
  }))
  await db.insertInto('communities').values(communities).execute()
  const target = communities[0].id
  const user = randomUUID()
  await db.insertInto('users').values({ id: user, openid: 'bench-resident', nickname: '业主', created_at: NOW.toISOString() }).execute()
  await db.insertInto('memberships').values({ id: randomUUID(), user_id: user, role: 'owner', community_id: target, office_id: null, street_id: null, district_id: null, created_at: NOW.toISOString() }).execute()

  // A second resident who has opened every notice: the unread count's worst case (nothing to stop early on).
  const diligent = randomUUID()
  await db.insertInto('users').values({ id: diligent, openid: 'bench-diligent', nickname: '业主', created_at: NOW.toISOString() }).execute()
  const allIds: string[] = []
  const body = '各位业主：根据业主大会决议，现将有关事项公告如下。'.repeat(8)
  const readIds: string[] = []
  for (const [ci, c] of communities.entries()) {
    const count = ci === 0 ? TARGET_NOTICES : NOISE_NOTICES
    await db.transaction().execute(async (trx) => {
      let batch: Insertable<Database['notices']>[] = []
      for (let i = 0; i < count; i++) {
        // About one notice an hour going back; every 7th shares its time with its neighbour, so
        // ties on publish_at are common as in a bulk import.
        const publishAt = new Date(NOW.getTime() - (i - (i % 7 === 0 ? 1 : 0)) * 3_600_000 + (i < 5 ? 86_400_000 : 0))
        const expired = i % 10 === 9
        const id = randomUUID()
        if (ci === 0 && i % 10 < 3) readIds.push(id)
        if (ci === 0) allIds.push(id)
        batch.push({
          id, community_id: c.id, kind: NOTICE_KINDS[i % NOTICE_KINDS.length], title: `第${i}号 ${NOTICE_KINDS[i % NOTICE_KINDS.length]}：小区事务通知`, body,
          publisher_role: 'committee_chair', publisher_name: c.committee_name, published_by: null,
          publish_at: publishAt.toISOString(), posting_ends_at: null,
          expires_at: expired ? new Date(publishAt.getTime() + 86_400_000).toISOString() : null,
          pinned: i >= 100 && i < 103 ? 1 : 0, corrects_notice_id: null, corrected_by_notice_id: null, withdrawn_at: null,
          source_key: null, version: 1, created_at: publishAt.toISOString(), updated_at: publishAt.toISOString(),
        })
        if (batch.length === 500) {
          await trx.insertInto('notices').values(batch).execute()
          batch = []
        }
      }
      if (batch.length) await trx.insertInto('notices').values(batch).execute()
    })
  }
  for (let i = 0; i < readIds.length; i += 1000) {
    await db.insertInto('notice_reads').values(readIds.slice(i, i + 1000).map((id) => ({ notice_id: id, user_id: user, community_id: target, first_read_at: NOW.toISOString() }))).execute()
  }
  for (let i = 0; i < allIds.length; i += 1000) {
    await db.insertInto('notice_reads').values(allIds.slice(i, i + 1000).map((id) => ({ notice_id: id, user_id: diligent, community_id: target, first_read_at: NOW.toISOString() }))).execute()
  }
  return { target, actor: { userId: user, roles: ['owner'] } as Actor, diligent: { userId: diligent, roles: ['owner'] } as Actor }
}

const afterOf = (cursor: string) => {
  const [publishAt, id] = decodeCursor(cursor, [isIsoTime, isText]) as [string, string]
  return { publishAt, id }
}

/** The query plan of the feed query as the repository shapes it (optionally after a cursor). */
async function plan(db: Kysely<Database>, dialect: Dialect, communityId: string, after?: { publishAt: string; id: string }): Promise<string> {
  const cursor = after ? sql`AND (publish_at, id) < (${after.publishAt}, ${after.id})` : sql``
  const q = sql`SELECT id FROM notices WHERE community_id = ${communityId} AND withdrawn_at IS NULL AND pinned = 0
    AND publish_at <= ${NOW.toISOString()} AND (expires_at IS NULL OR expires_at > ${NOW.toISOString()}) ${cursor}
    ORDER BY publish_at DESC, id DESC LIMIT 21`
  if (dialect === 'sqlite') {
    const rows = await sql<{ detail: string }>`EXPLAIN QUERY PLAN ${q}`.execute(db)
    return rows.rows.map((r) => r.detail).join(' | ')
  }
  const rows = await sql<{ 'QUERY PLAN': string }>`EXPLAIN ${q}`.execute(db)
  return rows.rows.map((r) => r['QUERY PLAN'].trim()).join(' | ')
}

async function bench(dialect: Dialect, db: Kysely<Database>) {
  const t0 = Date.now()
  const { target, actor, diligent } = await seed(db)
  /** The services read only the database, the clock and the actor. */
  const as = (a: Actor) => ({ db, now: () => NOW, actor: a, roles: a.roles }) as unknown as Ctx
  await sql`ANALYZE`.execute(db)
  console.log(`\n== ${dialect}: seeded ${TARGET_NOTICES} notices in the 小区 + ${NOISE_COMMUNITIES * NOISE_NOTICES} in ${NOISE_COMMUNITIES} other 小区 (${((Date.now() - t0) / 1000).toFixed(1)} s)`)

  const firstPage = () => listNotices(as(actor), { communityId: target, view: 'feed', limit: 20 })
  const check = await firstPage()
  console.log(`   first page: ${check.pinned.length} pinned + ${check.items.length} items, next cursor ${check.nextCursor ? 'yes' : 'no'}`)
  console.log(`   plan: ${await plan(db, dialect, target)}`)

  // A cursor 50 pages in.
  let cursor: string | undefined
  for (let i = 0; i < 50; i++) cursor = (await listNotices(as(actor), { communityId: target, view: 'feed', limit: 20, cursor })).nextCursor ?? undefined
  console.log(`   plan after a cursor: ${await plan(db, dialect, target, afterOf(cursor!))}`)

  const results: Record<string, Stat> = {}
  results['SELECT 1 round-trip (baseline)'] = await timed(() => sql`SELECT 1`.execute(db))
  results['feed first page (pinned + 20 + read marks)'] = await timed(firstPage)
  results['feed first page, kind = 公示'] = await timed(() => listNotices(as(actor), { communityId: target, view: 'feed', kind: '公示', limit: 20 }))
  results['feed page 51 by cursor'] = await timed(() => listNotices(as(actor), { communityId: target, view: 'feed', limit: 20, cursor }))
  results['feed first page, title search'] = await timed(() => listNotices(as(actor), { communityId: target, view: 'feed', q: '第99', limit: 20 }))
  results['unread badge count (capped at 100)'] = await timed(() => unreadCount(as(actor), { communityId: target }))
  results['unread badge count, everything read (worst case)'] = await timed(() => unreadCount(as(diligent), { communityId: target }))

  await db.schema.dropIndex('notices_feed_idx').execute()
  await db.schema.dropIndex('notices_kind_feed_idx').execute()
  if (dialect === 'postgres') await sql`ANALYZE notices`.execute(db)
  results['feed first page WITHOUT the feed indexes (baseline)'] = await timed(firstPage, Math.min(RUNS, 100))
  console.log(`   plan without the indexes: ${await plan(db, dialect, target)}`)

  const w = Math.max(...Object.keys(results).map((k) => k.length))
  console.log(`   ${'measure'.padEnd(w)}   median ms   p95 ms`)
  for (const [k, s] of Object.entries(results)) console.log(`   ${k.padEnd(w)}   ${s.median.toFixed(3).padStart(9)}   ${s.p95.toFixed(3).padStart(6)}`)
  const feed = results['feed first page (pinned + 20 + read marks)']
  const base = results['SELECT 1 round-trip (baseline)']
  const noIdx = results['feed first page WITHOUT the feed indexes (baseline)']
  console.log(`   ratio first page / SELECT 1: ${(feed.median / base.median).toFixed(1)}×; without indexes / with: ${(noIdx.median / feed.median).toFixed(1)}×`)
  console.log(`   target: median < 20 ms → ${feed.median < 20 ? 'MET' : 'NOT MET'} (${feed.median.toFixed(2)} ms)`)
}

onEachDialect(bench).catch((err) => {
  console.error(err)
  process.exit(1)
})
