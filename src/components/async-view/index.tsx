import type { ReactNode } from 'react'
import { Empty, ErrorView, Loading, type Away } from '../page-state'

export interface AsyncViewProps {
  /** As useAsync and useCursorList tell it ('more' counts as ready: the list is shown). */
  status: 'loading' | 'ready' | 'error' | 'more'
  error?: string | null
  /** The error's code: Forbidden or NotFound also offer `away` (default 回首页), since 重试 cannot help. */
  code?: string | null
  onRetry?: () => void
  /** Null on the home tab, where 回首页 would lead nowhere. */
  away?: Away | null
  loadingText?: string
  /** Nothing to show: say so, and what to do next. */
  empty?: boolean
  emptyTitle?: string
  emptyHint?: string
  /** A button under the empty text (绑定房屋, 发起表决…). */
  emptyAction?: ReactNode
  /** The content, rendered only when ready and not empty. */
  children?: ReactNode | (() => ReactNode)
}

/** Loading, an error with 重试 (and a way out), an empty state with what to do next, or the content. */
export function AsyncView({ status, error, code, onRetry, away, loadingText, empty, emptyTitle, emptyHint, emptyAction, children }: AsyncViewProps) {
  if (status === 'loading') return <Loading text={loadingText} />
  if (status === 'error') return <ErrorView message={error ?? ''} code={code} onRetry={onRetry} away={away} />
  if (empty) {
    return (
      <Empty title={emptyTitle ?? '暂无内容'} hint={emptyHint}>
        {emptyAction}
      </Empty>
    )
  }
  return <>{typeof children === 'function' ? children() : children}</>
}
