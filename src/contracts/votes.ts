import * as v from 'valibot'
import { Id } from './common'
import { CloudFileId, exactlyOneFile } from './uploads'

/**
 * Owners' assembly votes (业主大会表决), Civil Code art. 278. Shared by the server and the
 * mini-program. Area is integer 0.01 m² everywhere; instants are ISO-8601 UTC strings.
 */

/** Art. 278 ¶1 items; 6–8 are special (3/4), the rest ordinary (more than half). */
export const ART278_ITEMS: Record<number, string> = {
  1: '制定和修改业主大会议事规则',
  2: '制定和修改管理规约',
  3: '选举业主委员会或者更换业主委员会成员',
  4: '选聘和解聘物业服务企业或者其他管理人',
  5: '使用建筑物及其附属设施的维修资金',
  6: '筹集建筑物及其附属设施的维修资金',
  7: '改建、重建建筑物及其附属设施',
  8: '改变共有部分的用途或者利用共有部分从事经营活动',
  9: '有关共有和共同管理权利的其他重大事项',
}
export const isSpecialItem = (item: number) => item >= 6 && item <= 8
export const MATTER_CLASS_LABELS = { special: '特别事项（四分之三）', ordinary: '一般事项（过半数）' } as const

export const CHOICES = ['agree', 'oppose', 'abstain'] as const
export type Choice = (typeof CHOICES)[number]
/** A paper ballot may also be invalid (blank or spoiled): its own category, never an abstention. */
export const PAPER_CHOICES = ['agree', 'oppose', 'abstain', 'invalid'] as const
export type BallotChoice = (typeof PAPER_CHOICES)[number]
export const CHOICE_LABELS: Record<BallotChoice, string> = { agree: '同意', oppose: '反对', abstain: '弃权', invalid: '无效' }

export type VoteStatus = 'draft' | 'announced' | 'open' | 'counting' | 'closed' | 'cancelled'
export const VOTE_STATUS_LABELS: Record<VoteStatus, string> = { draft: '草稿', announced: '已公告', open: '投票中', counting: '计票中', closed: '已结束', cancelled: '已撤销' }

/** A vote that accepts paper ballots closes into a counting stage of 1 to 3 days (domain.md). */
export const COUNTING_MAX_DAYS = 3

/** Who runs and who may follow votes: declared in ./roles, re-exported for existing imports. */
export { VOTE_MANAGER_ROLES, VOTE_VIEWER_ROLES } from './roles'

/** Voting window (Hangzhou art. 20) and the default notice period (物业管理条例 art. 14). */
export const WINDOW_MIN_DAYS = 5
export const WINDOW_MAX_DAYS = 60
export const DEFAULT_NOTICE_DAYS = 15
export const MAX_MATTERS = 20

const Instant = v.pipe(v.string('需要时间'), v.isoTimestamp('时间格式应为 ISO-8601（如 2026-12-01T08:00:00.000Z）'))
const Title = v.pipe(v.string('需要标题'), v.trim(), v.minLength(1, '标题不能为空'), v.maxLength(60, '标题不能超过 60 字'))
const Description = v.pipe(v.string(), v.trim(), v.maxLength(2000, '说明不能超过 2000 字'))
const ChoiceSchema = v.picklist(CHOICES, '选项应为同意、反对或弃权')
const ReceiptCode = v.pipe(v.string('需要回执码'), v.trim(), v.toUpperCase(), v.regex(/^[0-9A-Z]{5}-?[0-9A-Z]{5}$/, '回执码格式应为 XXXXX-XXXXX'))

export const MatterInput = v.object({
  /** Art. 278 item 1–9; the class (special or ordinary) follows from it and cannot be chosen. */
  item: v.pipe(v.number('请选择事项类别'), v.integer('事项类别应为 1–9'), v.minValue(1, '事项类别应为 1–9'), v.maxValue(9, '事项类别应为 1–9')),
  title: Title,
  description: v.optional(Description, ''),
})

const CountingDays = v.pipe(v.number('计票期应为天数'), v.integer('计票期应为整天数'), v.minValue(1, '计票期至少 1 天'), v.maxValue(COUNTING_MAX_DAYS, `计票期最多 ${COUNTING_MAX_DAYS} 天`))

