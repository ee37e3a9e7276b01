import Taro from '@tarojs/taro'
import type { ExportFile } from '../contracts/votes'
import { ApiError } from './errors'
import { pickImages, type PickedUpload } from './notice-files'
import { requestWithFile } from './upload'

/**
 * Saves an exported workbook where the person can open it: a download in the browser; a file in
 * the mini-program's user folder, opened by WeChat (which can forward or print it).
 */
export async function saveExport(file: ExportFile): Promise<void> {
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
  await Taro.openDocument({ filePath, fileType: 'xlsx', showMenu: true })
}

/** The photo of a signed paper ballot: taken or picked, then stored on the server; answers its reference. */
export async function pickAndUploadEvidence(communityId: string, voteId: string): Promise<{ evidenceRef: string; name: string } | null> {
  const [photo]: PickedUpload[] = await pickImages(1)
  if (!photo) return null
  const res = await requestWithFile('uploadBallotEvidence', { communityId, voteId, fileName: photo.name }, photo, 'dataBase64')
  return { evidenceRef: res.evidenceRef, name: photo.name }
}
