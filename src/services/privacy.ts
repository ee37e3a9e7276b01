import Taro from '@tarojs/taro'
import { PRIVACY_TITLE } from '../contracts/privacy'
import { go } from '../routes'
import { ApiError } from './errors'

/**
 * WeChat's privacy authorization (enforced since September 2023). A privacy API — choosing photos
 * or files, the phone-number button, the clipboard — called before the person agreed to the
 * mini-program's 用户隐私保护指引 stays pending and fires `onNeedPrivacyAuthorization`; we answer
 * it with <PrivacyDialog> (mounted by every page frame): agreeing resumes the pending call,
 * refusing makes it fail, which the callers turn into a clear Chinese message (privacyDeclined).
 */

type ResolveOption = { event: 'exposureAuthorization' | 'agree' | 'disagree'; buttonId?: string }
type Resolve = (option: ResolveOption) => void

/** The id of the agree button (open-type="agreePrivacyAuthorization"): WeChat checks it was tapped. */
export const PRIVACY_AGREE_BUTTON_ID = 'gz-privacy-agree'

type Listener = (asking: boolean) => void
const listeners = new Set<Listener>()
// Calls waiting for an answer; one answer settles them all, as agreement is the whole app's.
let pending: { resolve: Resolve; exposed: boolean }[] = []
let registered = false

function notify() {
  const asking = pending.length > 0
  listeners.forEach((l) => l(asking))
}

type PrivacyTaro = { onNeedPrivacyAuthorization?: (listener: (resolve: Resolve, info: { referrer: string }) => void) => void }

/**
 * Registers the one listener of the app (idempotent). Where WeChat has no such API (the browser,
 * old base libraries) there is nothing to do: the browser asks for files itself.
 */
export function registerPrivacyAuthorization(): void {
  if (registered) return
  const on = (Taro as unknown as PrivacyTaro).onNeedPrivacyAuthorization
  if (typeof on !== 'function') return
  registered = true
  on((resolve) => {
    // No dialog on screen to ask with: refuse, so the call fails with our message instead of hanging.
    if (listeners.size === 0) return resolve({ event: 'disagree' })
    pending.push({ resolve, exposed: false })
    notify()
  })
}

/** Follows whether a privacy call is waiting for the person's answer; tells the current state at once. */
export function subscribePrivacy(listener: Listener): () => void {
  listeners.add(listener)
  listener(pending.length > 0)
  return () => {
    listeners.delete(listener)
  }
}

/** Tells WeChat the dialog was shown (its statistics of exposure), once per waiting call. */
export function privacyShown(): void {
  for (const p of pending) {
    if (!p.exposed) p.resolve({ event: 'exposureAuthorization' })
    p.exposed = true
  }
}

/** The person's answer: agree resumes every waiting call, disagree fails them. */
export function answerPrivacy(agree: boolean): void {
  const waiting = pending
  pending = []
  for (const p of waiting) p.resolve(agree ? { event: 'agree', buttonId: PRIVACY_AGREE_BUTTON_ID } : { event: 'disagree' })
  notify()
}

/** Opens the guideline: WeChat's own page of it in the mini-program, our policy page elsewhere. */
export function openPrivacyGuideline(): void {
  const open = (Taro as unknown as { openPrivacyContract?: (o: { fail?: () => void }) => void }).openPrivacyContract
  if (typeof open === 'function') open({ fail: () => go('privacy') })
  else go('privacy')
}

/** Whether a failed WeChat call failed because the person did not agree (errno 104) or the API is undeclared (112). */
export function isPrivacyDenied(err: unknown): boolean {
  const e = err as { errMsg?: unknown; errno?: unknown } | null
  if (e && (e.errno === 104 || e.errno === 112)) return true
  return /privacy permission is not authorized|privacy api banned/i.test(String(e?.errMsg ?? ''))
}

/** The error a refused privacy call becomes: what could not be done, and the way on without it. */
export function privacyDeclined(what: string, wayOn: string): ApiError {
  return new ApiError('PrivacyDeclined', `您没有同意《${PRIVACY_TITLE}》，无法${what}。${wayOn}`)
}
