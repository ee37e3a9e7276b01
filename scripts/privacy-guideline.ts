/**
 * Writes, beside the mini-program build, the list of personal information it collects and why, in
 * the order and wording the WeChat console's 用户隐私保护指引 form asks for (设置 → 服务内容声明 →
 * 用户隐私保护指引), so whoever publishes a release copies it instead of guessing. Run by
 * `npm run build:weapp` after Taro; the text comes from src/contracts/privacy.ts, the same list the
 * in-app policy shows.
 *
 *   tsx scripts/privacy-guideline.ts [outDir]     (default: <OUTPUT_ROOT or dist>-privacy)
 */
import fs from 'node:fs'
import path from 'node:path'
import { DATA_ITEMS, PRIVACY_TITLE, PRIVACY_VERSION, WECHAT_PRIVACY_ITEMS } from '../src/contracts/privacy'

export function renderPrivacyGuideline(): string {
  const lines: string[] = []
  lines.push(`# ${PRIVACY_TITLE}（填写微信公众平台“用户隐私保护指引”用）`, '')
  lines.push(`对应应用内隐私政策版本：${PRIVACY_VERSION}。小程序启用了隐私授权弹窗（onNeedPrivacyAuthorization），下列每一项都必须在后台声明，否则对应接口会被微信拒绝（errno 112）。`, '')
  lines.push('## 一、开发者处理的信息', '')
  lines.push('| 信息类型 | 使用的接口或组件 | 用途（“为了……”） |', '| --- | --- | --- |')
  for (const i of WECHAT_PRIVACY_ITEMS) lines.push(`| ${i.kind} | ${i.apis.join('、').replace(/\|/g, '\\|')} | ${i.purpose} |`)
  lines.push('')
  for (const i of WECHAT_PRIVACY_ITEMS) lines.push(`- 为了${i.purpose}，开发者将在获取你的明示同意后，收集你的${i.kind}。`)
  lines.push('', '## 二、开发者对信息的存储', '')
  lines.push('- 存储地点：中华人民共和国境内。')
  lines.push('- 存储期限：按下表；超过期限后删除或匿名化。')
  lines.push('', '| 信息 | 用途 | 保存期限 | 谁能看到 |', '| --- | --- | --- | --- |')
  for (const d of DATA_ITEMS) lines.push(`| ${d.what} | ${d.why} | ${d.keep} | ${d.seenBy} |`)
  lines.push('', '## 三、信息的使用规则', '')
  lines.push('- 只在上述用途范围内使用；用途变化时更新指引版本，并重新征得同意。')
  lines.push('- 不用于用户画像、自动化决策或广告。')
  lines.push('', '## 四、信息对外提供', '')
  lines.push('- 不向任何第三方提供、出售；小区以外的任何人都看不到。公示（表决结果、欠费公示）不含手机号和身份证号。')
  lines.push('', '## 五、用户权益', '')
  lines.push('- 查阅、复制：小程序“我的 → 个人信息”，可导出全部数据。')
  lines.push('- 删除、注销：小程序“我的 → 个人信息 → 注销账号”。')
  lines.push('- 撤回授权：微信“设置 → 隐私 → 授权管理”，或小程序右上角“… → 设置”。')
  lines.push('- 登录设备：小程序“我的 → 登录设备”，可逐一退出。')
  lines.push('', '## 六、开发者联系方式', '')
  lines.push('- 请填写运营方（业委会、物管会或社区）的联系电话或邮箱。', '')
  return lines.join('\n')
}

export function writePrivacyGuideline(outDir: string): string {
  fs.mkdirSync(outDir, { recursive: true })
  const file = path.join(outDir, 'privacy-guideline.md')
  fs.writeFileSync(file, renderPrivacyGuideline())
  return file
}

const invokedDirectly = process.argv[1] && path.basename(process.argv[1]).startsWith('privacy-guideline')
if (invokedDirectly) {
  const outDir = process.argv[2] ?? `${process.env.OUTPUT_ROOT ?? 'dist'}-privacy`
  console.log(`隐私保护指引清单：${writePrivacyGuideline(outDir)}`)
}
