import Taro from '@tarojs/taro'
import { ApiError } from './errors'

/** A file the server answered in base64: an exported workbook, an expense's PDF. */
export interface SavableFile {
  base64: string
  fileName: string
  mime: string
}

/**
 * Puts a file where the person can open it: a download in the browser; a file in the
 * mini-program's user folder, opened by WeChat (which can forward or print it).
 */
export async function saveFile(file: SavableFile, fileType: 'xlsx' | 'pdf'): Promise<void> {
  if (process.env.TARO_ENV === 'h5') {
    const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0))
    const url = URL.createObjectURL(new Blob([bytes], { type: file.mime }))
    const a = document.createElement('a')
    a.href = url
    a.download = file.fileName
    document.body.appendChild(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
    return
  }
  const filePath = `${(Taro as unknown as { env: { USER_DATA_PATH: string } }).env.USER_DATA_PATH}/${file.fileName}`
  await new Promise<void>((resolve, reject) => {
    Taro.getFileSystemManager().writeFile({
      filePath,
      data: file.base64,
      encoding: 'base64',
      success: () => resolve(),
      fail: () => reject(new ApiError('Internal', '保存文件失败，请稍后再试')),
    })
  })
  await Taro.openDocument({ filePath, fileType, showMenu: true })
}
