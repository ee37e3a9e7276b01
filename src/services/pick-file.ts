import Taro from '@tarojs/taro'
import { ApiError } from './errors'

/** A file the person picked, ready to travel as base64 inside a JSON action input. */
export interface PickedFile {
  name: string
  size: number
  base64: string
}

/** Same limit as the roster contract: far above a 2,000-unit roster. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024

const EXTENSIONS = ['xlsx', 'csv']

function checkFile(name: string, size: number): void {
  const ext = name.split('.').pop()?.toLowerCase() ?? ''
  if (!EXTENSIONS.includes(ext)) throw new ApiError('UnsupportedFile', '请选择 .xlsx 或 .csv 格式的名册文件')
  if (size > MAX_FILE_BYTES) throw new ApiError('PayloadTooLarge', '文件超过 5 MB，请检查是否选错了文件')
}

/**
 * Lets the person pick a roster file (.xlsx or .csv) and reads it as base64.
 * The only place that knows how this differs between the mini-program (a file from a WeChat
 * chat, read by the file-system manager) and the browser (an <input type="file"> and FileReader).
 * Resolves null when the person cancels.
 */
export async function pickRosterFile(): Promise<PickedFile | null> {
  if (process.env.TARO_ENV === 'h5') return pickInBrowser()
  return pickInMiniProgram()
}

async function pickInMiniProgram(): Promise<PickedFile | null> {
  let picked: { path: string; name: string; size: number }
  try {
    const res = await Taro.chooseMessageFile({ count: 1, type: 'file', extension: EXTENSIONS })
    picked = res.tempFiles[0]
  } catch (err) {
    // WeChat reports a cancel as a failure with "cancel" in errMsg.
    if (/cancel/i.test(String((err as { errMsg?: string })?.errMsg ?? ''))) return null
    throw new ApiError('UnsupportedFile', '无法打开文件，请从微信聊天中选择名册文件')
  }
  if (!picked) return null
  checkFile(picked.name, picked.size)
  const base64 = await new Promise<string>((resolve, reject) => {
    Taro.getFileSystemManager().readFile({
      filePath: picked.path,
      encoding: 'base64',
      success: (r) => resolve(String(r.data)),
      fail: () => reject(new ApiError('UnsupportedFile', '读取文件失败，请重新选择')),
    })
  })
  return { name: picked.name, size: picked.size, base64 }
}

function pickInBrowser(): Promise<PickedFile | null> {
  return new Promise((resolve, reject) => {
    const input = document.createElement('input')
    input.type = 'file'
    input.accept = '.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv'
    input.style.display = 'none'
    input.setAttribute('data-testid', 'roster-file-input')
    document.body.appendChild(input)
    const done = () => input.remove()
    input.addEventListener('cancel', () => {
      done()
      resolve(null)
    })
    input.addEventListener('change', () => {
      const file = input.files?.[0]
      done()
      if (!file) return resolve(null)
      try {
        checkFile(file.name, file.size)
      } catch (err) {
        return reject(err)
      }
      const reader = new FileReader()
      reader.onload = () => {
        const url = String(reader.result ?? '')
        resolve({ name: file.name, size: file.size, base64: url.slice(url.indexOf(',') + 1) })
      }
      reader.onerror = () => reject(new ApiError('UnsupportedFile', '读取文件失败，请重新选择'))
      reader.readAsDataURL(file)
    })
    input.click()
  })
}
