import { useState } from 'react'
import { act, fireEvent, render, screen } from '@testing-library/react'
import Taro from '@tarojs/taro'
import { __reset } from './mocks/taro'
import { AsyncView } from '../../src/components/async-view'
import { Chips } from '../../src/components/chips'
import { TextField } from '../../src/components/field'
import { BackBar } from '../../src/components/page'
import { useSubmit } from '../../src/hooks/use-submit'
import { ApiError } from '../../src/services/errors'
import { PAGE_PATHS, TABS, pageUrl, go, redirect } from '../../src/routes'
import { governingBody, roleLabel } from '../../src/contracts/roles'
import { flush } from './api'

beforeEach(() => {
  __reset()
  process.env.TARO_ENV = 'h5'
})

describe('AsyncView', () => {
  it('shows loading, then the content, or says it is empty and what to do next', () => {
    const { rerender } = render(<AsyncView status='loading' loadingText='正在读取楼栋…'>内容</AsyncView>)
    expect(screen.getByText('正在读取楼栋…')).toBeTruthy()
    expect(screen.queryByText('内容')).toBeNull()

    rerender(
      <AsyncView status='ready' empty emptyTitle='暂无议事表决' emptyHint='业委会发起表决后，您可以在这里查看并投票。' emptyAction={<button>发起表决</button>}>
        内容
      </AsyncView>,
    )
    expect(screen.getByText('暂无议事表决')).toBeTruthy()
    expect(screen.getByText('业委会发起表决后，您可以在这里查看并投票。')).toBeTruthy()
    expect(screen.getByText('发起表决')).toBeTruthy()
    expect(screen.queryByText('内容')).toBeNull()

    rerender(<AsyncView status='more'>{() => '内容'}</AsyncView>)
    expect(screen.getByText('内容')).toBeTruthy()
  })

  it('a passing failure offers 重试 only; retrying calls back', () => {
    const retry = jest.fn()
    render(<AsyncView status='error' error='网络不通，请稍后再试' code='Network' onRetry={retry} />)
    expect(screen.getByText('没能加载出来')).toBeTruthy()
    expect(screen.getByText('网络不通，请稍后再试')).toBeTruthy()
    expect(screen.queryByText('回首页')).toBeNull()
    fireEvent.click(screen.getByText('重试'))
    expect(retry).toHaveBeenCalledTimes(1)
  })

  it('a permission error offers the way home as well as 重试', () => {
    render(<AsyncView status='error' error='您不是该小区的成员' code='Forbidden' onRetry={() => undefined} />)
    expect(screen.getByText('没有权限查看')).toBeTruthy()
    expect(screen.getByText('重试')).toBeTruthy()
    fireEvent.click(screen.getByText('回首页'))
    expect(Taro.switchTab).toHaveBeenCalledWith({ url: '/pages/notices/index' })
  })

  it('a thing that is gone offers the page\'s own way out instead of home', () => {
    const away = jest.fn()
    render(<AsyncView status='error' error='找不到这次表决' code='NotFound' away={{ text: '返回议事', onClick: away }} />)
    expect(screen.queryByText('回首页')).toBeNull()
    fireEvent.click(screen.getByText('返回议事'))
    expect(away).toHaveBeenCalledTimes(1)
  })
})

/** A small form on the kit: a title field whose error clears as it is edited, and a send button. */
function Form({ action, confirm }: { action: (title: string) => Promise<string>; confirm?: boolean }) {
  const [title, setTitle] = useState('')
  const submit = useSubmit([title])
  const [sent, setSent] = useState('')
  async function send() {
    if (!title.trim()) return submit.fail('请填写标题', 'title')
    const out = await submit.run(() => action(title), { success: '已发布', ...(confirm ? { confirm: { title: '确认发布', content: '发布后住户都能看到。' } } : {}) })
    if (out !== undefined) setSent(out)
  }
  return (
    <div>
      <TextField label='标题' value={title} onChange={setTitle} error={submit.errorOf('title')} maxlength={10} counter />
      {submit.error && !submit.field ? <p>{submit.error}</p> : null}
      <button disabled={submit.busy} onClick={() => void send()}>
        {submit.busy ? '正在发送' : '发送'}
      </button>
      <span>{sent ? `结果：${sent}` : ''}</span>
    </div>
  )
}

