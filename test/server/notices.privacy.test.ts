import { actorCtx, systemCtx } from '../../server/context'
import { assertNoPersonalData, findPersonalData } from '../../server/privacy/personal-data'
import { DIALECTS, useTestDb } from '../helpers/db'
import { makeUser, makeWorld, ok } from '../helpers/world'

const HEADER = '楼栋,单元,房号,建筑面积(㎡),是否电梯,业主姓名,联系电话,身份证后四位'
const csv = (...lines: string[]) => Buffer.from([HEADER, ...lines].join('\r\n'), 'utf8').toString('base64')
const WORDS = { mobile: '不能有手机号', idNumber: '不能有身份证号', name: (n: string) => `不能有姓名 ${n}` }

/**
 * The personal-data check as a function of its own (server/privacy), for every feature that posts:
 * notices today, fees' arrears postings next. The rosters are imported through the action.
 */
describe.each(DIALECTS)('personal data in what a 小区 posts, on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)

  async function world() {
    const w = await makeWorld(env.db)
    const chairA = await makeUser(env.db, '主任A', 'committee_chair', { communityId: w.a })
    const chairB = await makeUser(env.db, '主任B', 'committee_chair', { communityId: w.b })
    await ok(deps, 'importRoster', { communityId: w.a, fileName: 'a.csv', fileBase64: csv('1栋,1单元,101,89.56,是,欧阳娜娜,13912345678,1234', '1栋,1单元,102,89.56,是,开发商(未售),,') }, chairA)
    await ok(deps, 'importRoster', { communityId: w.b, fileName: 'b.csv', fileBase64: csv('1栋,1单元,101,60,否,刘洋,13812345678,') }, chairB)
    return { ...w, ctx: systemCtx(deps) }
  }

  test('finds mobile numbers however they are written, and ID numbers; landlines and hotlines pass', async () => {
    const w = await world()
    for (const text of ['联系 13912345678', '电话 139-1234-5678', '139 1234 5678 找王师傅']) {
      expect(await findPersonalData(w.ctx, w.a, [text])).toEqual({ kind: 'mobile' })
    }
    expect(await findPersonalData(w.ctx, w.a, ['身份证 36070219800101123X'])).toEqual({ kind: 'idNumber' })
    expect(await findPersonalData(w.ctx, w.a, ['咨询 0797-8123456，价格投诉 12358，1栋1单元**1室'])).toBeNull()
  })

  test("finds a name on this 小区's roster, in any of the texts; not another 小区's owners, not the developer", async () => {
    const w = await world()
    expect(await findPersonalData(w.ctx, w.a, ['停水通知', '请欧阳娜娜到物业处'])).toEqual({ kind: 'name', name: '欧阳娜娜' })
    // 刘洋 owns a flat in 文清苑, not here: naming them in 滨江花园 is not naming a resident of it.
    expect(await findPersonalData(w.ctx, w.a, ['刘洋来过'])).toBeNull()
    expect(await findPersonalData(w.ctx, w.b, ['刘洋来过'])).toEqual({ kind: 'name', name: '刘洋' })
    expect(await findPersonalData(w.ctx, w.a, ['开发商（未售）的房屋'])).toBeNull()
  })

  test('assertNoPersonalData refuses in the caller\'s words (BadInput) and passes clean text', async () => {
    const w = await world()
    const ctx = actorCtx(deps, { userId: 'x', roles: ['property_staff'] })
    await expect(assertNoPersonalData(ctx, w.a, ['1栋101 欧阳娜娜 欠费'], WORDS)).rejects.toMatchObject({ code: 'BadInput', message: '不能有姓名 欧阳娜娜' })
    await expect(assertNoPersonalData(ctx, w.a, ['13912345678'], WORDS)).rejects.toMatchObject({ code: 'BadInput', message: '不能有手机号' })
    await expect(assertNoPersonalData(ctx, w.a, ['360702198001011234'], WORDS)).rejects.toMatchObject({ code: 'BadInput', message: '不能有身份证号' })
    await expect(assertNoPersonalData(ctx, w.a, ['1栋1单元**1室 欠费 3 个月'], WORDS)).resolves.toBeUndefined()
    await expect(assertNoPersonalData(ctx, w.a, [], WORDS)).resolves.toBeUndefined()
  })
})
