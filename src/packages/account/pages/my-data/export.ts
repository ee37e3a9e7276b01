import Taro from '@tarojs/taro'
import type { MyData } from '../../../../contracts/privacy'

/**
 * Hands the person their data as JSON: a file download in the browser; in the mini-program (which
 * cannot open a .json file) a copy on the clipboard, to paste into a chat or a note.
 */
export async function exportMyData(data: MyData): Promise<'downloaded' | 'copied'> {
  const text = JSON.stringify(data, null, 2)
  if (process.env.TARO_ENV === 'h5') {
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }))
    const a = document.createElement('a')
    a.href = url
    a.download = `共治-个人信息-${data.exportedAt.slice(0, 10)}.json`
    document.body.appendChild(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
    return 'downloaded'
  }
  await Taro.setClipboardData({ data: text })
  return 'copied'
}
