import type { Page } from 'playwright-core'
import { api, current, E2E_DIALECTS, loginAs, phonePage, useE2eServer } from './harness'

// A real 2×2 PNG (the server checks the bytes, and the browser must be able to draw it).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGM4YWMDRAwQCgAlPgUBdJmUYAAAAABJRU5ErkJggg==', 'base64')
const RESIDENT = '邓雨英（业主）'
const STAFF = '赵经理（物业）'
const OFFICER = '刘书记（社区）'

/** This quarter in Beijing time ("2026-Q4"), the dashboard's default period. */
function thisQuarter(now = Date.now()) {
  const today = new Date(now + 8 * 3600_000).toISOString().slice(0, 10)
  return `${today.slice(0, 4)}-Q${Math.ceil(Number(today.slice(5, 7)) / 3)}`
}

/** Waits for the confirmation and accepts it; when it does not come, fails with what the page said instead. */
async function confirmModal(page: Page, text: string, button: string) {
  try {
    await page.locator('.taro-modal__text', { hasText: text }).waitFor({ timeout: 10_000 })
  } catch {
    const said = await page.locator('.error-note:visible, .field-error:visible').allTextContents()
    throw new Error(`no confirmation "${text}"; the page says: ${said.join(' | ') || '(nothing)'}`)
  }
  await page.locator('.taro-modal__foot').getByText(button).click()
}

async function addPhoto(page: Page, scope: ReturnType<typeof current>) {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), scope.getByText('添加照片').click()])
  await chooser.setFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PNG })
  await scope.locator('.report-photo__img').first().waitFor()
}

const median = (xs: number[]) => {
  if (!xs.length) return null
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid] : Math.round((s[mid - 1] + s[mid]) / 2)
}
const minutes = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 60_000)

/** Every report of the 小区 filed in this quarter, read through the inbox and each detail, with the medians the dashboard should show. */
async function expectedMedians(page: Page, communityId: string, period: string) {
  const year = Number(period.slice(0, 4))
  const q = Number(period.slice(6))
  const from = Date.UTC(year, (q - 1) * 3, 1) - 8 * 3600_000
  const to = Date.UTC(q === 4 ? year + 1 : year, q === 4 ? 0 : q * 3, 1) - 8 * 3600_000
  const ids: string[] = []
  let cursor: string | undefined
  do {
    const res = (await api(page, 'reportInbox', { communityId, limit: 50, ...(cursor ? { cursor } : {}) })).data
    ids.push(...res.items.map((r: { id: string }) => r.id))
    cursor = res.nextCursor ?? undefined
  } while (cursor)
  const reports = []
  for (const id of ids) {
    const r = (await api(page, 'getReport', { communityId, reportId: id })).data
    if (Date.parse(r.createdAt) < from || Date.parse(r.createdAt) >= to) continue
    reports.push({ id, acceptMinutes: r.acceptedAt ? minutes(r.createdAt, r.acceptedAt) : null, resolveMinutes: r.resolvedAt ? minutes(r.createdAt, r.resolvedAt) : null })
  }
  return {
    reports,
    accept: median(reports.flatMap((r) => (r.acceptMinutes === null ? [] : [r.acceptMinutes]))),
    resolve: median(reports.flatMap((r) => (r.resolveMinutes === null ? [] : [r.resolveMinutes]))),
  }
}

