import Taro from '@tarojs/taro'

/**
 * Asks before an irreversible act. Resolves true only when the person taps the confirm button.
 * Plain words and a clear confirm label: "确定撤销", not just "确定".
 */
export async function confirmAction(opts: { title: string; content: string; confirmText?: string; danger?: boolean }): Promise<boolean> {
  try {
    const res = await Taro.showModal({
      title: opts.title,
      content: opts.content,
      confirmText: opts.confirmText ?? '确定',
      cancelText: '取消',
      confirmColor: opts.danger ? '#b3261e' : '#0b57d0',
    })
    return !!res.confirm
  } catch {
    return false
  }
}

/** A short success note; long messages belong on the page, not in a toast. */
export function toastSuccess(title: string): void {
  void Taro.showToast({ title, icon: 'success', duration: 2000 })
}
