import { newWorkbook } from '../xlsx'
import { ART278_ITEMS, CHOICE_LABELS, MATTER_CLASS_LABELS, type ExportFile, type VoteResultSheet } from '../../src/contracts/votes'
import { beijingTime } from '../../src/contracts/time'
import { formatArea } from '../../src/contracts/units'
import type { Ctx } from '../context'
import { percent } from './vote.counting'
import { resultData } from './vote.queries'

type Data = Omit<VoteResultSheet, 'html'>

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/**
 * The result as a page for the notice board: plain HTML with its own print styles, no scripts, no
 * names. Opened in a browser and printed (A4), or shown in the H5 build.
 */
export function resultHtml(d: Data): string {
  const v = d.vote
  const scope = v.scope === 'whole' ? '全体业主' : `${v.buildings.map((b) => b.name).join('、')}业主`
  const first = d.progress.matters[0]
  const matters = d.progress.matters
    .map((m) => {
      const info = v.matters.find((x) => x.id === m.matterId)!
      return `<section class="matter">
<h2>${m.position}. ${esc(m.title)} <span class="tag ${m.passed ? 'pass' : 'fail'}">${m.passed ? '通过' : '未通过'}</span></h2>
<p class="item">《民法典》第二百七十八条第${m.item}项：${esc(ART278_ITEMS[m.item])}；${MATTER_CLASS_LABELS[m.class]}</p>
${info.description ? `<p>${esc(info.description)}</p>` : ''}
<table>
<tr><th></th><th>面积（㎡）</th><th>比例</th><th>人数</th><th>比例</th></tr>
<tr><td>参与表决</td><td>${formatArea(m.participatingAreaCentiM2)}</td><td>${percent(m.participatingAreaCentiM2, m.totalAreaCentiM2)}</td><td>${m.participatingHeadcount}</td><td>${percent(m.participatingHeadcount, m.totalHeadcount)}</td></tr>
<tr><td>同意</td><td>${formatArea(m.agreeAreaCentiM2)}</td><td>${percent(m.agreeAreaCentiM2, m.participatingAreaCentiM2)}</td><td>${m.agreeHeadcount}</td><td>${percent(m.agreeHeadcount, m.participatingHeadcount)}</td></tr>
<tr><td>反对</td><td>${formatArea(m.opposeAreaCentiM2)}</td><td>${percent(m.opposeAreaCentiM2, m.participatingAreaCentiM2)}</td><td>${m.opposeHeadcount}</td><td>${percent(m.opposeHeadcount, m.participatingHeadcount)}</td></tr>
<tr><td>弃权</td><td>${formatArea(m.abstainAreaCentiM2)}</td><td>${percent(m.abstainAreaCentiM2, m.participatingAreaCentiM2)}</td><td>${m.abstainHeadcount}</td><td>${percent(m.abstainHeadcount, m.participatingHeadcount)}</td></tr>
${m.invalidHeadcount ? `<tr><td>无效票（空白或无法辨认，计入参与，不计为弃权）</td><td>${formatArea(m.invalidAreaCentiM2)}</td><td>${percent(m.invalidAreaCentiM2, m.participatingAreaCentiM2)}</td><td>${m.invalidHeadcount}</td><td>${percent(m.invalidHeadcount, m.participatingHeadcount)}</td></tr>` : ''}
</table>
<p>参与表决${m.quorumMet ? '达到' : '未达到'}总面积和总人数的三分之二；同意${m.class === 'special' ? '须达参与表决面积和人数的四分之三以上' : '须过参与表决面积和人数的半数'}。</p>
</section>`
    })
    .join('\n')
  const receipts = d.receipts
    .map((r) => `<tr><td class="code">${esc(r.receiptCode)}</td>${r.choices.map((c) => `<td>${CHOICE_LABELS[c]}</td>`).join('')}<td>${r.channel === 'paper' ? '纸质' : '线上'}</td></tr>`)
    .join('\n')
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(v.title)} 表决结果</title>
<style>
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:24px;color:#111;line-height:1.6}
h1{font-size:22px;text-align:center;margin:0 0 4px}
.sub{text-align:center;color:#444;margin:0 0 16px}
h2{font-size:17px;margin:18px 0 4px}
.item{color:#444;margin:0 0 6px}
table{border-collapse:collapse;width:100%;margin:6px 0}
th,td{border:1px solid #999;padding:3px 6px;text-align:center;font-size:14px}
.code{font-family:monospace}
.tag{font-size:14px;padding:1px 8px;border-radius:4px;color:#fff}
.pass{background:#1a7f37}.fail{background:#b42318}
.receipts td{font-size:12px}
footer{margin-top:24px;text-align:right}
@media print{body{margin:10mm}.matter{break-inside:avoid}}
</style></head><body>
<h1>${esc(d.communityName)} 业主大会表决结果公告</h1>
<p class="sub">${esc(v.title)}</p>
<p>表决范围：${esc(scope)}。投票时间：${beijingTime(v.opensAt)} 至 ${beijingTime(v.closesAt)}（北京时间）。</p>
<p>专有部分总面积 ${formatArea(first?.totalAreaCentiM2 ?? 0)} ㎡，业主总人数 ${first?.totalHeadcount ?? 0} 人。按《民法典》第二百七十八条及最高人民法院建筑物区分所有权司法解释第八、九条计算：一套专有部分计一人；同一业主单独所有的多套房屋合计一人（名册中同名且电话或身份证号相同、或绑定同一微信账号的，视为同一业主）；共有房屋的共有人合计一人，同一业主单独所有一套、又与他人共有另一套的，是两个不同的买受人，计两人；开发商未售房屋合计一人；面积按不动产登记簿记载。</p>
${matters}
<h2>计入的表决票（${d.receipts.length} 张，不含姓名）</h2>
${d.progress.conflicts ? `<p>${d.progress.conflicts} 户重复提交了纸质票和线上票，按最先收到的一张计入，之后的不计入。</p>` : ''}
<table class="receipts"><tr><th>回执码</th>${v.matters.map((m) => `<th>事项${m.position}</th>`).join('')}<th>方式</th></tr>
${receipts}
</table>
<footer>${esc(d.committeeName)}<br>${beijingTime(v.closedAt ?? d.progress.asOf).slice(0, 10)}</footer>
</body></html>`
}

/** The result as an .xlsx workbook: one sheet of figures, one of receipts, one of conflicts. */
export async function resultXlsx(d: Data): Promise<ExportFile> {
  const wb = await newWorkbook()
  wb.creator = '共治'
  wb.created = new Date(d.vote.closedAt ?? d.progress.asOf)
  const v = d.vote

  const ws = wb.addWorksheet('表决结果')
  ws.addRow([`${d.communityName} 业主大会表决结果：${v.title}`]).font = { bold: true, size: 14 }
  ws.addRow([`投票时间（北京时间）`, `${beijingTime(v.opensAt)} 至 ${beijingTime(v.closesAt)}`])
  ws.addRow(['表决范围', v.scope === 'whole' ? '全体业主' : v.buildings.map((b) => b.name).join('、')])
  ws.addRow([])
  const header = ws.addRow([
    '序号', '事项', '第278条项', '类别', '总面积㎡', '总人数', '参与面积㎡', '参与人数', '同意面积㎡', '同意人数', '反对面积㎡', '反对人数', '弃权面积㎡', '弃权人数', '达到三分之二', '结果',
    // Blank or spoiled papers: their own columns, at the end so earlier columns keep their places.
    '无效票面积㎡', '无效票人数',
  ])
  header.font = { bold: true }
  // Areas as numbers with two decimals, computed from integers (hundredths) so no float drift enters.
  const m2 = (c: number) => Number(formatArea(c))
  for (const m of d.progress.matters) {
    ws.addRow([
      m.position, m.title, m.item, m.class === 'special' ? '特别（3/4）' : '一般（过半数）',
      m2(m.totalAreaCentiM2), m.totalHeadcount, m2(m.participatingAreaCentiM2), m.participatingHeadcount,
      m2(m.agreeAreaCentiM2), m.agreeHeadcount, m2(m.opposeAreaCentiM2), m.opposeHeadcount, m2(m.abstainAreaCentiM2), m.abstainHeadcount,
      m.quorumMet ? '是' : '否', m.passed ? '通过' : '未通过',
      m2(m.invalidAreaCentiM2), m.invalidHeadcount,
    ])
  }
  for (const col of [5, 7, 9, 11, 13, 17]) ws.getColumn(col).numFmt = '0.00'
  ws.getColumn(2).width = 36

  const rs = wb.addWorksheet('回执')
  rs.addRow(['回执码', ...v.matters.map((m) => `事项${m.position}：${m.title}`), '方式']).font = { bold: true }
  for (const r of d.receipts) rs.addRow([r.receiptCode, ...r.choices.map((c) => CHOICE_LABELS[c]), r.channel === 'paper' ? '纸质' : '线上'])
  rs.getColumn(1).width = 16

  const cs = wb.addWorksheet('重复提交')
  cs.addRow(['房屋', '纸质回执（未计入，该户线上票已计入）']).font = { bold: true }
  for (const c of d.conflicts) cs.addRow([c.units.join('、'), c.paperReceipt ?? '（纸质票在线上票之后，不计入）'])

  const buf = Buffer.from(await wb.xlsx.writeBuffer())
  const safeTitle = v.title.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 40)
  return { fileName: `表决结果_${safeTitle}.xlsx`, mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', base64: buf.toString('base64') }
}

/** The printable result for the notice board: the structured data and the page. */
export async function voteResultSheet(ctx: Ctx, ref: { communityId: string; voteId: string }): Promise<VoteResultSheet> {
  const data = await resultData(ctx, ref)
  return { ...data, html: resultHtml(data) }
}

/** The result as .xlsx (base64). */
export async function exportVoteResult(ctx: Ctx, ref: { communityId: string; voteId: string }): Promise<ExportFile> {
  return resultXlsx(await resultData(ctx, ref))
}
