import { api, current, E2E_DIALECTS, loginAs, phonePage, useE2eServer } from './harness'

// A real 2×2 PNG (the server checks the bytes, and the browser must be able to draw it).
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGM4YWMDRAwQCgAlPgUBdJmUYAAAAABJRU5ErkJggg==',
  'base64',
)

describe.each(E2E_DIALECTS)('notices end to end (H5 build in Chromium) on %s', (dialect) => {
  const e2e = useE2eServer(() => ({}), dialect)

  test('a committee 公示 with an image reaches residents, the badge clears on reading, the publisher sees the count rise; edits are refused and a correction links; another 小区 cannot read it', async () => {
    const title = `电梯更换方案公示 ${Date.now() % 100000}`

    // The chair composes a 公示 with an image, previews it and publishes after confirming.
    const chair = await phonePage(e2e.browser)
    await loginAs(chair, e2e.server.url, '王主任（业委会主任）')
    await chair.locator('.notices__compose').click()
    const compose = current(chair, 'compose')
    await compose.getByText('发布单位：滨江花园业主委员会').waitFor()
    await compose.locator('.chip', { hasText: /^公示$/ }).click()
    await compose.locator('input[placeholder^="例如"]').fill(title)
    await compose.locator('textarea').fill('拟更换 1 栋 2 部电梯。\n费用从维修资金列支，详见附图。')
    const [chooser] = await Promise.all([chair.waitForEvent('filechooser'), compose.getByText('添加图片').click()])
    await chooser.setFiles({ name: 'plan.png', mimeType: 'image/png', buffer: PNG })
    await compose.locator('.compose__thumb').first().waitFor()
    await compose.getByText('预览', { exact: true }).click()
    await compose.getByText('住户看到的就是下面这样：').waitFor()
    await compose.locator('.notice-view__title', { hasText: title }).waitFor()
    await compose.locator('.notice-view__image').first().waitFor()
    await compose.locator('.gz-btn--primary', { hasText: /^发布$/ }).click()
    await chair.locator('.taro-modal__text', { hasText: '公示发布后不能修改或撤回' }).waitFor()
    await chair.locator('.taro-modal__foot').getByText('发布').click()
    const chairDetail = current(chair, 'notice-detail')
    await chairDetail.getByText(/^已读 0 \/ \d+ 户/).waitFor()
    const detailUrl = new URL(chair.url())
    const noticeId = detailUrl.searchParams.get('id')!
    const communityId = detailUrl.searchParams.get('communityId')!
    await chairDetail.locator('.notice-view__image').first().waitFor()
    const published = await api(chair, 'getNotice', { communityId, noticeId })
    expect(published.data.images).toHaveLength(1)
    const fileId: string = published.data.images[0].id

    // A resident sees it at the top of the feed, unread, with the count on the 公告 tab.
    const resident = await phonePage(e2e.browser)
    await loginAs(resident, e2e.server.url, '邓雨英（业主）')
    const firstCard = current(resident, 'notices').locator('.notice-card').first()
    await firstCard.getByText(title).waitFor()
    await firstCard.getByText('未读').waitFor()
    const badge = resident.locator('.taro-tabbar-badge')
    await badge.waitFor()
    const before = Number(await badge.textContent())
    expect(before).toBeGreaterThanOrEqual(1)

    // Opening it reads it; back on the feed the badge has gone down by one (or gone).
    await firstCard.click()
    const residentDetail = current(resident, 'notice-detail')
    await residentDetail.locator('.notice-view__title', { hasText: title }).waitFor()
    await residentDetail.getByText(/^公示期：/).waitFor()
    expect(await residentDetail.getByText(/阅读情况/).count()).toBe(0)
    await resident.goBack()
    await current(resident, 'notices').locator('.notice-card').first().getByText(title).waitFor()
    if (before === 1) await badge.waitFor({ state: 'detached' })
    else await resident.locator('.taro-tabbar-badge', { hasText: new RegExp(`^${before - 1}$`) }).waitFor()
    expect(await current(resident, 'notices').locator('.notice-card').first().getByText('未读').count()).toBe(0)

    // The publisher sees the count rise.
    await chair.reload()
    await current(chair, 'notice-detail').getByText(/^已读 1 \/ \d+ 户/).waitFor()

    // Editing a published 公示 is refused with a clear message; the page offers a correction instead.
    const edit = await api(chair, 'editNotice', { communityId, noticeId, expectedVersion: 1, body: '改动' })
    expect(edit).toMatchObject({ ok: false, error: { code: 'Immutable' } })
    expect(edit.error.message).toContain('公示发布后不能修改或删除')
    const manage = current(chair, 'notice-detail')
    expect(await manage.getByText(/^修改/).count()).toBe(0)
    await manage.getByText('发布更正', { exact: true }).click()
    const fix = current(chair, 'compose')
    await fix.getByText(`更正《${title}》`, { exact: false }).waitFor()
    await fix.locator('textarea').fill('拟更换 1 栋 1 部电梯（更正：原写 2 部）。')
    await fix.getByText('直接发布').click()
    await chair.locator('.taro-modal__foot').getByText('发布').click()
    const fixDetail = current(chair, 'notice-detail')
    await fixDetail.getByText(`这是对《${title}》的更正。`).waitFor()
    await fixDetail.getByText('查看原公示 ›').click()
    await current(chair, 'notice-detail').getByText('此公示已被更正').waitFor()

    // An owner of another 小区 can neither open it nor load its image.
    const outsider = await phonePage(e2e.browser)
    await loginAs(outsider, e2e.server.url, '郭杰华（多套房业主）')
    expect(await api(outsider, 'getNotice', { communityId, noticeId })).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    expect(await api(outsider, 'listNotices', { communityId })).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    const status = await outsider.evaluate(async (id) => {
      const token = JSON.parse(localStorage.getItem('gongzhi.session') ?? '{}').data
      return (await fetch(`/api/files/${id}`, { headers: { authorization: `Bearer ${token}` } })).status
    }, fileId)
    expect(status).toBe(403)
    // The resident of 滨江花园 can.
    const ok = await resident.evaluate(async (id) => {
      const token = JSON.parse(localStorage.getItem('gongzhi.session') ?? '{}').data
      const res = await fetch(`/api/files/${id}`, { headers: { authorization: `Bearer ${token}` } })
      return [res.status, res.headers.get('content-type')]
    }, fileId)
    expect(ok).toEqual([200, 'image/png'])
  })

  test("the compose page's text box writes at the page's body size and stays inside its frame, above the word count", async () => {
    const chair = await phonePage(e2e.browser)
    await loginAs(chair, e2e.server.url, '王主任（业委会主任）')
    await chair.locator('.notices__compose').click()
    const compose = current(chair, 'compose')
    await compose.getByText('发布单位：滨江花园业主委员会').waitFor()
    const m = await compose.locator('.compose__body').evaluate((frame) => {
      const box = frame.querySelector('textarea')!
      const hint = frame.nextElementSibling!
      return {
        frameFont: getComputedStyle(frame).fontSize,
        boxFont: getComputedStyle(box).fontSize,
        boxBottom: box.getBoundingClientRect().bottom,
        frameBottom: frame.getBoundingClientRect().bottom,
        hintTop: hint.getBoundingClientRect().top,
      }
    })
    expect(m.boxFont).toBe(m.frameFont)
    expect(m.boxBottom).toBeLessThanOrEqual(m.frameBottom)
    expect(m.boxBottom).toBeLessThanOrEqual(m.hintTop)
    await chair.context().close()
  })

  test('the small controls (清除 a search, 删除 a photo) are big enough for an old finger: at least 44 px tall and wide', async () => {
    const chair = await phonePage(e2e.browser)
    await loginAs(chair, e2e.server.url, '王主任（业委会主任）')
    const size = (el: Element) => {
      const r = el.getBoundingClientRect()
      return [r.width, r.height]
    }
    const feed = current(chair, 'notices')
    await feed.locator('.notices__search-input input').fill('通知')
    await feed.getByText('搜索', { exact: true }).click()
    const [clearW, clearH] = await feed.locator('.notices__clear').evaluate(size)
    expect(Math.min(clearW, clearH)).toBeGreaterThanOrEqual(44)

    await chair.locator('.notices__compose').click()
    const compose = current(chair, 'compose')
    await compose.getByText('发布单位：滨江花园业主委员会').waitFor()
    const [chooser] = await Promise.all([chair.waitForEvent('filechooser'), compose.getByText('添加图片').click()])
    await chooser.setFiles({ name: 'plan.png', mimeType: 'image/png', buffer: PNG })
    const [removeW, removeH] = await compose.locator('.compose__thumb-remove').first().evaluate(size)
    expect(Math.min(removeW, removeH)).toBeGreaterThanOrEqual(44)
    await chair.context().close()
  })
})
