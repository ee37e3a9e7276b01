import { act, fireEvent, render, screen, within } from '@testing-library/react'
import Taro from '@tarojs/taro'
import { __pullDown, __reachBottom, __reset, __setRouterParams } from './mocks/taro'
import { Fail, mockApi } from './api'
import type { NoticeDetail, NoticeSummary, PublisherOption } from '../../src/contracts/notices'
import { setToken } from '../../src/services/token'
import { useSessionStore } from '../../src/stores/session'
import { useNoticeStore } from '../../src/stores/notices'
import NoticesPage from '../../src/pages/notices/index'
import NoticeDetailPage from '../../src/pages/notice-detail/index'
import NoticeComposePage, { beijingToIso } from '../../src/packages/committee/pages/notice-compose/index'

// The shared component mock has no Picker; the compose page's date and time pickers become plain boxes here.
jest.mock('@tarojs/components', () => {
  const actual = jest.requireActual('@tarojs/components')
  return { ...actual, Picker: ({ children }: { children: unknown }) => children }
})

// APIs only the notice pages call, added to the shared Taro mock (called at run time, after this runs).
const T = Taro as unknown as Record<string, jest.Mock>
for (const name of ['setTabBarBadge', 'removeTabBarBadge', 'previewImage', 'chooseImage', 'downloadFile', 'openDocument']) T[name] = jest.fn(async () => ({ errMsg: 'ok' }))


const C = 'c-bj'
const ME = (roles: string[]) => ({ userId: 'u1', nickname: '业主', communities: [{ id: C, name: '滨江花园', roles }], units: [], bindings: [] })

const summary = (id: string, over: Partial<NoticeSummary> = {}): NoticeSummary => ({
  id,
  communityId: C,
  kind: '公告',
  title: `通知${id}`,
  excerpt: `正文${id}`,
  publisherRole: 'committee_chair',
  publisherName: '滨江花园业主委员会',
  publishAt: '2026-11-26T02:00:00.000Z',
  postingEndsAt: null,
  expiresAt: null,
  pinned: false,
  imageCount: 0,
  corrected: false,
  isCorrection: false,
  version: 1,
  read: false,
  ...over,
})

const detail = (over: Partial<NoticeDetail> = {}): NoticeDetail => ({
  ...summary('n1'),
  kind: '公示',
  title: '外墙维修方案公示',
  body: '第一段。\n第二段。',
  postingEndsAt: '2026-12-03T02:00:00.000Z',
  images: [
    { id: 'f1', kind: 'image', mime: 'image/png', fileName: 'a.png', sizeBytes: 100, url: '/api/files/f1?exp=1&sig=a' },
    { id: 'f2', kind: 'image', mime: 'image/png', fileName: 'b.png', sizeBytes: 100, url: '/api/files/f2?exp=1&sig=b' },
  ],
  attachments: [],
  editable: false,
  immutable: true,
  corrects: null,
  correctedBy: null,
  revisions: [],
  stats: null,
  canManage: false,
  ...over,
})

const flush = () => act(async () => {
  await new Promise((r) => setTimeout(r, 0))
})

function signIn(roles: string[]) {
  setToken('tok')
  useSessionStore.setState({ token: 'tok', me: ME(roles) as any, communityId: C, status: 'ready', error: null })
}

beforeEach(() => {
  __reset()
  for (const fn of Object.values(T)) if (typeof fn?.mockClear === 'function') fn.mockClear()
  process.env.TARO_ENV = 'h5'
  useNoticeStore.setState({ unread: 0, capped: false, opened: {} })
})

