import { Text, View } from '@tarojs/components'
import { useState, type ReactNode } from 'react'
import { backOrHome, canGoBack } from '../../routes'
import './index.scss'
import { PrivacyDialog } from '../privacy-dialog'

/**
 * The way back of a page that is not a tab. The mini-program draws its own (the navigation bar's
 * back arrow, or a home button on a page opened first); the browser build has none, so this bar
 * says 返回 when there is a page to go back to, else 回首页.
 */
export function BackBar() {
  // Read once, when the page opens: pages pushed on top later do not make this one "second".
  const [back] = useState(canGoBack)
  if (process.env.TARO_ENV === 'weapp') return null
  return (
    <View className='back-bar'>
      <Text className='back-bar__link' onClick={backOrHome}>
        {back ? '‹ 返回' : '回首页'}
      </Text>
    </View>
  )
}

export interface PageProps {
  /** The big title at the top; left out where the page writes its own (a vote's title). */
  title?: ReactNode
  subtitle?: ReactNode
  /** The page's own class (its styles and what tests look for), besides `page`. */
  className?: string
  children?: ReactNode
}

/** The frame of every page that is not a tab: the way back, the title, the content. */
export function Page({ title, subtitle, className, children }: PageProps) {
  return (
    <View className={`page ${className ?? ''}`}>
      <BackBar />
      {title ? <Text className='page-title'>{title}</Text> : null}
      {subtitle ? <Text className='page-subtitle'>{subtitle}</Text> : null}
      {children}
      <PrivacyDialog />
    </View>
  )
}
