/**
 * Benchmark: the live progress of an open owners' assembly vote in a large 小区.
 *
 *   npx tsx scripts/bench/vote-progress.ts            # SQLite (a file in a temp dir)
 *   DATABASE_URL=postgres://… npx tsx scripts/bench/vote-progress.ts   # and PostgreSQL (a scratch schema)
 *
 * Seeds one 小区 of 5,000 units in 25 buildings: owners of one unit, owners of two or three units,
 * co-owned units (two owners each), unsold developer units, and a few sold units with nobody on
 * the roster. Every owner is a WeChat user with the owner role and a bound roster person. A vote
 * with 3 matters (one special) is created and announced through the real service, then opened by
 * moving the clock past its opening (advanceVotes freezes the electorate, as the tests do).
 * 4,000 ballot papers (3 rows each) are cast through castBallot inside one transaction, each for
 * a voter key the frozen electorate gives its user.
 *
 * Then times over many runs:
 * - voteProgress as the action computes it (registry dispatch: role check, progress),
 * - the service function `progress` alone, and the SQL sums it asks for (vote.progress.ts),
 * - a single castBallot (action, one more voter each run) under that load,
 * against baselines measured in the same run: the pure tallyMatter of the 3 matters on the same
 * in-memory input (the arithmetic alone), and a `SELECT 1` round-trip. Prints median and p95 in
 * milliseconds and the ratios.
 */
import { randomUUID } from 'node:crypto'
import { onEachDialect, time, type Stat } from './bench-kit'
import os from 'node:os'
import path from 'node:path'
import pino from 'pino'
import { Kysely, sql } from 'kysely'
import { registry } from '../../server/actions'
import { loadConfig } from '../../server/config'
import { actorCtx, systemCtx, withTx, type Actor, type AppDeps } from '../../server/context'
import type { Dialect } from '../../server/db/create-db'
import type { Database } from '../../server/db/database'
import { dispatch } from '../../server/registry'
import type { VoteProgress } from '../../src/contracts/votes'
import { tallyMatter, type TallyInput } from '../../server/votes/tally'
import * as repo from '../../server/votes/vote.repository'
import { castBallot } from '../../server/votes/vote.ballots'
import { advanceVotes } from '../../server/votes/vote.clock'
import { announceVote, createVote } from '../../server/votes/vote.commands'
import { voteProgress } from '../../server/votes/vote.queries'
import { liveFigures } from '../../server/votes/vote.progress'

// District size (issue 14): BENCH_UNITS=20000 BENCH_BALLOTS=15000; the default is one large 小区.
const UNITS = Number(process.env.BENCH_UNITS ?? 5_000)
const BUILDINGS = Math.ceil(UNITS / 200)
const UNSOLD = 200 // developer's, one voter together
const ORPHANS = 20 // sold, nobody on the roster: counted in the totals, cannot vote online
const CO_OWNED = Math.round(UNITS * 0.08) // two owners each
const MULTI_OWNERS = Math.round(UNITS * 0.06) // two or three units each
const BALLOTS = Number(process.env.BENCH_BALLOTS ?? 4_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 100)
const WARMUP = 10
const CAST_RUNS = Number(process.env.BENCH_CAST_RUNS ?? 60)
const T0 = new Date('2026-11-26T02:00:00.000Z')
const DAY = 86_400_000

const timed = (fn: (i: number) => Promise<unknown> | unknown, runs = RUNS, warmup = WARMUP) => time(fn, runs, warmup)

function benchDeps(db: Kysely<Database>, dialect: Dialect, clock: { now: Date }): AppDeps {
  const refuse = async () => {
    throw new Error('the benchmark makes no WeChat call')
  }
  return {
    db,
    dialect,
    config: { ...loadConfig({ NODE_ENV: 'test' }), dataDir: path.join(os.tmpdir(), `gongzhi-bench-${randomUUID()}`) },
    wechat: { code2Session: refuse, sendSubscribeMessage: refuse },
    log: pino({ level: 'silent' }),
    now: () => clock.now,
  }
}

async function insertMany<T>(db: Kysely<Database>, rows: T[], insert: (part: T[]) => Promise<unknown>, size = 500) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size))
}

