import type { Page } from 'playwright-core'
import { api, current, loginAs, phonePage, useE2eServer } from './harness'

async function openMine(page: Page) {
  await page.locator('.weui-tabbar__label', { hasText: '我的' }).click()
  await current(page, 'mine').waitFor()
}

async function confirm(page: Page, button: string) {
  await page.locator('.taro-modal__foot').getByText(button, { exact: true }).click()
}

describe('repair fund end to end (H5 build in Chromium, the demo server)', () => {
  const e2e = useE2eServer()

  test('the 文清苑 物管会 is refused a rate above the cap, sets a lawful one, records deposits and sees the match; an owner sees balance and statement', async () => {
    const committee = await phonePage(e2e.browser)
    await loginAs(committee, e2e.server.url, '李委员（文清苑物管会）')
    await openMine(committee)
    await current(committee, 'mine').getByText('维修资金管理').click()
    const manage = current(committee, 'fund-manage')
    await manage.getByText(/5栋（无电梯）：未设定，上限 ¥55.00\/㎡/).waitFor()
    const communityId = new URL(committee.url()).searchParams.get('communityId')!

    // One fen above the cap: refused with the reason and the policy clause.
    await manage.locator('.fund-scheme .chip', { hasText: '5栋' }).click()
    await manage.locator('input[placeholder="例如：55"]').fill('55.01')
    await manage.locator('.fund-scheme__save').click()
    await confirm(committee, '设定')
    await manage.getByText(/不得高于 55.00 元\/㎡（所填 55.01 元\/㎡）.*三\.\(三\)\.2/).waitFor()

    // At the cap: accepted.
    await manage.locator('input[placeholder="例如：55"]').fill('55')
    await manage.locator('.fund-scheme__save').click()
    await confirm(committee, '设定')
    await manage.getByText(/5栋（无电梯）：¥55.00\/㎡，上限 ¥55.00\/㎡/).waitFor()
    const setup = await api(committee, 'fundSetup', { communityId })
    expect(setup.data.buildings.find((b: { name: string }) => b.name === '5栋').schemes).toMatchObject([{ kind: 'initial', rateFen: 5500 }])

    // Two deposits for 5栋 units; the district's match appears beside each.
    await manage.getByText('登记交存', { exact: true }).click()
    const deposit = current(committee, 'fund-deposit')
    for (const [n, receipt] of [[0, 'E2E-0001'], [1, 'E2E-0002']] as const) {
      const chip = deposit.locator('.chip', { hasText: /^5栋/ }).nth(n)
      await chip.waitFor()
      await chip.click()
      await deposit.locator('input[placeholder="例如：3300"]').fill('100')
      await deposit.locator('input[placeholder="例如：WQ-0001"]').fill(receipt)
      await deposit.locator('.fund-deposit__save').click()
      await committee.locator('.taro-modal__text', { hasText: receipt }).waitFor()
      await confirm(committee, '登记')
      const done = deposit.locator('.fund-deposit__done')
      await done.getByText(`收据号 ${receipt}`, { exact: false }).waitFor()
      await done.getByText('区财政配套').waitFor()
      await done.getByText('存于区财政老旧小区住宅维修资金专用账户').waitFor()
    }
    const ledger = await api(committee, 'fundLedger', { communityId })
    const mine = ledger.data.recent.filter((e: { receiptNo: string | null; kind: string; note: string }) => e.receiptNo?.startsWith('E2E-') || (e.kind === 'match' && /E2E-/.test(e.note)))
    expect(mine.map((e: { kind: string; amountFen: number }) => [e.kind, e.amountFen]).sort()).toEqual([['deposit', 10_000], ['deposit', 10_000], ['match', 10_000], ['match', 10_000]])
    expect(ledger.data.totals.matchedFen).toBe(ledger.data.totals.depositedFen)

    // An owner of three flats sees each account's balance, the match, and a yearly statement.
    const owner = await phonePage(e2e.browser)
    await loginAs(owner, e2e.server.url, '郭杰华（多套房业主）')
    await openMine(owner)
    await current(owner, 'mine').getByText('维修资金', { exact: true }).click()
    const page = current(owner, 'fund-mine')
    await page.locator('.fund-account').first().waitFor()
    expect(await page.locator('.fund-account').count()).toBe(3)
    await page.locator('.fund-account').first().getByText('余额').waitFor()
    await page.getByText('区财政配套').first().waitFor()
    await page.getByText('存于区财政老旧小区住宅维修资金专用账户').first().waitFor()
    await page.getByText('年度对账单 ›').first().click()
    await page.locator('.fund-statement').getByText(/^查看 \d{4} 年对账单$/).click()
    await page.locator('.fund-statement').getByText('年末余额').waitFor()
    // A tenant is not offered the fund.
    const tenant = await phonePage(e2e.browser)
    await loginAs(tenant, e2e.server.url, '小周（租户）')
    await openMine(tenant)
    await current(tenant, 'mine').getByText('我的房屋').waitFor()
    expect(await current(tenant, 'mine').getByText('维修资金', { exact: true }).count()).toBe(0)
  }, 180_000)
})
