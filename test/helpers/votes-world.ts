import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../../server/db/database'
import { bindOwner, makeUser, makeWorld, ok } from './world'
import { systemCtx, type AppDeps, type Ctx } from '../../server/context'

const DAY = 86_400_000

/**
 * 小区 A of makeWorld with a roster for votes, 8 units in two buildings:
 * - 1栋1单元101, 102 and 2栋1单元101 belong to one owner (multi): one person, three units;
 * - 1栋1单元201 is co-owned by two people (co1, co2): one person for it;
 * - 1栋1单元202 belongs to solo; 2栋1单元102 to other;
 * - 2栋1单元201 and 202 are unsold, held by the developer person: one person together.
 * Five voters; total area 4 × 89.56 + 100.00 + 120.00 + 2 × 90.00 = 758.24 m².
 * Each roster person is bound to a WeChat user holding the owner role in A.
 */
export async function makeVoteWorld(db: Kysely<Database>) {
  const w = await makeWorld(db)
  const [u101, u102, u201, u202] = w.units.a
  const b2 = randomUUID()
  await db.insertInto('buildings').values({ id: b2, community_id: w.a, name: '2栋', has_elevator: 1 }).execute()
  const b1 = (await db.selectFrom('units').select('building_id').where('id', '=', u101).executeTakeFirstOrThrow()).building_id
  const unit = async (room: string, area: number, sold: number) => {
    const id = randomUUID()
    await db.insertInto('units').values({ id, community_id: w.a, building_id: b2, stair: '1单元', room, area_centi_m2: area, sold }).execute()
    return id
  }
  const v101 = await unit('101', 10000, 1)
  const v102 = await unit('102', 12000, 1)
  const v201 = await unit('201', 9000, 0)
  const v202 = await unit('202', 9000, 0)

  const person = async (name: string, isDeveloper = 0) => {
    const userId = await makeUser(db, name, 'owner', { communityId: w.a })
    const id = randomUUID()
    await db.insertInto('persons').values({ id, community_id: w.a, name, phone: null, id4_hash: null, is_developer: isDeveloper, user_id: userId }).execute()
    return { personId: id, userId }
  }
  const own = (unitId: string, personId: string) => db.insertInto('ownerships').values({ community_id: w.a, unit_id: unitId, person_id: personId }).execute()

  const multi = await person('郭杰华')
  const co1 = await person('田志')
  const co2 = await person('陈洋平')
  const solo = await person('邓雨英')
  const other = await person('韩晨梅')
  const developer = await person('开发商（未售）', 1)
  for (const u of [u101, u102, v101]) await own(u, multi.personId)
  await own(u201, co1.personId)
  await own(u201, co2.personId)
  await own(u202, solo.personId)
  await own(v102, other.personId)
  await own(v201, developer.personId)
  await own(v202, developer.personId)

  const chair = await makeUser(db, 'chair', 'committee_chair', { communityId: w.a })
  const member = await makeUser(db, 'member', 'committee_member', { communityId: w.a })
  const officer = await makeUser(db, 'officer', 'community_officer', { officeId: w.office })
  const tenant = await makeUser(db, 'tenant', 'tenant', { communityId: w.a })
  // An owner of 小区 B, with a unit there.
  const ownerB = await makeUser(db, 'ownerB', 'owner', { communityId: w.b })
  const personB = randomUUID()
  await db.insertInto('persons').values({ id: personB, community_id: w.b, name: '李四', phone: null, id4_hash: null, is_developer: 0, user_id: ownerB }).execute()
  await db.insertInto('ownerships').values({ community_id: w.b, unit_id: w.units.b[0], person_id: personB }).execute()

  return {
    ...w,
    building1: b1,
    building2: b2,
    units: { u101, u102, u201, u202, v101, v102, v201, v202 },
    people: { multi, co1, co2, solo, other, developer },
    chair,
    member,
    officer,
    tenant,
    ownerB,
    totalArea: 4 * 8956 + 10000 + 12000 + 2 * 9000,
  }
}

export type VoteWorld = Awaited<ReturnType<typeof makeVoteWorld>>

/** Creates and announces a vote in 小区 A opening 16 days from `now` (the 15-day notice floor, the announcement day not counted), with a 7-day window. */
export async function announcedVote(deps: AppDeps, w: VoteWorld, matters: { item: number; title: string }[] = [{ item: 4, title: '续聘安居物业' }], extra: object = {}) {
  const now = deps.now()
  const opensAt = new Date(now.getTime() + 16 * DAY)
  const closesAt = new Date(opensAt.getTime() + 7 * DAY)
  const vote = await ok(deps, 'createVote', { communityId: w.a, title: '2027 年物业服务企业选聘', scope: 'whole', opensAt: opensAt.toISOString(), closesAt: closesAt.toISOString(), matters, ...extra }, w.chair)
  await ok(deps, 'announceVote', { communityId: w.a, voteId: vote.id }, w.chair)
  return { voteId: vote.id as string, opensAt, closesAt, matters: vote.matters as { id: string; item: number; class: string }[] }
}

