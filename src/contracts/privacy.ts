import * as v from 'valibot'

/**
 * The privacy policy (PIPL arts. 13–17) and the list of personal information the mini-program
 * collects, in one place: the in-app policy page shows it, the server records who accepted which
 * version, and `npm run build:weapp` writes the list beside the build in the form of the
 * console's 用户隐私保护指引 (scripts/privacy-guideline.ts).
 *
 * Changing what is collected or why is a new version: raise PRIVACY_VERSION, and everyone is
 * asked to accept again.
 */
export const PRIVACY_VERSION = '2025-01'
export const PRIVACY_TITLE = '共治隐私保护指引'

/** One kind of personal information a WeChat privacy API hands us, as the console's form lists it. */
export interface WeChatPrivacyItem {
  /** The console's name for it (用户隐私保护指引 → 收集的信息类型). */
  kind: string
  /** The APIs or components that collect it. */
  apis: string[]
  /** 为了【…】 — the purpose as the form asks it. */
  purpose: string
}

export const WECHAT_PRIVACY_ITEMS: WeChatPrivacyItem[] = [
  {
    kind: '手机号',
    apis: ['<button open-type="getPhoneNumber">'],
    purpose: '核对您是否为业主名册上的业主，核对一致后绑定房屋',
  },
  {
    kind: '选中的照片或视频信息',
    apis: ['wx.chooseImage', 'wx.chooseMedia'],
    purpose: '发布公告的配图、纸质表决票的照片、报事时拍摄的现场照片',
  },
  {
    kind: '选中的文件',
    apis: ['wx.chooseMessageFile'],
    purpose: '业委会导入业主名册、发布公告的 PDF 附件',
  },
  {
    kind: '剪切板',
    apis: ['wx.setClipboardData'],
    purpose: '复制租户邀请码、投票回执码和导出的个人信息',
  },
]

/** What we keep about a person, why, for how long and who may see it (PIPL art. 17). */
export interface DataItem {
  what: string
  why: string
  keep: string
  seenBy: string
}

export const DATA_ITEMS: DataItem[] = [
  {
    what: '微信身份标识（openid）',
    why: '登录；识别同一个微信账号',
    keep: '直到您注销账号',
    seenBy: '只有系统使用，任何人员都看不到',
  },
  {
    what: '登录设备记录（登录时间、最近使用时间、浏览器或微信版本）',
    why: '让您看到哪些设备登录了您的账号，并可逐一退出',
    keep: '登录有效期（默认 30 天）结束后删除；注销时立即删除',
    seenBy: '只有您本人',
  },
  {
    what: '绑定房屋时填写的姓名、手机号；身份证后四位（只保存不可还原的校验值）',
    why: '核对您是否为名册上的业主',
    keep: '绑定申请处理完并保留至您注销账号',
    seenBy: '您本人；本小区业委会（物管会）审核绑定的委员',
  },
  {
    what: '微信验证的手机号',
    why: '与名册上的手机号核对，一致即可立即绑定',
    keep: '不单独保存：只用于当次核对，并作为绑定申请的手机号记录',
    seenBy: '您本人；本小区业委会（物管会）',
  },
  {
    what: '业主名册中的姓名、手机号、房屋和面积',
    why: '确认业主身份、按面积和人数计算表决结果、计算物业费和维修资金',
    keep: '由业委会（物管会）保管，随名册更新；注销账号不会删除名册',
    seenBy: '本小区业委会（物管会）；物业人员看房屋和缴费，不看身份证信息；社区、街道工作人员依职责查看',
  },
  {
    what: '租住关系',
    why: '让租户看到本小区公告、报事',
    keep: '直到业主收回或您注销账号',
    seenBy: '您本人；邀请您的业主',
  },
  {
    what: '表决票（选择、回执码、投票时间）',
    why: '依法计票；发生争议时供法院核查（最高法建筑物区分所有权解释第十二条：决定作出后一年内可诉请撤销）',
    keep: '表决结束后至少保存一年；注销账号后仍保留，只与名册上的投票人相连，不再与您的账号相连',
    seenBy: '结果公示只有回执码和选择，没有姓名；业委会（物管会）核对参与情况',
  },
  {
    what: '报事内容和照片',
    why: '转给物业、业委会或社区处理',
    keep: '办结后保留，供小区追溯',
    seenBy: '处理该报事的物业人员、业委会委员、社区工作人员；匿名报事不显示您的身份',
  },
  {
    what: '您同意本指引的记录（版本、时间）',
    why: '证明您在知情的情况下同意',
    keep: '与同意的版本一起长期保存，不含姓名和手机号',
    seenBy: '只有系统使用',
  },
]

export interface PolicySection {
  title: string
  paragraphs: string[]
}

