import Taro from '@tarojs/taro'
import { __reset } from './mocks/taro'
import { mockApi } from './api'
import { filePart, requestWithFile, safeCloudName } from '../../src/services/upload'
import { uploadNoticeFile } from '../../src/services/notice-files'

const g = globalThis as { TARO_APP_TRANSPORT?: string }
// The shared Taro mock has no cloud storage; these stand in for wx.cloud.uploadFile / deleteFile.
const cloud = Taro.cloud as unknown as { uploadFile: jest.Mock; deleteFile: jest.Mock; callFunction: jest.Mock }
cloud.uploadFile = jest.fn()
cloud.deleteFile = jest.fn()

beforeEach(() => {
  __reset()
  cloud.uploadFile.mockReset()
  cloud.deleteFile.mockReset()
  cloud.deleteFile.mockResolvedValue({ fileList: [] })
  delete g.TARO_APP_TRANSPORT
})
afterAll(() => {
  delete g.TARO_APP_TRANSPORT
})

/** The mini-program's file-system manager reading a temporary file as base64. */
function fakeFileSystem(files: Record<string, string>) {
  ;(Taro.getFileSystemManager as jest.Mock).mockReturnValue({
    readFile: ({ filePath, success, fail }: { filePath: string; success: (r: { data: string }) => void; fail: () => void }) =>
      filePath in files ? success({ data: files[filePath] }) : fail(),
  })
}

describe('a picked file over HTTP travels as base64, exactly as before', () => {
  it('uses the base64 read in the browser, under the action’s own field name', async () => {
    expect(await filePart({ name: 'a.csv', size: 3, base64: 'YWJj' }, 'fileBase64')).toEqual({ fileBase64: 'YWJj' })
    expect(await filePart({ name: 'a.png', size: 3, base64: 'YWJj' }, 'dataBase64')).toEqual({ dataBase64: 'YWJj' })
    expect(cloud.uploadFile).not.toHaveBeenCalled()
  })

  it('reads a mini-program temporary file as base64 when it is sent (weapp built with TRANSPORT=http)', async () => {
    fakeFileSystem({ 'wxfile://tmp/a.jpg': '/9j/4AAQ' })
    expect(await filePart({ name: 'a.jpg', size: 6, path: 'wxfile://tmp/a.jpg' }, 'dataBase64')).toEqual({ dataBase64: '/9j/4AAQ' })
    await expect(filePart({ name: 'b.jpg', size: 6, path: 'wxfile://tmp/gone.jpg' }, 'dataBase64')).rejects.toMatchObject({ code: 'UnsupportedFile', message: '读取文件失败，请重新选择' })
  })

  it('posts the action with the base64 field and no cloudFileId', async () => {
    const calls = mockApi({ uploadNoticeFile: (input) => ({ id: 'f1', kind: 'image', mime: 'image/png', fileName: input.fileName, sizeBytes: 3, url: '/api/files/f1' }) })
    await uploadNoticeFile('c1', 'image', { name: '现场.png', size: 3, base64: 'YWJj' })
    expect(calls.map((c) => [c.action, c.input])).toEqual([['uploadNoticeFile', { communityId: 'c1', purpose: 'image', fileName: '现场.png', dataBase64: 'YWJj' }]])
  })
})

describe('a picked file over the cloud transport goes to cloud storage first', () => {
  beforeEach(() => {
    g.TARO_APP_TRANSPORT = 'cloud'
  })

  it('uploads the temporary file under uploads/<random>/<safe name> and sends only its cloudFileId', async () => {
    cloud.uploadFile.mockResolvedValue({ fileID: 'cloud://env.b/uploads/x/roster.csv', statusCode: 200 })
    cloud.callFunction.mockResolvedValue({ result: { ok: true, data: { rowCount: 3 } } })
    const data = await requestWithFile('previewRoster', { communityId: 'c1', fileName: '业主名册.csv' }, { name: '业主名册.csv', size: 3, path: 'wxfile://tmp/r.csv' }, 'fileBase64')
    expect(data).toEqual({ rowCount: 3 })
    const { cloudPath, filePath } = cloud.uploadFile.mock.calls[0][0]
    expect(filePath).toBe('wxfile://tmp/r.csv')
    expect(cloudPath).toMatch(/^uploads\/[a-z0-9]{24}\/file\.csv$/)
    expect(cloud.callFunction).toHaveBeenCalledWith({ name: 'api', data: { action: 'previewRoster', input: { communityId: 'c1', fileName: '业主名册.csv', cloudFileId: 'cloud://env.b/uploads/x/roster.csv' } } })
    // Nothing of the file itself rides in the call.
    expect(JSON.stringify(cloud.callFunction.mock.calls[0][0])).not.toMatch(/Base64/)
    expect(cloud.deleteFile).not.toHaveBeenCalled()
    expect(Taro.getFileSystemManager).not.toHaveBeenCalled()
    // Each send is a fresh upload in its own folder.
    await requestWithFile('importRoster', { communityId: 'c1', fileName: 'a.csv' }, { name: 'a.csv', size: 3, path: 'wxfile://tmp/r.csv' }, 'fileBase64')
    expect(cloud.uploadFile.mock.calls[1][0].cloudPath).not.toBe(cloudPath)
  })

  it('removes its upload when the action fails, and says so plainly when the upload itself fails', async () => {
    cloud.uploadFile.mockResolvedValue({ fileID: 'cloud://env.b/uploads/y/ballot.jpg' })
    cloud.callFunction.mockResolvedValue({ result: { ok: false, error: { code: 'Forbidden', message: '您不是该小区的成员' } } })
    await expect(requestWithFile('uploadBallotEvidence', { communityId: 'c1', voteId: 'v1', fileName: 'b.jpg' }, { name: 'b.jpg', size: 3, path: 'wxfile://tmp/b.jpg' }, 'dataBase64')).rejects.toMatchObject({ code: 'Forbidden' })
    expect(cloud.deleteFile).toHaveBeenCalledWith({ fileList: ['cloud://env.b/uploads/y/ballot.jpg'] })

    cloud.uploadFile.mockRejectedValue({ errMsg: 'cloud.uploadFile:fail timeout' })
    await expect(filePart({ name: 'b.jpg', size: 3, path: 'wxfile://tmp/b.jpg' }, 'dataBase64')).rejects.toMatchObject({ code: 'Network', message: '文件上传失败，请检查网络后重试' })
    // A browser file (no temporary path) cannot be uploaded this way.
    await expect(filePart({ name: 'b.jpg', size: 3, base64: 'YWJj' }, 'dataBase64')).rejects.toMatchObject({ code: 'UnsupportedFile' })
  })

  it('keeps cloud paths to safe ASCII names with their extension', () => {
    expect(safeCloudName('现场照片.JPG')).toBe('file.jpg')
    expect(safeCloudName('../../etc/passwd')).toBe('passwd')
    expect(safeCloudName('2027 budget (final).pdf')).toBe('2027_budget_final.pdf')
    expect(safeCloudName('.hidden')).toBe('hidden')
  })
})