export const DAY_MS = DAY

/**
 * The system's ctx (what the job runner passes to the vote clock) with its clock at `at`: for
 * running advanceVotes at a given moment. At the deps' own time, systemCtx(deps) does.
 */
export function systemCtxAt(deps: AppDeps, at: Date): Ctx {
  return { ...systemCtx(deps), now: () => at }
}

export const ROSTER_HEADER = '楼栋,单元,房号,建筑面积(㎡),是否电梯,业主姓名,联系电话,身份证后四位'
export const rosterCsv = (...lines: string[]) => Buffer.from([ROSTER_HEADER, ...lines].join('\n'), 'utf8').toString('base64')

/**
 * The same 小区 A as makeVoteWorld, 8 units in two buildings and five voters (total 758.24 m²),
 * but built as a committee builds it: the chair imports the roster file and the owners bind their
 * units through bindUnit, each typed claim matching the roster and approved by the chair (bindOwner). 郭杰华 (multi) is written twice, once with a phone (1栋101, 2栋101) and
 * once with phone and ID digits (1栋102): two roster persons, both bound to one account.
 */
export const COURT_ROSTER = [
  '1栋,1单元,101,89.56,是,郭杰华,13900000001,',
  '1栋,1单元,102,89.56,是,郭杰华,13900000001,1234',
  '1栋,1单元,201,89.56,是,田志、陈洋平,13900000002,',
  '1栋,1单元,202,89.56,是,邓雨英,13900000003,',
  '2栋,1单元,101,100,是,郭杰华,13900000001,',
  '2栋,1单元,102,120,是,韩晨梅,13900000004,',
  '2栋,1单元,201,90,是,开发商（未售）,,',
  '2栋,1单元,202,90,是,开发商（未售）,,',
]

export async function makeRosterVoteWorld(db: Kysely<Database>, deps: AppDeps) {
  const w = await makeWorld(db)
  const chair = await makeUser(db, 'chair', 'committee_chair', { communityId: w.a })
  const member = await makeUser(db, 'member', 'committee_member', { communityId: w.a })
  const officer = await makeUser(db, 'officer', 'community_officer', { officeId: w.office })
  await ok(deps, 'importRoster', { communityId: w.a, fileName: 'roster.csv', fileBase64: rosterCsv(...COURT_ROSTER) }, chair)
  const bind = async (userId: string, building: string, room: string, name: string, extra: { phone?: string; idLast4?: string }) => {
    await bindOwner(deps, userId, { communityId: w.a, building, room, name, ...extra }, chair)
  }
  const owner = async (name: string) => ({ userId: await makeUser(db, name) })
  const multi = await owner('郭杰华')
  await bind(multi.userId, '1栋', '101', '郭杰华', { phone: '13900000001' })
  await bind(multi.userId, '1栋', '102', '郭杰华', { idLast4: '1234' })
  const co1 = await owner('田志')
  await bind(co1.userId, '1栋', '201', '田志', { phone: '13900000002' })
  const co2 = await owner('陈洋平')
  await bind(co2.userId, '1栋', '201', '陈洋平', { phone: '13900000002' })
  const solo = await owner('邓雨英')
  await bind(solo.userId, '1栋', '202', '邓雨英', { phone: '13900000003' })
  const other = await owner('韩晨梅')
  await bind(other.userId, '2栋', '102', '韩晨梅', { phone: '13900000004' })
  const unitRows = await db
    .selectFrom('units as u')
    .innerJoin('buildings as b', 'b.id', 'u.building_id')
    .select(['u.id', 'u.room', 'b.name as building', 'b.id as building_id'])
    .where('u.community_id', '=', w.a)
    .execute()
  const unitId = (building: string, room: string) => unitRows.find((u) => u.building === building && u.room === room)!.id
  return {
    ...w,
    building1: unitRows.find((u) => u.building === '1栋')!.building_id,
    building2: unitRows.find((u) => u.building === '2栋')!.building_id,
    units: { u101: unitId('1栋', '101'), u102: unitId('1栋', '102'), u201: unitId('1栋', '201'), u202: unitId('1栋', '202'), v101: unitId('2栋', '101'), v102: unitId('2栋', '102'), v201: unitId('2栋', '201'), v202: unitId('2栋', '202') },
    people: { multi, co1, co2, solo, other },
    chair,
    member,
    officer,
    totalArea: 4 * 8956 + 10000 + 12000 + 2 * 9000,
  }
}

export type RosterVoteWorld = Awaited<ReturnType<typeof makeRosterVoteWorld>>
