import Taro from '@tarojs/taro'

/**
 * The session token in Taro storage (wx storage in the mini-program, localStorage in H5).
 * With the cloud transport WeChat itself says who is calling, so the stored value is only a
 * marker that the person has signed in (and has not signed out).
 */
const KEY = 'gongzhi.session'

/** Marker stored for the cloud transport, where no token travels. */
export const CLOUD_SESSION = 'cloud'

type Listener = (token: string | null) => void
const listeners = new Set<Listener>()

export function getToken(): string | null {
  try {
    const value = Taro.getStorageSync(KEY)
    return typeof value === 'string' && value ? value : null
  } catch {
    return null
  }
}

export function setToken(token: string): void {
  Taro.setStorageSync(KEY, token)
  forgetSignedOut()
  listeners.forEach((l) => l(token))
}

export function clearToken(): void {
  try {
    Taro.removeStorageSync(KEY)
  } catch {
    // Storage unavailable: nothing stored, nothing to clear.
  }
  listeners.forEach((l) => l(null))
}

/** Lets the session store follow the token when request.ts clears an expired one. */
export function onTokenChange(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

const SIGNED_OUT_KEY = 'gongzhi.signedOut'

/**
 * Remembers that the person chose 退出登录, so the mini-program does not sign them in again
 * silently on the next launch; any successful sign-in forgets it.
 */
export function markSignedOut(): void {
  try {
    Taro.setStorageSync(SIGNED_OUT_KEY, '1')
  } catch {
    // Storage unavailable: the next launch signs in silently, which is harmless.
  }
}

export function isSignedOut(): boolean {
  try {
    return Taro.getStorageSync(SIGNED_OUT_KEY) === '1'
  } catch {
    return false
  }
}

export function forgetSignedOut(): void {
  try {
    Taro.removeStorageSync(SIGNED_OUT_KEY)
  } catch {
    // Nothing stored.
  }
}