/** What a vote says: shared by a draft (rough: a title is enough), its edits, and a correction. */
const voteFields = {
  communityId: Id,
  title: Title,
  description: v.optional(Description, ''),
  scope: v.optional(v.picklist(['whole', 'buildings'], '范围应为全体或指定楼栋'), 'whole'),
  buildingIds: v.optional(v.pipe(v.array(Id), v.maxLength(200)), []),
  /** A draft may leave the dates and matters for later; announcing needs them. */
  opensAt: v.optional(Instant),
  closesAt: v.optional(Instant),
  matters: v.optional(v.pipe(v.array(MatterInput), v.maxLength(MAX_MATTERS, `表决事项最多 ${MAX_MATTERS} 个`)), []),
  /** Paper ballots (and written proxies) accepted: the vote closes into counting for countingDays (1–3). */
  acceptsPaper: v.optional(v.boolean(), false),
  countingDays: v.optional(CountingDays),
}
const BUILDINGS_CHOSEN = '指定楼栋时请至少选择一栋'

export const CreateVoteInput = v.pipe(v.object(voteFields), v.check((i) => i.scope === 'whole' || i.buildingIds.length > 0, BUILDINGS_CHOSEN))
export type CreateVoteInput = v.InferInput<typeof CreateVoteInput>

/** A draft rewritten as a whole (the edit form sends everything it shows). */
export const UpdateDraftInput = v.pipe(v.object({ ...voteFields, voteId: Id }), v.check((i) => i.scope === 'whole' || i.buildingIds.length > 0, BUILDINGS_CHOSEN))
export type UpdateDraftInput = v.InferInput<typeof UpdateDraftInput>

const Reason = v.pipe(v.string('请写明原因'), v.trim(), v.minLength(2, '请写明原因'), v.maxLength(500, '原因不能超过 500 字'))

/** An announced vote corrected: the whole vote again, with the reason; the notice period restarts. */
export const CorrectVoteInput = v.pipe(
  v.object({ ...voteFields, voteId: Id, opensAt: Instant, closesAt: Instant, reason: Reason }),
  v.check((i) => i.scope === 'whole' || i.buildingIds.length > 0, BUILDINGS_CHOSEN),
)
export type CorrectVoteInput = v.InferInput<typeof CorrectVoteInput>

/** An announced vote cancelled with a published notice (撤销公告). */
export const CancelVoteInput = v.object({ communityId: Id, voteId: Id, reason: Reason })

export const VoteRef = v.object({ communityId: Id, voteId: Id })
export type VoteRef = v.InferInput<typeof VoteRef>

export const AnnounceVoteInput = v.object({
  communityId: Id,
  voteId: Id,
  /** Moves the dates of the draft before announcing (e.g. it sat too long and the notice period no longer fits). */
  opensAt: v.optional(Instant),
  closesAt: v.optional(Instant),
})

export const ListVotesInput = v.object({
  communityId: Id,
  status: v.optional(v.picklist(['draft', 'announced', 'open', 'counting', 'closed', 'cancelled'])),
})

export const ChoicesInput = v.pipe(
  v.array(v.object({ matterId: Id, choice: ChoiceSchema })),
  v.minLength(1, '请为每个事项选择'),
  v.maxLength(MAX_MATTERS),
  v.check((cs) => new Set(cs.map((c) => c.matterId)).size === cs.length, '同一事项只能选择一次'),
)

export const CastBallotInput = v.object({
  communityId: Id,
  voteId: Id,
  /** Needed only when the caller votes for more than one voter (e.g. their own flat and a co-owned one). */
  voterKey: v.optional(v.pipe(v.string(), v.maxLength(400))),
  /** One choice for every matter of the vote: one ballot paper, all at once. */
  choices: ChoicesInput,
  /** The client showed the choices and the owner confirmed: a cast ballot is final. */
  confirmed: v.literal(true, '请先确认您的选择：投票提交后不能更改'),
})
export type CastBallotInput = v.InferInput<typeof CastBallotInput>

export const LookupReceiptInput = v.object({ communityId: Id, voteId: Id, receiptCode: ReceiptCode })

