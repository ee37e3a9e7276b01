import { Text, View } from '@tarojs/components'
import type { ReactNode } from 'react'
import { Btn } from '../btn'
import { HOME, switchTo } from '../../routes'
import './index.scss'

/** A big, calm "正在加载" line; shown while a page has nothing yet. */
export function Loading({ text = '正在加载，请稍候…' }: { text?: string }) {
  return (
    <View className='page-state page-state--loading'>
      <View className='page-state__spinner' />
      <Text className='page-state__text'>{text}</Text>
    </View>
  )
}

/** Nothing to show, said plainly, with what to do next (a hint, and a button as children). */
export function Empty({ title, hint, children }: { title: string; hint?: string; children?: ReactNode }) {
  return (
    <View className='page-state page-state--empty'>
      <Text className='page-state__title'>{title}</Text>
      {hint ? <Text className='page-state__hint'>{hint}</Text> : null}
      {children}
    </View>
  )
}

/** A way out of an error that retrying will not fix: back to a list, or home. */
export interface Away {
  text: string
  onClick: () => void
}

/** Codes that stay so however often one retries: the page offers a way home besides 重试. */
const LASTING = ['Forbidden', 'NotFound', 'Unauthenticated']

export function isLasting(code: string | null | undefined): boolean {
  return !!code && LASTING.includes(code)
}

/**
 * The server's (Chinese) message with 重试. When retrying cannot help (no permission, the thing is
 * gone) it also offers `away`, by default 回首页, so nobody is left on a dead end.
 */
export function ErrorView({ message, code, onRetry, away }: { message: string; code?: string | null; onRetry?: () => void; away?: Away | null }) {
  // null: no way out to offer (the home tab itself).
  const out = away !== undefined ? away : isLasting(code) ? { text: '回首页', onClick: () => switchTo(HOME) } : null
  return (
    <View className='page-state page-state--error'>
      <Text className='page-state__title'>{code === 'Forbidden' ? '没有权限查看' : '没能加载出来'}</Text>
      <Text className='page-state__hint'>{message}</Text>
      {out ? (
        <Btn className='gz-btn gz-btn--primary page-state__retry' onClick={out.onClick}>
          {out.text}
        </Btn>
      ) : null}
      {onRetry ? (
        <Btn className={`gz-btn page-state__retry ${out ? '' : 'gz-btn--primary'}`} onClick={onRetry}>
          重试
        </Btn>
      ) : null}
    </View>
  )
}

/** An inline error line (for a failed submit), kept on screen until the next try. */
export function ErrorNote({ message }: { message: string | null | undefined }) {
  if (!message) return null
  return (
    <View className='error-note'>
      <Text>{message}</Text>
    </View>
  )
}
