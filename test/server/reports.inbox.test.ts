import { call, ok } from '../helpers/world'
import { DIALECTS, useTestDb } from '../helpers/db'
import { fileRepair, makeReportWorld, uploadPhoto, type ReportWorld } from '../helpers/reports-world'

type Item = { id: string; communityId: string; category: string; status: string; overdue: boolean; createdAt: string }

describe.each(DIALECTS)('report inboxes, my reports and 联系我们 (%s)', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: ReportWorld
  const ids: Record<string, string> = {}
  beforeAll(async () => {
    w = await makeReportWorld(env.db, deps)
    let t = Date.parse('2026-11-26T02:00:00.000Z')
    const at = () => deps.setNow(new Date((t += 60_000)))
    at(); ids.leak = (await fileRepair(deps, w)).id
    at(); ids.clean2 = (await ok(deps, 'createReport', { communityId: w.a, category: 'cleaning', description: '2栋楼道很脏没人打扫', place: { kind: 'building', buildingId: w.buildings.a2 } }, w.owners.zhao)).id
    at(); ids.park = (await ok(deps, 'createReport', { communityId: w.a, category: 'parking', description: '消防通道被私家车占用', place: { kind: 'area', area: '地下车库' } }, w.owners.li)).id
    at(); ids.complaint = (await ok(deps, 'createReport', { communityId: w.a, category: 'complaint', description: '物业收费不公示', place: { kind: 'area', area: '小区大门' } }, w.owners.qian)).id
    for (let i = 0; i < 5; i++) {
      at(); ids[`green${i}`] = (await ok(deps, 'createReport', { communityId: w.a, category: 'greening', description: `中心花园第 ${i} 处树木需修剪`, place: { kind: 'area', area: '中心花园' } }, w.tenant)).id
    }
    at(); ids.b = (await ok(deps, 'createReport', { communityId: w.b, category: 'security', description: '单元门锁坏了陌生人随意进出', place: { kind: 'unit', unitId: w.u.wq101 } }, w.owners.sun)).id
    at()
  })

  const walk = async (action: string, input: Record<string, unknown>, userId: string): Promise<Item[]> => {
    const out: Item[] = []
    let cursor: string | undefined
    do {
      const page = await ok(deps, action, { ...input, limit: 3, ...(cursor ? { cursor } : {}) }, userId)
      out.push(...page.items)
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    return out
  }

  test('staff page through what is routed to them, newest first, each report once; the committee sees all', async () => {
    const staff = await walk('reportInbox', { communityId: w.a }, w.staff)
    expect(staff.map((i) => i.id)).toEqual([...Array(5).keys()].map((i) => ids[`green${4 - i}`]).concat([ids.park, ids.clean2, ids.leak]))
    const committee = await walk('reportInbox', { communityId: w.a }, w.chair)
    expect(committee.map((i) => i.id)).toContain(ids.complaint)
    expect(committee).toHaveLength(9)
    expect(await call(deps, 'reportInbox', { communityId: w.a, limit: 5 }, w.owners.wang)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
  })

  test('filters: category, building, status', async () => {
    const green = await walk('reportInbox', { communityId: w.a, category: 'greening' }, w.staff)
    expect(green.map((i) => i.id).sort()).toEqual([0, 1, 2, 3, 4].map((i) => ids[`green${i}`]).sort())
    const b2 = await walk('reportInbox', { communityId: w.a, buildingId: w.buildings.a2 }, w.chair)
    expect(b2.map((i) => i.id)).toEqual([ids.clean2])
    const b1 = await walk('reportInbox', { communityId: w.a, buildingId: w.buildings.a1 }, w.chair)
    expect(b1.map((i) => i.id)).toEqual([ids.leak])
  })

  test('bulk accept: the acceptable ones accepted, the others listed with the reason', async () => {
    await ok(deps, 'acceptReport', { communityId: w.a, reportId: ids.green0 }, w.staff)
    const res = await ok(deps, 'bulkAcceptReports', { communityId: w.a, reportIds: [ids.green0, ids.green1, ids.green2, ids.complaint] }, w.staff)
    expect(res.accepted.sort()).toEqual([ids.green1, ids.green2].sort())
    expect(res.refused).toEqual([
      { reportId: ids.green0, message: expect.stringContaining('当前为「已受理」') },
      { reportId: ids.complaint, message: expect.stringContaining('由滨江花园业主委员会处理') },
    ])
    const accepted = await walk('reportInbox', { communityId: w.a, status: 'accepted' }, w.staff)
    expect(accepted.map((i) => i.id).sort()).toEqual([ids.green0, ids.green1, ids.green2].sort())
    const open = await walk('reportInbox', { communityId: w.a, status: 'open' }, w.staff)
    expect(open).toHaveLength(8)
  })

  test('reply with photos: on the timeline, and the reporter sees it', async () => {
    const photo = await uploadPhoto(deps, w.a, w.staff)
    await ok(deps, 'replyReport', { communityId: w.a, reportId: ids.park, message: '已张贴通知并联系车主', photoIds: [photo] }, w.staff)
    const seen = await ok(deps, 'getReport', { communityId: w.a, reportId: ids.park }, w.owners.li)
    expect(seen.timeline.at(-1)).toMatchObject({ event: 'reply', actor: '安居物业', message: '已张贴通知并联系车主', photos: [{ id: photo, mime: 'image/png' }] })
    expect(seen.status).toBe('submitted')
    const used = await call(deps, 'replyReport', { communityId: w.a, reportId: ids.park, message: '再次回复', photoIds: [photo] }, w.staff)
    expect(used).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('照片无效或已被使用') } })
  })

  test('a resident lists only their own reports; another resident cannot open them', async () => {
    const mine = await walk('myReports', { communityId: w.a }, w.tenant)
    expect(mine.map((i) => i.id)).toEqual([4, 3, 2, 1, 0].map((i) => ids[`green${i}`]))
    expect(await call(deps, 'getReport', { communityId: w.a, reportId: ids.green0 }, w.owners.wang)).toMatchObject({ ok: false, error: { code: 'NotFound' } })
    expect(await call(deps, 'getReport', { communityId: w.a, reportId: ids.b }, w.owners.wang)).toMatchObject({ ok: false, error: { code: 'NotFound' } })
    expect(await call(deps, 'getReport', { communityId: w.b, reportId: ids.b }, w.owners.wang)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
  })

  test('the officer inbox spans every 小区 under the post, paged, B included; residents and staff are refused', async () => {
    const office = await walk('officerReportInbox', { officeId: w.office }, w.officer)
    expect(office).toHaveLength(10)
    expect(new Set(office.map((i) => i.id)).size).toBe(10)
    expect(office.map((i) => i.communityId)).toContain(w.b)
    const sorted = [...office].sort((x, y) => Number(y.overdue) - Number(x.overdue) || y.createdAt.localeCompare(x.createdAt) || y.id.localeCompare(x.id))
    expect(office.map((i) => i.id)).toEqual(sorted.map((i) => i.id))
    const street = await walk('officerReportInbox', { streetId: w.street, category: 'security' }, w.streetOfficer)
    expect(street.map((i) => i.id)).toEqual([ids.b])
    const district = await walk('officerReportInbox', { districtId: w.district, status: 'accepted' }, w.streetOfficer).catch((e: Error) => e)
    expect(district).toBeInstanceOf(Error)
    expect(await call(deps, 'officerReportInbox', { officeId: w.office, limit: 5 }, w.chair)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
  })

  test('联系我们: public phones only, the hotlines, and the office; a mobile number is refused', async () => {
    const bad = await call(deps, 'saveReportSettings', { communityId: w.a, committeePhone: '13912345678' }, w.chair)
    expect(bad).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('不能填写个人手机号') } })
    await ok(deps, 'saveReportSettings', { communityId: w.a, propertyPhone: '0797-8123456', propertyHours: '每天 8:00–20:00', committeePhone: '0797-8123457', officePhone: '0797-8200000', commonAreas: ['小区大门', '地下车库', '中心花园', '电梯', '楼道', '篮球场'] }, w.chair)
    const c = await ok(deps, 'reportContacts', { communityId: w.a }, w.tenant)
    expect(c).toMatchObject({
      property: { name: '安居物业物业服务中心', phone: '0797-8123456', hours: '每天 8:00–20:00' },
      committee: { name: '滨江花园业主委员会', phone: '0797-8123457' },
      office: { name: '东阳社区', phone: '0797-8200000' },
      hotlines: [{ phone: '12345' }, { phone: '12358' }],
    })
    const b = await ok(deps, 'reportContacts', { communityId: w.b }, w.owners.sun)
    expect(b.property).toBeNull()
    const places = await ok(deps, 'reportPlaceOptions', { communityId: w.a }, w.owners.wang)
    expect(places.commonAreas).toContain('篮球场')
    expect(places.units.map((u: { label: string }) => u.label).sort()).toEqual(['1栋1单元101室', '1栋1单元202室'])
    const settings = await ok(deps, 'reportSettings', { communityId: w.a }, w.chair)
    expect(settings).toMatchObject({ urgentAcceptMinutes: 30, ordinaryAcceptMinutes: 1440, complaintAnswerWorkdays: 1, dailyLimit: 20, targetsNote: expect.stringContaining('并非政策规定') })
  })
})
