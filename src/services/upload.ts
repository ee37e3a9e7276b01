import Taro from '@tarojs/taro'
import type { ActionArgs, ActionInput, ActionName, ActionOutput } from '../contracts/api'
import { ApiError } from './errors'
import { readMiniProgramFile, type PickedFile } from './pick-file'
import { currentTransport, request } from './request'

/** The name an action input gives a file's base64 (rosters: fileBase64; notices and ballots: dataBase64). */
export type Base64Field = 'fileBase64' | 'dataBase64'

/** The file part of an action input: its base64 field (HTTP) or the temporary cloud upload holding it. */
export type FilePart = { fileBase64: string } | { dataBase64: string } | { cloudFileId: string }

/** The actions whose input carries a file (its base64 field or a cloud upload). */
export type FileAction = { [A in ActionName]: ActionInput<A> extends { cloudFileId?: string } ? A : never }[ActionName]

const readFailed = () => new ApiError('UnsupportedFile', '读取文件失败，请重新选择')

/** A file name WeChat cloud storage takes in a path: ASCII letters, digits, . _ - only, extension kept. */
export function safeCloudName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? ''
  const dot = base.lastIndexOf('.')
  const ext = dot > 0 ? base.slice(dot + 1).replace(/[^A-Za-z0-9]/g, '').slice(0, 10).toLowerCase() : ''
  const stem = (dot > 0 ? base.slice(0, dot) : base).replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 60) || 'file'
  return ext ? `${stem}.${ext}` : stem
}

function randomFolder(): string {
  let s = Date.now().toString(36)
  while (s.length < 24) s += Math.floor(Math.random() * 36).toString(36)
  return s
}

/**
 * How a picked file travels inside an action input. Over HTTP the JSON body carries it as base64,
 * as it always has. The cloud transport cannot: callFunction's payload is far too small for a file,
 * so the file goes first to cloud storage (wx.cloud.uploadFile, under `uploads/`) and the action
 * carries only its id; the server reads it and deletes it.
 */
export async function filePart(file: PickedFile, field: Base64Field): Promise<FilePart> {
  if (currentTransport() === 'cloud') {
    if (!file.path) throw readFailed()
    let fileID: string | undefined
    try {
      fileID = (await Taro.cloud.uploadFile({ cloudPath: `uploads/${randomFolder()}/${safeCloudName(file.name)}`, filePath: file.path })).fileID
    } catch {
      throw new ApiError('Network', '文件上传失败，请检查网络后重试')
    }
    if (!fileID) throw new ApiError('Network', '文件上传失败，请检查网络后重试')
    return { cloudFileId: fileID }
  }
  const base64 = file.base64 ?? (file.path ? await readMiniProgramFile(file.path) : undefined)
  if (!base64) throw readFailed()
  return field === 'fileBase64' ? { fileBase64: base64 } : { dataBase64: base64 }
}

/**
 * Calls an action whose input carries a file: `input` without its file, plus the file's part.
 * Should the call fail before the server read a cloud upload (a refused input, no network), the
 * upload is removed here, best effort; the server deletes every one it reads.
 */
export async function requestWithFile<A extends FileAction>(
  action: A,
  input: Omit<ActionInput<A>, Base64Field | 'cloudFileId'>,
  file: PickedFile,
  field: Base64Field & keyof ActionInput<A>,
): Promise<ActionOutput<A>> {
  const part = await filePart(file, field)
  try {
    // The input without its file plus exactly one file part: the action's whole input.
    return await request(action, ...([{ ...input, ...part }] as unknown as ActionArgs<A>))
  } catch (err) {
    if ('cloudFileId' in part) {
      await Promise.resolve(Taro.cloud.deleteFile({ fileList: [part.cloudFileId] })).catch(() => undefined)
    }
    throw err
  }
}