describe('公告 feed', () => {
  it('shows pinned notices first, marks unread ones, and puts the unread count on the 公告 tab', async () => {
    signIn(['owner'])
    mockApi({
      listNotices: () => ({ pinned: [summary('p1', { pinned: true, read: true })], items: [summary('a'), summary('b', { read: true })], nextCursor: null }),
      unreadNoticeCount: () => ({ count: 1, capped: false }),
    })
    render(<NoticesPage />)
    await screen.findByText('通知p1')
    const titles = screen.getAllByText(/^通知/).map((e) => e.textContent)
    expect(titles).toEqual(['通知p1', '通知a', '通知b'])
    expect(screen.getAllByText('未读')).toHaveLength(1)
    expect(screen.queryByText('发布公告')).toBeNull() // an owner never publishes
    await flush()
    expect(T.setTabBarBadge).toHaveBeenCalledWith({ index: 0, text: '1' })
    fireEvent.click(screen.getByText('通知a'))
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/notice-detail/index?id=a&communityId=c-bj' })
  })

  it('filters by kind, searches titles, pages on by cursor at the bottom and reloads on pull-down', async () => {
    signIn(['committee_chair'])
    const calls = mockApi({
      listNotices: (input) =>
        input.cursor ? { pinned: [], items: [summary('c')], nextCursor: null } : { pinned: [], items: [summary('a'), summary('b')], nextCursor: 'cur-1' },
      unreadNoticeCount: () => ({ count: 0, capped: false }),
    })
    render(<NoticesPage />)
    await screen.findByText('通知a')
    expect(screen.getByText('发布公告')).toBeTruthy()
    expect(screen.getByText('待发布')).toBeTruthy()

    await act(async () => __reachBottom())
    await screen.findByText('通知c')
    expect(calls.filter((c) => c.action === 'listNotices').pop()!.input).toMatchObject({ communityId: C, cursor: 'cur-1' })
    expect(screen.getByText('没有更多了')).toBeTruthy()

    fireEvent.click(within(document.querySelector('.notices__kinds') as HTMLElement).getByText('公示'))
    await flush()
    expect(calls.filter((c) => c.action === 'listNotices').pop()!.input).toMatchObject({ kind: '公示' })
    expect(calls.filter((c) => c.action === 'listNotices').pop()!.input.cursor).toBeUndefined()

    fireEvent.change(screen.getByPlaceholderText('搜索标题中的字词'), { target: { value: ' 电梯 ' } })
    fireEvent.click(screen.getByText('搜索'))
    await flush()
    expect(calls.filter((c) => c.action === 'listNotices').pop()!.input).toMatchObject({ kind: '公示', q: '电梯' })

    const before = calls.length
    await act(async () => __pullDown())
    await flush()
    expect(calls.slice(before).some((c) => c.action === 'listNotices')).toBe(true)
    expect(Taro.stopPullDownRefresh).toHaveBeenCalled()
  })

  it('a scheduled notice in the 待发布 list says when it will be published, and is not marked 未读', async () => {
    signIn(['committee_chair'])
    const later = new Date(Date.now() + 2 * 86_400_000)
    later.setUTCHours(0, 0, 0, 0)
    mockApi({
      listNotices: (input) => (input.view === 'scheduled' ? { pinned: [], items: [summary('s', { publishAt: later.toISOString() })], nextCursor: null } : { pinned: [], items: [], nextCursor: null }),
      unreadNoticeCount: () => ({ count: 0, capped: false }),
    })
    render(<NoticesPage />)
    await screen.findByText('暂无公告')
    fireEvent.click(screen.getByText('待发布'))
    await screen.findByText('通知s')
    const card = document.querySelector('.notice-card') as HTMLElement
    expect(within(card).getByText('定时发布')).toBeTruthy()
    expect(within(card).queryByText('未读')).toBeNull()
    expect(card.className).not.toContain('notice-card--unread')
    expect(within(card).getByText(/将于 .*08:00 发布/)).toBeTruthy()
  })

  it('shows the server message with a retry when the feed fails', async () => {
    signIn(['tenant'])
    let fail = true
    mockApi({
      listNotices: () => (fail ? new Fail('Forbidden', '您不是该小区的成员') : { pinned: [], items: [], nextCursor: null }),
      unreadNoticeCount: () => ({ count: 0, capped: false }),
    })
    render(<NoticesPage />)
    expect(await screen.findByText('您不是该小区的成员')).toBeTruthy()
    fail = false
    fireEvent.click(screen.getByText('重试'))
    expect(await screen.findByText('暂无公告')).toBeTruthy()
  })
})

