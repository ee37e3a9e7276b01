import type { Page } from 'playwright-core'
import { api, current, loginAs, phonePage, useE2eServer } from './harness'

/** The pages of app.config.ts (the same list as src/routes.ts, which a client test checks). */
function appPages(): { path: string; tab: boolean }[] {
  ;(globalThis as any).defineAppConfig = (c: unknown) => c
  const config = require('../../src/app.config').default as { pages: string[]; subPackages: { root: string; pages: string[] }[]; tabBar: { list: { pagePath: string }[] } }
  const tabs = new Set(config.tabBar.list.map((t) => t.pagePath))
  return [
    ...config.pages.map((p) => ({ path: p, tab: tabs.has(p) })),
    ...config.subPackages.flatMap((s) => s.pages.map((p) => ({ path: `${s.root}/${p}`, tab: false }))),
  ]
}

const tab = (page: Page, text: string) => page.locator('.weui-tabbar__label', { hasText: text })
// The page on top is the last one in the document (as `current` in the harness reads it).
const backLink = (page: Page) => page.locator('.page:visible').last().locator('.back-bar__link')

/** Opens a page by a tap, checks its title, goes back with the page's own back bar and waits for where it came from. */
async function openAndBack(page: Page, open: () => Promise<void>, title: string | RegExp, from: string) {
  await open()
  await page.locator('.page-title:visible', { hasText: title }).first().waitFor()
  await expect(backLink(page).textContent()).resolves.toBe('‹ 返回')
  await backLink(page).click()
  await current(page, from).waitFor()
}

describe('navigation in the browser build: every page that is not a tab has a way back', () => {
  const e2e = useE2eServer()

  test('opened from the app, each page goes back to the page it was opened from', async () => {
    const chair = await phonePage(e2e.browser)
    await loginAs(chair, e2e.server.url, '王主任（业委会主任）')

    const feed = current(chair, 'notices')
    await openAndBack(chair, () => feed.locator('.notices__compose').click(), '发布公告', 'notices')
    await openAndBack(chair, () => feed.locator('.notice-card').first().click(), /./, 'notices')

    await tab(chair, '议事').click()
    const votes = current(chair, 'votes')
    await openAndBack(chair, () => votes.locator('.votes__create').click(), '发起表决', 'votes')
    await votes.locator('.votes__card').first().click()
    const detail = current(chair, 'vote-detail')
    await detail.locator('.vote-detail__manage').waitFor()
    await openAndBack(chair, () => detail.locator('.vote-detail__manage').click(), /./, 'vote-detail')
    await backLink(chair).click()
    await current(chair, 'votes').waitFor()

    await tab(chair, '我的').click()
    const mine = current(chair, 'mine')
    await openAndBack(chair, () => mine.getByText('绑定审核', { exact: true }).first().click(), '绑定审核', 'mine')
    await openAndBack(chair, () => mine.getByText('导入名册', { exact: true }).first().click(), '导入业主名册', 'mine')

    const owner = await phonePage(e2e.browser)
    await loginAs(owner, e2e.server.url, '邓雨英（业主）')
    await tab(owner, '我的').click()
    await openAndBack(owner, () => current(owner, 'mine').getByText('邀请租户', { exact: true }).click(), '邀请租户', 'mine')
    await openAndBack(owner, () => current(owner, 'mine').getByText('绑定房屋', { exact: true }).click(), '绑定房屋', 'mine')

    const officer = await phonePage(e2e.browser)
    await loginAs(officer, e2e.server.url, '刘书记（社区）')
    await tab(officer, '我的').click()
    await openAndBack(officer, () => current(officer, 'mine').getByText('社区工作台', { exact: true }).click(), '社区工作台', 'mine')
  })

  test('opened first (a shared link, a reload), every page that is not a tab offers 回首页, which leads to the 公告 tab', async () => {
    const chair = await phonePage(e2e.browser)
    await loginAs(chair, e2e.server.url, '王主任（业委会主任）')
    const me = (await api(chair, 'me', {})).data
    const communityId = me.communities[0].id as string
    const voteId = (await api(chair, 'listVotes', { communityId })).data[0]?.id ?? 'none'
    const noticeId = (await api(chair, 'listNotices', { communityId })).data.items[0]?.id ?? 'none'
    const params = new URLSearchParams({ communityId, voteId, id: noticeId, unitId: me.units[0]?.unitId ?? 'none', billId: 'none' })

    // The login page is where a signed-out person starts; every other page that is not a tab is checked.
    const pages = appPages().filter((p) => !p.tab && p.path !== 'pages/login/index')
    expect(pages.length).toBeGreaterThanOrEqual(11)
    for (const p of pages) {
      await chair.goto(`${e2e.server.url}/${p.path}?${params}`)
      const home = chair.locator('.back-bar__link:visible', { hasText: '回首页' })
      await home.last().waitFor({ timeout: 30_000 }).catch(() => {
        throw new Error(`${p.path} has no 回首页 when opened first`)
      })
      await home.last().click()
      await current(chair, 'notices').waitFor()
    }
  })

  test('a page the person may not see offers the way home, not only 重试', async () => {
    const tenant = await phonePage(e2e.browser)
    await loginAs(tenant, e2e.server.url, '小周（租户）')
    const communityId = (await api(tenant, 'me', {})).data.communities[0].id as string
    await tenant.goto(`${e2e.server.url}/packages/committee/pages/vote-create/index?communityId=${communityId}`)
    const page = current(tenant, 'page')
    await page.getByText('重试', { exact: true }).waitFor()
    await page.locator('.page-state__retry', { hasText: '回首页' }).click()
    await current(tenant, 'notices').waitFor()
  })
})