describe('useSubmit with a field', () => {
  it('a field\'s own error shows under it and goes as soon as the field is edited', async () => {
    render(<Form action={async () => 'ok'} />)
    fireEvent.click(screen.getByText('发送'))
    expect(await screen.findByText('请填写标题')).toBeTruthy()
    fireEvent.change(screen.getByRole('textbox'), { target: { value: '停' } })
    expect(screen.queryByText('请填写标题')).toBeNull()
    expect(screen.getByText('1 / 10 字')).toBeTruthy()
  })

  it('is busy while sending, toasts on success, and a second tap meanwhile sends nothing', async () => {
    let release: (v: string) => void = () => undefined
    const action = jest.fn(() => new Promise<string>((r) => (release = r)))
    render(<Form action={action} />)
    fireEvent.change(screen.getByRole('textbox'), { target: { value: '停水通知' } })
    fireEvent.click(screen.getByText('发送'))
    expect(await screen.findByText('正在发送')).toBeTruthy()
    expect((screen.getByText('正在发送') as HTMLButtonElement).disabled).toBe(true)
    fireEvent.click(screen.getByText('正在发送'))
    await act(async () => {
      release('n1')
      await flush()
    })
    expect(action).toHaveBeenCalledTimes(1)
    expect(screen.getByText('结果：n1')).toBeTruthy()
    expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已发布', icon: 'success' }))
  })

  it('keeps the server\'s message after a failure, without a toast, until the form is edited', async () => {
    render(<Form action={async () => Promise.reject(new ApiError('BadInput', '公告中不能出现手机号码'))} />)
    fireEvent.change(screen.getByRole('textbox'), { target: { value: '电话13800000000' } })
    fireEvent.click(screen.getByText('发送'))
    expect(await screen.findByText('公告中不能出现手机号码')).toBeTruthy()
    expect(Taro.showToast).not.toHaveBeenCalled()
    expect((screen.getByText('发送') as HTMLButtonElement).disabled).toBe(false)
    fireEvent.change(screen.getByRole('textbox'), { target: { value: '电话见公告栏' } })
    expect(screen.queryByText('公告中不能出现手机号码')).toBeNull()
  })

  it('asks first when told to, and sends nothing when the person cancels', async () => {
    ;(Taro.showModal as jest.Mock).mockResolvedValueOnce({ confirm: false, cancel: true })
    const action = jest.fn(async () => 'n1')
    render(<Form action={action} confirm />)
    fireEvent.change(screen.getByRole('textbox'), { target: { value: '停水通知' } })
    await act(async () => {
      fireEvent.click(screen.getByText('发送'))
      await flush()
    })
    expect(Taro.showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '确认发布', content: '发布后住户都能看到。' }))
    expect(action).not.toHaveBeenCalled()
    await act(async () => {
      fireEvent.click(screen.getByText('发送'))
      await flush()
    })
    expect(action).toHaveBeenCalledTimes(1)
  })
})

describe('Chips', () => {
  it('one choice fills the chosen chip; several toggle in and out', () => {
    const one = jest.fn()
    const { rerender } = render(<Chips options={['同意', '反对', '弃权']} value='反对' onChange={one} />)
    expect(screen.getByText('反对').className).toContain('chip--active')
    expect(screen.getByText('同意').className).not.toContain('chip--active')
    fireEvent.click(screen.getByText('弃权'))
    expect(one).toHaveBeenCalledWith('弃权')

    const many = jest.fn()
    rerender(<Chips multiple options={[{ value: 'b1', label: '1栋' }, { value: 'b2', label: '2栋' }]} value={['b1']} onChange={many} />)
    fireEvent.click(screen.getByText('2栋'))
    expect(many).toHaveBeenLastCalledWith(['b1', 'b2'])
    fireEvent.click(screen.getByText('1栋'))
    expect(many).toHaveBeenLastCalledWith([])
  })
})

