/**
 * A small stand-in for @tarojs/taro in jsdom: in-memory storage, jest.fn() for every API the app
 * calls, and the page hooks mapped onto React effects. Tests drive it through the exported fns.
 */
import { useEffect, useRef } from 'react'

const storage = new Map<string, unknown>()
let routerParams: Record<string, string> = {}
const pageHandlers: { pullDown?: () => void; reachBottom?: () => void } = {}

const ok = () => Promise.resolve({ errMsg: 'ok' })

export const getStorageSync = jest.fn((key: string) => (storage.has(key) ? storage.get(key) : ''))
export const setStorageSync = jest.fn((key: string, value: unknown) => {
  storage.set(key, value)
})
export const removeStorageSync = jest.fn((key: string) => {
  storage.delete(key)
})
export const request = jest.fn()
export const login = jest.fn(async () => ({ code: 'wx-code', errMsg: 'login:ok' }))
export const cloud = { init: jest.fn(), callFunction: jest.fn() }
export const showModal = jest.fn(async () => ({ confirm: true, cancel: false }))
export const showToast = jest.fn(ok)
export const setClipboardData = jest.fn(ok)
export const navigateTo = jest.fn(ok)
export const switchTab = jest.fn(ok)
export const reLaunch = jest.fn(ok)
export const redirectTo = jest.fn(ok)
export const navigateBack = jest.fn(ok)
export const stopPullDownRefresh = jest.fn()
export const getCurrentPages = jest.fn(() => [] as { route: string }[])
export const chooseMessageFile = jest.fn()
export const getFileSystemManager = jest.fn()

/** Page lifecycle hooks: "load" and "show" both run once after the first render here. */
function useOnMount(fn: () => void) {
  const ref = useRef(fn)
  ref.current = fn
  useEffect(() => {
    ref.current()
  }, [])
}
export const useLoad = useOnMount
export const useDidShow = useOnMount
export const useLaunch = useOnMount
export const useReady = useOnMount
export function useDidHide() {}
export function usePullDownRefresh(fn: () => void) {
  pageHandlers.pullDown = fn
}
export function useReachBottom(fn: () => void) {
  pageHandlers.reachBottom = fn
}
export function useRouter() {
  return { params: routerParams, path: '' }
}

// Test controls.
export function __setRouterParams(params: Record<string, string>) {
  routerParams = params
}
export function __pullDown() {
  pageHandlers.pullDown?.()
}
export function __reachBottom() {
  pageHandlers.reachBottom?.()
}
export function __storage() {
  return storage
}
/** Clears storage, router params and every mock's calls and implementations set by a test. */
export function __reset() {
  storage.clear()
  routerParams = {}
  pageHandlers.pullDown = undefined
  pageHandlers.reachBottom = undefined
  for (const fn of [request, cloud.init, cloud.callFunction, showToast, setClipboardData, navigateTo, switchTab, reLaunch, redirectTo, navigateBack, stopPullDownRefresh, chooseMessageFile, getFileSystemManager]) {
    fn.mockReset()
  }
  for (const fn of [showToast, setClipboardData, navigateTo, switchTab, reLaunch, redirectTo, navigateBack]) fn.mockImplementation(ok)
  login.mockReset()
  login.mockImplementation(async () => ({ code: 'wx-code', errMsg: 'login:ok' }))
  showModal.mockReset()
  showModal.mockImplementation(async () => ({ confirm: true, cancel: false }))
  getCurrentPages.mockReset()
  getCurrentPages.mockImplementation(() => [])
  getStorageSync.mockClear()
  setStorageSync.mockClear()
  removeStorageSync.mockClear()
}

const Taro = {
  getStorageSync,
  setStorageSync,
  removeStorageSync,
  request,
  login,
  cloud,
  showModal,
  showToast,
  setClipboardData,
  navigateTo,
  switchTab,
  reLaunch,
  redirectTo,
  navigateBack,
  stopPullDownRefresh,
  getCurrentPages,
  chooseMessageFile,
  getFileSystemManager,
}
export default Taro
