import type { ReactNode } from 'react'
import { useRouter } from '@tarojs/taro'
import type { FundSetup } from '../../contracts/fund'
import { beijingDate } from '../../contracts/time'
import { AsyncView } from '../../components/async-view'
import { Page } from '../../components/page'
import { ErrorView } from '../../components/page-state'
import { useAsync, type AsyncState } from '../../hooks/use-async'
import { usePullRefresh } from '../../hooks/use-pull-refresh'
import { useSession } from '../../hooks/use-session'
import { request } from '../../services/request'
import { useSessionStore } from '../../stores/session'

/** The 小区 a fund tool works on (`?communityId=`), its name, and its fund setup (buildings, caps, schemes, decisions). */
export function useFundSetup() {
  useSession()
  const { params } = useRouter()
  const communityId = params?.communityId ?? ''
  const name = useSessionStore((s) => s.me?.communities.find((c) => c.id === communityId)?.name ?? '')
  const setup = useAsync(() => request('fundSetup', { communityId }), { auto: !!communityId })
  return { communityId, name, setup, unitId: params?.unitId }
}

/** The frame of every committee fund tool: back bar, title, the 小区's name, then loading, error with 重试, or the content. */
export function FundPage({ title, className, communityId, name, setup, onRefresh, children }: {
  title: string
  className: string
  communityId: string
  name: string
  setup: AsyncState<FundSetup>
  onRefresh?: () => unknown
  children: (setup: FundSetup) => ReactNode
}) {
  usePullRefresh(() => Promise.all([setup.reload(), onRefresh?.()]))
  if (!communityId) {
    return (
      <Page title={title} className={className}>
        <ErrorView message='没有指定小区，请从“我的 → 维修资金管理”进入。' />
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

/** Today in Beijing, for date fields. */
export const todayText = (): string => beijingDate(new Date())
