import { DIALECTS, useTestDb } from '../helpers/db'
import { call, makeUser, makeWorld, ok } from '../helpers/world'
import { rosterCsv } from '../helpers/votes-world'
import { startFakeWeChat, type FakeWeChat } from '../helpers/fake-wechat'
import { createWeChatClient } from '../../server/wechat/wechat.client'
import { DEMO_PHONE_CODE } from '../../server/identity/phone.service'

const ROSTER = ['1栋,1单元,101,89.56,是,韩晨梅,13900000001,1234', '1栋,1单元,102,89.56,是,田志、陈洋平,13900000002,', '1栋,1单元,201,89.56,是,邓雨英,13900000003,']

describe.each(DIALECTS)('binding with a phone WeChat verified on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let wx: FakeWeChat
  beforeAll(async () => {
    wx = await startFakeWeChat()
  })
  afterAll(() => wx.close())

  async function world() {
    deps.wechat = createWeChatClient({ appId: wx.appId, appSecret: wx.appSecret, baseUrl: wx.baseUrl })
    const w = await makeWorld(env.db)
    const chair = await makeUser(env.db, 'chair', 'committee_chair', { communityId: w.a })
    await ok(deps, 'importRoster', { communityId: w.a, fileName: 'roster.csv', fileBase64: rosterCsv(...ROSTER) }, chair)
    const claim = (room: string, name: string, extra: object) => ({ communityId: w.a, building: '1栋', stair: '1单元', room, name, ...extra })
    return { ...w, chair, claim }
  }

  test('a verified phone matching the roster binds at once, asked of WeChat with the server’s access token', async () => {
    const w = await world()
    const owner = await makeUser(env.db, '韩晨梅')
    const before = wx.calls.length
    const res = await ok(deps, 'bindUnit', w.claim('101', '韩晨梅', { phoneCode: wx.issuePhoneCode('13900000001') }), owner)
    expect(res).toMatchObject({ status: 'approved', message: '微信验证的手机号与名册一致，已绑定 1栋1单元101室' })
    expect(wx.calls.slice(before)).toEqual(['/cgi-bin/token', '/wxa/business/getuserphonenumber'])
    const me = await ok(deps, 'me', {}, owner)
    expect(me.units).toEqual([expect.objectContaining({ label: '1栋1单元101室', relation: 'owner' })])
    // Co-owners share a phone on the roster: the typed name picks which of them is bound.
    const co = await makeUser(env.db, '陈洋平')
    expect(await ok(deps, 'bindUnit', w.claim('102', '陈洋平', { phoneCode: wx.issuePhoneCode('13900000002') }), co)).toMatchObject({ status: 'approved' })
    const bound = await env.db.selectFrom('persons').select('name').where('user_id', '=', co).execute()
    expect(bound).toEqual([{ name: '陈洋平' }])
  })

  test('A typed phone matching the roster creates a request for the committee and binds nothing; the same phone verified by WeChat binds at once', async () => {
    const w = await world()
    const owner = await makeUser(env.db, '韩晨梅')
    const typed = await ok(deps, 'bindUnit', w.claim('101', '韩晨梅', { phone: '13900000001' }), owner)
    expect(typed).toMatchObject({ status: 'pending', message: expect.stringContaining('已提交业委会确认') })
    expect((await ok(deps, 'me', {}, owner)).units).toEqual([])
    expect(await env.db.selectFrom('persons').select('user_id').where('community_id', '=', w.a).where('name', '=', '韩晨梅').executeTakeFirstOrThrow()).toEqual({ user_id: null })
    expect(await env.db.selectFrom('memberships').select('role').where('user_id', '=', owner).execute()).toEqual([])
    const list = await ok(deps, 'listBindingRequests', { communityId: w.a }, w.chair)
    expect(list.items).toEqual([expect.objectContaining({ id: typed.bindingId, unitLabel: '1栋1单元101室', claimedPhone: '139****0001', status: 'pending', rosterMatch: true, needsProof: false })])
    // Typed ID digits that match: the same.
    const byId = await makeUser(env.db, '韩晨梅2')
    expect(await ok(deps, 'bindUnit', w.claim('101', '韩晨梅', { idLast4: '1234' }), byId)).toMatchObject({ status: 'pending' })
    expect((await ok(deps, 'me', {}, byId)).units).toEqual([])
    // Verified through WeChat (the fake server, with the server's access token): bound at once,
    // and the pending typed request becomes the approved one.
    const before = wx.calls.length
    const verified = await ok(deps, 'bindUnit', w.claim('101', '韩晨梅', { phoneCode: wx.issuePhoneCode('13900000001') }), owner)
    expect(verified).toEqual({ bindingId: typed.bindingId, status: 'approved', message: '微信验证的手机号与名册一致，已绑定 1栋1单元101室' })
    expect(wx.calls.slice(before)).toContain('/wxa/business/getuserphonenumber')
    expect((await ok(deps, 'me', {}, owner)).units).toEqual([expect.objectContaining({ label: '1栋1单元101室', relation: 'owner' })])
    // A typed phone cannot pass for a verified one: the client asserting it binds nothing.
    const claimer = await makeUser(env.db, '邓雨英')
    expect(await ok(deps, 'bindUnit', w.claim('201', '邓雨英', { phone: '13900000003', phoneCode: wx.issuePhoneCode('13800001111') }), claimer)).toMatchObject({ status: 'pending' })
    expect((await ok(deps, 'me', {}, claimer)).units).toEqual([])
  })

  test('a verified phone the roster does not give this unit binds nothing: the committee decides', async () => {
    const w = await world()
    const stranger = await makeUser(env.db, '胡磊')
    const res = await ok(deps, 'bindUnit', w.claim('201', '邓雨英', { phoneCode: wx.issuePhoneCode('13800001111') }), stranger)
    expect(res).toMatchObject({ status: 'pending', message: expect.stringContaining('微信验证的手机号不是名册上 1栋1单元201室 业主的手机号') })
    expect((await ok(deps, 'me', {}, stranger)).units).toEqual([])
    const list = await ok(deps, 'listBindingRequests', { communityId: w.a }, w.chair)
    expect(list.items).toEqual([expect.objectContaining({ unitLabel: '1栋1单元201室', claimedPhone: '138****1111', status: 'pending' })])
  })

  test('WeChat’s refusals become clear errors: a used or unknown code, another app’s number, a busy or expired token retried', async () => {
    const w = await world()
    const owner = await makeUser(env.db, '邓雨英')
    const code = wx.issuePhoneCode('13900000003')
    expect(await call(deps, 'bindUnit', w.claim('201', '邓雨英', { phoneCode: 'nonsense' }), owner)).toMatchObject({ ok: false, error: { code: 'BadInput', message: '手机号验证凭证无效或已用过，请重新点“微信验证手机号”' } })
    expect(await call(deps, 'bindUnit', w.claim('201', '邓雨英', { phoneCode: wx.issuePhoneCode('13900000003', { appId: 'wx-other' }) }), owner)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    wx.failNext('/wxa/business/getuserphonenumber', 45011)
    expect(await call(deps, 'bindUnit', w.claim('201', '邓雨英', { phoneCode: code }), owner)).toMatchObject({ ok: false, error: { code: 'RateLimited' } })
    // Busy once (-1) is retried; an expired token (the fake forgets them) is fetched again once.
    wx.failNext('/wxa/business/getuserphonenumber', -1)
    wx.expireTokens()
    expect(await ok(deps, 'bindUnit', w.claim('201', '邓雨英', { phoneCode: code }), owner)).toMatchObject({ status: 'approved' })
    // The code is single-use: sent again, WeChat refuses it.
    expect(await call(deps, 'bindUnit', w.claim('201', '邓雨英', { phoneCode: code }), owner)).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    // Nothing of WeChat's configured: the person is told to type instead.
    const bare = { ...deps, wechat: { ...deps.wechat, getPhoneNumber: undefined } }
    expect(await call(bare, 'bindUnit', w.claim('101', '韩晨梅', { phoneCode: 'x' }), owner)).toMatchObject({ ok: false, error: { code: 'WeChatNotConfigured' } })
  })

  test('the demo’s stand-in verification answers only for the demo persona, only in demo mode', async () => {
    const w = await world()
    const someone = await makeUser(env.db, '某人')
    expect(await call(deps, 'bindUnit', w.claim('101', '韩晨梅', { phoneCode: DEMO_PHONE_CODE }), someone)).toMatchObject({ ok: false, error: { code: 'BadInput' } })
  })
})
