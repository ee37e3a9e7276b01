import { useRouter } from '@tarojs/taro'
import { useSessionStore } from '../stores/session'

/**
 * The 小区 a tool page works on: `?communityId=` when given, else the current one; with its
 * name and my roles there, from `me`.
 */
export function useCommunityParam() {
  const router = useRouter()
  const me = useSessionStore((s) => s.me)
  const fallback = useSessionStore((s) => s.communityId)
  const communityId = router.params?.communityId || fallback || ''
  const community = me?.communities.find((c) => c.id === communityId) ?? null
  return { communityId, community }
}
