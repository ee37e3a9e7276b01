import { Text, View } from '@tarojs/components'
import type { ReactNode } from 'react'
import type { Me } from '../../contracts/identity'
import { CommunityBar } from '../community-bar'
import { ErrorNote, ErrorView, Loading } from '../page-state'
import { useCurrentCommunity } from '../../hooks/use-current-community'
import { useSession } from '../../hooks/use-session'
import { PrivacyDialog } from '../privacy-dialog'

type Community = Me['communities'][number]

export interface TabContext {
  /** Null only while `early` content shows before `me` has loaded. */
  me: Me | null
  community: Community | null
  communityId: string | null
}

export interface TabPageProps {
  title: string
  className: string
  /** Show the content as soon as a 小区 is known from storage, before `me` arrives (the feeds). */
  early?: boolean
  /** The 当前小区 bar with its switcher (default on). */
  bar?: boolean
  children: (ctx: TabContext) => ReactNode
}

/**
 * The frame of a tab: checks the session each time the tab shows, shows loading or the session's
 * error with 重试 until `me` is there, then the 小区 bar and the content for the current 小区.
 * A failed refresh keeps what is on screen and says so.
 */
export function TabPage({ title, className, early, bar = true, children }: TabPageProps) {
  const { status, error, refresh } = useSession()
  const { me, community, communityId } = useCurrentCommunity()
  const show = !!me || (early && !!communityId && status !== 'error')

  return (
    <View className={`page ${className}`}>
      <Text className='page-title'>{title}</Text>
      {!show ? (
        status === 'error' ? (
          <ErrorView message={error ?? ''} onRetry={() => void refresh()} />
        ) : (
          <Loading />
        )
      ) : (
        <>
          {me && status === 'error' ? <ErrorNote message={`${error}（下拉可以重新加载）`} /> : null}
          {bar ? <CommunityBar /> : null}
          {children({ me, community, communityId })}
        </>
      )}
      <PrivacyDialog />
    </View>
  )
}
