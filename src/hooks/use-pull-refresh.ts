import Taro, { usePullDownRefresh } from '@tarojs/taro'

/** Pull down to reload: runs `reload`, then puts the page back (also when it failed). One per page. */
export function usePullRefresh(reload: () => Promise<unknown> | unknown): void {
  usePullDownRefresh(() => {
    void Promise.resolve()
      .then(reload)
      .catch(() => undefined)
      .finally(() => Taro.stopPullDownRefresh())
  })
}