describe('公告 detail', () => {
  it('opening a notice reads it, clears the badge, and its images open full screen', async () => {
    signIn(['owner'])
    __setRouterParams({ id: 'n1', communityId: C })
    const calls = mockApi({ getNotice: () => detail(), unreadNoticeCount: () => ({ count: 0, capped: false }) })
    render(<NoticeDetailPage />)
    expect(await screen.findByText('外墙维修方案公示')).toBeTruthy()
    expect(screen.getByText('第一段。')).toBeTruthy()
    expect(screen.getByText('第二段。')).toBeTruthy()
    expect(screen.getByText(/公示期：2026年11月26日 至 2026年12月3日/)).toBeTruthy()
    expect(calls[0]).toMatchObject({ action: 'getNotice', input: { communityId: C, noticeId: 'n1' } })
    await flush()
    expect(T.removeTabBarBadge).toHaveBeenCalledWith({ index: 0 })
    expect(useNoticeStore.getState().opened.n1).toBe(true)

    const images = document.querySelectorAll('img')
    expect(images[1].getAttribute('src')).toBe('/api/files/f2?exp=1&sig=b')
    fireEvent.click(images[1].parentElement!)
    expect(T.previewImage).toHaveBeenCalledWith({ current: '/api/files/f2?exp=1&sig=b', urls: ['/api/files/f1?exp=1&sig=a', '/api/files/f2?exp=1&sig=b'] })
    // A resident sees neither read counts nor management.
    expect(screen.queryByText(/阅读情况/)).toBeNull()
    expect(screen.queryByText('管理')).toBeNull()
  })

  it('a corrected 公示 says so and links to its correction; the publisher sees read counts, lagging buildings, and 发布更正 instead of 修改', async () => {
    signIn(['committee_chair'])
    __setRouterParams({ id: 'n1', communityId: C })
    mockApi({
      getNotice: () =>
        detail({
          canManage: true,
          stats: {
            noticeId: 'n1',
            households: 8,
            readHouseholds: 3,
            buildings: [
              { buildingId: 'b2', name: '2栋', households: 4, readHouseholds: 0, low: true },
              { buildingId: 'b1', name: '1栋', households: 4, readHouseholds: 3, low: false },
            ],
          },
        }),
      unreadNoticeCount: () => ({ count: 0, capped: false }),
    })
    render(<NoticeDetailPage />)
    expect(await screen.findByText('已读 3 / 8 户（37%）')).toBeTruthy()
    expect(screen.getByText('阅读偏少')).toBeTruthy()
    expect(screen.getByText('发布更正')).toBeTruthy()
    expect(screen.queryByText(/^修改/)).toBeNull()
    expect(screen.queryByText('撤回')).toBeNull()
    fireEvent.click(screen.getByText('发布更正'))
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/committee/pages/notice-compose/index?communityId=c-bj&correctsId=n1' })
  })

  it('a scheduled notice tells its publisher it is not out yet and when it will be', async () => {
    signIn(['committee_chair'])
    __setRouterParams({ id: 'n1', communityId: C })
    const later = new Date(Date.now() + 2 * 86_400_000)
    later.setUTCHours(0, 0, 0, 0)
    mockApi({
      getNotice: () => detail({ kind: '公告', publishAt: later.toISOString(), postingEndsAt: null, canManage: true, editable: true, immutable: false }),
      unreadNoticeCount: () => ({ count: 0, capped: false }),
    })
    render(<NoticeDetailPage />)
    expect(await screen.findByText(/^定时发布：将于 .*08:00 发布，住户现在还看不到。$/)).toBeTruthy()
  })

  it('a notice that is gone (withdrawn) offers the way back to the feed, not only 重试', async () => {
    signIn(['owner'])
    __setRouterParams({ id: 'gone', communityId: C })
    mockApi({ getNotice: () => new Fail('NotFound', '公告不存在或已撤回'), unreadNoticeCount: () => ({ count: 0, capped: false }) })
    render(<NoticeDetailPage />)
    expect(await screen.findByText('公告不存在或已撤回')).toBeTruthy()
    fireEvent.click(screen.getByText('返回公告列表'))
    expect(Taro.switchTab).toHaveBeenCalledWith({ url: '/pages/notices/index' })
  })

  it('shows the correction banner and the edit history', async () => {
    signIn(['owner'])
    __setRouterParams({ id: 'n1', communityId: C })
    mockApi({
      getNotice: () =>
        detail({
          kind: '公告',
          correctedBy: { id: 'n2', title: '外墙维修方案（更正）', publishAt: '2026-11-27T02:00:00.000Z' },
          version: 2,
          revisions: [
            { version: 1, title: '旧标题', body: '旧正文', expiresAt: null, editorRole: 'committee_chair', editedAt: '2026-11-26T02:00:00.000Z', files: [] },
            { version: 2, title: '外墙维修方案公示', body: '第一段。', expiresAt: null, editorRole: 'committee_chair', editedAt: '2026-11-26T03:00:00.000Z', files: [] },
          ],
        }),
      unreadNoticeCount: () => ({ count: 0, capped: false }),
    })
    render(<NoticeDetailPage />)
    expect(await screen.findByText('此公告已被更正')).toBeTruthy()
    fireEvent.click(screen.getByText('查看更正 ›'))
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/pages/notice-detail/index?id=n2&communityId=c-bj' })
    expect(screen.getByText('已修改 1 次，最后修改于 2026年11月26日 11:00')).toBeTruthy()
    fireEvent.click(screen.getByText('查看修改记录'))
    expect(screen.getByText('旧正文')).toBeTruthy()
  })
})