/** The policy's text besides the table of data items. */
export const POLICY_SECTIONS: PolicySection[] = [
  {
    title: '我们是谁',
    paragraphs: [
      '“共治”是为本小区业主、租户、业委会（物管会）、物业和社区工作人员提供公告、缴费、议事表决和报事的小程序。您所在小区的业委会（物管会）决定使用本小程序，并对业主名册负责。',
    ],
  },
  {
    title: '我们收集什么、为什么、保存多久、谁能看到',
    paragraphs: ['下表逐项说明。除此之外我们不收集其他个人信息，也不向任何第三方出售或提供。'],
  },
  {
    title: '按角色看到的范围',
    paragraphs: [
      '业委会（物管会）委员：本小区的业主名册、绑定申请、表决参与情况，不能看到身份证号码（只保存后四位的校验值）。',
      '物业人员：本小区的房屋、缴费和转给物业的报事；看不到表决选择和身份证信息。',
      '社区、街道、区级工作人员：依职责查看所辖小区的公告、表决结果和转来的报事。',
      '其他小区的任何人都看不到您的信息。公示（表决结果、欠费公示）不含手机号和身份证号。',
    ],
  },
  {
    title: '照片、文件和手机号',
    paragraphs: [
      '只有在您点选照片、文件或“微信验证手机号”时，小程序才会读取您选中的内容；第一次使用前会请您阅读并同意本指引。不同意也可以继续使用：不选照片文件，或改为手动填写、由业委会审核绑定。',
    ],
  },
  {
    title: '您的权利',
    paragraphs: [
      '查阅和复制：在“我的 → 个人信息”查看我们保存的关于您的全部信息，并可导出。',
      '更正：绑定信息有误，可重新申请绑定；名册有误，请联系本小区业委会（物管会）更正。',
      '删除和注销：在“我的 → 个人信息”注销账号。注销后登录全部退出，房屋绑定和租住关系删除，您的姓名和手机号从名册以外的所有地方删除；已投的表决票依法保留，只与名册上的投票人相连。',
      '撤回同意：注销账号即撤回；也可在微信“设置 → 隐私”中关闭授权。',
      '登录设备：在“我的 → 登录设备”查看并退出任一设备。',
    ],
  },
  {
    title: '联系我们',
    paragraphs: ['对个人信息的处理有疑问或投诉，请联系本小区业委会（物管会），或向所在社区居委会反映。'],
  },
]

/** Accepting the policy: the version the person read (refused unless it is the current one). */
export const AcceptPrivacyInput = v.object({
  version: v.pipe(v.string('请选择同意的版本'), v.minLength(1, '请选择同意的版本'), v.maxLength(32, '没有这个版本')),
})

export interface PrivacyStatus {
  version: string
  /** When this person accepted the current version; null when they have not yet. */
  acceptedAt: string | null
}

/** One device logged in to the person's account (see server/identity/session.service). */
export interface MySession {
  /** A short id to end it by (not the token, nor its hash). */
  id: string
  /** What it was opened from: "微信小程序 · iPhone", "Chrome 浏览器 · Windows 电脑". */
  device: string
  createdAt: string
  lastUsedAt: string | null
  expiresAt: string
  /** The session this very request came with. */
  current: boolean
}

export const EndSessionInput = v.object({
  id: v.pipe(v.string('请选择要退出的设备'), v.regex(/^[0-9a-f]{16}$/, '没有这个登录设备')),
})

/** The words a person types to delete their account, so a stray tap cannot. */
export const DELETE_ACCOUNT_WORDS = '注销账号'
export const DeleteAccountInput = v.object({
  confirm: v.pipe(v.string(`请输入“${DELETE_ACCOUNT_WORDS}”确认`), v.check((s) => s.trim() === DELETE_ACCOUNT_WORDS, `请输入“${DELETE_ACCOUNT_WORDS}”确认`)),
})

/** Everything stored about a person (PIPL arts. 45, 47): shown on 个人信息 and exported as JSON. */
export interface MyData {
  exportedAt: string
  account: { userId: string; nickname: string; createdAt: string }
  /** Roles by place (小区, office, street, district). */
  roles: { role: string; place: string; since: string }[]
  /** Roster rows bound to this account: the committee's roster, as it stands. */
  rosterEntries: { communityName: string; name: string; phone: string | null; units: string[] }[]
  bindings: { communityName: string; unitLabel: string; claimedName: string; claimedPhone: string | null; status: string; reason: string | null; createdAt: string; decidedAt: string | null }[]
  tenancies: { communityName: string; unitLabel: string; relation: 'tenant' | 'invited_by_me'; status: string; createdAt: string }[]
  reports: { communityName: string; category: string; description: string; place: string; status: string; anonymous: boolean; createdAt: string }[]
  /** Ballots cast from this account: the vote and the receipt code (the choices stay with the vote). */
  ballots: { communityName: string; voteTitle: string; receiptCode: string; castAt: string }[]
  consents: { version: string; acceptedAt: string }[]
  sessions: MySession[]
}

export interface DeleteAccountResult {
  deleted: true
  /** What stays, in plain words (the ballots with the voter key, the roster with the committee). */
  kept: string[]
}

/** The code the H5 demo's stand-in for WeChat's phone verification sends (the server accepts it in demo mode only). */
export const DEMO_PHONE_CODE = 'demo-phone-verification'
