import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { api, current, launchBrowser, loginAs, phonePage, startServer, type RunningServer } from './harness'

const DAY = 86_400_000
/** A 2×2 PNG: the photo of a signed paper ballot. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGM4YWMDRAwQCgAlPgUBdJmUYAAAAABJRU5ErkJggg==', 'base64')

async function openVotesTab(page: Page) {
  await page.locator('.weui-tabbar__label', { hasText: '议事' }).click()
  await current(page, 'votes').waitFor()
}

describe('owners\' assembly vote end to end (H5 build in Chromium, a server whose clock the test moves)', () => {
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

  // These two run first, on the demo as seeded (the clock not moved yet).
  test('a demo owner opens the open demo vote, casts and sees the receipt; the other owner of the co-owned unit sees that it has voted, and when', async () => {
    const title = '文清苑增设电动自行车充电桩表决'
    const co = await phonePage(browser)
    await loginAs(co, server.url, '田志（共有人）')
    await openVotesTab(co)
    await current(co, 'votes').getByText(title).click()
    const mine = current(co, 'vote-detail')
    await mine.getByText('投票中', { exact: true }).waitFor()
    await mine.getByText(/共有房屋（共有人投一票）/).waitFor()
    await mine.locator('.vote-detail__chip', { hasText: '同意' }).click()
    await mine.locator('.vote-detail__submit').click()
    await co.locator('.taro-modal__text', { hasText: '提交后不能更改' }).waitFor()
    await co.locator('.taro-modal__foot').getByText('确认提交').click()
    await mine.getByText('您已投票').waitFor()
    const receipt = (await mine.locator('.vote-receipt__code').textContent())!.trim()
    expect(receipt).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/)

    // The partner logs in: the unit has voted (the same receipt, with its time), and there is nothing to cast.
    const partner = await phonePage(browser)
    await loginAs(partner, server.url, '陈洋平（共有人）')
    await openVotesTab(partner)
    await current(partner, 'votes').locator('.votes__card', { hasText: title }).getByText('已投票，查看 ›').waitFor()
    await current(partner, 'votes').getByText(title).click()
    const theirs = current(partner, 'vote-detail')
    await theirs.getByText('这套共有房屋已由共有人投票').waitFor()
    expect((await theirs.locator('.vote-receipt__code').textContent())!.trim()).toBe(receipt)
    await theirs.getByText(/\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} 提交/).waitFor()
    expect(await theirs.locator('.vote-detail__submit').count()).toBe(0)
    const url = new URL(partner.url())
    const ref = { communityId: url.searchParams.get('communityId')!, voteId: url.searchParams.get('voteId')! }
    const matterId = (await api(partner, 'getVote', ref)).data.matters[0].id
    expect(await api(partner, 'castBallot', { ...ref, confirmed: true, choices: [{ matterId, choice: 'oppose' }] })).toMatchObject({ ok: false, error: { code: 'AlreadyVoted' } })
  })

  test('a committee member enters a paper ballot during counting and finishes counting; the result notice prints the electorate digest and the chain head, which npm run audit-verify -- --head confirms', async () => {
    const title = '地下车库照明改造表决'
    const chair = await phonePage(browser)
    await loginAs(chair, server.url, '王主任（业委会主任）')
    await openVotesTab(chair)
    await current(chair, 'votes').locator('.votes__card', { hasText: title }).getByText('计票中', { exact: true }).waitFor()
    await current(chair, 'votes').getByText(title).click()
    const detail = current(chair, 'vote-detail')
    await detail.getByText(/计票中：投票已于/).waitFor()
    await detail.locator('.vote-detail__manage').click()
    const manage = current(chair, 'vote-manage')
    await manage.getByText(/计票中：请录入投票结束/).waitFor()
    const url = new URL(chair.url())
    const ref = { communityId: url.searchParams.get('communityId')!, voteId: url.searchParams.get('voteId')! }
    const before = (await api(chair, 'voteProgress', ref)).data.matters[0]

    // 陈丽国 (1栋1单元201) signed a paper ballot before the close.
    await manage.locator('input[placeholder="按房号或姓名查找"]').fill('陈丽国')
    const row = manage.locator('.vote-manage__voter', { hasText: '陈丽国' })
    await row.locator('.vote-manage__enter-paper').click()
    const form = row.locator('.vote-manage__paper')
    await form.getByText(/签署日期：/).waitFor()
    await form.locator('.chip', { hasText: /^同意$/ }).click()
    const [chooser] = await Promise.all([chair.waitForEvent('filechooser'), form.getByText('拍摄或选择签字表决票照片').click()])
    await chooser.setFiles({ name: 'paper.png', mimeType: 'image/png', buffer: PNG })
    await form.getByText(/已附照片/).waitFor()
    await form.locator('.vote-manage__save-paper').click()
    await chair.locator('.taro-modal__text', { hasText: '请与纸质票核对无误' }).waitFor()
    await chair.locator('.taro-modal__foot').getByText('确认录入').click()
    await form.waitFor({ state: 'detached' })
    const after = (await api(chair, 'voteProgress', ref)).data.matters[0]
    expect(after.participatingHeadcount).toBe(before.participatingHeadcount + 1)
    const voters = (await api(chair, 'voteElectorate', ref)).data
    expect(voters.find((v: any) => v.names.includes('陈丽国'))).toMatchObject({ paper: true, online: false })

    // Counting ends by the committee's act, after a confirmation.
    await manage.locator('.vote-manage__finish').click()
    await chair.locator('.taro-modal__text', { hasText: '结束后不能再录入' }).waitFor()
    await chair.locator('.taro-modal__foot').getByText('结束计票').click()
    await manage.getByText('已结束', { exact: true }).waitFor()

    // The result notice, as residents read it, prints the digest and the head.
    await chair.goto(`${server.url}/pages/vote-detail/index?communityId=${ref.communityId}&voteId=${ref.voteId}`)
    await current(chair, 'vote-detail').getByText('查看表决结果公告').click()
    const notice = current(chair, 'notice-detail')
    await notice.getByText(/审计链头：/).first().waitFor()
    const body = (await notice.textContent())!
    expect(body).toMatch(/冻结业主名单摘要（SHA-256）：[0-9a-f]{64}/)
    expect(body).toContain('其中纸质表决票 1 张')
    const head = /审计链头：(\d+:[0-9a-f]{64})/.exec(body)![1]

    // npm run audit-verify -- --head <printed head>, on the server's own database.
    const run = spawnSync('npm', ['run', '--silent', 'audit-verify', '--', '--head', head], {
      cwd: path.resolve(__dirname, '../..'),
      env: { ...process.env, DATABASE_URL: '', SQLITE_FILE: path.join(server.dataDir, 'e2e.sqlite'), DATA_DIR: server.dataDir },
      encoding: 'utf8',
    })
    expect(run.stdout).toMatch(/所印链头 .* 与审计链相符/)
    expect(run.status).toBe(0)
  })

  test('a committee member puts matter 4 to 文清苑; an owner of three flats and a co-owner vote; progress moves; the vote closes by itself and the result notice lists the receipts', async () => {
    const title = `续聘物业服务企业 ${Date.now() % 100000}`

    // The committee member creates the vote and publishes the announcement.
    const committee = await phonePage(browser)
    await loginAs(committee, server.url, '李委员（文清苑物管会）')
    await openVotesTab(committee)
    await current(committee, 'votes').locator('.votes__create').click()
    const create = current(committee, 'vote-create')
    await create.getByText(/表决须在公告发布 15 天后开始/).waitFor()
    await create.locator('input[placeholder="例如：续聘物业服务企业"]').fill(title)
    await create.getByText('4. 选聘解聘物业').click()
    await create.getByText(/一般事项：同意的面积和人数都须超过参与表决的半数/).waitFor()
    await create.locator('input[placeholder^="例如：续聘安居物业"]').fill('续聘现物业服务企业，服务期三年')
    // Large type and big targets: the description boxes write at the body size (≥ 32 design px,
    // 16 CSS px on this phone), and 删除 of a second matter is as tall as a button (≥ 44 px).
    const textSizes = await create.locator('.vote-create__text textarea').evaluateAll((els) => els.map((e) => parseFloat(getComputedStyle(e).fontSize)))
    expect(textSizes.length).toBeGreaterThan(0)
    for (const size of textSizes) expect(size).toBeGreaterThanOrEqual(16)
    await create.getByText('增加一个事项').click()
    const remove = create.locator('.vote-create__remove').last()
    expect((await remove.boundingBox())!.height).toBeGreaterThanOrEqual(44)
    await remove.click()
    await create.getByText('事项 2').waitFor({ state: 'detached' })
    await create.locator('.vote-create__announce').click()
    await committee.locator('.taro-modal__text', { hasText: '事项和时间不能再修改' }).waitFor()
    await committee.locator('.taro-modal__foot').getByText('确定发布').click()
    const planned = current(committee, 'vote-detail')
    await planned.getByText('已公告').waitFor()
    await planned.getByText(/表决公告期内/).waitFor()
    expect((await planned.locator('.vote-detail__manage').boundingBox())!.height).toBeGreaterThanOrEqual(44)
    const voteUrl = new URL(committee.url())
    const communityId = voteUrl.searchParams.get('communityId')!
    const voteId = voteUrl.searchParams.get('voteId')!
    // The announcement is a 公示 in the feed.
    const feed = await api(committee, 'listNotices', { communityId, kind: '公示' })
    expect(feed.data.items.map((n: any) => n.title)).toContain(`业主大会表决公告：${title}`)

    // 17 days later the vote is open: the server's clock job (a pass every 5 s) opens it.
    setOffset(17 * DAY)
    const opening = Date.now()
    while ((await api(committee, 'getVote', { communityId, voteId })).data?.status !== 'open') {
      if (Date.now() - opening > 40_000) throw new Error('the vote did not open within 40 s of its opening time')
      await new Promise((r) => setTimeout(r, 300))
    }

    // The owner of three flats votes once for all of them.
    const multi = await phonePage(browser)
    await loginAs(multi, server.url, '郭杰华（多套房业主）')
    await openVotesTab(multi)
    await current(multi, 'votes').getByText(title).click()
    const page1 = current(multi, 'vote-detail')
    await page1.getByText('投票中', { exact: true }).waitFor()
    await page1.getByText(/^共 3 套，合计 [\d.]+ 平方米，计 1 人$/).waitFor()
    const totalHeads = (await api(multi, 'voteProgress', { communityId, voteId })).data.matters[0].totalHeadcount
    await page1.getByText(`0 人 / ${totalHeads} 人，三分之二需 ${Math.ceil((2 * totalHeads) / 3)} 人`).waitFor()
    await page1.locator('.vote-detail__chip', { hasText: '同意' }).click()
    await page1.locator('.vote-detail__submit').click()
    await multi.locator('.taro-modal__text', { hasText: '提交后不能更改' }).waitFor()
    expect(await multi.locator('.taro-modal__text').textContent()).toMatch(/这张票计入 3 套房屋/)
    await multi.locator('.taro-modal__foot').getByText('确认提交').click()
    await page1.getByText('您已投票').waitFor()
    const receipt1 = (await page1.locator('.vote-receipt__code').textContent())!.trim()
    expect(receipt1).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/)
    // Progress moved: one person (three flats) has taken part.
    await page1.getByText(`1 人 / ${totalHeads} 人，三分之二需 ${Math.ceil((2 * totalHeads) / 3)} 人`).first().waitFor()

    // The co-owner votes once for the co-owned flat; the flat's other owner could not vote again.
    const co = await phonePage(browser)
    await loginAs(co, server.url, '田志（共有人）')
    await openVotesTab(co)
    await current(co, 'votes').getByText(title).click()
    const page2 = current(co, 'vote-detail')
    await page2.getByText(/共有房屋（共有人投一票）/).waitFor()
    await page2.locator('.vote-detail__chip', { hasText: '反对' }).click()
    await page2.locator('.vote-detail__submit').click()
    await co.locator('.taro-modal__foot').getByText('确认提交').click()
    await page2.getByText('您已投票').waitFor()
    const receipt2 = (await page2.locator('.vote-receipt__code').textContent())!.trim()
    await page2.getByText(`2 人 / ${totalHeads} 人，三分之二需 ${Math.ceil((2 * totalHeads) / 3)} 人`).first().waitFor()
    const again = await api(co, 'castBallot', { communityId, voteId, confirmed: true, choices: [{ matterId: (await api(co, 'getVote', { communityId, voteId })).data.matters[0].id, choice: 'agree' }] })
    expect(again).toMatchObject({ ok: false, error: { code: 'AlreadyVoted' } })

    // The committee sees the same progress and the turnout (who voted, not how).
    await committee.reload()
    const cv = current(committee, 'vote-detail')
    await cv.getByText(`2 人 / ${totalHeads} 人，三分之二需 ${Math.ceil((2 * totalHeads) / 3)} 人`).first().waitFor()

    // The window ends (opened at 08:00 on day 16, 7 days): the server's own timer closes it and publishes the result.
    setOffset(24 * DAY)
    const started = Date.now()
    let result: any = null
    while (Date.now() - started < 40_000) {
      const r = await api(committee, 'listNotices', { communityId, kind: '表决结果' })
      result = r.data?.items.find((n: any) => n.title === `表决结果：${title}`)
      if (result) break
      await new Promise((r2) => setTimeout(r2, 500))
    }
    expect(result).toBeTruthy()
    console.log(`[e2e] result notice appeared ${Date.now() - started} ms after the window ended (timer every 20 s)`)

    // Residents find it in the 公告 feed with both receipts and no names.
    await multi.goto(server.url)
    const card = current(multi, 'notices').locator('.notice-card', { hasText: `表决结果：${title}` })
    await card.click()
    const notice = current(multi, 'notice-detail')
    await notice.getByText(receipt1, { exact: false }).first().waitFor()
    await notice.getByText(receipt2, { exact: false }).first().waitFor()
    const body = (await notice.textContent())!
    expect(body).toContain(`${receipt1} 同意`)
    expect(body).toContain(`${receipt2} 反对`)
    expect(body).not.toMatch(/郭杰华|田志|陈洋平/)

    // The vote page shows the final result.
    const final = (await api(multi, 'voteProgress', { communityId, voteId })).data
    expect(final).toMatchObject({ status: 'closed', final: true })
    expect(final.matters[0]).toMatchObject({ participatingHeadcount: 2, agreeHeadcount: 1, quorumMet: false, passed: false })
    await multi.goto(`${server.url}/pages/vote-detail/index?communityId=${communityId}&voteId=${voteId}`)
    const outcome = current(multi, 'vote-detail').locator('.vote-bars__outcome').first()
    await outcome.waitFor()
    expect(await outcome.textContent()).toBe('未通过')
    // The outcome stays one line beside the long matter title (it was squeezed to 未通/过).
    const [height, fontSize] = await outcome.evaluate((e) => [e.getBoundingClientRect().height, parseFloat(getComputedStyle(e).fontSize)])
    expect(height).toBeLessThan(2 * fontSize)
  })
})
