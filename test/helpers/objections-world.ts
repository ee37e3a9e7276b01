import type { Kysely } from 'kysely'
import type { AppDeps } from '../../server/context'
import type { Database } from '../../server/db/database'
import { call, makeUser, makeWorld, ok } from './world'

const DAY = 86_400_000
export const ROSTER_HEADER = '楼栋,单元,房号,建筑面积(㎡),是否电梯,业主姓名,联系电话,身份证后四位'
export const csv = (...lines: string[]) => Buffer.from([ROSTER_HEADER, ...lines].join('\n'), 'utf8').toString('base64')

/**
 * 小区 A's roster as a committee writes it (the header is line 1, so these are lines 2–9):
 * - 郭杰华 twice with one phone (lines 2, 3; line 3 adds ID digits): one owner by name + phone;
 * - 田志 co-owns 1栋201 with 陈洋平 (line 4) and owns 2栋201 alone (line 8, same phone): one person,
 *   two buyers (a sole key and a co-owned key);
 * - 王芳 twice with two phones (lines 6, 7): two owners unless the committee merges them;
 * - 2栋202 unsold (the developer).
 * Eight units, 4 × 89.56 + 100 + 120 + 2 × 90 = 758.24 m².
 */
export const ROSTER = [
  '1栋,1单元,101,89.56,是,郭杰华,13900000001,',
  '1栋,1单元,102,89.56,是,郭杰华,13900000001,1234',
  '1栋,1单元,201,89.56,是,田志、陈洋平,13900000002,',
  '1栋,1单元,202,89.56,是,邓雨英,13900000003,',
  '2栋,1单元,101,100,是,王芳,13900000005,',
  '2栋,1单元,102,120,是,王芳,13900000006,',
  '2栋,1单元,201,90,是,田志,13900000002,',
  '2栋,1单元,202,90,是,开发商（未售）,,',
]
export const TOTAL_AREA = 4 * 8956 + 10000 + 12000 + 2 * 9000

/**
 * The world of the duplicates and objections suites, built as a committee builds it: the chair
 * imports the roster file; owners bind through bindUnit (a claim the roster matches but that stays
 * pending is approved by the chair, as the committee does). Nobody is bound until `bind` is called.
 */
export async function makeObjectionsWorld(db: Kysely<Database>, deps: AppDeps) {
  const w = await makeWorld(db)
  const chair = await makeUser(db, 'chair', 'committee_chair', { communityId: w.a })
  const member = await makeUser(db, 'member', 'committee_member', { communityId: w.a })
  const chairB = await makeUser(db, 'chairB', 'committee_chair', { communityId: w.b })
  const imported = await ok(deps, 'importRoster', { communityId: w.a, fileName: 'roster.csv', fileBase64: csv(...ROSTER) }, chair)

  /** A resident's account claiming a unit of A as `name` with `phone`; approved (at once, or by the chair). */
  const bind = async (userId: string, building: string, room: string, name: string, phone: string) => {
    const r = await ok(deps, 'bindUnit', { communityId: w.a, building, stair: '1单元', room, name, phone }, userId)
    if (r.status === 'approved') return
    const d = await call(deps, 'decideBinding', { communityId: w.a, bindingId: r.bindingId, approve: true }, chair)
    if (!d.ok || d.data.status !== 'approved') throw new Error(`binding ${building}${room} for ${name}: ${d.ok ? d.data.status : d.error.message}`)
  }
  const account = (name: string) => makeUser(db, name)

  /** Persons of A by name, with their units' rooms, as the import wrote them. */
  const persons = async (name: string) => {
    const rows = await db
      .selectFrom('persons as p')
      .innerJoin('ownerships as o', 'o.person_id', 'p.id')
      .innerJoin('units as u', 'u.id', 'o.unit_id')
      .innerJoin('buildings as b', 'b.id', 'u.building_id')
      .select(['p.id', 'b.name as building', 'u.room'])
      .where('p.community_id', '=', w.a)
      .where('p.name', '=', name)
      .execute()
    const byId = new Map<string, string[]>()
    for (const r of rows) byId.set(r.id, [...(byId.get(r.id) ?? []), `${r.building}${r.room}`])
    return [...byId].map(([id, rooms]) => ({ id, rooms: rooms.sort() })).sort((a, b) => a.rooms[0].localeCompare(b.rooms[0]))
  }

  /** A whole-小区 vote announced now, opening 16 days later (the notice floor), for 7 days. */
  const announce = async () => {
    const opensAt = new Date(deps.now().getTime() + 16 * DAY)
    const closesAt = new Date(opensAt.getTime() + 7 * DAY)
    const vote = await ok(deps, 'createVote', { communityId: w.a, title: '2027 年物业服务企业选聘', scope: 'whole', opensAt: opensAt.toISOString(), closesAt: closesAt.toISOString(), matters: [{ item: 4, title: '续聘安居物业' }] }, chair)
    await ok(deps, 'announceVote', { communityId: w.a, voteId: vote.id }, chair)
    return { voteId: vote.id as string, opensAt, closesAt }
  }

  return { ...w, chair, member, chairB, imported, bind, account, persons, announce }
}

export type ObjectionsWorld = Awaited<ReturnType<typeof makeObjectionsWorld>>
