import fs from 'node:fs'
import path from 'node:path'
import { call, ok } from '../helpers/world'
import { DIALECTS, useTestDb } from '../helpers/db'
import { fileRepair, makeReportWorld, NOT_AN_IMAGE, PNG, uploadPhoto, type ReportWorld } from '../helpers/reports-world'
import { autoConfirmReports } from '../../server/reports/report.jobs'
import { systemCtx } from '../../server/context'

describe.each(DIALECTS)('problem reports: filing and lifecycle (%s)', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: ReportWorld
  beforeAll(async () => {
    w = await makeReportWorld(env.db, deps)
  })
  const storedFiles = () => {
    const dir = path.join(deps.config.dataDir, 'files', 'reports', w.a)
    return fs.existsSync(dir) ? fs.readdirSync(dir) : []
  }

  test('an owner files a repair with a photo: routed to the property staff, due in 24 hours, urgent in 30 minutes', async () => {
    const photo = await uploadPhoto(deps, w.a, w.owners.wang)
    const r = await fileRepair(deps, w, { photoIds: [photo] })
    expect(r).toMatchObject({ status: 'submitted', category: 'repair', categoryLabel: '物业维修', handler: 'property', urgency: 'ordinary', mine: true, place: { kind: 'unit', label: '1栋1单元101室' } })
    expect(r.photos.map((p: { id: string }) => p.id)).toEqual([photo])
    expect(Date.parse(r.dueAt) - deps.now().getTime()).toBe(24 * 3600_000)
    expect(r.timeline).toEqual([expect.objectContaining({ event: 'submit', actor: '报事人', toStatus: 'submitted' })])
    const urgent = await fileRepair(deps, w, { urgency: 'urgent' })
    expect(Date.parse(urgent.dueAt) - deps.now().getTime()).toBe(30 * 60_000)
    const data = await ok(deps, 'reportPhoto', { communityId: w.a, photoId: photo }, w.staff)
    expect(Buffer.from(data.base64, 'base64')).toEqual(PNG)
  })

  test('tenants may report; staff, committee and owners of another 小区 may not', async () => {
    const t = await ok(deps, 'createReport', { communityId: w.a, category: 'cleaning', description: '二号楼楼道垃圾没人清理', place: { kind: 'building', buildingId: w.buildings.a2 } }, w.tenant)
    expect(t).toMatchObject({ handler: 'property', place: { kind: 'building', label: '2栋' }, urgency: null })
    for (const who of [w.staff, w.chair, w.owners.sun]) {
      const res = await call(deps, 'createReport', { communityId: w.a, category: 'cleaning', description: '楼道垃圾没人清理', place: { kind: 'building', buildingId: w.buildings.a2 } }, who)
      expect(res).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    }
  })

  test('bad input is refused in Chinese and a refused report leaves no stored photo', async () => {
    const short = await call(deps, 'createReport', { communityId: w.a, category: 'repair', description: '漏水', place: { kind: 'unit', unitId: w.u.a101 } }, w.owners.wang)
    expect(short).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('至少 5 个字') } })
    const seven = await call(deps, 'createReport', { communityId: w.a, category: 'repair', description: '厨房水管漏水', place: { kind: 'unit', unitId: w.u.a101 }, photoIds: ['1', '2', '3', '4', '5', '6', '7'] }, w.owners.wang)
    expect(seven).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('最多 6 张') } })
    const html = await call(deps, 'uploadReportPhoto', { communityId: w.a, fileName: 'x.png', dataBase64: NOT_AN_IMAGE.toString('base64') }, w.owners.wang)
    expect(html).toMatchObject({ ok: false, error: { code: 'UnsupportedFile' } })

    const before = storedFiles().length
    const photo = await uploadPhoto(deps, w.a, w.owners.wang)
    expect(storedFiles().length).toBe(before + 1)
    const badArea = await call(deps, 'createReport', { communityId: w.a, category: 'greening', description: '草坪很久没修剪了', place: { kind: 'area', area: '不存在的广场' }, photoIds: [photo] }, w.owners.wang)
    expect(badArea).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('不在本小区的列表') } })
    expect(storedFiles().length).toBe(before)
    expect(await env.db.selectFrom('report_files').select('id').where('id', '=', photo).execute()).toEqual([])

    const notMine = await call(deps, 'createReport', { communityId: w.a, category: 'repair', description: '别人家的水管漏水', place: { kind: 'unit', unitId: w.u.a102 } }, w.owners.wang)
    expect(notMine).toMatchObject({ ok: false, error: { code: 'BadInput', message: '只能选择您本人在本小区的房屋' } })
    const anonUnit = await call(deps, 'createReport', { communityId: w.a, category: 'complaint', description: '邻居深夜噪音扰民', place: { kind: 'unit', unitId: w.u.a101 }, anonymous: true }, w.owners.wang)
    expect(anonUnit).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('匿名') } })
    const urgentComplaint = await call(deps, 'createReport', { communityId: w.a, category: 'complaint', description: '保安态度不好', place: { kind: 'area', area: '小区大门' }, urgency: 'urgent' }, w.owners.wang)
    expect(urgentComplaint).toMatchObject({ ok: false, error: { code: 'BadInput', message: '只有物业维修可以选择紧急程度' } })
  })

  test('the 21st report of a day is refused with a clear message, and its photo cannot even be uploaded', async () => {
    const who = w.owners.qian
    for (let i = 0; i < 20; i++) {
      await ok(deps, 'createReport', { communityId: w.a, category: 'suggestion', description: `建议第 ${i + 1} 条：增加休息座椅`, place: { kind: 'area', area: '中心花园' } }, who)
    }
    const res = await call(deps, 'createReport', { communityId: w.a, category: 'suggestion', description: '建议第 21 条：增加休息座椅', place: { kind: 'area', area: '中心花园' } }, who)
    expect(res).toMatchObject({ ok: false, error: { code: 'RateLimited', message: expect.stringContaining('您今天已提交 20 条报事，达到每日上限') } })
    const upload = await call(deps, 'uploadReportPhoto', { communityId: w.a, fileName: 'p.png', dataBase64: PNG.toString('base64') }, who)
    expect(upload).toMatchObject({ ok: false, error: { code: 'RateLimited' } })
    // The next Beijing day the count starts again.
    const saved = deps.now()
    deps.setNow(new Date(saved.getTime() + 24 * 3600_000))
    await ok(deps, 'createReport', { communityId: w.a, category: 'suggestion', description: '第二天的建议：增加路灯', place: { kind: 'area', area: '中心花园' } }, who)
    deps.setNow(saved)
  })

  test('the committee sets a lower limit for its 小区', async () => {
    await ok(deps, 'saveReportSettings', { communityId: w.b, dailyLimit: 1 }, w.pmcB)
    await ok(deps, 'createReport', { communityId: w.b, category: 'repair', description: '一楼路灯坏了不亮', place: { kind: 'unit', unitId: w.u.wq101 } }, w.owners.sun)
    const res = await call(deps, 'createReport', { communityId: w.b, category: 'repair', description: '一楼路灯还是不亮', place: { kind: 'unit', unitId: w.u.wq101 } }, w.owners.sun)
    expect(res).toMatchObject({ ok: false, error: { code: 'RateLimited', message: expect.stringContaining('1 条') } })
    await ok(deps, 'saveReportSettings', { communityId: w.b, dailyLimit: 20 }, w.pmcB)
  })

  test('submitted → accepted → in progress → resolved (with a photo) → confirmed with a rating; every step on the timeline', async () => {
    const r = await fileRepair(deps, w)
    const ref = { communityId: w.a, reportId: r.id }
    await ok(deps, 'acceptReport', { ...ref, message: '已派维修师傅' }, w.staff)
    await ok(deps, 'startReport', ref, w.staff)
    const photo = await uploadPhoto(deps, w.a, w.staff)
    await ok(deps, 'resolveReport', { ...ref, message: '已更换水管', photoIds: [photo] }, w.staff)
    const done = await ok(deps, 'confirmReport', { ...ref, rating: 5, comment: '修得很快' }, w.owners.wang)
    expect(done).toMatchObject({ status: 'confirmed', rating: 5, ratingComment: '修得很快', actions: [] })
    expect(done.timeline.map((e: { event: string }) => e.event)).toEqual(['submit', 'accept', 'start', 'resolve', 'confirm'])
    expect(done.timeline[1]).toMatchObject({ actor: '安居物业', message: '已派维修师傅', fromStatus: 'submitted', toStatus: 'accepted' })
    expect(done.timeline[3].photos.map((p: { id: string }) => p.id)).toEqual([photo])
    expect(done.photos).toEqual([])
  })

  test('an illegal transition is refused with the current state named', async () => {
    const r = await fileRepair(deps, w)
    const ref = { communityId: w.a, reportId: r.id }
    expect(await call(deps, 'confirmReport', { ...ref, rating: 4 }, w.owners.wang)).toMatchObject({ ok: false, error: { code: 'Conflict', message: '这条报事当前为「待受理」，不能确认办结：还没有办结' } })
    expect(await call(deps, 'resolveReport', ref, w.staff)).toMatchObject({ ok: false, error: { code: 'Conflict', message: '这条报事当前为「待受理」，不能办结：请先受理' } })
    await ok(deps, 'acceptReport', ref, w.staff)
    expect(await call(deps, 'acceptReport', ref, w.staff)).toMatchObject({ ok: false, error: { code: 'Conflict', message: expect.stringContaining('当前为「已受理」，不能受理') } })
    expect(await call(deps, 'confirmReport', { ...ref, rating: 9 }, w.owners.wang)).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('评分应为 1 到 5') } })
    expect(await call(deps, 'acceptReport', ref, w.owners.wang)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
  })

  test('reopened twice, then a third objection escalates to the community office, which takes it over', async () => {
    const r = await fileRepair(deps, w)
    const ref = { communityId: w.a, reportId: r.id }
    await ok(deps, 'acceptReport', ref, w.staff)
    for (let i = 1; i <= 2; i++) {
      await ok(deps, 'resolveReport', ref, w.staff)
      const again = await ok(deps, 'reopenReport', { ...ref, reason: `还在漏水（第 ${i} 次）` }, w.owners.wang)
      expect(again).toMatchObject({ status: 'reopened', reopenCount: i, handler: 'property' })
      await ok(deps, 'acceptReport', ref, w.staff)
    }
    await ok(deps, 'resolveReport', ref, w.staff)
    const up = await ok(deps, 'reopenReport', { ...ref, reason: '第三次了还是漏水' }, w.owners.wang)
    expect(up).toMatchObject({ status: 'escalated', handler: 'office', reopenCount: 2 })
    expect(up.timeline.at(-1)).toMatchObject({ event: 'escalate', label: expect.stringContaining('转交社区'), message: '第三次了还是漏水' })
    expect(await call(deps, 'acceptReport', ref, w.staff)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    const taken = await ok(deps, 'acceptReport', { ...ref, message: '社区已介入' }, w.officer)
    expect(taken.timeline.at(-1)).toMatchObject({ actor: '东阳社区', event: 'accept' })
  })

  test('a resolved report nobody confirms is closed as confirmed without rating exactly 7 days after it was resolved', async () => {
    const r = await fileRepair(deps, w)
    const ref = { communityId: w.a, reportId: r.id }
    await ok(deps, 'acceptReport', ref, w.staff)
    const resolved = await ok(deps, 'resolveReport', ref, w.staff)
    const at = Date.parse(resolved.resolvedAt)
    const saved = deps.now()
    try {
      deps.setNow(new Date(at + 7 * 86_400_000 - 1))
      await autoConfirmReports(systemCtx(deps))
      expect((await ok(deps, 'getReport', ref, w.owners.wang)).status).toBe('resolved')
      deps.setNow(new Date(at + 7 * 86_400_000))
      expect((await autoConfirmReports(systemCtx(deps))).confirmed).toBeGreaterThanOrEqual(1)
      const closed = await ok(deps, 'getReport', ref, w.owners.wang)
      expect(closed).toMatchObject({ status: 'confirmed', rating: null })
      expect(closed.timeline.at(-1)).toMatchObject({ event: 'auto_confirm', actor: '系统' })
    } finally {
      deps.setNow(saved)
    }
  })

  test('routing: no company → the 物管会; complaints → the committee and the officer, not the staff; the officer reassigns', async () => {
    const b = await ok(deps, 'createReport', { communityId: w.b, category: 'repair', description: '楼顶水箱漏水了', place: { kind: 'unit', unitId: w.u.wq101 } }, w.owners.sun)
    expect(b.handler).toBe('committee')
    await ok(deps, 'acceptReport', { communityId: w.b, reportId: b.id }, w.pmcB)

    const c = await ok(deps, 'createReport', { communityId: w.a, category: 'complaint', description: '物业保洁长期不到位', place: { kind: 'area', area: '楼道' } }, w.owners.li)
    expect(c.handler).toBe('committee')
    const ref = { communityId: w.a, reportId: c.id }
    expect(await call(deps, 'getReport', ref, w.staff)).toMatchObject({ ok: false, error: { code: 'NotFound' } })
    expect(await call(deps, 'acceptReport', ref, w.staff)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    const inbox = await ok(deps, 'reportInbox', { communityId: w.a, limit: 50 }, w.staff)
    expect(inbox.items.map((i: { id: string }) => i.id)).not.toContain(c.id)
    expect(await call(deps, 'reassignReport', { ...ref, handler: 'property' }, w.chair)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    const moved = await ok(deps, 'reassignReport', { ...ref, handler: 'property', message: '请物业先处理' }, w.streetOfficer)
    expect(moved).toMatchObject({ handler: 'property' })
    expect(moved.timeline.at(-1)).toMatchObject({ event: 'reassign', message: '请物业先处理' })
    await ok(deps, 'replyReport', { ...ref, message: '已安排保洁加强' }, w.staff)
    expect(await call(deps, 'reassignReport', { ...ref, handler: 'property' }, w.officer)).toMatchObject({ ok: false, error: { code: 'Conflict' } })
    expect(await call(deps, 'reassignReport', { communityId: w.b, reportId: b.id, handler: 'property' }, w.officer)).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('没有物业服务企业') } })
  })

  test('two staff accepting the same report at once: one wins, the other is told', async () => {
    const r = await fileRepair(deps, w)
    const ref = { communityId: w.a, reportId: r.id }
    const results = await Promise.all([call(deps, 'acceptReport', ref, w.staff), call(deps, 'acceptReport', ref, w.staff)])
    expect(results.filter((x) => x.ok)).toHaveLength(1)
    expect(results.find((x) => !x.ok)).toMatchObject({ ok: false, error: { code: 'Conflict' } })
    const detail = await ok(deps, 'getReport', ref, w.staff)
    expect(detail.timeline.filter((e: { event: string }) => e.event === 'accept')).toHaveLength(1)
  })
})
