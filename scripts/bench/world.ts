/**
 * The benchmark's 小区, generated quickly into an open database: 5,000 units in 25 buildings with
 * an owner (WeChat user, owner role, bound roster person, a live session) for each, 10,000 notices,
 * a year of monthly bills, 200 reports, one open vote with 4,000 ballots and further open votes
 * with no ballots for the casting run.
 *
 * Roster, users, sessions and notices are bulk inserts (a benchmark generator, not a test). What
 * has rules goes through the services: fee schedule and bills (saveSchedule, generateBills),
 * reports (createReport), and every vote is created, announced and opened through the vote
 * services with the clock moved back (announced 20 days ago, opened 3 days ago by advanceVotes,
 * which freezes the electorate), then ballots through castBallot in one transaction.
 */
import { randomUUID } from 'node:crypto'
import pino from 'pino'
import { sql, type Insertable, type Kysely } from 'kysely'
import { loadConfig, type Config } from '../../server/config'
import { actorCtx, systemCtx, withTx, type AppDeps } from '../../server/context'
import type { Dialect } from '../../server/db/create-db'
import type { Database } from '../../server/db/database'
import { generateBills } from '../../server/fees/bill.generate'
import { feeBodies } from '../../server/fees/fee.policy'
import { saveSchedule } from '../../server/fees/schedule.service'
import { openSession } from '../../server/identity/session.service'
import { createReport } from '../../server/reports/report.commands'
import { castBallot } from '../../server/votes/vote.ballots'
import { advanceVotes } from '../../server/votes/vote.clock'
import { announceVote, createVote } from '../../server/votes/vote.commands'
import { NOTICE_KINDS } from '../../src/contracts/notices'

const DAY = 86_400_000

export interface WorldSize { units: number; notices: number; ballots: number; reports: number; castVotes: number; billMonths: number }
export const BENCH_WORLD: WorldSize = { units: 5_000, notices: 10_000, ballots: 4_000, reports: 200, castVotes: 4, billMonths: 12 }

export interface Resident { userId: string; token: string; unitId: string }
export interface World {
  communityId: string
  residents: Resident[]
  chair: Resident
  /** The vote with its ballots (progress is read from it). */
  progressVoteId: string
  buildingIds: string[]
  /** Open votes with no ballots: (vote, voter key, token of a user who may cast it), each once. */
  casts: { voteId: string; voterKey: string; token: string; matterIds: string[] }[]
  counts: Record<string, number>
}

async function insertMany<T>(rows: T[], insert: (part: T[]) => Promise<unknown>, size = 400) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size))
}

export function benchDeps(db: Kysely<Database>, dialect: Dialect, config: Config, clock: { now: Date }): AppDeps {
  const refuse = async () => {
    throw new Error('the benchmark makes no WeChat call')
  }
  return { db, dialect, config, wechat: { code2Session: refuse, sendSubscribeMessage: refuse }, log: pino({ level: 'silent' }), now: () => clock.now }
}