/** The 小区, its roster, and a user per roster person (owner role, person bound). */
async function seedRoster(db: Kysely<Database>) {
  const at = T0.toISOString()
  const district = randomUUID(), street = randomUUID(), office = randomUUID(), community = randomUUID()
  await db.insertInto('districts').values({ id: district, name: '章贡区' }).execute()
  await db.insertInto('streets').values({ id: street, district_id: district, name: '解放街道' }).execute()
  await db.insertInto('offices').values({ id: office, street_id: street, name: '东阳社区' }).execute()
  await db.insertInto('communities').values({
    id: community, office_id: office, name: '江山名苑', built_on: '2012-01-01', governance: 'committee',
    committee_name: '江山名苑业主委员会', company_name: '安居物业', vote_notice_days: 15, created_at: at,
  }).execute()

  const buildings = Array.from({ length: BUILDINGS }, (_, i) => ({ id: randomUUID(), community_id: community, name: `${i + 1}栋`, has_elevator: 1 }))
  // 200 units a building: 2 stairs × 20 floors × 5 rooms.
  const units = Array.from({ length: UNITS }, (_, i) => {
    const b = Math.floor(i / 200), k = i % 200
    const stair = k < 100 ? '1单元' : '2单元'
    const floor = Math.floor((k % 100) / 5) + 1, room = (k % 5) + 1
    return { id: randomUUID(), community_id: community, building_id: buildings[b].id, stair, room: `${floor}0${room}`, area_centi_m2: 6_000 + ((i * 7919) % 9_000), sold: 1 }
  })
  // Shuffle which units play which part, deterministically, so no building is all of one kind.
  const order = units.map((_, i) => i).sort((a, b) => ((a * 2654435761) % 4294967296) - ((b * 2654435761) % 4294967296))
  let next = 0
  const take = (n: number) => order.slice(next, (next += n)).map((i) => units[i])
  const unsold = take(UNSOLD)
  unsold.forEach((u) => (u.sold = 0))
  take(ORPHANS)
  const coOwned = take(CO_OWNED)
  const multi: (typeof units)[] = []
  for (let i = 0; i < MULTI_OWNERS; i++) multi.push(take(i % 2 === 0 ? 2 : 3))
  const sole = take(UNITS - next)

  const persons: { id: string; community_id: string; name: string; phone: null; id4_hash: null; is_developer: number; user_id: string }[] = []
  const users: { id: string; openid: string; nickname: string; created_at: string }[] = []
  const ownerships: { community_id: string; unit_id: string; person_id: string }[] = []
  const person = (name: string, isDeveloper = 0) => {
    const userId = randomUUID(), personId = randomUUID()
    users.push({ id: userId, openid: `bench:${userId}`, nickname: name, created_at: at })
    persons.push({ id: personId, community_id: community, name, phone: null, id4_hash: null, is_developer: isDeveloper, user_id: userId })
    return personId
  }
  const developer = person('开发商（未售）', 1)
  for (const u of unsold) ownerships.push({ community_id: community, unit_id: u.id, person_id: developer })
  for (const [i, u] of coOwned.entries()) {
    ownerships.push({ community_id: community, unit_id: u.id, person_id: person(`共有人甲${i}`) })
    ownerships.push({ community_id: community, unit_id: u.id, person_id: person(`共有人乙${i}`) })
  }
  for (const [i, us] of multi.entries()) {
    const p = person(`多套业主${i}`)
    for (const u of us) ownerships.push({ community_id: community, unit_id: u.id, person_id: p })
  }
  for (const [i, u] of sole.entries()) ownerships.push({ community_id: community, unit_id: u.id, person_id: person(`业主${i}`) })

  const chair = randomUUID()
  users.push({ id: chair, openid: 'bench:chair', nickname: '主任', created_at: at })
  const memberships = users.map((u) => ({ id: randomUUID(), user_id: u.id, role: u.id === chair ? 'committee_chair' : 'owner', community_id: community, office_id: null, street_id: null, district_id: null, created_at: at }))

  await db.transaction().execute(async (trx) => {
    await insertMany(db, buildings, (p) => trx.insertInto('buildings').values(p).execute())
    await insertMany(db, units, (p) => trx.insertInto('units').values(p).execute())
    await insertMany(db, users, (p) => trx.insertInto('users').values(p).execute())
    await insertMany(db, persons, (p) => trx.insertInto('persons').values(p).execute())
    await insertMany(db, ownerships, (p) => trx.insertInto('ownerships').values(p).execute())
    await insertMany(db, memberships, (p) => trx.insertInto('memberships').values(p).execute())
  })
  return { community, chair, counts: { users: users.length, persons: persons.length, sole: sole.length, multiUnits: multi.flat().length } }
}