export const UploadEvidenceInput = v.pipe(
  v.object({
    communityId: Id,
    voteId: Id,
    fileName: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(120)),
    /** A photo (JPEG/PNG/WebP) or a scan (PDF) of the signed paper ballot, up to 10 MB, in base64 (HTTP)… */
    dataBase64: v.optional(v.pipe(v.string('需要文件内容'), v.minLength(1, '文件为空'), v.maxLength(Math.ceil((10 * 1024 * 1024) / 3) * 4 + 4, '文件不能超过 10 MB'))),
    /** …or (cloud transport) the temporary cloud upload holding it; exactly one of the two. */
    cloudFileId: v.optional(CloudFileId),
  }),
  exactlyOneFile('dataBase64'),
)

export const PaperChoicesInput = v.pipe(
  v.array(v.object({ matterId: Id, choice: v.picklist(PAPER_CHOICES, '选项应为同意、反对、弃权或无效') })),
  v.minLength(1, '请为每个事项选择'),
  v.maxLength(MAX_MATTERS),
  v.check((cs) => new Set(cs.map((c) => c.matterId)).size === cs.length, '同一事项只能选择一次'),
)

export const EnterPaperBallotInput = v.object({
  communityId: Id,
  voteId: Id,
  /** The voter, as listed by voteElectorate (a unit's voter covers all that voter's units). */
  voterKey: v.pipe(v.string('请选择投票人'), v.minLength(1), v.maxLength(400)),
  /** A blank or spoiled paper is entered with every choice 'invalid' (or one matter's, if only that one is spoiled). */
  choices: PaperChoicesInput,
  /** A signed ballot, or a written proxy (委托书, 指导规则 art. 26) cast by proxyName. */
  kind: v.optional(v.picklist(['ballot', 'proxy'], '应为表决票或委托书'), 'ballot'),
  proxyName: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1, '请填写受托人姓名'), v.maxLength(40, '姓名不能超过 40 字'))),
  /** When the paper was signed (required in counting: a paper signed after the close is refused); defaults to now while open. */
  signedAt: v.optional(Instant),
  /** The photo of the signed ballot: the evidenceRef answered by uploadBallotEvidence. */
  evidenceRef: v.pipe(v.string('需要纸质表决票的照片'), v.trim(), v.minLength(1, '需要纸质表决票的照片'), v.maxLength(500)),
})
export type EnterPaperBallotInput = v.InferInput<typeof EnterPaperBallotInput>

export const CommunityOnly = v.object({ communityId: Id })

// ── outputs ─────────────────────────────────────────────────────────────────

export interface VoteSetup {
  noticeDays: number
  buildings: { id: string; name: string }[]
}

export interface MatterInfo {
  id: string
  position: number
  item: number
  itemLabel: string
  class: 'special' | 'ordinary'
  title: string
  description: string
}

export interface VoteSummary {
  id: string
  communityId: string
  title: string
  status: VoteStatus
  scope: 'whole' | 'buildings'
  announceAt: string | null
  opensAt: string
  closesAt: string
  matterCount: number
  /** For an open vote: whether the caller still has a ballot to cast, has cast all theirs, or has none. */
  myPart: 'to_vote' | 'voted' | 'not_eligible' | null
}

export interface VoteDetail extends VoteSummary {
  description: string
  matters: MatterInfo[]
  /** Names of the buildings in scope (empty for the whole 小区). */
  buildings: { id: string; name: string }[]
  noticeDays: number
  announceNoticeId: string | null
  resultNoticeId: string | null
  openedAt: string | null
  closedAt: string | null
  /** Whether the caller may run this vote (announce, enter paper ballots, export). */
  canManage: boolean
  /** For a draft, to those who run it: matters whose words speak of a special item (6–8) while filed under a laxer one. */
  warnings?: string[]
  /** Paper ballots accepted: the vote closes into counting for countingDays. */
  acceptsPaper: boolean
  countingDays: number
  /** When counting ends by the clock (while counting). */
  countingEndsAt: string | null
  cancelledAt: string | null
  cancelNoticeId: string | null
  correctionNoticeId: string | null
  /** For a draft: what is still missing before it can be announced (empty when ready). */
  missing?: string[]
}

/** One voter the caller casts for: their units in scope (frozen at opening) and their ballot, if cast. */
export interface MyVoter {
  voterKey: string
  /** sole: one owner (all their units); co_owned: a unit held jointly; developer: all unsold units. */
  kind: 'sole' | 'co_owned' | 'developer'
  units: { unitId: string; label: string; areaCentiM2: number }[]
  areaCentiM2: number
  ballot: MyBallot | null
}

