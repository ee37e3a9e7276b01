import * as v from 'valibot'

/**
 * A file in an action input travels one of two ways: as base64 inside the JSON (HTTP, where a body
 * of many megabytes is fine), or — in the mini-program's cloud transport, whose callFunction payload
 * is far too small for a file — first uploaded with wx.cloud.uploadFile to a temporary
 * `uploads/…` path, then named here by its cloud file id. The server reads it and deletes it.
 */

/** Where the client puts temporary uploads; the server accepts no cloud file outside it. */
export const UPLOAD_FOLDER = 'uploads/'

/** `cloud://<env>.<bucket>/uploads/<random>/<name>`: only our own temporary uploads, no `.` or `..` segments. */
export function isCloudUploadId(id: string): boolean {
  const m = /^cloud:\/\/[^/\s]+\/(uploads\/[^\s]+)$/.exec(id)
  return !!m && !m[1].split('/').some((seg) => seg === '' || seg === '.' || seg === '..')
}

export const CloudFileId = v.pipe(
  v.string('云文件编号应为文字'),
  v.maxLength(500, '云文件编号过长'),
  v.check(isCloudUploadId, '云文件编号无效：只接受小程序上传到 uploads/ 下的 cloud:// 文件'),
)

/** Checks that an input carries exactly one of its base64 field and `cloudFileId`. */
export function exactlyOneFile<T extends { cloudFileId?: string }>(base64Field: keyof T & string) {
  return v.check<T, v.ErrorMessage<v.CheckIssue<T>>>((i) => (i[base64Field] !== undefined) !== (i.cloudFileId !== undefined), (issue) =>
    issue.input[base64Field] !== undefined ? '文件内容和云文件只能二选一' : '需要文件内容（或小程序上传的云文件）',
  )
}

/** The largest file each upload takes, in bytes: the server checks the bytes, the HTTP body limit follows from it. */
export const FILE_LIMITS = {
  roster: 5 * 1024 * 1024,
  noticeFile: 20 * 1024 * 1024,
  ballotEvidence: 10 * 1024 * 1024,
} as const
