import { Text, View } from '@tarojs/components'
import { Btn } from '../btn'
import type { ReactNode } from 'react'
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

/** Nothing to show, said plainly, with an optional hint and action below. */
export function Empty({ title, hint, children }: { title: string; hint?: string; children?: ReactNode }) {
  return (
    <View className='page-state page-state--empty'>
      <Text className='page-state__title'>{title}</Text>
      {hint ? <Text className='page-state__hint'>{hint}</Text> : null}
      {children}
    </View>
  )
}

/** The server's (Chinese) message and a 重试 button. */
export function ErrorView({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <View className='page-state page-state--error'>
      <Text className='page-state__title'>没能加载出来</Text>
      <Text className='page-state__hint'>{message}</Text>
      {onRetry ? (
        <Btn className='gz-btn gz-btn--primary page-state__retry' onClick={onRetry}>
          重试
        </Btn>
      ) : null}
    </View>
  )
}

/** An inline error line (for a failed submit), kept on screen until the next try. */
export function ErrorNote({ message }: { message: string | null }) {
  if (!message) return null
  return (
    <View className='error-note'>
      <Text>{message}</Text>
    </View>
  )
}
