import type { ReactNode } from 'react'
import { useRouter } from '@tarojs/taro'
import type { FeeSetup } from '../../contracts/fees'
import { AsyncView } from '../../components/async-view'
import { Page } from '../../components/page'
import { ErrorView } from '../../components/page-state'
import { useAsync, type AsyncState } from '../../hooks/use-async'
import { usePullRefresh } from '../../hooks/use-pull-refresh'
import { useSession } from '../../hooks/use-session'
import { request } from '../../services/request'
import { useSessionStore } from '../../stores/session'
import '../../pages/fees/fee-ui.scss'

/** The 小区 a fee tool works on (`?communityId=`), its name, and its fee setup (schedule, buildings, payee, who may do what, periods). */
export function useFeeSetup() {
  useSession()
  const { params } = useRouter()
  const communityId = params?.communityId ?? ''
  const name = useSessionStore((s) => s.me?.communities.find((c) => c.id === communityId)?.name ?? '')
  const setup = useAsync(() => request('feeSetup', { communityId }), { auto: !!communityId })
  return { communityId, name, setup }
}

/**
 * The frame of every fee tool: back bar, title and the 小区's name, then loading, the error with
 * 重试, or the content once the fee setup is there. Pull down reloads the setup and `onRefresh`.
 */
export function FeePage({
  title,
  className,
  communityId,
  name,
  setup,
  onRefresh,
  children,
}: {
  title: string
  className: string
  communityId: string
  name: string
  setup: AsyncState<FeeSetup>
  onRefresh?: () => unknown
  children: (setup: FeeSetup) => ReactNode
}) {
  usePullRefresh(() => Promise.all([setup.reload(), onRefresh?.()]))
  if (!communityId) {
    return (
      <Page title={title} className={className}>
        <ErrorView message='没有指定小区，请从“我的 → 收费工作台”进入。' />
      </Page>
    )
  }
  const s = setup.data
  return (
    <Page title={title} subtitle={name || undefined} className={className}>
      <AsyncView status={setup.status === 'error' && s ? 'ready' : setup.status} error={setup.error} code={setup.code} onRetry={() => void setup.reload()}>
        {() => (s ? children(s) : null)}
      </AsyncView>
    </Page>
  )
}
