import Taro, { useDidShow } from '@tarojs/taro'
import { signInWithWeChat } from '../services/request'
import { getToken, isSignedOut } from '../services/token'
import { useSessionStore, type SessionState } from '../stores/session'
import { PAGE_PATHS } from '../routes'

const LOGIN_PAGE = PAGE_PATHS.login

/**
 * Makes sure someone is signed in and `me` is loaded.
 * Mini-program: a first launch signs in silently through WeChat (unless the person chose to sign
 * out). Browser: there is no WeChat, so the login page lets the person pick a demo persona.
 */
export async function ensureSession(): Promise<void> {
  if (!getToken()) {
    if (process.env.TARO_ENV === 'weapp' && !isSignedOut()) {
      try {
        await signInWithWeChat()
        useSessionStore.getState().signedIn(getToken() as string)
      } catch {
        await Taro.reLaunch({ url: LOGIN_PAGE })
        return
      }
    } else {
      await Taro.reLaunch({ url: LOGIN_PAGE })
      return
    }
  }
  await useSessionStore.getState().load()
}

/**
 * For pages that need the signed-in person: checks the session each time the page shows and
 * returns the session state (me, status, error, refresh…).
 */
export function useSession(): SessionState {
  const state = useSessionStore()
  useDidShow(() => {
    void ensureSession()
  })
  return state
}
