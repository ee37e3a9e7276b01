import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { renderPrivacyGuideline, writePrivacyGuideline } from '../../scripts/privacy-guideline'

describe('the list written beside the weapp build for the console’s 用户隐私保护指引', () => {
  it('names every privacy API the mini-program calls, with the purpose in the console’s sentence', () => {
    const text = renderPrivacyGuideline()
    for (const kind of ['手机号', '选中的照片或视频信息', '选中的文件', '剪切板']) {
      expect(text).toMatch(new RegExp(`为了[^\\n]+，开发者将在获取你的明示同意后，收集你的${kind}。`))
    }
    // Every privacy API found in the source is declared.
    const src = ['src/services/pick-file.ts', 'src/services/notice-files.ts'].map((f) => fs.readFileSync(f, 'utf8')).join('\n')
    if (src.includes('chooseMessageFile')) expect(text).toContain('wx.chooseMessageFile')
    if (src.includes('chooseImage')) expect(text).toContain('wx.chooseImage')
    expect(text).toContain('存储期限')
    expect(text).toContain('注销账号')
  })

  it('is written by npm run build:weapp, into a folder beside the build', () => {
    const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'))
    expect(pkg.scripts['build:weapp']).toMatch(/taro build --type weapp && tsx scripts\/privacy-guideline\.ts/)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'privacy-'))
    const file = writePrivacyGuideline(path.join(dir, 'dist-privacy'))
    expect(fs.readFileSync(file, 'utf8')).toBe(renderPrivacyGuideline())
  })
})
