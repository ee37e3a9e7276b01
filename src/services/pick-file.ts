import Taro from '@tarojs/taro'
import { ApiError } from './errors'
import { isPrivacyDenied, privacyDeclined } from './privacy'

/**
 * A file the person picked. In the browser its bytes are read at once (base64); in the
 * mini-program only WeChat's temporary path is kept, and services/upload.ts reads it as base64
 * (HTTP) or uploads it to cloud storage (cloud transport) when it is sent.
 */
export interface PickedFile {
  name: string
  size: number
  base64?: string
  /** The mini-program's temporary file (chooseMessageFile / chooseImage). */
  path?: string
}

/** Throws (an ApiError with the reason in plain words) when a picked file must not be sent. */
export type FileCheck = (name: string, size: number) => void

/** Same limit as the roster contract: far above a 2,000-unit roster. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024

const EXTENSIONS = ['xlsx', 'csv']

const readFailed = () => new ApiError('UnsupportedFile', '读取文件失败，请重新选择')

/** WeChat reports a cancel as a failure with "cancel" in errMsg. */
export const isCancel = (err: unknown) => /cancel/i.test(String((err as { errMsg?: string })?.errMsg ?? ''))

function checkFile(name: string, size: number): void {
  const ext = name.split('.').pop()?.toLowerCase() ?? ''
  if (!EXTENSIONS.includes(ext)) throw new ApiError('UnsupportedFile', '请选择 .xlsx 或 .csv 格式的名册文件')
  if (size > MAX_FILE_BYTES) throw new ApiError('PayloadTooLarge', '文件超过 5 MB，请检查是否选错了文件')
}

/**
 * Lets the person pick a roster file (.xlsx or .csv).
 * Resolves null when the person cancels.
 */
export async function pickRosterFile(): Promise<PickedFile | null> {
  if (process.env.TARO_ENV === 'h5') {
    return pickInBrowser('.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv', 'roster-file-input', checkFile)
  }
  return pickFromChat(EXTENSIONS, '无法打开文件，请从微信聊天中选择名册文件', checkFile)
}

// How picking and reading differ between the mini-program (a file from a WeChat chat, read by
// the file-system manager) and the browser (an <input type="file"> and FileReader) is known here only.

/** A browser file (or blob) as base64. */
export function readBrowserFile(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => {
      const url = String(reader.result ?? '')
      resolve(url.slice(url.indexOf(',') + 1))
    }
    reader.onerror = () => reject(readFailed())
    reader.readAsDataURL(file)
  })
}

/** A mini-program temporary file as base64. */
export function readMiniProgramFile(filePath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    Taro.getFileSystemManager().readFile({
      filePath,
      encoding: 'base64',
      success: (r) => resolve(String(r.data)),
      fail: () => reject(readFailed()),
    })
  })
}

/**
 * One file from disk through a hidden <input type="file"> (`accept` as the input takes it;
 * `testId` lets browser tests find the input). Resolves null on cancel; rejects with what `check`
 * throws.
 */
export function pickInBrowser(accept: string, testId: string, check: FileCheck): Promise<PickedFile | null> {
  return new Promise((resolve, reject) => {
    const input = document.createElement('input')
    input.type = 'file'
    input.accept = accept
    input.style.display = 'none'
    input.setAttribute('data-testid', testId)
    document.body.appendChild(input)
    input.addEventListener('cancel', () => {
      input.remove()
      resolve(null)
    })
    input.addEventListener('change', () => {
      const file = input.files?.[0]
      input.remove()
      if (!file) return resolve(null)
      try {
        check(file.name, file.size)
      } catch (err) {
        return reject(err)
      }
      readBrowserFile(file).then((base64) => resolve({ name: file.name, size: file.size, base64 }), reject)
    })
    input.click()
  })
}

/**
 * One file from a WeChat chat with one of these extensions. Resolves null on cancel; throws
 * `openError` when WeChat cannot open the chooser, and what `check` throws.
 */
export async function pickFromChat(extension: string[], openError: string, check: FileCheck): Promise<PickedFile | null> {
  let picked: { path: string; name: string; size: number } | undefined
  try {
    picked = (await Taro.chooseMessageFile({ count: 1, type: 'file', extension })).tempFiles[0]
  } catch (err) {
    if (isCancel(err)) return null
    if (isPrivacyDenied(err)) throw privacyDeclined('从微信聊天选择文件', '其他功能照常使用；想上传文件时再点一次并选择同意，或在电脑浏览器上打开共治上传。')
    throw new ApiError('UnsupportedFile', openError)
  }
  if (!picked) return null
  check(picked.name, picked.size)
  return { name: picked.name, size: picked.size, path: picked.path }
}
