/**
 * Benchmark: the officers' feedback inbox (officerReportInbox) over a district of 300 小区
 * (3 streets, 30 community offices) with 100,000 reports, a tenth of them overdue: the first page
 * (20 reports, overdue first, then newest) for the district officer, and the first page of open
 * reports for a street officer. Set BENCH_REPORTS for a smaller run.
 *
 *   npx tsx scripts/bench/officer-inbox.ts                 # SQLite (a file in a temp dir)
 *   DATABASE_URL=postgres://… npx tsx scripts/bench/officer-inbox.ts   # and PostgreSQL (a scratch schema)
 *
 * Places and reports are written directly to keep seeding short; the inbox is the service the
 * action calls. Prints median and p95 in milliseconds and the ratio to a `SELECT 1` round-trip
 * measured in the same run. The issue's target: under 20 ms at the median.
 */
import { randomUUID } from 'node:crypto'
import pino from 'pino'
import { sql, type Kysely } from 'kysely'
import { onEachDialect, time } from './bench-kit'
import { loadConfig } from '../../server/config'
import { actorCtx, type AppDeps } from '../../server/context'
import type { Dialect } from '../../server/db/create-db'
import type { Database } from '../../server/db/database'
import { officerInbox } from '../../server/reports/report.officer'
import type { ReportTable } from '../../server/reports/report.table'
import { REPORT_CATEGORIES, REPORT_STATUSES } from '../../src/contracts/reports'

const STREETS = 3
const OFFICES_PER_STREET = 10
const COMMUNITIES_PER_OFFICE = 10
const REPORTS = Number(process.env.BENCH_REPORTS ?? 100_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 200)
const NOW = new Date('2026-12-20T02:00:00.000Z')

async function seed(dialect: Dialect, db: Kysely<Database>) {
  const t = NOW.toISOString()
  const district = randomUUID()
  const streets: string[] = []
  const communities: string[] = []
  const placeOf: { office: string; street: string }[] = []
  const reporters: string[] = []
  await db.insertInto('districts').values({ id: district, name: '章贡区' }).execute()
  for (let s = 0; s < STREETS; s++) {
    const street = randomUUID()
    streets.push(street)
    await db.insertInto('streets').values({ id: street, district_id: district, name: `街道${s + 1}` }).execute()
    for (let o = 0; o < OFFICES_PER_STREET; o++) {
      const office = randomUUID()
      await db.insertInto('offices').values({ id: office, street_id: street, name: `社区${s + 1}-${o + 1}` }).execute()
      const rows = Array.from({ length: COMMUNITIES_PER_OFFICE }, (_, c) => ({
        id: randomUUID(), office_id: office, name: `小区${s + 1}-${o + 1}-${c + 1}`, built_on: '2010-01-01', governance: 'committee' as const,
        committee_name: '业委会', company_name: '安居物业', vote_notice_days: 15, created_at: t,
      }))
      await db.insertInto('communities').values(rows).execute()
      communities.push(...rows.map((r) => r.id))
      placeOf.push(...rows.map(() => ({ office, street })))
    }
  }
  const users = communities.map((_, i) => ({ id: randomUUID(), openid: `bench-${i}`, nickname: `居民${i}`, created_at: t }))
  for (let i = 0; i < users.length; i += 100) await db.insertInto('users').values(users.slice(i, i + 100)).execute()
  reporters.push(...users.map((u) => u.id))

  const batch: ReportTable[] = []
  const flush = async () => {
    if (batch.length) await db.insertInto('reports').values(batch.splice(0)).execute()
  }
  for (let i = 0; i < REPORTS; i++) {
    const c = i % communities.length
    const created = new Date(NOW.getTime() - (REPORTS - i) * 300_000).toISOString()
    const overdue = i % 10 === 3 ? 1 : 0
    const status = overdue ? 'submitted' : REPORT_STATUSES[i % REPORT_STATUSES.length]
    batch.push({
      id: randomUUID(), community_id: communities[c], office_id: placeOf[c].office, street_id: placeOf[c].street, district_id: district, category: REPORT_CATEGORIES[i % REPORT_CATEGORIES.length], description: `第 ${i} 条报事：楼道灯不亮`,
      place_kind: 'area', place_unit_id: null, building_id: null, place_label: '楼道', urgency: null, anonymous: i % 17 === 0 ? 1 : 0,
      reporter_user_id: reporters[c], handler: 'property', status, reopen_count: 0, due_at: created, responded_at: overdue ? null : created,
      overdue_at: overdue ? created : null, overdue_rank: overdue, accepted_at: null, resolved_at: null, confirmed_at: null, auto_confirmed: 0,
      rating: null, rating_comment: null, created_at: created, updated_at: created,
    })
    if (batch.length === 400) await flush()
  }
  await flush()
  await sql`analyze`.execute(db)
  const deps: AppDeps = { db, dialect, config: loadConfig({ NODE_ENV: 'test' }), wechat: {} as never, log: pino({ level: 'silent' }), now: () => NOW }
  return { deps, district, street: streets[0] }
}

void onEachDialect(async (dialect, db) => {
  const started = Date.now()
  const { deps, district, street } = await seed(dialect, db)
  console.log(`\n[${dialect}] seeded ${STREETS * OFFICES_PER_STREET * COMMUNITIES_PER_OFFICE} 小区, ${REPORTS} reports in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  const officer = actorCtx(deps, { userId: randomUUID(), roles: ['district_officer'] })
  const first = await officerInbox(officer, { districtId: district, limit: 20 })
  if (first.items.length !== 20 || !first.items[0].overdue || !first.nextCursor) throw new Error(`unexpected answer: ${JSON.stringify(first).slice(0, 300)}`)
  const second = await officerInbox(officer, { districtId: district, limit: 20, cursor: first.nextCursor })
  if (second.items.some((i) => first.items.some((j) => j.id === i.id))) throw new Error('the second page repeats the first')
  const base = await time(() => sql`select 1`.execute(db), RUNS, 30)
  const district1 = await time(() => officerInbox(officer, { districtId: district, limit: 20 }), RUNS, 20)
  const streetOpen = await time(() => officerInbox(officer, { streetId: street, status: 'open', limit: 20 }), RUNS, 20)
  const f = (n: number) => n.toFixed(2)
  console.log(`  SELECT 1                                   median ${f(base.median)} ms  p95 ${f(base.p95)} ms`)
  console.log(`  district inbox, first page (300 小区)       median ${f(district1.median)} ms  p95 ${f(district1.p95)} ms  (${f(district1.median / base.median)}x SELECT 1)`)
  console.log(`  street inbox, open only (100 小区)          median ${f(streetOpen.median)} ms  p95 ${f(streetOpen.p95)} ms  (${f(streetOpen.median / base.median)}x SELECT 1)`)
})
