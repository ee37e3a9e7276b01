import type { Page } from 'playwright-core'
import { current, loginAs, phonePage, useE2eServer } from './harness'

/**
 * Issue 10's last pieces in the browser, on the demo's 滨江花园 (a 小区 with a company): 邓雨英 sees
 * her unpaid bills and the written 催缴, shares 1栋1单元102's bills with her tenant 小周, who then
 * sees them and loses them once she stops; 王主任, who sees arrears masked, waives a period of a
 * masked room with a reason.
 */
const OWNER = '邓雨英（业主）'
const TENANT = '小周（租户）'
const CHAIR = '王主任（业委会主任）'

async function confirmModal(page: Page, text: string, button: string) {
  await page.locator('.taro-modal__text', { hasText: text }).waitFor({ timeout: 10_000 })
  await page.locator('.taro-modal__foot').getByText(button).click()
}
const feesTab = async (page: Page) => {
  await page.locator('.weui-tabbar__label', { hasText: '缴费' }).click()
  return current(page, 'fees')
}

describe('sharing bills with a tenant and the committee’s masked waiver end to end (H5 build in Chromium)', () => {
  const e2e = useE2eServer()

  test('the owner sees her unpaid bills and the written notice, shares them with her tenant, who sees only that unit’s bills until she stops', async () => {
    const owner = await phonePage(e2e.browser)
    await loginAs(owner, e2e.server.url, OWNER)
    let tab = await feesTab(owner)
    const card = tab.locator('.fees__unit-card', { hasText: '1栋1单元102室' })
    await card.locator('.fee-notice__deadline').waitFor()
    await card.getByText('待缴账单（2 张）').waitFor()
    await card.getByText('未共享账单').waitFor()

    const tenant = await phonePage(e2e.browser)
    await loginAs(tenant, e2e.server.url, TENANT)
    let tenantTab = await feesTab(tenant)
    await tenantTab.getByText('缴费信息只对业主开放').waitFor()

    await card.locator('.fees__share').click()
    await confirmModal(owner, '只有这套房屋', '共享')
    await card.getByText('已共享账单').waitFor()

    await tenant.reload()
    tenantTab = await feesTab(tenant)
    await tenantTab.getByText('业主与您共享的这套房屋的账单；缴费请与业主商量。').waitFor()
    await tenantTab.locator('.fees__unit-card', { hasText: '1栋1单元102室' }).waitFor()
    expect(await tenantTab.locator('.fees__unit-card').count()).toBe(1)
    expect(await tenantTab.locator('.fee-notice').count()).toBe(0)
    expect(await tenantTab.getByText('年度对账单').count()).toBe(0)
    await tenantTab.locator('.fee-bill').first().click()
    const bill = current(tenant, 'bill')
    await bill.getByText('收费项目').waitFor()
    await bill.getByText('每项金额按标准计算后四舍五入到分；未经服务合同约定，不收取滞纳金。').waitFor()

    await card.locator('.fees__share').click()
    await confirmModal(owner, '立即看不到', '停止共享')
    await card.getByText('未共享账单').waitFor()
    await tenant.goto(e2e.server.url)
    tenantTab = await feesTab(tenant)
    await tenantTab.getByText('缴费信息只对业主开放').waitFor()
    tab = current(owner, 'fees')
    expect(await tab.locator('.fees__unit-card').count()).toBe(1)
  })

  test('the chair, who sees arrears masked, waives one period of a masked room with a reason', async () => {
    const chair = await phonePage(e2e.browser)
    await loginAs(chair, e2e.server.url, CHAIR)
    await chair.locator('.weui-tabbar__label', { hasText: '我的' }).click()
    await current(chair, 'mine').locator('.mine__fees').first().click()
    await current(chair, 'fee-home').getByText('欠费公示和减免').click()
    const page = current(chair, 'arrears')
    await page.getByText('房号已打码；完整房号和金额只有收费人员能看到。').waitFor()
    const unit = page.locator('.arrears__unit').first()
    const room = (await unit.locator('.fee-item').first().textContent()) ?? ''
    expect(room).toMatch(/\*+\d室$/)
    expect(await page.locator('.arrears__unit', { hasText: '¥' }).count()).toBe(0)
    const period = ((await unit.locator('.arrears__waive-bill .line').first().textContent()) ?? '').replace(/（.*$/, '')
    await unit.locator('.arrears__waive-open').first().click()
    await unit.locator('.arrears__waive-form input').fill('业主大会决定的困难户减免')
    await unit.getByText('减免这一期').click()
    await confirmModal(chair, '减免后不能撤销', '确定减免')
    await page.locator('.arrears__waived', { hasText: `已减免：${room} ${period}` }).waitFor()
  })
})