/** Builds one 小区 (under `officeId` if given, else a fresh district tree) and answers what the load needs. */
export async function generateWorld(db: Kysely<Database>, dialect: Dialect, size: WorldSize = BENCH_WORLD, opts: { config?: Config; now?: Date; log?: (s: string) => void } = {}): Promise<World> {
  const log = opts.log ?? (() => undefined)
  const realNow = opts.now ?? new Date()
  const clock = { now: realNow }
  const config = opts.config ?? loadConfig({ NODE_ENV: 'test' })
  const deps = benchDeps(db, dialect, config, clock)
  const at = new Date(realNow.getTime() - 40 * DAY).toISOString()
  let t = Date.now()

  const district = randomUUID(), street = randomUUID(), office = randomUUID(), community = randomUUID()
  await db.insertInto('districts').values({ id: district, name: '章贡区' }).execute()
  await db.insertInto('streets').values({ id: street, district_id: district, name: '解放街道' }).execute()
  await db.insertInto('offices').values({ id: office, street_id: street, name: '东阳社区' }).execute()
  await db.insertInto('communities').values({
    id: community, office_id: office, name: '江山名苑', built_on: '2012-01-01', governance: 'committee',
    committee_name: '江山名苑业主委员会', company_name: '安居物业', vote_notice_days: 15, created_at: at,
  }).execute()

  const perBuilding = Math.ceil(size.units / 25)
  const buildings = Array.from({ length: Math.ceil(size.units / perBuilding) }, (_, i) => ({ id: randomUUID(), community_id: community, name: `${i + 1}栋`, has_elevator: 1 }))
  const units = Array.from({ length: size.units }, (_, i) => {
    const b = Math.floor(i / perBuilding), k = i % perBuilding
    return { id: randomUUID(), community_id: community, building_id: buildings[b].id, stair: k % 2 ? '2单元' : '1单元', room: `${Math.floor(k / 10) + 1}0${(k % 10) + 1}`, area_centi_m2: 6_000 + ((i * 7919) % 9_000), sold: 1 }
  })
  const users: Insertable<Database['users']>[] = []
  const persons: Insertable<Database['persons']>[] = []
  const ownerships: Insertable<Database['ownerships']>[] = []
  const memberships: Insertable<Database['memberships']>[] = []
  const ownerOf = new Map<string, string>()
  for (const [i, u] of units.entries()) {
    const userId = randomUUID(), personId = randomUUID()
    users.push({ id: userId, openid: `bench:${userId}`, nickname: `业主${i}`, created_at: at })
    persons.push({ id: personId, community_id: community, name: `业主${i}`, phone: null, id4_hash: null, is_developer: 0, user_id: userId })
    ownerships.push({ community_id: community, unit_id: u.id, person_id: personId })
    memberships.push({ id: randomUUID(), user_id: userId, role: 'owner', community_id: community, office_id: null, street_id: null, district_id: null, created_at: at })
    ownerOf.set(userId, u.id)
  }
  const chairId = randomUUID(), staffId = randomUUID()
  users.push({ id: chairId, openid: 'bench:chair', nickname: '主任', created_at: at }, { id: staffId, openid: 'bench:staff', nickname: '物业', created_at: at })
  memberships.push(
    { id: randomUUID(), user_id: chairId, role: 'committee_chair', community_id: community, office_id: null, street_id: null, district_id: null, created_at: at },
    { id: randomUUID(), user_id: staffId, role: 'property_staff', community_id: community, office_id: null, street_id: null, district_id: null, created_at: at },
  )
  const residents: Resident[] = []
  let chair: Resident | null = null
  await db.transaction().execute(async (trx) => {
    await insertMany(buildings, (p) => trx.insertInto('buildings').values(p).execute())
    await insertMany(units, (p) => trx.insertInto('units').values(p).execute())
    await insertMany(users, (p) => trx.insertInto('users').values(p).execute())
    await insertMany(persons, (p) => trx.insertInto('persons').values(p).execute())
    await insertMany(ownerships, (p) => trx.insertInto('ownerships').values(p).execute())
    await insertMany(memberships, (p) => trx.insertInto('memberships').values(p).execute())
    // A live session per user, as a login leaves it (sessions last 30 days from now).
    const sessionCtx = { db: trx, now: () => realNow, config }
    for (const u of users) {
      const { token } = await openSession(sessionCtx, { userId: u.id })
      if (u.id === chairId) chair = { userId: u.id, token, unitId: '' }
      else if (ownerOf.has(u.id)) residents.push({ userId: u.id, token, unitId: ownerOf.get(u.id)! })
    }
  })
  log(`roster: ${units.length} units in ${buildings.length} buildings, ${users.length} users with sessions (${((Date.now() - t) / 1000).toFixed(1)} s)`)

  // Notices: about one an hour going back, 3 pinned, a tenth expired.
  t = Date.now()
  const body = '各位业主：根据业主大会决议，现将有关事项公告如下。'.repeat(8)
  await db.transaction().execute(async (trx) => {
    const batch: Insertable<Database['notices']>[] = []
    for (let i = 0; i < size.notices; i++) {
      const publishAt = new Date(realNow.getTime() - (i + 1) * 3_600_000).toISOString()
      batch.push({
        id: randomUUID(), community_id: community, kind: NOTICE_KINDS[i % NOTICE_KINDS.length], title: `第${i}号 小区事务通知`, body,
        publisher_role: 'committee_chair', publisher_name: '江山名苑业主委员会', published_by: chairId,
        publish_at: publishAt, posting_ends_at: null, expires_at: i % 10 === 9 ? new Date(Date.parse(publishAt) + DAY).toISOString() : null,
        pinned: i >= 100 && i < 103 ? 1 : 0, corrects_notice_id: null, corrected_by_notice_id: null, withdrawn_at: null,
        source_key: null, version: 1, created_at: publishAt, updated_at: publishAt,
      })
    }
    await insertMany(batch, (p) => trx.insertInto('notices').values(p).execute(), 200)
  })
  log(`notices: ${size.notices} (${((Date.now() - t) / 1000).toFixed(1)} s)`)

  // A year of monthly bills through the fee services, the older third paid.
  t = Date.now()
  const staff = actorCtx(deps, { userId: staffId, roles: ['property_staff'] })
  const months = Array.from({ length: size.billMonths }, (_, i) => {
    const d = new Date(Date.UTC(realNow.getUTCFullYear(), realNow.getUTCMonth() - size.billMonths + i, 1))
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`
  })
  clock.now = new Date(Date.parse(`${months[0]}-01T02:00:00Z`) - DAY)
  await saveSchedule(staff, { communityId: community, effectiveFrom: months[0], items: [
    { name: '物业服务费', kind: 'area', rateFen: 180, buildingIds: [] },
    { name: '电梯运行费', kind: 'area', rateFen: 30, buildingIds: [] },
    { name: '垃圾清运费', kind: 'fixed', rateFen: 1000, buildingIds: [] },
  ] })
  clock.now = realNow
  const bodies = await feeBodies(db, community)
  for (const m of months) await generateBills(staff, bodies, { communityId: community, period: m, userId: staffId })
  await db.updateTable('fee_bills').set((eb) => ({ paid_fen: eb.ref('amount_fen'), status: 'paid' })).where('community_id', '=', community).where('first_month', '<', months[Math.floor(months.length / 3)]).execute()
  const bills = await db.selectFrom('fee_bills').select((eb) => eb.fn.countAll<number>().as('n')).where('community_id', '=', community).executeTakeFirstOrThrow()
  log(`bills: ${Number(bills.n)} over ${months.length} months through generateBills (${((Date.now() - t) / 1000).toFixed(1)} s)`)

  // Reports through createReport, by distinct owners.
  t = Date.now()
  for (let i = 0; i < size.reports; i++) {
    const r = residents[residents.length - 1 - i]
    await createReport(actorCtx(deps, { userId: r.userId, roles: ['owner'] }), {
      communityId: community, category: 'repair', description: `${i + 1}号报事：楼道灯不亮，请尽快维修`,
      place: { kind: 'building', buildingId: buildings[i % buildings.length].id }, urgency: 'ordinary', anonymous: false, photoIds: [],
    })
  }
  log(`reports: ${size.reports} through createReport (${((Date.now() - t) / 1000).toFixed(1)} s)`)

  // Votes: created and announced 20 days ago, opened 3 days ago by the clock (electorate frozen).
  t = Date.now()
  const asChair = actorCtx(deps, { userId: chairId, roles: ['committee_chair'] })
  const opensAt = new Date(realNow.getTime() - 3 * DAY)
  const closesAt = new Date(realNow.getTime() + 12 * DAY)
  clock.now = new Date(realNow.getTime() - 20 * DAY)
  const voteIds: { id: string; matterIds: string[] }[] = []
  for (let v = 0; v <= size.castVotes; v++) {
    const vote = await createVote(asChair, {
      communityId: community, title: v === 0 ? '续聘物业及加装电梯' : `第${v}项表决（压测投票）`, description: '', scope: 'whole', buildingIds: [],
      opensAt: opensAt.toISOString(), closesAt: closesAt.toISOString(),
      matters: [{ item: 4, title: '续聘安居物业', description: '' }, { item: 7, title: '加装电梯', description: '' }],
    })
    await announceVote(asChair, { communityId: community, voteId: vote.id })
    voteIds.push({ id: vote.id, matterIds: vote.matters.map((m) => m.id) })
  }
  clock.now = new Date(opensAt.getTime() + 60_000)
  const tick = await advanceVotes(systemCtx(deps), { communityId: community })
  if (voteIds.some((v) => !tick.opened.includes(v.id))) throw new Error(`not every vote opened: ${JSON.stringify(tick)}`)
  clock.now = realNow
  const tokenOf = new Map(residents.map((r) => [r.userId, r.token]))
  const keysOf = async (voteId: string) => (await db.selectFrom('vote_voters as vv').innerJoin('persons as p', 'p.id', 'vv.person_id')
    .select(['vv.voter_key', 'p.user_id']).where('vv.community_id', '=', community).where('vv.vote_id', '=', voteId).orderBy('vv.voter_key').execute())
    .filter((k) => k.user_id && tokenOf.has(k.user_id))
  const progressVote = voteIds[0]
  const keys = await keysOf(progressVote.id)
  const choices = (i: number) => progressVote.matterIds.map((matterId, m) => ({ matterId, choice: (['agree', 'agree', 'oppose', 'abstain'] as const)[(i + m) % 4] }))
  await withTx(systemCtx(deps), async (tx) => {
    for (let i = 0; i < Math.min(size.ballots, keys.length); i++) {
      await castBallot(actorCtx(tx, { userId: keys[i].user_id!, roles: ['owner'] }), { communityId: community, voteId: progressVote.id, voterKey: keys[i].voter_key, choices: choices(i) })
    }
  })
  const casts: World['casts'] = []
  for (const v of voteIds.slice(1)) for (const k of await keysOf(v.id)) casts.push({ voteId: v.id, voterKey: k.voter_key, token: tokenOf.get(k.user_id!)!, matterIds: v.matterIds })
  log(`votes: ${voteIds.length} opened through the vote services, ${size.ballots} ballots cast in the first; ${casts.length} (vote, voter) pairs left for the casting run (${((Date.now() - t) / 1000).toFixed(1)} s)`)
  if (dialect === 'sqlite') await sql`ANALYZE`.execute(db)
  return { communityId: community, buildingIds: buildings.map((b) => b.id), residents, chair: chair!, progressVoteId: progressVote.id, casts, counts: { units: units.length, bills: Number(bills.n) } }
}