export interface MyBallot {
  receiptCode: string
  channel: 'online' | 'paper'
  castAt: string
  choices: { matterId: string; choice: BallotChoice }[]
  /** False only for a paper ballot superseded by an online one of the same voter. */
  counted: boolean  /** Whether the caller cast it (false: a co-owner did, or the committee entered a paper). */
  castByMe?: boolean
}

export interface MyVoteStatus {
  voteId: string
  status: VoteStatus
  /** Empty before opening (the electorate is not frozen yet) or when the caller owns nothing in scope. */
  voters: MyVoter[]
}

export interface Bar {
  value: number
  total: number
  /** The least value that meets the line. */
  needed: number
  met: boolean
}

/** What counting one matter answers (server/votes/tally.ts computes it; progress and results show it). */
export interface TallyResult {
  totalAreaCentiM2: number
  totalHeadcount: number
  participatingAreaCentiM2: number
  participatingHeadcount: number
  agreeAreaCentiM2: number
  agreeHeadcount: number
  quorumMet: boolean
  passed: boolean
}

export interface MatterProgress extends TallyResult {
  matterId: string
  position: number
  item: number
  class: 'special' | 'ordinary'
  title: string
  opposeAreaCentiM2: number
  opposeHeadcount: number
  abstainAreaCentiM2: number
  abstainHeadcount: number
  /** Blank or spoiled papers: they took part (quorum and the pass line's denominator), never agreeing, never abstaining. */
  invalidAreaCentiM2: number
  invalidHeadcount: number
  /** Participation against 2/3 of the total, and agreement against the pass line of the participants. */
  bars: { quorumArea: Bar; quorumHeadcount: Bar; passArea: Bar; passHeadcount: Bar }
}

export interface VoteProgress {
  voteId: string
  status: VoteStatus
  /** When these figures were computed; final (frozen at close) when status is closed. */
  asOf: string
  final: boolean
  matters: MatterProgress[]
  /** Voters with both an online and a paper ballot (the online one counts). */
  conflicts: number
}

export interface ReceiptLookup {
  receiptCode: string
  channel: 'online' | 'paper'
  /** The day it was cast (YYYY-MM-DD, Asia/Shanghai), not the time: see lookupReceipt. */
  castOn: string
  choices: { matterId: string; position: number; title: string; choice: BallotChoice }[]
  counted: boolean
}

export interface ElectorateVoter {
  voterKey: string
  kind: 'sole' | 'co_owned' | 'developer' | 'unknown'
  units: string[]
  areaCentiM2: number
  /** Roster names of those who may cast it, for the committee matching a paper ballot. */
  names: string[]
  online: boolean
  paper: boolean
}

/**
 * A voter with both an online and a paper ballot: the online one counts. The online receipt is
 * not shown beside the units, so this list cannot tie an online choice to a flat.
 */
export interface ConflictInfo {
  voterKey: string
  units: string[]
  /** The paper ballot's receipt when the paper is the one that counts (or, in votes before the rule, was overridden); null when a paper came after an online ballot. */
  paperReceipt: string | null
  /** The channel of the later ballot, refused and logged (absent for votes counted before the first-ballot rule). */
  refusedChannel?: 'online' | 'paper'
  /** When the refused ballot was tried. */
  attemptedAt?: string
}

export interface PaperBallotResult {
  receiptCode: string
  /** The voter also voted online: the online ballot counts, this one is kept and shown as a conflict. */
  conflict: boolean
}

export interface ResultReceipt {
  receiptCode: string
  channel: 'online' | 'paper'
  choices: BallotChoice[]
}

/** The printable result for the notice board, and the figures behind the .xlsx. */
export interface VoteResultSheet {
  vote: VoteDetail
  communityName: string
  committeeName: string
  progress: VoteProgress
  /** Counted ballots only, ordered by receipt code; choices in matter order. No names. */
  receipts: ResultReceipt[]
  /** Only for those who run the vote (units beside a paper receipt name a flat's choices); others get [] and the count in progress.conflicts. */
  conflicts: ConflictInfo[]
  html: string
}

export interface ExportFile {
  fileName: string
  mime: string
  base64: string
}

/** Kept for existing imports; Beijing time and day arithmetic live in ./time. */
export { DAY_MS } from './time'
