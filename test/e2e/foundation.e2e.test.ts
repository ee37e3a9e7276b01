import path from 'node:path'
import type { Page } from 'playwright-core'
import { api, current, loginAs, phonePage, useE2eServer } from './harness'

const tab = (page: Page, text: string) => page.locator('.taro-tabbar__tabbar').getByText(text, { exact: true })

describe('foundation end to end (H5 build in Chromium)', () => {
  const e2e = useE2eServer()

  test('a demo resident logs in, types the roster\'s phone (the committee confirms), binds at once with the stand-in phone verification, sees it under 我的 and moves through every tab', async () => {
    const page = await phonePage(e2e.browser)
    await page.goto(e2e.server.url)
    await page.getByText('韩晨梅（业主）').click()
    await current(page, 'notices').waitFor()

    await tab(page, '我的').click()
    await current(page, 'mine').getByText('绑定房屋', { exact: true }).click()
    const bind = current(page, 'bind')
    await bind.getByText('滨江花园', { exact: true }).click()
    await bind.getByText('1栋', { exact: true }).click()
    await bind.getByText('1单元', { exact: true }).click()
    await bind.getByText('101', { exact: true }).click()
    await bind.getByText('已选：1栋1单元101室').waitFor()
    await bind.getByRole('textbox', { name: '例如：张三' }).fill('韩晨梅')
    await bind.locator('input[placeholder="11 位手机号"]').fill('15853130865')
    await bind.getByText('提交绑定', { exact: true }).click()
    // Typed details never bind by themselves (issue 13): the request goes to the committee.
    await bind.getByText('已提交，等待业委会审核').waitFor()
    await bind.getByText(/已提交业委会确认/).waitFor()
    // WeChat's phone verification (the demo's stand-in in the browser) binds at once.
    await bind.getByText('再绑定一套').click()
    await bind.getByText('滨江花园', { exact: true }).click()
    await bind.getByText('1栋', { exact: true }).click()
    await bind.getByText('1单元', { exact: true }).click()
    await bind.getByText('101', { exact: true }).click()
    await bind.getByRole('textbox', { name: '例如：张三' }).fill('韩晨梅')
    await bind.getByText('演示：模拟微信验证手机号', { exact: true }).click()
    await bind.getByText('绑定成功').waitFor()

    await bind.getByText('查看我的房屋').click()
    const mine = current(page, 'mine')
    await mine.getByText('1栋1单元101室').first().waitFor()
    await mine.getByText('已通过').first().waitFor()

    // Every tab opens its page.
    for (const [text, cls] of [['公告', 'notices'], ['缴费', 'fees'], ['议事', 'votes'], ['报事', 'reports'], ['我的', 'mine']] as const) {
      await tab(page, text).click()
      await current(page, cls).waitFor()
    }
    await page.screenshot({ path: path.join(e2e.server.dataDir, 'mine.png') })
  })

  test('a typed claim matching the roster reaches the committee marked 与名册一致, approved in one tap', async () => {
    // 小周 types the roster's own row of 1栋1单元301 (姚霞): a request, nothing bound yet.
    const claimant = await phonePage(e2e.browser)
    await loginAs(claimant, e2e.server.url, '小周（租户）')
    const [binjiang] = (await api(claimant, 'communityDirectory', { query: '滨江' })).data
    const claim = await api(claimant, 'bindUnit', { communityId: binjiang.id, building: '1栋', stair: '1单元', room: '301', name: '姚霞', phone: '15856470203' })
    expect(claim).toMatchObject({ ok: true, data: { status: 'pending' } })
    const owns301 = async () => ((await api(claimant, 'me', {})).data.units as { label: string; relation: string }[]).some((u) => u.label === '1栋1单元301室' && u.relation === 'owner')
    expect(await owns301()).toBe(false)

    const chair = await phonePage(e2e.browser)
    await loginAs(chair, e2e.server.url, '王主任（业委会主任）')
    await tab(chair, '我的').click()
    await current(chair, 'mine').getByText('绑定审核', { exact: true }).first().click()
    const card = current(chair, 'requests').locator('.request').filter({ hasText: '1栋1单元301室' })
    await card.getByText('✓ 与名册一致').waitFor()
    await card.getByText('与名册一致，通过', { exact: true }).click()
    await card.waitFor({ state: 'detached' })
    expect(await owns301()).toBe(true)
  })

  test('a committee chair is shown exactly the five bad lines of a roster with errors, and nothing is imported', async () => {
    const page = await phonePage(e2e.browser)
    await page.goto(e2e.server.url)
    await page.getByText('王主任（业委会主任）').click()
    await current(page, 'notices').waitFor()
    await tab(page, '我的').click()
    await current(page, 'mine').getByText('导入名册', { exact: true }).first().click()
    const importer = current(page, 'roster')
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), importer.getByText('选择名册文件').click()])
    await chooser.setFiles(path.resolve(__dirname, '../fixtures/rosters/wenqing-roster-with-errors.csv'))
    const errors = importer.locator('.roster__errors')
    await errors.getByText('发现 5 处问题，名册没有导入').waitFor()
    for (const line of [6, 11, 16, 21, 26]) await errors.getByText(new RegExp(`第 ?${line} ?行：`)).waitFor()
    await expect(errors.getByText(/第 ?\d+ ?行：/).count()).resolves.toBe(5)
    // The import is refused whole: no button offers to import the rows that were fine.
    await expect(importer.getByText('确认导入').count()).resolves.toBe(0)
  })
})
