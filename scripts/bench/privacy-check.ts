/**
 * Benchmark: the personal-data check (server/privacy/personal-data.ts) over a 10,000-person roster.
 *
 *   npx tsx scripts/bench/privacy-check.ts            # SQLite (a file in a temp dir)
 *   DATABASE_URL=postgres://… npx tsx scripts/bench/privacy-check.ts   # and PostgreSQL (a scratch schema)
 *
 * Seeds one 小区 with 10,000 roster persons (names with compound surnames and traditional forms
 * among them, 11-digit phones; written directly to keep seeding short) and times, over many runs:
 * - findPersonalData on a clean notice of about 1,000 characters (the worst case: nothing found,
 *   every digit cluster and every position read), as a publish does: roster loaded, text normalised,
 * - the same with the roster already loaded (the text work alone),
 * - the same notice with a disguised phone at its end,
 * against baselines measured in the same run: a `SELECT 1` round-trip, and the check as it was
 * before normalisation (plain regexes and one `includes` per roster name, over the same roster).
 * Prints median and p95 in milliseconds and the ratios.
 */
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import type { Database } from '../../server/db/database'
import { findPersonalData, findPersonalDataIn, loadRosterIndex } from '../../server/privacy/personal-data'
import { onEachDialect, time } from './bench-kit'

const PERSONS = 10_000
const RUNS = Number(process.env.BENCH_RUNS ?? 300)
const WARMUP = 30
const NOW = '2026-11-26T02:00:00.000Z'

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '郑', '欧阳', '司马', '陳', '劉', '黃']
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰国庆建红梅晓东飞龙俊义'

async function seed(db: Kysely<Database>): Promise<string> {
  const district = randomUUID(), street = randomUUID(), office = randomUUID(), community = randomUUID()
  await db.insertInto('districts').values({ id: district, name: '章贡区' }).execute()
  await db.insertInto('streets').values({ id: street, district_id: district, name: '解放街道' }).execute()
  await db.insertInto('offices').values({ id: office, street_id: street, name: '东阳社区' }).execute()
  await db.insertInto('communities').values({ id: community, office_id: office, name: '大型小区', built_on: '2010-01-01', governance: 'committee', committee_name: '业主委员会', company_name: '安居物业', vote_notice_days: 15, created_at: NOW }).execute()
  let seedNo = 7
  const rnd = (n: number) => (seedNo = (seedNo * 1103515245 + 12345) % 2 ** 31) % n
  const rows = Array.from({ length: PERSONS }, (_, i) => ({
    id: randomUUID(),
    community_id: community,
    name: SURNAMES[rnd(SURNAMES.length)] + GIVEN[rnd(GIVEN.length)] + (rnd(3) ? GIVEN[rnd(GIVEN.length)] : ''),
    phone: `13${rnd(10)}${String(10_000_000 + i * 37).slice(-8)}`,
    id4_hash: null,
    is_developer: 0,
    user_id: null,
  }))
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('persons').values(rows.slice(i, i + 500)).execute()
  return community
}

/** About 1,000 characters of an ordinary notice: dates, times, amounts, rooms, hotlines, no personal data. */
const NOTICE = [
  '各位业主：根据业主大会决议和物业服务合同约定，现将 2026 年第四季度物业服务费收缴及公共设施维修事项公告如下。',
  '一、收费标准：多层住宅 1.20 元/㎡·月，高层住宅 1.80 元/㎡·月，车位管理费 60 元/月。',
  '二、缴费时间：2026年12月1日至2026年12月31日，每日 8:30-17:30（节假日照常）。',
  '三、维修事项：1栋1单元、3栋2单元电梯于 2026-12-05 09:00 至 2026-12-05 17:00 年检，请错峰出行；',
  '5栋 101、102、201、202 室外墙渗水维修，使用维修资金 12,345.60 元，已经业主大会表决通过（同意面积 68.5%）。',
  '四、咨询方式：物业服务中心 0797-8123456，政务服务便民热线 12345，价格投诉 12358，供电抢修 95598。',
].join('\n').repeat(3)

/** The check as it was before issue 9: plain regexes, one `includes` per distinct roster name. */
async function oldCheck(db: Kysely<Database>, communityId: string, text: string) {
  if (/(?<!\d)1[3-9]\d(?:[\s-]?\d){8}(?!\d)/.test(text)) return 'mobile'
  if (/(?<![\dXx])\d{17}[\dXx](?![\dXx])/.test(text)) return 'id'
  const rows = await db.selectFrom('persons').select('name').distinct().where('community_id', '=', communityId).where('is_developer', '=', 0).execute()
  return rows.map((r) => r.name).find((n) => n.length >= 2 && text.includes(n)) ?? null
}

const f = (n: number) => n.toFixed(3)

void onEachDialect(async (dialect, db) => {
  const started = Date.now()
  const community = await seed(db)
  console.log(`\n[${dialect}] seeded ${PERSONS} roster persons in ${((Date.now() - started) / 1000).toFixed(1)} s; notice of ${NOTICE.length} characters`)
  const ctx = { db }
  if ((await findPersonalData(ctx, community, [NOTICE])) !== null) throw new Error('the clean notice was refused: the benchmark text is wrong')
  const disguised = `${NOTICE}\n联系人电话 +86 １３９.５８８８.１２９７`
  if ((await findPersonalData(ctx, community, [disguised]))?.kind !== 'mobile') throw new Error('the disguised phone was not found')
  const index = await loadRosterIndex(db, community)

  const base = await time(() => sql`SELECT 1`.execute(db), RUNS, WARMUP)
  const old = await time(() => oldCheck(db, community, NOTICE), RUNS, WARMUP)
  const full = await time(() => findPersonalData(ctx, community, [NOTICE]), RUNS, WARMUP)
  const textOnly = await time(() => findPersonalDataIn(index, [NOTICE]), RUNS, WARMUP)
  const found = await time(() => findPersonalData(ctx, community, [disguised]), RUNS, WARMUP)
  console.log(`  SELECT 1                                   median ${f(base.median)} ms  p95 ${f(base.p95)} ms`)
  console.log(`  old check (no normalising), clean notice   median ${f(old.median)} ms  p95 ${f(old.p95)} ms  (${f(old.median / base.median)}x SELECT 1)`)
  console.log(`  findPersonalData, clean notice             median ${f(full.median)} ms  p95 ${f(full.p95)} ms  (${f(full.median / base.median)}x SELECT 1, ${f(full.median / old.median)}x the old check)`)
  console.log(`  the text work alone (roster loaded)        median ${f(textOnly.median)} ms  p95 ${f(textOnly.p95)} ms`)
  console.log(`  findPersonalData, disguised phone found    median ${f(found.median)} ms  p95 ${f(found.p95)} ms`)
})