async function bench(dialect: Dialect, db: Kysely<Database>) {
  const clock = { now: T0 }
  const deps = benchDeps(db, dialect, clock)
  let t = Date.now()
  const { community, chair, counts } = await seedRoster(db)
  console.log(`\n== ${dialect}: roster of ${UNITS} units (${counts.sole} sole-owner, ${counts.multiUnits} held by ${MULTI_OWNERS} multi-unit owners, ${CO_OWNED} co-owned, ${UNSOLD} unsold, ${ORPHANS} without owner), ${counts.persons} persons/users (${((Date.now() - t) / 1000).toFixed(1)} s)`)

  // The vote, through the real service: create, announce, then move the clock past the opening.
  const chairActor: Actor = { userId: chair, roles: ['committee_chair'] }
  const asChair = actorCtx(deps, chairActor)
  const opensAt = new Date(T0.getTime() + 16 * DAY)
  const closesAt = new Date(opensAt.getTime() + 14 * DAY)
  const vote = await createVote(asChair, {
    communityId: community, title: '2027 年物业选聘及电梯改造', description: '', scope: 'whole', buildingIds: [],
    opensAt: opensAt.toISOString(), closesAt: closesAt.toISOString(),
    matters: [{ item: 4, title: '续聘安居物业', description: '' }, { item: 5, title: '使用维修资金更换电梯钢丝绳', description: '' }, { item: 7, title: '加装电梯', description: '' }],
  })
  await announceVote(asChair, { communityId: community, voteId: vote.id })
  clock.now = new Date(opensAt.getTime() + 60_000)
  t = Date.now()
  const tick = await advanceVotes(systemCtx(deps), { communityId: community })
  if (!tick.opened.includes(vote.id)) throw new Error(`the vote did not open: ${JSON.stringify(tick)}`)
  const openMs = Date.now() - t

  // Who may cast what, from the frozen electorate.
  const voters = await db.selectFrom('vote_voters as vv').innerJoin('persons as p', 'p.id', 'vv.person_id')
    .select(['vv.voter_key', 'p.user_id']).where('vv.community_id', '=', community).where('vv.vote_id', '=', vote.id).orderBy('vv.voter_key').orderBy('p.user_id').execute()
  const byKey = new Map<string, string>() // one user per key: a co-owned unit is cast by one of its owners
  for (const v of voters) if (!byKey.has(v.voter_key)) byKey.set(v.voter_key, v.user_id!)
  const castable = [...byKey].map(([voterKey, userId]) => ({ voterKey, userId }))
  const electorate = await repo.electorateOf(db, community, vote.id)
  const headcount = new Set(electorate.map((e) => e.voter_key)).size
  console.log(`   vote opened by the clock in ${openMs} ms: ${electorate.length} units frozen, headcount ${headcount}, ${castable.length} voter keys castable online`)
  if (castable.length < BALLOTS + CAST_RUNS + WARMUP) throw new Error(`only ${castable.length} castable keys`)

  const matters = vote.matters
  const choiceOf = (i: number, m: number) => (['agree', 'agree', 'oppose', 'abstain', 'agree'] as const)[(i + m * 3) % 5]
  const paper = (i: number) => matters.map((m, mi) => ({ matterId: m.id, choice: choiceOf(i, mi) }))
  t = Date.now()
  await withTx(systemCtx(deps), async (tx) => {
    for (let i = 0; i < BALLOTS; i++) {
      const { voterKey, userId } = castable[i]
      await castBallot(actorCtx(tx, { userId, roles: ['owner'] }), { communityId: community, voteId: vote.id, voterKey, choices: paper(i) })
    }
  })
  const ballotRows = await db.selectFrom('ballots').select(sql<number>`count(*)`.as('n')).where('community_id', '=', community).executeTakeFirstOrThrow()
  console.log(`   cast ${BALLOTS} ballot papers (${Number(ballotRows.n)} rows) through castBallot in one transaction (${((Date.now() - t) / 1000).toFixed(1)} s)`)
  await sql`ANALYZE`.execute(db)

  const ref = { communityId: community, voteId: vote.id }
  const action = async () => {
    const r = await dispatch(registry, 'voteProgress', ref, deps, { caller: async () => ({ userId: chair, openid: 'bench:chair' }) })
    if (!r.ok) throw new Error(`voteProgress: ${r.error.code} ${r.error.message}`)
    return r.data as VoteProgress
  }
  const check = await action()
  const m0 = check.matters[0]
  console.log(`   progress: ${check.matters.length} matters; matter 1 participating ${m0.participatingHeadcount}/${m0.totalHeadcount} people, quorum ${m0.quorumMet ? 'met' : 'not met'}, agree ${m0.agreeHeadcount}`)

  // The same input the service hands to tallyMatter, built once in memory.
  const ballots = await repo.ballotsOf(db, community, vote.id)
  const tallyInputs: TallyInput[] = matters.map((m) => ({
    item: m.item,
    electorate: electorate.map((e) => ({ unitId: e.unit_id, voterKey: e.voter_key, areaCentiM2: e.area_centi_m2 })),
    ballots: ballots.filter((b) => b.matter_id === m.id).map((b) => ({ voterKey: b.voter_key, choice: b.choice })),
  }))
  const pure = tallyInputs.map(tallyMatter)
  if (pure.some((r, i) => r.participatingHeadcount !== check.matters[i].participatingHeadcount || r.agreeAreaCentiM2 !== check.matters[i].agreeAreaCentiM2)) {
    throw new Error('tallyMatter on the in-memory input disagrees with voteProgress')
  }

  const results: Record<string, Stat> = {}
  results['SELECT 1 round-trip (baseline b)'] = await timed(() => sql`SELECT 1`.execute(db))
  results['tallyMatter × 3 matters, in memory (baseline a)'] = await timed(() => tallyInputs.map(tallyMatter))
  results['voteProgress action (dispatch + progress)'] = await timed(action)
  results['voteProgress service function'] = await timed(() => voteProgress(asChair, ref))
  // Where the service's time goes: the SQL sums (vote.progress.ts) alone.
  const matterRows = await repo.mattersOf(db, community, vote.id)
  results['  of which: the SQL sums (liveFigures)'] = await timed(() => liveFigures(db, community, vote.id, matterRows))

  // Each cast is final, so each run is a further voter (past the 4,000).
  let nextVoter = BALLOTS
  const castOne = async () => {
    const i = nextVoter++
    const { voterKey, userId } = castable[i]
    const r = await dispatch(registry, 'castBallot', { ...ref, voterKey, choices: paper(i), confirmed: true }, deps, { caller: async () => ({ userId, openid: `bench:${userId}` }) })
    if (!r.ok) throw new Error(`castBallot: ${r.error.code} ${r.error.message}`)
  }
  results['castBallot action, one more voter'] = await timed(castOne, CAST_RUNS, 5)

  const w = Math.max(...Object.keys(results).map((k) => k.length))
  console.log(`   ${'measure'.padEnd(w)}   median ms   p95 ms`)
  for (const [k, s] of Object.entries(results)) console.log(`   ${k.padEnd(w)}   ${s.median.toFixed(3).padStart(9)}   ${s.p95.toFixed(3).padStart(6)}`)
  const act = results['voteProgress action (dispatch + progress)']
  const svc = results['voteProgress service function']
  const tally = results['tallyMatter × 3 matters, in memory (baseline a)']
  const base = results['SELECT 1 round-trip (baseline b)']
  console.log(`   ratio voteProgress action / tallyMatter×3: ${(act.median / tally.median).toFixed(1)}×; / SELECT 1: ${(act.median / base.median).toFixed(0)}×`)
  console.log(`   ratio progress service / tallyMatter×3: ${(svc.median / tally.median).toFixed(1)}×; / SELECT 1: ${(svc.median / base.median).toFixed(0)}×`)
  console.log(`   ratio castBallot action / SELECT 1: ${(results['castBallot action, one more voter'].median / base.median).toFixed(0)}×`)
  console.log(`   target: voteProgress under 20 ms at the median with ${UNITS} units and ${BALLOTS} ballots: ${act.median < 20 ? 'met' : 'NOT MET'} (${act.median.toFixed(1)} ms)`)
}

onEachDialect(bench).catch((err) => {
  console.error(err)
  process.exit(1)
})
