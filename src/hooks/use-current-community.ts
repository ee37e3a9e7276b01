import { currentCommunity, useSessionStore } from '../stores/session'

/**
 * The 小区 the tabs show: the one chosen, else the first I belong to (the one fallback, shared by
 * the 小区 bar and every tab). `communityId` is known from storage before `me` has loaded.
 */
export function useCurrentCommunity() {
  const me = useSessionStore((s) => s.me)
  const stored = useSessionStore((s) => s.communityId)
  const community = currentCommunity({ me, communityId: stored })
  return { me, community, communityId: community?.id ?? stored }
}
