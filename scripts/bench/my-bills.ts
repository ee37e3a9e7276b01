/**
 * Benchmark: the owner's 缴费 tab (myBills) in a 小区 of 5,000 units with a year of monthly bills
 * (60,000 bills, 240,000 lines), for an owner of three units, a third of the bills paid.
 *
 *   npx tsx scripts/bench/my-bills.ts                 # SQLite (a file in a temp dir)
 *   DATABASE_URL=postgres://… npx tsx scripts/bench/my-bills.ts   # and PostgreSQL (a scratch schema)
 *
 * Bills are made by the fee services (schedule, generateBills) as staff would; payments are
 * written directly to keep seeding short. Prints median and p95 in milliseconds and the ratio to a
 * `SELECT 1` round-trip measured in the same run. The target: under 20 ms at the median.
 */
import { randomUUID } from 'node:crypto'
import pino from 'pino'
import { sql, type Kysely } from 'kysely'
import { onEachDialect, time } from './bench-kit'
import { loadConfig } from '../../server/config'
import { actorCtx, type AppDeps } from '../../server/context'
import type { Dialect } from '../../server/db/create-db'
import type { Database } from '../../server/db/database'
import { generateBills } from '../../server/fees/bill.generate'
import { myBills } from '../../server/fees/bill.queries'
import { feeBodies } from '../../server/fees/fee.policy'
import { saveSchedule } from '../../server/fees/schedule.service'

const UNITS = 5000
const PER_BUILDING = 100
const RUNS = Number(process.env.BENCH_RUNS ?? 300)
const NOW = new Date('2026-12-20T02:00:00.000Z')

async function seed(dialect: Dialect, db: Kysely<Database>) {
  const ids = { district: randomUUID(), street: randomUUID(), office: randomUUID(), community: randomUUID(), staff: randomUUID(), owner: randomUUID() }
  const t = NOW.toISOString()
  await db.insertInto('districts').values({ id: ids.district, name: '章贡区' }).execute()
  await db.insertInto('streets').values({ id: ids.street, district_id: ids.district, name: '解放街道' }).execute()
  await db.insertInto('offices').values({ id: ids.office, street_id: ids.street, name: '东阳社区' }).execute()
  await db.insertInto('communities').values({ id: ids.community, office_id: ids.office, name: '大型小区', built_on: '2015-01-01', governance: 'committee', committee_name: '业委会', company_name: '安居物业', vote_notice_days: 15, created_at: t }).execute()
  await db.insertInto('users').values([{ id: ids.staff, openid: 'bench-staff', nickname: 'staff', created_at: t }, { id: ids.owner, openid: 'bench-owner', nickname: 'owner', created_at: t }]).execute()
  const units: { id: string; community_id: string; building_id: string; stair: string; room: string; area_centi_m2: number; sold: number }[] = []
  for (let b = 0; b < UNITS / PER_BUILDING; b++) {
    const buildingId = randomUUID()
    await db.insertInto('buildings').values({ id: buildingId, community_id: ids.community, name: `${b + 1}栋`, has_elevator: 1 }).execute()
    for (let i = 0; i < PER_BUILDING; i++) {
      units.push({ id: randomUUID(), community_id: ids.community, building_id: buildingId, stair: `${(i % 4) + 1}单元`, room: `${Math.trunc(i / 4) + 1}0${(i % 4) + 1}`, area_centi_m2: 7000 + ((i * 137) % 6000), sold: i % 10 === 9 ? 0 : 1 })
    }
  }
  for (let i = 0; i < units.length; i += 500) await db.insertInto('units').values(units.slice(i, i + 500)).execute()
  const person = randomUUID()
  await db.insertInto('persons').values({ id: person, community_id: ids.community, name: '业主', phone: null, id4_hash: null, is_developer: 0, user_id: ids.owner }).execute()
  for (const u of [units[10], units[2510], units[4990]]) await db.insertInto('ownerships').values({ community_id: ids.community, unit_id: u.id, person_id: person }).execute()

  const deps: AppDeps = { db, dialect, config: loadConfig({ NODE_ENV: 'test' }), wechat: {} as never, log: pino({ level: 'silent' }), now: () => NOW }
  const staff = actorCtx(deps, { userId: ids.staff, roles: ['property_staff'] })
  await saveSchedule(staff, { communityId: ids.community, effectiveFrom: '2026-01', items: [
    { name: '物业服务费', kind: 'area', rateFen: 180, buildingIds: [] },
    { name: '电梯运行费', kind: 'area', rateFen: 30, buildingIds: [] },
    { name: '垃圾清运费', kind: 'fixed', rateFen: 1000, buildingIds: [] },
    { name: '公摊水电', kind: 'shared', rateFen: 500000, buildingIds: [] },
  ] })
  const bodies = await feeBodies(db, ids.community)
  for (let m = 1; m <= 12; m++) await generateBills(staff, bodies, { communityId: ids.community, period: `2026-${String(m).padStart(2, '0')}`, userId: ids.staff })
  await db.updateTable('fee_bills').set((eb) => ({ paid_fen: eb.ref('amount_fen'), status: 'paid' })).where('first_month', '<=', '2026-04').execute()
  return { deps, ids }
}

void onEachDialect(async (dialect, db) => {
  const started = Date.now()
  const { deps, ids } = await seed(dialect, db)
  const bills = await db.selectFrom('fee_bills').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  console.log(`\n[${dialect}] seeded ${UNITS} units, ${Number(bills.n)} bills in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  const owner = actorCtx(deps, { userId: ids.owner, roles: ['owner'] })
  const res = await myBills(owner, ids.community)
  if (res.units.length !== 3 || res.units[0].unpaid.length !== 8) throw new Error(`unexpected answer: ${JSON.stringify(res).slice(0, 200)}`)
  const base = await time(() => sql`select 1`.execute(db), RUNS, 30)
  const mine = await time(() => myBills(owner, ids.community), RUNS, 30)
  const f = (n: number) => n.toFixed(2)
  console.log(`  SELECT 1        median ${f(base.median)} ms  p95 ${f(base.p95)} ms`)
  console.log(`  myBills (3 units, 36 bills)  median ${f(mine.median)} ms  p95 ${f(mine.p95)} ms  (${f(mine.median / base.median)}x SELECT 1)`)
})
