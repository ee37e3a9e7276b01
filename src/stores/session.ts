import { create } from 'zustand'
import Taro from '@tarojs/taro'
import type { Me } from '../contracts/identity'
import { messageOf, request } from '../services/request'
import { clearToken, getToken, markSignedOut, onTokenChange, setToken } from '../services/token'

const COMMUNITY_KEY = 'gongzhi.community'

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error'

export interface SessionState {
  /** The stored session token (or the cloud marker); null when signed out. */
  token: string | null
  /** Who I am, as the server last said; null until loaded. */
  me: Me | null
  /** The 小区 the tabs show; defaults to the first one I belong to. */
  communityId: string | null
  status: LoadStatus
  error: string | null
  /** Loads `me` unless it is already loaded (or loading). */
  load: () => Promise<Me | null>
  /** Loads `me` again from the server. */
  refresh: () => Promise<Me | null>
  /** Stores a new session token (after a login) and forgets the old person. */
  signedIn: (token: string) => void
  /** Ends the session on the server (best effort) and forgets it here. */
  logout: () => Promise<void>
  setCommunity: (communityId: string) => void
}

function readCommunity(): string | null {
  try {
    const v = Taro.getStorageSync(COMMUNITY_KEY)
    return typeof v === 'string' && v ? v : null
  } catch {
    return null
  }
}

/** Keeps the chosen 小区 if I still belong to it, else the first one. */
function pickCommunity(me: Me, current: string | null): string | null {
  if (current && me.communities.some((c) => c.id === current)) return current
  return me.communities[0]?.id ?? me.units[0]?.communityId ?? null
}

let inFlight: Promise<Me | null> | null = null

export const useSessionStore = create<SessionState>()((set, get) => ({
  token: getToken(),
  me: null,
  communityId: readCommunity(),
  status: 'idle',
  error: null,

  load: async () => {
    const { me, status } = get()
    if (me && status === 'ready') return me
    return get().refresh()
  },

  refresh: () => {
    inFlight ??= (async () => {
      set({ status: 'loading', error: null })
      try {
        const me = await request('me')
        const communityId = pickCommunity(me, get().communityId)
        set({ me, communityId, status: 'ready', error: null, token: getToken() })
        return me
      } catch (err) {
        set({ status: 'error', error: messageOf(err) })
        return null
      } finally {
        inFlight = null
      }
    })()
    return inFlight
  },

  signedIn: (token) => {
    setToken(token)
    set({ token, me: null, status: 'idle', error: null })
  },

  logout: async () => {
    try {
      await request('logout')
    } catch {
      // Signing out here must work even when the server cannot be reached.
    }
    clearToken()
    // Signing out is not an expiry: nothing is reloaded when someone signs in next.
    reloadAfterReLogin = false
    markSignedOut()
    try {
      Taro.removeStorageSync(COMMUNITY_KEY)
    } catch {
      // Nothing stored.
    }
    set({ token: null, me: null, communityId: null, status: 'idle', error: null })
  },

  setCommunity: (communityId) => {
    Taro.setStorageSync(COMMUNITY_KEY, communityId)
    set({ communityId })
  },
}))

/** Set when an expired token took `me` away; the next token (WeChat's silent re-login) reads it again. */
let reloadAfterReLogin = false

// request.ts clears an expired token on its own; the store follows. In the mini-program it then
// signs in again through WeChat and stores a new token: `me` is read again then, or every page
// showing it would wait on a `me` that nothing reloads until the page is shown anew.
onTokenChange((token) => {
  if (token === null) {
    reloadAfterReLogin = useSessionStore.getState().me !== null
    useSessionStore.setState({ token: null, me: null, status: 'idle' })
    return
  }
  useSessionStore.setState({ token })
  if (reloadAfterReLogin) {
    reloadAfterReLogin = false
    if (!useSessionStore.getState().me) void useSessionStore.getState().refresh()
  }
})

/** Role checks live in src/contracts/roles (shared with the server); kept here for existing imports. */
export { OFFICER_ROLES, isManaging, isOfficer } from '../contracts/roles'

/**
 * The current 小区 with my roles there: the one chosen, else the first I belong to, else null.
 * The one fallback every tab and the 小区 bar use (through useCurrentCommunity).
 */
export function currentCommunity(s: Pick<SessionState, 'me' | 'communityId'>) {
  return s.me?.communities.find((c) => c.id === s.communityId) ?? s.me?.communities[0] ?? null
}
