import { DIALECTS, useTestDb } from '../helpers/db'
import { bindOwner, makeUser, makeWorld, ok } from '../helpers/world'

const HEADER = '楼栋,单元,房号,建筑面积(㎡),是否电梯,业主姓名,联系电话,身份证后四位'
const csv = (...rows: string[]) => Buffer.from([HEADER, ...rows].join('\n'), 'utf8').toString('base64')

describe.each(DIALECTS)('re-importing a roster after a flat was sold (%s)', (dialect) => {
  const t = useTestDb(dialect)

  test('the seller stops being an owner of the 小区; an owner still on the roster keeps the role', async () => {
    const { env, deps } = t
    const w = await makeWorld(env.db)
    const chair = await makeUser(env.db, 'chair', 'committee_chair', { communityId: w.b })
    const file = (owner101: string, phone101: string) =>
      csv(`5栋,1单元,101,80.00,否,${owner101},${phone101},1234`, '5栋,1单元,102,90.00,否,李娜,13900000002,5678')
    await ok(deps, 'importRoster', { communityId: w.b, fileName: 'r.csv', fileBase64: file('王伟', '13900000001') }, chair)
    const seller = await makeUser(env.db, 'seller')
    const neighbour = await makeUser(env.db, 'neighbour')
    const bind = (userId: string, room: string, name: string, phone: string) =>
      bindOwner(deps, userId, { communityId: w.b, building: '5栋', room, name, phone }, chair)
    expect(await bind(seller, '101', '王伟', '13900000001')).toMatchObject({ status: 'approved' })
    expect(await bind(neighbour, '102', '李娜', '13900000002')).toMatchObject({ status: 'approved' })

    await ok(deps, 'importRoster', { communityId: w.b, fileName: 'r2.csv', fileBase64: file('赵敏', '13900000003') }, chair)

    const sellerMe = await ok(deps, 'me', {}, seller)
    expect(sellerMe.units).toEqual([])
    expect(sellerMe.communities).toEqual([])
    const neighbourMe = await ok(deps, 'me', {}, neighbour)
    expect(neighbourMe.units.map((u: any) => u.label)).toEqual(['5栋1单元102室'])
    expect(neighbourMe.communities[0].roles).toEqual(['owner'])
  })
})
