import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { api, current, launchBrowser, loginAs, phonePage, startServer, type RunningServer } from './harness'

const DAY = 86_400_000

/** rate (fen/㎡/month) × area (0.01 ㎡) × months, rounded half up once: the rule, computed here on its own. */
const lineAmount = (rate: number, areaCenti: number, months: number) => Number((2n * BigInt(rate) * BigInt(areaCenti) * BigInt(months) + 100n) / 200n)
/** ¥1,234.56 */
const formatFen = (fen: number) => {
  const s = String(fen).padStart(3, '0')
  return `¥${s.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${s.slice(-2)}`
}
const COMMITTEE = '李委员（文清苑物管会）'
const OWNER = '郭杰华（多套房业主）'

/** Today in Beijing, and the first month of this quarter (2026-10 for 2026-11-29). */
function thisQuarter(now = Date.now()) {
  const today = new Date(now + 8 * 3600_000).toISOString().slice(0, 10)
  const m = Number(today.slice(5, 7))
  const q = (m + 2 - ((m + 2) % 3)) / 3
  return { period: `${today.slice(0, 4)}-Q${q}`, firstMonth: `${today.slice(0, 4)}-${String(q * 3 - 2).padStart(2, '0')}` }
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

describe('property fees end to end (H5 build in Chromium; 文清苑 has no company, so its 物管会 bills)', () => {
  let server: RunningServer
  let browser: Browser
  const clockDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-clock-'))
  const clockFile = path.join(clockDir, 'offset')
  const setOffset = (ms: number) => fs.writeFileSync(clockFile, String(ms))

  beforeAll(async () => {
    setOffset(0)
    server = await startServer({ NODE_OPTIONS: `--require ${path.join(__dirname, 'fake-clock.cjs')}`, FAKE_CLOCK_FILE: clockFile })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    fs.rmSync(clockDir, { recursive: true, force: true })
  })

  test('the 物管会 sets a schedule and bills a quarter; the owner of three flats sees each bill; a payment shows paid and moves the rate; an arrears posting waits for the written deadline and lists masked rooms only', async () => {
    const { period, firstMonth } = thisQuarter()
    const staff = await phonePage(browser)
    await loginAs(staff, server.url, COMMITTEE)
    const communityId = (await api(staff, 'me', {})).data.communities[0].id as string

    // From 我的, the 收费工作台 of 文清苑.
    await staff.locator('.weui-tabbar__label', { hasText: '我的' }).click()
    await current(staff, 'mine').locator('.mine__fees').click()
    const home = current(staff, 'fee-home')
    await home.getByText('还没有设置收费标准').waitFor()

    // The schedule: 0.50 元/㎡/月 from this quarter's first month, published as a 公示.
    await home.getByText('收费标准', { exact: true }).click()
    const schedule = current(staff, 'schedule')
    await schedule.locator('.schedule__from input').fill(firstMonth)
    await schedule.locator('input[placeholder="例如：物业服务费"]').fill('物业服务费')
    await schedule.locator('input[placeholder="0.00"]').fill('0.50')
    await schedule.locator('.schedule__save').click()
    await confirmModal(staff, '不能修改或撤回', '发布公示')
    await schedule.getByText('现行标准（第 1 版）').waitFor()
    const feed = await api(staff, 'listNotices', { communityId, kind: '公示' })
    expect(feed.data.items.map((n: any) => n.title)).toContain(`物业收费标准公示（${Number(firstMonth.slice(0, 4))}年${Number(firstMonth.slice(5))}月起执行）`)

    // This quarter's bills: the page says what it will make, makes them once.
    await staff.goto(`${server.url}/packages/fees/pages/generate/index?communityId=${communityId}`)
    const generate = current(staff, 'generate')
    await generate.getByText(/每套房屋一张/).waitFor()
    await generate.locator('.generate__submit').click()
    await confirmModal(staff, '生成后账单不能修改', '生成账单')
    const made = await generate.locator('.generate__result .card-title').textContent()
    expect(made).toMatch(/^已生成 \d+ 张账单$/)
    await generate.locator('.generate__submit').click()
    await confirmModal(staff, '生成后账单不能修改', '生成账单')
    await generate.getByText('没有新增账单').waitFor()

    // The overview: nothing collected yet.
    await staff.goto(`${server.url}/packages/fees/pages/overview/index?communityId=${communityId}`)
    await current(staff, 'overview').locator('.overview__rate', { hasText: '0.00%' }).waitFor()

    // The owner of three flats sees a bill for each, rate × area × 3 months.
    const owner = await phonePage(browser)
    await loginAs(owner, server.url, OWNER)
    const units: { unitId: string; label: string; areaCentiM2: number }[] = (await api(owner, 'me', {})).data.units
    expect(units).toHaveLength(3)
    await owner.locator('.weui-tabbar__label', { hasText: '缴费' }).click()
    const tab = current(owner, 'fees')
    const total = units.reduce((s, u) => s + lineAmount(50, u.areaCentiM2, 3), 0)
    await tab.getByText(formatFen(total), { exact: true }).waitFor()
    for (const u of units) {
      const card = tab.locator('.fees__unit-card', { hasText: u.label })
      await card.locator('.fee-bill__amount', { hasText: `待缴 ${formatFen(lineAmount(50, u.areaCentiM2, 3))}` }).waitFor()
    }

    // The 物管会 records a cash payment for the first flat at the counter.
    const [paidUnit, remindedUnit] = units
    await staff.goto(`${server.url}/packages/fees/pages/desk/index?communityId=${communityId}`)
    const desk = current(staff, 'desk')
    await desk.locator('input[placeholder="例如：2栋 501"]').fill(paidUnit.label.replace(/室$/, ''))
    await desk.locator('.desk__unit', { hasText: paidUnit.label }).click()
    const unitPage = current(staff, 'unit')
    await unitPage.locator('.unit__open-pay').first().click()
    await unitPage.locator('.unit__pay-submit').click()
    await confirmModal(staff, '登记后会出具收据号', '确认收款')
    await unitPage.getByText('收款已登记').waitFor()
    const receipt = ((await unitPage.locator('.unit__paid').getByText(/^收据号：/).textContent()) ?? '').replace('收据号：', '')
    expect(receipt.length).toBeGreaterThan(3)

    // The owner sees it paid, with the receipt number on the bill.
    await owner.reload()
    const paidCard = current(owner, 'fees').locator('.fees__unit-card', { hasText: paidUnit.label })
    await paidCard.locator('.fee-status', { hasText: '已缴清' }).waitFor()
    await paidCard.locator('.fee-bill').first().click()
    const bill = current(owner, 'bill')
    await bill.getByText(`收据号：${receipt}`).waitFor()
    await bill.getByText('12358').waitFor()
    await bill.getByText(/0\.50 元\/㎡\/月 × [\d.]+ ㎡ × 3 个月/).waitFor()

    // The rate moved.
    await staff.goto(`${server.url}/packages/fees/pages/overview/index?communityId=${communityId}`)
    const rate = current(staff, 'overview').locator('.overview__rate')
    await rate.waitFor()
    const overview = (await api(staff, 'collectionOverview', { communityId, period })).data
    const row = overview.periods.find((p: any) => p.period === period)
    expect(row.paidFen).toBe(lineAmount(50, paidUnit.areaCentiM2, 3))
    expect(row.rateBp).toBeGreaterThan(0)
    expect(await rate.textContent()).not.toBe('0.00%')

    // A written 催缴 for the second flat, due in 15 days.
    await staff.goto(`${server.url}/packages/fees/pages/unit/index?communityId=${communityId}&unitId=${remindedUnit.unitId}`)
    const second = current(staff, 'unit')
    await second.locator('.chip', { hasText: '书面催缴通知' }).click()
    await second.locator('.unit__remind textarea').fill('书面催缴通知已送达，请在期限内缴清物业费')
    await second.locator('.unit__remind-submit').click()
    await confirmModal(staff, '期限过后业委会才可以公示欠费', '确定')
    await second.locator('.unit__reminded').waitFor()
    // The owner sees the written notice with its deadline.
    await owner.goto(server.url)
    await owner.locator('.weui-tabbar__label', { hasText: '缴费' }).click()
    await current(owner, 'fees').locator('.fees__unit-card', { hasText: remindedUnit.label }).locator('.fee-notice__deadline').waitFor()

    // Before the deadline the posting is refused, with the server's reason.
    await staff.goto(`${server.url}/packages/fees/pages/arrears/index?communityId=${communityId}`)
    const arrears = current(staff, 'arrears')
    await arrears.locator('.arrears__publish').click()
    await confirmModal(staff, '只显示打码的房号', '发布公示')
    await arrears.getByText('没有书面催缴期限已过的欠费房屋，不能发布欠费公示').waitFor()

    // 16 days later (the server's clock and this browser's), it is published with masked rooms only.
    setOffset(16 * DAY)
    await new Promise((r) => setTimeout(r, 300))
    const later = await phonePage(browser)
    await later.addInitScript((offset: number) => {
      const RealDate = Date
      class ShiftedDate extends RealDate {
        constructor(...args: any[]) {
          if (args.length === 0) super(RealDate.now() + offset)
          else super(...(args as [any]))
        }
        static now() {
          return RealDate.now() + offset
        }
      }
      ;(globalThis as any).Date = ShiftedDate
    }, 16 * DAY)
    await loginAs(later, server.url, COMMITTEE)
    await later.goto(`${server.url}/packages/fees/pages/arrears/index?communityId=${communityId}`)
    const arrears2 = current(later, 'arrears')
    await arrears2.getByText('可公示的房屋：1 户').waitFor()
    await arrears2.locator('.arrears__publish').click()
    await confirmModal(later, '只显示打码的房号', '发布公示')
    await arrears2.getByText('欠费公示已发布').waitFor()
    await arrears2.getByText('查看公示').click()
    const notice = current(later, 'notice-detail')
    await notice.getByText('物业费欠费公示').first().waitFor()
    const body = (await notice.textContent())!
    const [, building, stair, room] = /^(.+栋)(.+单元)(.+)室$/.exec(remindedUnit.label)!
    expect(body).toContain(`${building}${stair}${'*'.repeat(room.length - 1)}${room.slice(-1)}室`)
    expect(body).not.toContain(remindedUnit.label)
    expect(body).not.toContain(paidUnit.label)
    expect(body).not.toMatch(/郭杰华|¥|\d\.\d{2}/)
  })
})
