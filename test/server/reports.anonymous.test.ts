import { registry } from '../../server/actions'
import { call, ok } from '../helpers/world'
import { DIALECTS, useTestDb } from '../helpers/db'
import { makeReportWorld, PNG, uploadPhoto, type ReportWorld } from '../helpers/reports-world'

/**
 * An anonymous complaint never exposes the reporter to the staff or the committee: every report
 * action is called as each of them, in every state the report goes through, and no answer (data
 * or error) carries the reporter's user id, roster name, phone, unit or person id. Officers do see
 * who filed it.
 */
describe.each(DIALECTS)('anonymous reports (%s)', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: ReportWorld
  let secrets: string[]
  let reportId: string
  let reporterPhoto: string
  beforeAll(async () => {
    w = await makeReportWorld(env.db, deps)
    const li = await env.db.selectFrom('persons').select(['id', 'name', 'phone']).where('user_id', '=', w.owners.li).executeTakeFirstOrThrow()
    secrets = [w.owners.li, li.id, li.name, li.phone!, '1栋1单元102', 'openid-li']
    reporterPhoto = await uploadPhoto(deps, w.a, w.owners.li)
    const r = await ok(deps, 'createReport', {
      communityId: w.a, category: 'complaint', description: '保安夜间脱岗，多次反映无果', place: { kind: 'area', area: '小区大门' }, anonymous: true, photoIds: [reporterPhoto],
    }, w.owners.li)
    reportId = r.id
    expect(r.reporter).toMatchObject({ name: '李娜' })
  })

  const reportActionNames = Object.keys(registry).filter((n) => /report/i.test(n))

  /** A plausible input for every report action, so each one is really exercised. */
  const inputFor = (name: string, photoId: string): Record<string, unknown> => {
    const ref = { communityId: w.a, reportId }
    const inputs: Record<string, Record<string, unknown>> = {
      reportPlaceOptions: { communityId: w.a },
      uploadReportPhoto: { communityId: w.a, fileName: 'a.png', dataBase64: PNG.toString('base64') },
      createReport: { communityId: w.a, category: 'suggestion', description: '建议增加快递柜', place: { kind: 'area', area: '小区大门' } },
      getReport: ref,
      reportPhoto: { communityId: w.a, photoId: reporterPhoto },
      myReports: { communityId: w.a },
      confirmReport: { ...ref, rating: 3 },
      reopenReport: { ...ref, reason: '仍未解决' },
      reportInbox: { communityId: w.a },
      acceptReport: ref,
      startReport: ref,
      resolveReport: { ...ref, message: '已处理', photoIds: [photoId] },
      replyReport: { ...ref, message: '收到，正在核实' },
      bulkAcceptReports: { communityId: w.a, reportIds: [reportId] },
      reassignReport: { ...ref, handler: 'committee' },
      officerReportInbox: { officeId: w.office },
      reportContacts: { communityId: w.a },
      reportSettings: { communityId: w.a },
      saveReportSettings: { communityId: w.a, propertyHours: '每天 8:00–18:00' },
      reportDashboard: { communityId: w.a, period: '2026-11' },
      exportReportDashboard: { communityId: w.a, period: '2026-11' },
    }
    if (!inputs[name]) throw new Error(`the anonymity walk has no input for the report action ${name}: add one`)
    return inputs[name]
  }

  const walkAll = async (userId: string, who: string) => {
    const answers: string[] = []
    for (const name of reportActionNames) {
      const photo = await call(deps, 'uploadReportPhoto', { communityId: w.a, fileName: 'b.png', dataBase64: PNG.toString('base64') }, userId)
      const res = await call(deps, name, inputFor(name, photo.ok ? (photo.data as { id: string }).id : 'none'), userId)
      const text = JSON.stringify(res)
      const decoded = res.ok && (res.data as { base64?: string })?.base64 ? Buffer.from((res.data as { base64: string }).base64, 'base64').toString('latin1') : ''
      for (const s of secrets) {
        if (text.includes(s) || decoded.includes(s)) throw new Error(`${name} answered ${who} with the reporter's ${s}: ${text.slice(0, 300)}`)
      }
      answers.push(name)
    }
    return answers
  }

  test('every report action, as the committee and as the property staff, through the whole lifecycle', async () => {
    // As filed: routed to the committee.
    expect(await walkAll(w.chair, 'the committee chair')).toEqual(reportActionNames)
    await walkAll(w.member, 'a committee member')
    await walkAll(w.staff, 'the property staff')
    // The officer hands it to the property company; the staff now see and handle it.
    await ok(deps, 'reassignReport', { communityId: w.a, reportId, handler: 'property' }, w.officer)
    const seen = await ok(deps, 'getReport', { communityId: w.a, reportId }, w.staff)
    expect(seen).toMatchObject({ reporter: null, anonymous: true, mine: false })
    expect(seen.timeline[0]).toMatchObject({ actor: '报事人' })
    await walkAll(w.staff, 'the property staff (handling it)')
    await walkAll(w.chair, 'the committee chair (after reassignment)')
    // Resolved, then reopened by the reporter: the timeline carries the reporter's steps, still nameless.
    const now = await ok(deps, 'getReport', { communityId: w.a, reportId }, w.staff)
    if (now.status !== 'resolved') await ok(deps, 'resolveReport', { communityId: w.a, reportId }, w.staff)
    await ok(deps, 'reopenReport', { communityId: w.a, reportId, reason: '夜里还是没人值守' }, w.owners.li)
    await walkAll(w.staff, 'the property staff (reopened)')
    await walkAll(w.chair, 'the committee chair (reopened)')
    const inbox = await ok(deps, 'reportInbox', { communityId: w.a }, w.chair)
    expect(inbox.items.find((i: { id: string }) => i.id === reportId)).toMatchObject({ reporter: null })
  })

  test('officers know who filed it', async () => {
    const d = await ok(deps, 'getReport', { communityId: w.a, reportId }, w.officer)
    expect(d.reporter).toMatchObject({ name: '李娜', phone: '13900000002', unitLabel: '1栋1单元102室' })
    const inbox = await ok(deps, 'officerReportInbox', { streetId: w.street }, w.streetOfficer)
    expect(inbox.items.find((i: { id: string }) => i.id === reportId)?.reporter).toMatchObject({ name: '李娜' })
  })

  test('a report that is not anonymous shows its reporter to the staff who handle it', async () => {
    const r = await ok(deps, 'createReport', { communityId: w.a, category: 'repair', description: '卫生间漏水到楼下', place: { kind: 'unit', unitId: w.u.a102 } }, w.owners.li)
    const d = await ok(deps, 'getReport', { communityId: w.a, reportId: r.id }, w.staff)
    expect(d.reporter).toMatchObject({ name: '李娜', unitLabel: '1栋1单元102室' })
  })
})