describe('发布公告 (compose)', () => {
  const OPTIONS: PublisherOption[] = [{ role: 'committee_chair', name: '滨江花园业主委员会' }]

  it('previews the draft exactly as residents will see it, then publishes after confirmation', async () => {
    signIn(['committee_chair'])
    __setRouterParams({ communityId: C })
    const calls = mockApi({ noticePublisherOptions: () => OPTIONS, publishNotice: () => ({ id: 'new-1' }) })
    render(<NoticeComposePage />)
    await screen.findByText('发布单位：滨江花园业主委员会')
    fireEvent.click(screen.getByText('公示'))
    expect(screen.getByText('公示发布后不能修改或撤回，只能发布更正。请仔细核对。')).toBeTruthy()
    fireEvent.change(screen.getByPlaceholderText('例如：关于外墙维修方案的公示'), { target: { value: '电梯更换公示' } })
    fireEvent.change(screen.getByPlaceholderText('换行即分段。不要写住户姓名和手机号。'), { target: { value: '更换 2 部电梯。\n费用从维修资金列支。' } })

    fireEvent.click(screen.getByText('预览'))
    expect(screen.getByText('住户看到的就是下面这样：')).toBeTruthy()
    expect(screen.getByText('电梯更换公示')).toBeTruthy()
    expect(screen.getByText('更换 2 部电梯。')).toBeTruthy()
    expect(screen.getByText('费用从维修资金列支。')).toBeTruthy()
    expect(screen.getByText(/^滨江花园业主委员会 · .* 发布$/)).toBeTruthy()
    expect(screen.getByText(/^公示期：/)).toBeTruthy()

    ;(Taro.showModal as jest.Mock).mockResolvedValueOnce({ confirm: false, cancel: true })
    fireEvent.click(screen.getByText('发布'))
    await flush()
    expect(Taro.showModal).toHaveBeenCalledTimes(1)
    expect((Taro.showModal as jest.Mock).mock.calls[0][0].content).toContain('公示发布后不能修改或撤回')
    expect(calls.some((c) => c.action === 'publishNotice')).toBe(false)

    fireEvent.click(screen.getByText('发布'))
    await flush()
    const publish = calls.find((c) => c.action === 'publishNotice')!
    expect(publish.input).toMatchObject({ communityId: C, kind: '公示', title: '电梯更换公示', body: '更换 2 部电梯。\n费用从维修资金列支。', imageIds: [], pinned: false, asRole: 'committee_chair' })
    // The default 7-day period is left to the server, which counts it from its own publish time.
    expect(publish.input.postingEndsAt).toBeUndefined()
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/pages/notice-detail/index?id=new-1&communityId=c-bj' })
  })

  it('shows the server refusal in plain words and keeps the draft', async () => {
    signIn(['committee_chair'])
    __setRouterParams({ communityId: C })
    mockApi({ noticePublisherOptions: () => OPTIONS, publishNotice: () => new Fail('Conflict', '最多只能置顶 3 条公告，请先取消一条置顶') })
    render(<NoticeComposePage />)
    await screen.findByText('发布单位：滨江花园业主委员会')
    fireEvent.change(screen.getByPlaceholderText('例如：关于外墙维修方案的公示'), { target: { value: '停水通知' } })
    fireEvent.change(screen.getByPlaceholderText('换行即分段。不要写住户姓名和手机号。'), { target: { value: '周六停水。' } })
    fireEvent.click(screen.getByText('直接发布'))
    expect(await screen.findByText('最多只能置顶 3 条公告，请先取消一条置顶')).toBeTruthy()
    expect((screen.getByPlaceholderText('例如：关于外墙维修方案的公示') as HTMLInputElement).value).toBe('停水通知')
  })

  it('refuses to publish without a title, before asking', async () => {
    signIn(['committee_chair'])
    __setRouterParams({ communityId: C })
    mockApi({ noticePublisherOptions: () => OPTIONS })
    render(<NoticeComposePage />)
    await screen.findByText('发布单位：滨江花园业主委员会')
    fireEvent.click(screen.getByText('直接发布'))
    expect(await screen.findByText('请填写标题')).toBeTruthy()
    expect(Taro.showModal).not.toHaveBeenCalled()
  })

  it('editing a scheduled notice keeps its publish time: the page shows 定时发布 at that time and saving sends it back unchanged', async () => {
    signIn(['committee_chair'])
    __setRouterParams({ communityId: C, noticeId: 'n1' })
    // Three days ahead, 10:30:17.123 in Beijing (the pickers hold only minutes).
    const at = new Date(Date.now() + 3 * 86_400_000)
    at.setUTCHours(2, 30, 17, 123)
    const publishAt = at.toISOString()
    const calls = mockApi({
      noticePublisherOptions: () => OPTIONS,
      getNotice: () => detail({ kind: '公告', publishAt, postingEndsAt: null, images: [], editable: true, immutable: false, canManage: true }),
      editNotice: () => ({ version: 2 }),
    })
    render(<NoticeComposePage />)
    expect((await screen.findByText('定时发布')).className).toContain('chip--active')
    expect(screen.getByText('时间：10:30（北京时间）')).toBeTruthy()
    fireEvent.change(screen.getByPlaceholderText('换行即分段。不要写住户姓名和手机号。'), { target: { value: '改过的正文。' } })
    fireEvent.click(screen.getByText('保存修改'))
    await flush()
    const edit = calls.find((c) => c.action === 'editNotice')!
    expect(edit.input).toMatchObject({ noticeId: 'n1', body: '改过的正文。' })
    // Saving new words never publishes a scheduled notice early.
    expect(edit.input.publishAt).toBe(publishAt)
  })

  it('Beijing wall-clock times become UTC instants (UTC+8, across midnight)', () => {
    expect(beijingToIso('2026-12-01', '08:00')).toBe('2026-12-01T00:00:00.000Z')
    expect(beijingToIso('2026-12-01', '07:30')).toBe('2026-11-30T23:30:00.000Z')
  })
})