describe('BackBar (browser build)', () => {
  it('goes back when there is a page below', () => {
    ;(Taro.getCurrentPages as jest.Mock).mockReturnValue([{ route: 'pages/notices/index' }, { route: 'pages/notice-detail/index' }])
    render(<BackBar />)
    fireEvent.click(screen.getByText('‹ 返回'))
    expect(Taro.navigateBack).toHaveBeenCalled()
    expect(Taro.switchTab).not.toHaveBeenCalled()
  })

  it('offers 回首页 on a page opened first (a shared link, a reload)', () => {
    ;(Taro.getCurrentPages as jest.Mock).mockReturnValue([{ route: 'pages/vote-detail/index' }])
    render(<BackBar />)
    fireEvent.click(screen.getByText('回首页'))
    expect(Taro.switchTab).toHaveBeenCalledWith({ url: '/pages/notices/index' })
    expect(Taro.navigateBack).not.toHaveBeenCalled()
  })

  it('is not drawn in the mini-program, whose navigation bar has its own', () => {
    process.env.TARO_ENV = 'weapp'
    ;(Taro.getCurrentPages as jest.Mock).mockReturnValue([{ route: 'a' }, { route: 'b' }])
    render(<BackBar />)
    expect(screen.queryByText('‹ 返回')).toBeNull()
  })
})

describe('routes', () => {
  it('app.config.ts lists exactly the pages of routes.ts, the tabs in order', () => {
    ;(globalThis as any).defineAppConfig = (c: unknown) => c
    const config = require('../../src/app.config').default
    const fromConfig = [
      ...config.pages.map((p: string) => `/${p}`),
      ...config.subPackages.flatMap((s: { root: string; pages: string[] }) => s.pages.map((p) => `/${s.root}/${p}`)),
    ]
    expect(fromConfig.sort()).toEqual(Object.values(PAGE_PATHS).sort())
    expect(config.tabBar.list.map((t: { pagePath: string; text: string }) => [`/${t.pagePath}`, t.text])).toEqual(TABS.map((t) => [PAGE_PATHS[t.name], t.text]))
  })

  it('builds urls with the parameters in order, leaves out the ones not given, and switches to a tab instead of pushing it', async () => {
    expect(pageUrl('noticeDetail', { id: 'n 1', communityId: 'c-bj' })).toBe('/pages/notice-detail/index?id=n%201&communityId=c-bj')
    expect(pageUrl('noticeCompose', { communityId: 'c-bj', noticeId: undefined, correctsId: 'n1' })).toBe('/packages/committee/pages/notice-compose/index?communityId=c-bj&correctsId=n1')
    go('tenants')
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/owner/pages/tenants/index' })
    go('votes')
    expect(Taro.switchTab).toHaveBeenCalledWith({ url: '/pages/votes/index' })
    await redirect('voteDetail', { communityId: 'c', voteId: 'v' })
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/pages/vote-detail/index?communityId=c&voteId=v' })
  })
})

describe('who runs a 小区, in words', () => {
  it('a 物管会 is named 物管会, community stand-in 社区代管, otherwise 业委会', () => {
    expect(governingBody('committee')).toBe('业委会')
    expect(governingBody('pmc')).toBe('物管会')
    expect(governingBody('office_acting')).toBe('社区代管')
    expect(governingBody(undefined)).toBe('业委会')
    expect(roleLabel('committee_member', 'pmc')).toBe('物管会委员')
    expect(roleLabel('committee_chair', 'committee')).toBe('业委会主任')
    expect(roleLabel('property_staff', 'pmc')).toBe('物业人员')
  })
})
