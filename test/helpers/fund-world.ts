import type { Kysely } from 'kysely'
import { systemCtx } from '../../server/context'
import type { Database } from '../../server/db/database'
import { advanceVotes } from '../../server/votes/vote.clock'
import type { TestDeps } from './db'
import { rosterCsv } from './votes-world'
import { bindOwner, makeUser, makeWorld, ok } from './world'

const DAY = 86_400_000

/**
 * 文清苑 (B of makeWorld: built 1998, an old community run by a 物管会, no company), its roster
 * imported by the 物管会 and its owners bound by claims matching it, approved by the 物管会:
 * 1栋 without an elevator: 101 60.00 孙丽, 102 60.00 周强, 201 80.00 吴芳, 202 100.00 郑华;
 * 2栋 with an elevator: 101 90.00 王刚, 102 110.00 陈静. 周强's tenant is bound by invitation.
 * 滨江花园 (A, new, with a company) has one building for the no-cap case.
 */
export async function makeFundWorld(db: Kysely<Database>, deps: TestDeps) {
  const w = await makeWorld(db)
  const pmc = await makeUser(db, '物管会委员', 'committee_member', { communityId: w.b })
  const chairA = await makeUser(db, '滨江主任', 'committee_chair', { communityId: w.a })
  const officer = await makeUser(db, '社区干部', 'community_officer', { officeId: w.office })
  const streetOfficer = await makeUser(db, '街道干部', 'street_officer', { streetId: w.street })
  await ok(deps, 'importRoster', {
    communityId: w.b,
    fileName: 'wq.csv',
    fileBase64: rosterCsv(
      '1栋,1单元,101,60.00,否,孙丽,13900000011,',
      '1栋,1单元,102,60.00,否,周强,13900000012,',
      '1栋,1单元,201,80.00,否,吴芳,13900000013,',
      '1栋,1单元,202,100.00,否,郑华,13900000014,',
      '2栋,1单元,101,90.00,是,王刚,13900000015,',
      '2栋,1单元,102,110.00,是,陈静,13900000016,',
    ),
  }, pmc)
  const bind = async (building: string, room: string, name: string, phone: string) => {
    const userId = await makeUser(db, name)
    await bindOwner(deps, userId, { communityId: w.b, building, room, name, phone }, pmc)
    return userId
  }
  const owners = {
    sun: await bind('1栋', '101', '孙丽', '13900000011'),
    zhou: await bind('1栋', '102', '周强', '13900000012'),
    wu: await bind('1栋', '201', '吴芳', '13900000013'),
    zheng: await bind('1栋', '202', '郑华', '13900000014'),
    wang: await bind('2栋', '101', '王刚', '13900000015'),
    chen: await bind('2栋', '102', '陈静', '13900000016'),
  }
  const rows = await db.selectFrom('units as u').innerJoin('buildings as b', 'b.id', 'u.building_id').select(['u.id', 'u.room', 'b.name', 'b.id as bid', 'u.community_id']).execute()
  const unit = (b: string, room: string) => rows.find((r) => r.community_id === w.b && r.name === b && r.room === room)!.id
  const u = { b1_101: unit('1栋', '101'), b1_102: unit('1栋', '102'), b1_201: unit('1栋', '201'), b1_202: unit('1栋', '202'), b2_101: unit('2栋', '101'), b2_102: unit('2栋', '102') }
  const inv = await ok(deps, 'inviteTenant', { communityId: w.b, unitId: u.b1_102 }, owners.zhou)
  const tenant = await makeUser(db, 'tenant')
  await ok(deps, 'acceptTenancy', { code: inv.code }, tenant)
  const buildings = {
    b1: rows.find((r) => r.community_id === w.b && r.name === '1栋')!.bid,
    b2: rows.find((r) => r.community_id === w.b && r.name === '2栋')!.bid,
    a1: rows.find((r) => r.community_id === w.a && r.name === '1栋')!.bid,
  }
  return { ...w, pmc, chairA, officer, streetOfficer, owners, tenant, u, buildings }
}
export type FundWorld = Awaited<ReturnType<typeof makeFundWorld>>

/**
 * A vote in 文清苑 on one matter of `item`, scoped to some buildings, run through the real actions
 * with the clock moved: announced, opened 15 days later, cast by `voters` with `choice`, closed.
 * Answers the vote's id; the clock is left after the close.
 */
export async function decidedVote(deps: TestDeps, w: FundWorld, item: 5 | 6, buildingIds: string[], voters: string[], choice: 'agree' | 'oppose' = 'agree'): Promise<string> {
  const now = deps.now()
  const opensAt = new Date(now.getTime() + 16 * DAY)
  const closesAt = new Date(opensAt.getTime() + 7 * DAY)
  const title = item === 5 ? '使用维修资金维修屋面' : '续筹维修资金'
  const vote = await ok(deps, 'createVote', { communityId: w.b, title, scope: 'buildings', buildingIds, opensAt: opensAt.toISOString(), closesAt: closesAt.toISOString(), matters: [{ item, title }] }, w.pmc)
  await ok(deps, 'announceVote', { communityId: w.b, voteId: vote.id }, w.pmc)
  deps.setNow(new Date(opensAt.getTime() + 1000))
  await advanceVotes(systemCtx(deps))
  for (const voter of voters) {
    await ok(deps, 'castBallot', { communityId: w.b, voteId: vote.id, choices: [{ matterId: vote.matters[0].id, choice }], confirmed: true }, voter)
  }
  deps.setNow(new Date(closesAt.getTime() + 1000))
  await advanceVotes(systemCtx(deps))
  return vote.id
}
