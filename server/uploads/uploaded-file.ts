import { isCloudUploadId } from '../../src/contracts/uploads'
import type { AppDeps } from '../context'
import { AppError } from '../errors'

/**
 * Temporary files the mini-program uploaded to WeChat cloud storage (wx.cloud.uploadFile) to carry
 * a file into an action: callFunction's payload is far too small for one. Present only in the
 * cloud function; the HTTP server takes files as base64 in the JSON body instead.
 */
export interface CloudFiles {
  download(fileId: string): Promise<Buffer>
  delete(fileId: string): Promise<void>
}

/** The part of wx-server-sdk's `cloud` object CloudFiles needs; tests pass a fake. */
export interface WxCloudFileApi {
  downloadFile(p: { fileID: string }): Promise<{ fileContent: Buffer }>
  deleteFile(p: { fileList: string[] }): Promise<{ fileList?: { fileID: string; status: number; errMsg?: string }[] }>
}

/** STORAGE_FILE_NONEXIST, however the SDK words it. */
function isMissing(err: unknown): boolean {
  const e = err as { errCode?: unknown; errMsg?: unknown; message?: unknown } | string | undefined
  const text = typeof e === 'string' ? e : `${e?.errCode ?? ''} ${e?.errMsg ?? ''} ${e?.message ?? ''}`
  return /NONEXIST|not exist/i.test(text)
}

/** A missing cloud file (never uploaded, or already read once and deleted). */
export class CloudFileMissing extends Error {}

export function createCloudFiles(sdk: WxCloudFileApi): CloudFiles {
  return {
    async download(fileId) {
      try {
        const res = await sdk.downloadFile({ fileID: fileId })
        return Buffer.from(res.fileContent)
      } catch (err) {
        if (isMissing(err)) throw new CloudFileMissing(fileId)
        throw err
      }
    },
    async delete(fileId) {
      const res = await sdk.deleteFile({ fileList: [fileId] })
      const item = res?.fileList?.[0]
      if (item && item.status !== 0 && !isMissing(item.errMsg ?? '')) throw new Error(`cloud.deleteFile failed: ${item.errMsg ?? item.status}`)
    },
  }
}

/** Where an action input's file is: its base64 field, or a temporary cloud upload. Exactly one (the contracts check it). */
export interface UploadedFileSource {
  base64?: string
  cloudFileId?: string
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/

/**
 * base64 (standard or URL-safe, whitespace and a `data:…;base64,` prefix tolerated) to bytes;
 * anything else is refused rather than silently half-decoded.
 */
export function decodeBase64(text: string): Buffer {
  const clean = text.replace(/^data:[^,]*,/, '').replace(/\s+/g, '')
  if (!BASE64.test(clean) || clean.length % 4 === 1) throw new AppError('BadInput', '文件内容不是有效的 base64 编码')
  return Buffer.from(clean, 'base64')
}

/**
 * The bytes of the file an action input carries, whichever way it came. A cloud upload is
 * downloaded and then deleted at once, whatever happens next: it was only the vehicle, and the
 * action's own checks (type, size) run on the returned bytes exactly as on decoded base64, so a
 * refusal leaves nothing behind. Refuses an empty file.
 */
export async function readUploadedFile(ctx: Pick<AppDeps, 'cloudFiles' | 'log'>, input: UploadedFileSource): Promise<Buffer> {
  if ((input.base64 === undefined) === (input.cloudFileId === undefined)) {
    throw new AppError('BadInput', input.base64 === undefined ? '需要文件内容（或小程序上传的云文件）' : '文件内容和云文件只能二选一')
  }
  let data: Buffer
  if (input.base64 !== undefined) {
    data = decodeBase64(input.base64)
  } else {
    const fileId = input.cloudFileId!
    if (!ctx.cloudFiles) throw new AppError('BadInput', '此方式仅用于小程序云开发，请直接上传文件内容')
    if (!isCloudUploadId(fileId)) throw new AppError('BadInput', '云文件编号无效：只接受小程序上传到 uploads/ 下的 cloud:// 文件')
    try {
      data = await ctx.cloudFiles.download(fileId)
    } catch (err) {
      if (err instanceof CloudFileMissing) throw new AppError('NotFound', '找不到上传的文件，请重新选择文件')
      throw err
    } finally {
      // Deleted whether the download worked or not; a failed delete must not fail the action.
      await ctx.cloudFiles.delete(fileId).catch((err: unknown) => ctx.log.warn({ err, fileId }, 'temporary cloud upload not deleted'))
    }
  }
  if (data.length === 0) throw new AppError('BadInput', '文件为空')
  return data
}
