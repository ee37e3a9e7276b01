import { BODY_MAX, TITLE_MAX } from '../../src/contracts/notices'
import { beijingTime } from '../../src/contracts/time'
import { formatArea } from '../../src/contracts/units'
import { ART278_ITEMS, CHOICE_LABELS, type ResultReceipt } from '../../src/contracts/votes'
import type { Figures } from './vote.counting'
import { percent } from './vote.counting'
import type { MatterRow, VoteRow } from './vote.repository'
import type * as repo from './vote.repository'

/**
 * The two notices a vote publishes, as text: the announcement (a 公示 posted until the vote
 * closes) and the 表决结果 with the figures the law asks for and the counted receipts. Pure:
 * publishing them is the caller's step, in the transaction that changes the vote.
 */

export interface NoticeText {
  title: string
  body: string
}

type CommunityForVotes = NonNullable<Awaited<ReturnType<typeof repo.communityForVotes>>>

export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`
}

export function scopeText(scope: 'whole' | 'buildings', buildings: { name: string }[]): string {
  return scope === 'whole' ? '全体业主' : `${buildings.map((b) => b.name).join('、')}业主`
}

/** The body that speaks for the 小区 in system notices: the committee, or the office when it acts for one. */
export function systemPublisherName(community: CommunityForVotes): string {
  return community.governance === 'office_acting' ? community.office_name : community.committee_name
}

const passRule = (m: MatterRow) =>
  m.class === 'special'
    ? '须参与表决面积和人数均达三分之二以上，且同意面积和人数均达参与表决的四分之三以上'
    : '须参与表决面积和人数均达三分之二以上，且同意面积和人数均过参与表决的半数'

/** The counting period of a vote that accepts paper ballots, or null. */
export function countingOf(vote: Pick<VoteRow, 'accepts_paper' | 'counting_days'>): { days: number } | null {
  return Number(vote.accepts_paper) === 1 ? { days: Number(vote.counting_days) } : null
}

/** How paper ballots are taken, as the announcement says it. */
export function paperRule(counting: { days: number } | null): string {
  if (!counting) return '也可领取纸质表决票，签字后在投票结束前交业委会，由业委会拍照录入。'
  return `本次表决接受纸质表决票和书面委托（委托书，《业主大会和业主委员会指导规则》第二十六条）：签字后交业委会，由业委会拍照录入；投票结束后有 ${counting.days} 天计票期，只录入投票结束前签署的纸质票，计票结束后公布结果。空白或无法辨认的纸质票计为无效票：计入参与表决，不计为同意，也不计为弃权。`
}

/** The announcement: what is voted on, by whom, when, by which rule, and how to vote. */
export function announcementText(
  vote: Pick<VoteRow, 'title' | 'description' | 'scope'>,
  matters: MatterRow[],
  buildings: { name: string }[],
  opensAt: Date,
  closesAt: Date,
  totals?: { units: number; areaCentiM2: number; headcount: number },
  counting: { days: number } | null = null,
): NoticeText {
  const lines = [
    vote.description,
    `表决范围：${scopeText(vote.scope, buildings)}`,
    ...(totals
      ? [`按公告时的业主名册：专有部分 ${totals.units} 套，总面积 ${formatArea(totals.areaCentiM2)} ㎡，业主 ${totals.headcount} 人（开始投票时按名册冻结；业主可在“议事”中查看本人的登记情况，有异议请在开始投票前提出）`]
      : []),
    `投票时间：${beijingTime(opensAt)} 至 ${beijingTime(closesAt)}（北京时间）`,
    '',
    '表决事项：',
    ...matters.map((m) => `${m.position}. ${m.title}（《民法典》第二百七十八条第${m.item}项：${ART278_ITEMS[m.item]}；${passRule(m)}）${m.description ? `\n   ${m.description}` : ''}`),
    '',
    '每位业主对每个事项选择同意、反对或弃权，一经提交不可更改；同一业主单独所有的多套房屋对范围内全部投一票，面积合计、人数计一人（单独所有一套、又与他人共有另一套的，是两个不同的买受人，分别投票、计两人）；共有房屋由共有人推选一人投票，未推选的以最先投票的共有人为准。每位业主（每户共有人）只计一张表决票：线上票与纸质票以最先收到的一张为准，之后再提交的不计入并登记为重复投票。投票后可凭回执码查询计票情况。',
    paperRule(counting),
  ].filter((l, i) => i !== 0 || l.trim() !== '')
  return { title: clip(`业主大会表决公告：${vote.title}`, TITLE_MAX), body: clip(lines.join('\n'), BODY_MAX) }
}

/** What a 表决结果 notice prints so that a photo of it proves later that nothing was changed. */
export interface ResultAnchor {
  /** SHA-256 of the electorate frozen at opening (units, areas, voter keys, who may cast them). */
  electorateDigest: string
  /** The 小区's audit chain head just after the vote's closing entry, `seq:hash`. */
  auditHead: string
}

export function anchorLines(a: ResultAnchor): string[] {
  return [
    `冻结业主名单摘要（SHA-256）：${a.electorateDigest}`,
    `审计链头：${a.auditHead}（本小区审计记录截至本次计票的序号与哈希；运行 npm run audit-verify -- --head ${a.auditHead} 可核对此后的记录未被改动）`,
  ]
}

/** The longest tail the receipt list may need ("……其余 N 张回执见…"), kept free below BODY_MAX. */
const RECEIPTS_TAIL_ROOM = 60

/**
 * The 表决结果 notice. It always fits one notice: when the full wording of many matters with long
 * titles would not, each matter takes one line with the figures the law asks for, and receipts
 * that do not fit are pointed to on the result page (a notice that cannot be published would
 * keep the vote from closing).
 */
export function resultText(
  vote: Pick<VoteRow, 'title' | 'opens_at' | 'closes_at' | 'scope'>,
  matters: MatterRow[],
  figures: Figures[],
  receipts: ResultReceipt[],
  conflicts: number,
  buildings: { name: string }[],
  anchor?: ResultAnchor,
  paper?: { ballots: number; proxies: number; invalid: number },
): NoticeText {
  const intro = [
    `表决范围：${scopeText(vote.scope, buildings)}`,
    `投票时间：${beijingTime(vote.opens_at)} 至 ${beijingTime(vote.closes_at)}（北京时间）`,
    `专有部分总面积 ${formatArea(figures[0]?.totalAreaCentiM2 ?? 0)} ㎡，业主总人数 ${figures[0]?.totalHeadcount ?? 0} 人（按《民法典》第二百七十八条及最高人民法院建筑物区分所有权司法解释第八、九条计算：一套专有部分计一人；同一业主单独所有的多套房屋合计一人（绑定同一微信账号的，或名册中同名且电话或身份证号相同的，视为同一业主；名册中同名的记录经业委会核实确认为同一人的合并、确认为不同的人的分开计算）；共有房屋的共有人合计一人，同一业主单独所有一套、又与他人共有另一套的，是两个不同的买受人，计两人；开发商未售房屋合计一人）。`,
    ...(anchor ? anchorLines(anchor) : []),
    '',
  ]
  const full = matters.flatMap((m, i) => {
    const f = figures[i]
    return [
      `${m.position}. ${m.title}（第${m.item}项，${m.class === 'special' ? '特别事项：同意须达参与表决的四分之三以上' : '一般事项：同意须过参与表决的半数'}）`,
      `   参与表决：面积 ${formatArea(f.participatingAreaCentiM2)} ㎡（${percent(f.participatingAreaCentiM2, f.totalAreaCentiM2)}），人数 ${f.participatingHeadcount} 人（${percent(f.participatingHeadcount, f.totalHeadcount)}），${f.quorumMet ? '达到' : '未达到'}三分之二`,
      `   同意：面积 ${formatArea(f.agreeAreaCentiM2)} ㎡（占参与 ${percent(f.agreeAreaCentiM2, f.participatingAreaCentiM2)}），人数 ${f.agreeHeadcount} 人（占参与 ${percent(f.agreeHeadcount, f.participatingHeadcount)}）`,
      `   反对：面积 ${formatArea(f.opposeAreaCentiM2)} ㎡，${f.opposeHeadcount} 人；弃权：面积 ${formatArea(f.abstainAreaCentiM2)} ㎡，${f.abstainHeadcount} 人${f.invalidHeadcount ? `；无效票（空白或无法辨认，计入参与，不计为弃权）：面积 ${formatArea(f.invalidAreaCentiM2)} ㎡，${f.invalidHeadcount} 人` : ''}`,
      `   结果：${f.passed ? '通过' : '未通过'}`,
    ]
  })
  const paperLine = paper && paper.ballots + paper.proxies > 0 ? [`其中纸质表决票 ${paper.ballots} 张、书面委托 ${paper.proxies} 份（含无效票 ${paper.invalid} 张），由业委会录入并拍照留存。`] : []
  const receiptsHead = ['', ...paperLine, `计入的表决票 ${receipts.length} 张${conflicts ? `（另有 ${conflicts} 户重复提交了纸质票和线上票，按最先收到的一张计，之后的不计入）` : ''}。回执码与选择（按事项顺序，不含姓名）：`]
  let head = [...intro, ...full, ...receiptsHead].join('\n')
  if (head.length + RECEIPTS_TAIL_ROOM > BODY_MAX) {
    const compact = matters.map((m, i) => {
      const f = figures[i]
      return `${m.position}. ${clip(m.title, 30)}（第${m.item}项，${m.class === 'special' ? '特别事项' : '一般事项'}）：参与 ${formatArea(f.participatingAreaCentiM2)} ㎡、${f.participatingHeadcount} 人，${f.quorumMet ? '达到' : '未达到'}三分之二；同意 ${formatArea(f.agreeAreaCentiM2)} ㎡、${f.agreeHeadcount} 人；结果：${f.passed ? '通过' : '未通过'}`
    })
    const note = '（事项较多，各事项的完整内容、反对和弃权数及比例见“议事”中本次表决的结果页。）'
    head = clip([...intro, note, ...compact, ...receiptsHead].join('\n'), BODY_MAX - RECEIPTS_TAIL_ROOM)
  }
  let body = head
  for (let i = 0; i < receipts.length; i++) {
    const r = receipts[i]
    const line = `\n${r.receiptCode} ${r.choices.map((c) => CHOICE_LABELS[c]).join('/')}${r.channel === 'paper' ? '（纸质）' : ''}`
    const rest = receipts.length - i
    const tail = `\n……其余 ${rest} 张回执见“议事”中本次表决的结果页，可按回执码查询。`
    if (body.length + line.length + tail.length > BODY_MAX) {
      body += tail
      break
    }
    body += line
  }
  return { title: clip(`表决结果：${vote.title}`, TITLE_MAX), body }
}
