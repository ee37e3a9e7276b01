import { create } from 'zustand'
import Taro from '@tarojs/taro'
import { request } from '../services/request'

/** The 公告 tab's position in app.config.ts's tabBar list. */
const NOTICES_TAB = 0

export interface NoticeBadgeState {
  /** Unread notices in the current 小区 (up to 99; `capped` means more). */
  unread: number
  capped: boolean
  /** Notices opened since the feed was loaded, so the feed marks them read without reloading. */
  opened: Record<string, true>
  /** Asks the server again and updates the tab badge. */
  refreshUnread: (communityId: string) => Promise<void>
  markOpened: (noticeId: string) => void
}

/** Shows the count on the 公告 tab, or removes the badge. Never fails a page: the tab bar may not exist there. */
export function showNoticeBadge(count: number, capped: boolean): void {
  try {
    const p = count > 0 ? Taro.setTabBarBadge({ index: NOTICES_TAB, text: capped ? '99+' : String(count) }) : Taro.removeTabBarBadge({ index: NOTICES_TAB })
    void Promise.resolve(p).catch(() => undefined)
  } catch {
    // No tab bar on this platform or page: nothing to show.
  }
}

export const useNoticeStore = create<NoticeBadgeState>()((set) => ({
  unread: 0,
  capped: false,
  opened: {},
  refreshUnread: async (communityId) => {
    try {
      const { count, capped } = await request('unreadNoticeCount', { communityId })
      set({ unread: count, capped })
      showNoticeBadge(count, capped)
    } catch {
      // The badge is a hint; the feed itself shows what is unread and reports its own errors.
    }
  },
  markOpened: (noticeId) => set((s) => ({ opened: { ...s.opened, [noticeId]: true } })),
}))
