import type { Kysely } from 'kysely'
import type { AppDeps } from '../../server/context'
import type { Database } from '../../server/db/database'
import { bindOwner, makeUser, makeWorld, ok } from './world'

const HEADER = '楼栋,单元,房号,建筑面积(㎡),是否电梯,业主姓名,联系电话,身份证后四位'
const csv = (...lines: string[]) => Buffer.from([HEADER, ...lines].join('\n'), 'utf8').toString('base64')

/** 滨江花园 (A, with a company): six units in two buildings, one co-owned, one unsold, one owner of two. */
export const ROSTER_A = csv(
  '1栋,1单元,101,89.56,是,王伟,13912345678,552X',
  '1栋,1单元,102,118.20,是,李娜、张强,13900000002,1234',
  '1栋,1单元,201,89.56,是,开发商（未售）,,',
  '1栋,1单元,202,89.56,是,王伟,13912345678,552X',
  '2栋,1单元,101,70.00,是,赵敏,13900000003,',
  '2栋,1单元,102,70.35,是,钱程,13900000004,4321',
)
/** 文清苑 (B, 物管会, no company): two units. */
export const ROSTER_B = csv('1栋,1单元,101,60.00,否,孙丽,13900000011,', '1栋,1单元,102,60.00,否,周强,13900000012,')

/**
 * Two 小区 built through roster import and binding: owners claim their units by what the roster
 * lists and the committee approves each (bindOwner), a tenant accepts an owner's invitation. A has property staff (it has a company); B's 物管会 bills.
 */
export async function makeFeeWorld(db: Kysely<Database>, deps: AppDeps) {
  const w = await makeWorld(db)
  const chair = await makeUser(db, '王主任', 'committee_chair', { communityId: w.a })
  const member = await makeUser(db, '委员', 'committee_member', { communityId: w.a })
  const staff = await makeUser(db, '物业小刘', 'property_staff', { communityId: w.a })
  const officer = await makeUser(db, '社区干部', 'community_officer', { officeId: w.office })
  const pmcB = await makeUser(db, '物管会委员', 'committee_member', { communityId: w.b })
  await ok(deps, 'importRoster', { communityId: w.a, fileName: 'a.csv', fileBase64: ROSTER_A }, chair)
  await ok(deps, 'importRoster', { communityId: w.b, fileName: 'b.csv', fileBase64: ROSTER_B }, pmcB)

  const bind = async (communityId: string, nick: string, building: string, room: string, claim: { name: string; phone?: string; idLast4?: string }) => {
    const userId = await makeUser(db, nick)
    await bindOwner(deps, userId, { communityId, building, room, ...claim }, communityId === w.a ? chair : pmcB)
    return userId
  }
  const wang = await bind(w.a, 'wang', '1栋', '101', { name: '王伟', phone: '13912345678' })
  const li = await bind(w.a, 'li', '1栋', '102', { name: '李娜', phone: '13900000002' })
  const zhang = await bind(w.a, 'zhang', '1栋', '102', { name: '张强', idLast4: '1234' })
  const zhao = await bind(w.a, 'zhao', '2栋', '101', { name: '赵敏', phone: '13900000003' })
  const qian = await bind(w.a, 'qian', '2栋', '102', { name: '钱程', phone: '13900000004' })
  const sun = await bind(w.b, 'sun', '1栋', '101', { name: '孙丽', phone: '13900000011' })

  const units = await db
    .selectFrom('units as u')
    .innerJoin('buildings as b', 'b.id', 'u.building_id')
    .select(['u.id', 'u.community_id', 'b.name as building', 'b.id as buildingId', 'u.room'])
    .execute()
  const unit = (communityId: string, building: string, room: string) => units.find((u) => u.community_id === communityId && u.building === building && u.room === room)!.id
  const tenantUnit = unit(w.a, '2栋', '101')
  const inv = await ok(deps, 'inviteTenant', { communityId: w.a, unitId: tenantUnit }, zhao)
  const tenant = await makeUser(db, 'tenant')
  await ok(deps, 'acceptTenancy', { code: inv.code }, tenant)
  const building = (communityId: string, name: string) => units.find((u) => u.community_id === communityId && u.building === name)!.buildingId

  return {
    ...w,
    chair, member, staff, officer, pmcB,
    owners: { wang, li, zhang, zhao, qian, sun },
    tenant,
    buildings: { a1: building(w.a, '1栋'), a2: building(w.a, '2栋') },
    u: {
      a101: unit(w.a, '1栋', '101'), a102: unit(w.a, '1栋', '102'), a201: unit(w.a, '1栋', '201'), a202: unit(w.a, '1栋', '202'),
      b101: unit(w.a, '2栋', '101'), b102: unit(w.a, '2栋', '102'), wq101: unit(w.b, '1栋', '101'), wq102: unit(w.b, '1栋', '102'),
    },
  }
}
export type FeeWorld = Awaited<ReturnType<typeof makeFeeWorld>>

/** A schedule for A: 1.80 元/㎡/月 for all, elevator 0.30 元/㎡/月 in 1栋, 20 元/户/月 garbage, 公摊 300 元/月. */
export const SCHEDULE_A = (w: FeeWorld) => ({
  communityId: w.a,
  effectiveFrom: '2026-01',
  items: [
    { name: '物业服务费', kind: 'area', rateFen: 180 },
    { name: '电梯运行费', kind: 'area', rateFen: 30, buildingIds: [w.buildings.a1] },
    { name: '垃圾清运费', kind: 'fixed', rateFen: 2000 },
    { name: '公摊水电', kind: 'shared', rateFen: 30000 },
  ],
})
