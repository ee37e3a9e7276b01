import { assertSafeKey, type Storage } from './storage'

/** The part of wx-server-sdk's `cloud` object this adapter uses; tests pass a fake. */
export interface WxCloudFiles {
  uploadFile(p: { cloudPath: string; fileContent: Buffer }): Promise<{ fileID: string }>
  downloadFile(p: { fileID: string }): Promise<{ fileContent: Buffer }>
  getTempFileURL(p: { fileList: (string | { fileID: string; maxAge?: number })[] }): Promise<{ fileList: { fileID: string; tempFileURL: string; status: number; errMsg?: string }[] }> | void
  deleteFile(p: { fileList: string[] }): Promise<{ fileList: { fileID: string; status: number; errMsg?: string }[] }> | void
}

/** How long a temporary link handed to a member stays valid. */
const TEMP_URL_SECONDS = 2 * 60 * 60

/**
 * WeChat cloud storage, for the `api` cloud function: files go to the environment's bucket and
 * members load them through temporary links, which are only handed out after the membership check.
 */
export function createWxCloudStorage(cloud: WxCloudFiles): Storage {
  return {
    kind: 'wxcloud',
    async put(key, data) {
      assertSafeKey(key)
      const res = await cloud.uploadFile({ cloudPath: key, fileContent: data })
      if (!res?.fileID) throw new Error('cloud.uploadFile answered without a fileID')
      return res.fileID
    },
    async get(ref) {
      try {
        const res = await cloud.downloadFile({ fileID: ref })
        return res.fileContent
      } catch (err) {
        // STORAGE_FILE_NONEXIST: treat like a missing file on disk.
        const e = err as { errCode?: unknown; message?: unknown } | undefined
        if (/NONEXIST|not exist/i.test(String(e?.errCode ?? e?.message ?? err))) return null
        throw err
      }
    },
    async delete(ref) {
      const res = await cloud.deleteFile({ fileList: [ref] })
      const item = res?.fileList?.[0]
      if (item && item.status !== 0 && !/NONEXIST|not exist/i.test(item.errMsg ?? '')) {
        throw new Error(`cloud.deleteFile failed: ${item.errMsg ?? item.status}`)
      }
    },
    async url(ref) {
      const res = await cloud.getTempFileURL({ fileList: [{ fileID: ref, maxAge: TEMP_URL_SECONDS }] })
      const item = res?.fileList?.[0]
      return item && item.status === 0 ? item.tempFileURL : null
    },
  }
}