describe.each(E2E_DIALECTS)('problem reports end to end (H5 build in Chromium) on %s', (dialect) => {
  const e2e = useE2eServer(() => ({}), dialect)

  test('a resident files a repair with a photo, staff accept and resolve it with a photo, the resident confirms with 5 stars, and the officer\'s dashboard counts it', async () => {
    const description = `卫生间水龙头关不紧，一直滴水 ${Date.now() % 100000}`
    const period = thisQuarter()

    // The officer's dashboard before, for 滨江花园 this quarter.
    const officer = await phonePage(e2e.browser)
    await loginAs(officer, e2e.server.url, OFFICER)
    const communityId = ((await api(officer, 'me', {})).data.communities as { id: string; name: string }[]).find((c) => c.name === '滨江花园')!.id
    const before = (await api(officer, 'reportDashboard', { communityId, period })).data
    expect(before.total).toBeGreaterThan(0)

    // The resident: 报事 tab → 我要报事, category first, a photo, sent.
    const resident = await phonePage(e2e.browser)
    await loginAs(resident, e2e.server.url, RESIDENT)
    await resident.locator('.weui-tabbar__label', { hasText: '报事' }).click()
    const tab = current(resident, 'reports')
    await tab.getByText('我的报事').waitFor()
    await tab.locator('.reports__new').click()
    const form = current(resident, 'report-new')
    await form.locator('.chip', { hasText: /^物业维修$/ }).click()
    await form.locator('.chip', { hasText: /^一般$/ }).waitFor()
    await form.locator('.chip.chip--active', { hasText: /^我家$/ }).waitFor()
    await form.locator('textarea').fill(description)
    await addPhoto(resident, form)
    await form.locator('.report-new__send').click()
    const detail = current(resident, 'report-detail')
    await detail.locator('.report-detail__status', { hasText: '待受理' }).waitFor()
    await detail.getByText(description).waitFor()
    await detail.locator('.report-photo__img').first().waitFor()
    const reportId = new URL(resident.url()).searchParams.get('reportId')!
    expect(reportId).toBeTruthy()

    // The staff: 报事处理 → the report → 受理, then 办结 with a photo and words, after confirming.
    const staff = await phonePage(e2e.browser)
    await loginAs(staff, e2e.server.url, STAFF)
    await staff.locator('.weui-tabbar__label', { hasText: '报事' }).click()
    await current(staff, 'reports').locator('.reports__inbox').click()
    const inbox = current(staff, 'report-inbox')
    await inbox.locator('.report-inbox__card', { hasText: description }).click()
    const handle = current(staff, 'report-detail')
    await handle.getByText('报事人：邓雨英').waitFor()
    await handle.locator('.report-handle__accept').click()
    await handle.locator('.report-detail__status', { hasText: '已受理' }).waitFor()
    await handle.locator('.report-handle textarea').fill('已更换水龙头阀芯，请确认')
    await addPhoto(staff, handle.locator('.report-handle'))
    await handle.locator('.report-handle__resolve').click()
    await confirmModal(staff, '报事人会收到确认请求', '办结')
    await handle.locator('.report-detail__status', { hasText: '已办结待确认' }).waitFor()
    const resolved = (await api(staff, 'getReport', { communityId, reportId })).data
    const resolveEvent = resolved.timeline.find((e: { event: string }) => e.event === 'resolve')
    expect(resolveEvent).toMatchObject({ message: '已更换水龙头阀芯，请确认' })
    expect(resolveEvent.photos).toHaveLength(1)

    // The resident sees it resolved, with the staff's words, and confirms with 5 stars.
    await resident.reload()
    const back = current(resident, 'report-detail')
    await back.locator('.report-detail__status', { hasText: '已办结待确认' }).waitFor()
    await back.getByText('已更换水龙头阀芯，请确认').waitFor()
    await back.locator('.chip', { hasText: /^5 星$/ }).click()
    await back.locator('.report-reporter__confirm').click()
    await confirmModal(resident, '确认后这条报事就办结了', '确认')
    await back.locator('.report-detail__status', { hasText: '已确认' }).waitFor()
    await back.getByText(/评分：/).waitFor()
    const done = (await api(resident, 'getReport', { communityId, reportId })).data
    expect(done).toMatchObject({ status: 'confirmed', rating: 5 })
    expect(Date.parse(done.acceptedAt)).toBeGreaterThanOrEqual(Date.parse(done.createdAt))
    expect(Date.parse(done.resolvedAt)).toBeGreaterThanOrEqual(Date.parse(done.acceptedAt))

    // The officer's dashboard counts it: one more report, one more confirmed, one more rating.
    await officer.goto(`${e2e.server.url}/packages/officer/pages/report-dashboard/index?communityId=${communityId}`)
    const dash = current(officer, 'report-dashboard')
    await dash.locator('.dash-figure', { hasText: '报事总数' }).getByText(`${before.total + 1} 条`).waitFor()
    const after = (await api(officer, 'reportDashboard', { communityId, period })).data
    expect(after.total).toBe(before.total + 1)
    const count = (d: { byStatus: { status: string; count: number }[] }, s: string) => d.byStatus.find((x) => x.status === s)?.count ?? 0
    expect(count(after, 'confirmed')).toBe(count(before, 'confirmed') + 1)
    expect(after.byCategory.find((c: { category: string }) => c.category === 'repair').count).toBe(before.byCategory.find((c: { category: string }) => c.category === 'repair').count + 1)
    expect(after.ratedCount).toBe(before.ratedCount + 1)
    // The right times: the medians from filing to acceptance and to resolution, recomputed here from every report of the quarter read one by one.
    const expected = await expectedMedians(officer, communityId, period)
    expect(after.medianAcceptMinutes).toBe(expected.accept)
    expect(after.medianResolveMinutes).toBe(expected.resolve)
    const mine = expected.reports.find((r) => r.id === reportId)!
    expect(mine.acceptMinutes).toBe(Math.round((Date.parse(done.acceptedAt) - Date.parse(done.createdAt)) / 60_000))
    const expectedAvg = ((before.averageRatingX100 ?? 0) * before.ratedCount + 500) / (before.ratedCount + 1)
    expect(Math.abs(after.averageRatingX100 - expectedAvg)).toBeLessThanOrEqual(1)
    await dash.locator('.dash-bars--category').getByText('物业维修').waitFor()
  })
})
