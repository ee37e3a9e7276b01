import { randomUUID } from 'node:crypto'
import type { Role } from '../../src/contracts/common'
import {
  BODY_MAX,
  DEFAULT_POSTING_DAYS,
  IMMUTABLE_KINDS,
  LOW_READERSHIP_PERCENT,
  MAX_ATTACHMENTS,
  MAX_IMAGES,
  MAX_PINNED,
  NOTICE_KINDS,
  PUBLISHER_ROLES,
  TITLE_MAX,
  UNREAD_WINDOW_DAYS,
  type NoticeDetail,
  type NoticeFileInfo,
  type NoticeKind,
  type NoticePage,
  type NoticeReadStats,
  type NoticeSummary,
  type PublisherOption,
  type PublisherRole,
} from '../../src/contracts/notices'
import type { DbOrTx } from '../db/database'
import { decodeCursor, isIsoTime, isText, keysetPage } from '../db/keyset'
import { AppError } from '../errors'
import type { Storage } from '../storage'
import { signedFileUrl } from './file-url'
import * as repo from './notice.repository'

const DAY_MS = 86_400_000
/** 欠费公示 must end (domain.md: "each posting is itself a notice with an end date"); this is the default end. */
const ARREARS_DEFAULT_DAYS = 30
/** A scheduled time may lag the clock by this much (the compose page's own clock, network delay) without being backdating. */
const BACKDATE_TOLERANCE_MS = 60_000
const UNREAD_CAP = 100

/** Runs `fn` in a transaction, joining the caller's when it already holds one (votes publish inside theirs). */
function inTx<T>(db: DbOrTx, fn: (trx: DbOrTx) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn)
}

const isImmutableKind = (kind: string) => (IMMUTABLE_KINDS as readonly string[]).includes(kind)

function immutableMessage(kind: string): string {
  return `${kind}发布后不能修改或删除；如需更正，请发布一条更正${kind}，它会与原${kind}相互链接`
}

// ── system publish ───────────────────────────────────────────────────────────

/** The notice's own fields as readers will see them, and how and when it is published. */
export interface SystemPublishInput extends Pick<NoticeDetail, 'communityId' | 'kind' | 'title' | 'body' | 'publisherRole' | 'publisherName'> {
  /** The user who published, or null for the system (a vote result at close). */
  publishedBy: string | null
  now: Date
  /** Later than now schedules it. Defaults to now. */
  publishAt?: Date
  /** 公示 only; at least DEFAULT_POSTING_DAYS after publishAt; defaults to exactly that. */
  postingEndsAt?: Date
  expiresAt?: Date | null
  pinned?: boolean
  imageIds?: string[]
  attachmentIds?: string[]
  correctsNoticeId?: string
  /**
   * Idempotency key, unique per 小区 (e.g. `vote:<id>:result`): publishing again with the same key
   * answers the existing notice instead of a second one.
   */
  sourceKey?: string
}

/**
 * Publishes a notice without permission checks: for the system (vote results) and as the last
 * step of a publisher's request. Checks the notice's own rules (posting period, expiry, pin cap,
 * correction link, files) and writes the notice, its first revision and its file links at once.
 */
export async function publishNotice(db: DbOrTx, input: SystemPublishInput): Promise<{ id: string }> {
  if (!(NOTICE_KINDS as readonly string[]).includes(input.kind)) throw new AppError('BadInput', `公告类型不正确：${input.kind}`)
  const title = input.title.trim()
  const body = input.body.trim()
  if (!title || title.length > TITLE_MAX) throw new AppError('BadInput', `标题应为 1–${TITLE_MAX} 字`)
  if (!body || body.length > BODY_MAX) throw new AppError('BadInput', `正文应为 1–${BODY_MAX} 字`)
  if (!input.publisherName.trim()) throw new AppError('BadInput', '需要发布机构的名称')
  const imageIds = input.imageIds ?? []
  const attachmentIds = input.attachmentIds ?? []
  if (imageIds.length > MAX_IMAGES) throw new AppError('BadInput', `图片最多 ${MAX_IMAGES} 张`)
  if (attachmentIds.length > MAX_ATTACHMENTS) throw new AppError('BadInput', `附件最多 ${MAX_ATTACHMENTS} 个`)

  const now = input.now
  const nowIso = now.toISOString()
  const publishAt = input.publishAt && input.publishAt > now ? input.publishAt : now
  const { postingEndsAt, expiresAt } = noticeTimes(input.kind, publishAt, input.postingEndsAt, input.expiresAt)

  return inTx(db, async (trx) => {
    if (input.sourceKey) {
      const existing = await repo.findNoticeBySourceKey(trx, input.communityId, input.sourceKey)
      if (existing) return { id: existing.id }
    }
    if (input.pinned) {
      await repo.lockCommunity(trx, input.communityId)
      if ((await repo.countActivePinned(trx, input.communityId, nowIso)) >= MAX_PINNED) throw pinCapError()
    }
    if (input.correctsNoticeId) {
      const old = await repo.findNotice(trx, input.communityId, input.correctsNoticeId)
      if (!old || old.withdrawn_at) throw new AppError('NotFound', '要更正的公告不存在')
      if (old.corrected_by_notice_id) throw alreadyCorrected()
    }
    const id = randomUUID()
    await repo.insertNotice(trx, {
      id,
      community_id: input.communityId,
      kind: input.kind,
      title,
      body,
      publisher_role: input.publisherRole,
      publisher_name: input.publisherName.trim(),
      published_by: input.publishedBy,
      publish_at: publishAt.toISOString(),
      posting_ends_at: postingEndsAt,
      expires_at: expiresAt,
      pinned: input.pinned ? 1 : 0,
      corrects_notice_id: input.correctsNoticeId ?? null,
      corrected_by_notice_id: null,
      withdrawn_at: null,
      source_key: input.sourceKey ?? null,
      version: 1,
      created_at: nowIso,
      updated_at: nowIso,
    })
    if (input.correctsNoticeId && !(await repo.linkCorrection(trx, input.communityId, input.correctsNoticeId, id, nowIso))) {
      throw alreadyCorrected()
    }
    const fileIds = await attachFiles(trx, input.communityId, id, imageIds, attachmentIds, input.publishedBy, [], nowIso)
    await repo.insertRevision(trx, {
      id: randomUUID(),
      community_id: input.communityId,
      notice_id: id,
      version: 1,
      title,
      body,
      file_ids: JSON.stringify(fileIds),
      expires_at: expiresAt,
      edited_by: input.publishedBy,
      editor_role: input.publisherRole,
      created_at: nowIso,
    })
    return { id }
  })
}

/** Posting period and expiry, checked together because a 公示 must stay up for its whole period. */
function noticeTimes(kind: string, publishAt: Date, postingEndsAt: Date | undefined, expiresAt: Date | null | undefined) {
  let posting: string | null = null
  if (kind === '公示') {
    const minEnd = new Date(publishAt.getTime() + DEFAULT_POSTING_DAYS * DAY_MS)
    if (postingEndsAt && postingEndsAt < minEnd) throw new AppError('BadInput', `公示期不能少于 ${DEFAULT_POSTING_DAYS} 天`)
    posting = (postingEndsAt ?? minEnd).toISOString()
  } else if (postingEndsAt) {
    throw new AppError('BadInput', '只有公示需要设置公示期')
  }
  let expires: string | null = expiresAt ? expiresAt.toISOString() : null
  if (kind === '欠费公示' && !expiresAt) expires = new Date(publishAt.getTime() + ARREARS_DEFAULT_DAYS * DAY_MS).toISOString()
  if (expires && expires <= publishAt.toISOString()) throw new AppError('BadInput', '到期时间必须晚于发布时间')
  if (expires && posting && expires < posting) throw new AppError('BadInput', '公示期内不能下架：到期时间不能早于公示期结束')
  return { postingEndsAt: posting, expiresAt: expires }
}

const alreadyCorrected = () => new AppError('Conflict', '该公告已经被更正过；如需再次更正，请更正最新的那条更正公告')
const pinCapError = () => new AppError('Conflict', `最多只能置顶 ${MAX_PINNED} 条公告，请先取消一条置顶`)

/**
 * Links the chosen files to a notice in the order given (images first, then PDFs) and marks
 * dropped ones removed. A file must belong to the 小区, be of the right kind, be either fresh
 * (never attached, uploaded by this publisher) or already on this notice.
 */
async function attachFiles(
  trx: DbOrTx,
  communityId: string,
  noticeId: string,
  imageIds: string[],
  attachmentIds: string[],
  uploader: string | null,
  currentIds: string[],
  nowIso: string,
): Promise<string[]> {
  const wanted = [...imageIds, ...attachmentIds]
  if (new Set(wanted).size !== wanted.length) throw new AppError('BadInput', '同一个文件不能重复添加')
  const rows = await repo.filesByIds(trx, communityId, wanted)
  const byId = new Map(rows.map((r) => [r.id, r]))
  for (const [ids, kind, label] of [[imageIds, 'image', '图片'], [attachmentIds, 'pdf', 'PDF 附件']] as const) {
    for (const fid of ids) {
      const f = byId.get(fid)
      // Not in this 小区 (another 小区's file, or none at all): NotFound, as for any id of another 小区.
      if (!f) throw new AppError('NotFound', `${label}不存在，请重新上传`)
      const usable = f.kind === kind && (f.notice_id === noticeId || (f.notice_id === null && (uploader === null || f.uploaded_by === uploader)))
      if (!usable) throw new AppError('BadInput', `${label}不可用（已用于其他公告、类型不对或不是您上传的），请重新上传`)
    }
  }
  for (const [i, fid] of wanted.entries()) await repo.attachFile(trx, communityId, fid, noticeId, i)
  for (const old of currentIds) if (!wanted.includes(old)) await repo.markFileRemoved(trx, communityId, old, nowIso)
  return wanted
}

// ── who may publish and manage ───────────────────────────────────────────────

export interface Actor {
  userId: string
  roles: Role[]
}

const BODY_OF_ROLE: Record<string, 'committee' | 'company' | 'office'> = {
  committee_chair: 'committee',
  committee_member: 'committee',
  property_staff: 'company',
  community_officer: 'office',
  // System notices (vote results) speak for the committee.
  system: 'committee',
}

export const isPublisher = (roles: Role[]) => roles.some((r) => (PUBLISHER_ROLES as readonly string[]).includes(r))

/** Whether the actor speaks for the body that published this notice (edit, pin, withdraw, correct). */
export function canManage(actor: Actor, publisherRole: string): boolean {
  const body = BODY_OF_ROLE[publisherRole] ?? 'committee'
  return actor.roles.some((r) => BODY_OF_ROLE[r] === body && r !== ('system' as Role))
}

/** The role the actor publishes as: the one asked for, or their first publishing role by rank. */
function publishingRole(actor: Actor, asRole?: PublisherRole): PublisherRole {
  if (asRole) {
    if (!actor.roles.includes(asRole)) throw new AppError('Forbidden', '您在该小区没有这个发布身份')
    return asRole
  }
  const role = PUBLISHER_ROLES.find((r) => actor.roles.includes(r))
  if (!role) throw new AppError('Forbidden', '只有业委会、物业和社区工作人员可以发布公告')
  return role
}

/** The name residents read under the notice: the body, never the person. */
async function publisherName(db: DbOrTx, communityId: string, role: PublisherRole): Promise<string> {
  const b = await repo.publisherBodies(db, communityId)
  if (!b) throw new AppError('NotFound', '小区不存在')
  switch (role) {
    case 'committee_chair':
    case 'committee_member':
      return b.committee_name
    case 'property_staff':
      return b.company_name ?? `${b.name}物业服务企业`
    case 'community_officer':
      return b.office
  }
}

/** The bodies the actor may publish as here, strongest role first, with the names residents will read (for the compose preview). */
export async function publisherOptions(db: DbOrTx, actor: Actor, communityId: string): Promise<PublisherOption[]> {
  const roles = PUBLISHER_ROLES.filter((r) => actor.roles.includes(r))
  return Promise.all(roles.map(async (role) => ({ role, name: await publisherName(db, communityId, role) })))
}

// Mobile numbers written plainly or as 139-1234-5678 / 139 1234 5678, and 18-digit ID numbers.
const MOBILE = /(?<!\d)1[3-9]\d(?:[\s-]?\d){8}(?!\d)/
const ID_NUMBER = /(?<![\dXx])\d{17}[\dXx](?![\dXx])/

/**
 * Names and phones never appear in notices (PIPL art. 25; domain.md on 欠费公示): refuse a
 * mobile number, an ID number, or a name on the 小区's roster in the title or body.
 */
async function assertNoPersonalData(db: DbOrTx, communityId: string, ...texts: string[]): Promise<void> {
  const text = texts.join('\n')
  if (MOBILE.test(text)) throw new AppError('BadInput', '公告中不能出现手机号码；请留物业或业委会的办公电话')
  if (ID_NUMBER.test(text)) throw new AppError('BadInput', '公告中不能出现身份证号码')
  const name = await rosterNameIn(db, communityId, text)
  if (name) throw new AppError('BadInput', `公告中不能出现住户姓名（发现“${name}”）；请用房号打码等方式表述`)
}

async function rosterNameIn(db: DbOrTx, communityId: string, text: string): Promise<string | undefined> {
  return (await repo.rosterNames(db, communityId)).find((name) => name.length >= 2 && text.includes(name))
}

/**
 * The same for the names of the files: residents read a PDF's name beside it, and every file's
 * name reaches their phones with the notice.
 */
async function assertNoPersonalDataInFileNames(db: DbOrTx, communityId: string, fileIds: string[]): Promise<void> {
  if (fileIds.length === 0) return
  const text = (await repo.filesByIds(db, communityId, fileIds)).map((f) => f.file_name).join('\n')
  if (MOBILE.test(text)) throw new AppError('BadInput', '文件名中不能出现手机号码；请改名后重新上传')
  if (ID_NUMBER.test(text)) throw new AppError('BadInput', '文件名中不能出现身份证号码；请改名后重新上传')
  const name = await rosterNameIn(db, communityId, text)
  if (name) throw new AppError('BadInput', `文件名中不能出现住户姓名（发现“${name}”）；请改名后重新上传`)
}

const parseInstant = (s: string | undefined | null) => (s ? new Date(s) : undefined)

export interface PublishRequest {
  communityId: string
  kind: NoticeKind
  title: string
  body: string
  imageIds: string[]
  attachmentIds: string[]
  publishAt?: string
  postingEndsAt?: string
  expiresAt?: string
  pinned: boolean
  correctsNoticeId?: string
  asRole?: PublisherRole
}

/** A publisher's request: who speaks, no backdating, no personal data, corrections only of one's own body's notices. */
export async function publishAsActor(db: DbOrTx, actor: Actor, req: PublishRequest, now: Date): Promise<{ id: string }> {
  const role = publishingRole(actor, req.asRole)
  const publishAt = parseInstant(req.publishAt)
  // A disclosure must be trustworthy after the fact: its publish time is never before it existed.
  if (publishAt && publishAt.getTime() < now.getTime() - BACKDATE_TOLERANCE_MS) throw new AppError('BadInput', '发布时间不能早于现在')
  await assertNoPersonalData(db, req.communityId, req.title, req.body)
  await assertNoPersonalDataInFileNames(db, req.communityId, [...req.imageIds, ...req.attachmentIds])
  if (req.correctsNoticeId) {
    const old = await repo.findNotice(db, req.communityId, req.correctsNoticeId)
    if (!old || old.withdrawn_at) throw new AppError('NotFound', '要更正的公告不存在')
    if (!canManage(actor, old.publisher_role)) throw new AppError('Forbidden', '只能更正本机构发布的公告')
    if (old.publish_at > now.toISOString()) throw new AppError('BadInput', '这条公告还没有发布，可以直接修改，无需更正')
    if (old.kind !== req.kind) throw new AppError('BadInput', `更正公告的类型须与原公告一致（${old.kind}）`)
    if (publishAt && publishAt > now) throw new AppError('BadInput', '更正公告需立即发布，不能定时')
  }
  return publishNotice(db, {
    communityId: req.communityId,
    kind: req.kind,
    title: req.title,
    body: req.body,
    publisherRole: role,
    publisherName: await publisherName(db, req.communityId, role),
    publishedBy: actor.userId,
    now,
    publishAt,
    postingEndsAt: parseInstant(req.postingEndsAt),
    expiresAt: parseInstant(req.expiresAt),
    pinned: req.pinned,
    imageIds: req.imageIds,
    attachmentIds: req.attachmentIds,
    correctsNoticeId: req.correctsNoticeId,
  })
}

// ── edit, pin, withdraw ──────────────────────────────────────────────────────

async function manageableNotice(db: DbOrTx, actor: Actor, communityId: string, noticeId: string) {
  const n = await repo.findNotice(db, communityId, noticeId)
  if (!n || n.withdrawn_at) throw new AppError('NotFound', '公告不存在或已撤回')
  if (!canManage(actor, n.publisher_role)) throw new AppError('Forbidden', '只能管理本机构发布的公告')
  return n
}

export interface EditRequest {
  communityId: string
  noticeId: string
  expectedVersion: number
  title?: string
  body?: string
  imageIds?: string[]
  attachmentIds?: string[]
  expiresAt?: string | null
  publishAt?: string
}

/**
 * Edits a notice of an editable kind, keeping every version. 公示 and 财务公开 are immutable once
 * published; system publications (vote results) are never edited.
 */
export async function editNotice(db: DbOrTx, actor: Actor, req: EditRequest, now: Date): Promise<{ version: number }> {
  const nowIso = now.toISOString()
  return inTx(db, async (trx) => {
    const n = await manageableNotice(trx, actor, req.communityId, req.noticeId)
    const published = n.publish_at <= nowIso
    if (isImmutableKind(n.kind) && published) throw new AppError('Immutable', immutableMessage(n.kind))
    if (n.published_by === null) throw new AppError('Immutable', '系统自动发布的公告不能修改')
    if (n.version !== req.expectedVersion) throw new AppError('Conflict', '这条公告刚被修改过，请刷新后再编辑')

    let publishAt = new Date(n.publish_at)
    if (req.publishAt !== undefined) {
      if (published) throw new AppError('BadInput', '已发布的公告不能修改发布时间')
      const p = new Date(req.publishAt)
      if (p.getTime() < now.getTime() - BACKDATE_TOLERANCE_MS) throw new AppError('BadInput', '发布时间不能早于现在')
      publishAt = p > now ? p : now
    }
    const title = req.title ?? n.title
    const body = req.body ?? n.body
    await assertNoPersonalData(trx, n.community_id, title, body)
    // A scheduled 公示 moved later keeps at least its minimum posting period.
    const keepPosting = n.posting_ends_at ? new Date(n.posting_ends_at) : undefined
    const minPosting = n.kind === '公示' ? new Date(publishAt.getTime() + DEFAULT_POSTING_DAYS * DAY_MS) : undefined
    const postingEnd = keepPosting && minPosting && keepPosting < minPosting ? minPosting : keepPosting
    const expiresIn = req.expiresAt === undefined ? parseInstant(n.expires_at) ?? null : req.expiresAt === null ? null : new Date(req.expiresAt)
    const times = noticeTimes(n.kind, publishAt, postingEnd, expiresIn)

    const current = await repo.filesOfNotice(trx, n.community_id, n.id)
    const currentImages = current.filter((f) => f.kind === 'image').map((f) => f.id)
    const currentPdfs = current.filter((f) => f.kind === 'pdf').map((f) => f.id)
    const imageIds = req.imageIds ?? currentImages
    const attachmentIds = req.attachmentIds ?? currentPdfs
    const filesChanged = JSON.stringify([...imageIds, ...attachmentIds]) !== JSON.stringify([...currentImages, ...currentPdfs])
    // Files already on the notice passed this check when they were attached.
    const currentIds = new Set(current.map((f) => f.id))
    await assertNoPersonalDataInFileNames(trx, n.community_id, [...imageIds, ...attachmentIds].filter((id) => !currentIds.has(id)))

    const changed =
      title !== n.title || body !== n.body || times.expiresAt !== n.expires_at || publishAt.toISOString() !== n.publish_at || filesChanged
    if (!changed) throw new AppError('BadInput', '没有修改任何内容')

    const ok = await repo.updateNoticeIfVersion(trx, n.community_id, n.id, n.version, {
      title,
      body,
      expires_at: times.expiresAt,
      publish_at: publishAt.toISOString(),
      posting_ends_at: times.postingEndsAt,
      updated_at: nowIso,
    })
    if (!ok) throw new AppError('Conflict', '这条公告刚被修改过，请刷新后再编辑')
    const fileIds = await attachFiles(trx, n.community_id, n.id, imageIds, attachmentIds, actor.userId, current.map((f) => f.id), nowIso)
    const version = n.version + 1
    await repo.insertRevision(trx, {
      id: randomUUID(),
      community_id: n.community_id,
      notice_id: n.id,
      version,
      title,
      body,
      file_ids: JSON.stringify(fileIds),
      expires_at: times.expiresAt,
      edited_by: actor.userId,
      editor_role: publishingRoleFor(actor, n.publisher_role),
      created_at: nowIso,
    })
    return { version }
  })
}

/** The editor's role shown in the history: one of theirs in the publishing body. */
function publishingRoleFor(actor: Actor, publisherRole: string): string {
  const body = BODY_OF_ROLE[publisherRole] ?? 'committee'
  return actor.roles.find((r) => BODY_OF_ROLE[r] === body) ?? publisherRole
}

/** Pins or unpins; at most MAX_PINNED live pinned notices per 小区. Pinning is display, allowed on every kind. */
export async function pinNotice(db: DbOrTx, actor: Actor, communityId: string, noticeId: string, pinned: boolean, now: Date): Promise<void> {
  const nowIso = now.toISOString()
  await inTx(db, async (trx) => {
    await repo.lockCommunity(trx, communityId)
    const n = await manageableNotice(trx, actor, communityId, noticeId)
    if (pinned) {
      if (n.expires_at && n.expires_at <= nowIso) throw new AppError('BadInput', '已过期的公告不能置顶')
      if (n.pinned) return
      if ((await repo.countActivePinned(trx, communityId, nowIso, n.id)) >= MAX_PINNED) throw pinCapError()
    }
    await repo.setPinned(trx, communityId, n.id, pinned, nowIso)
  })
}

/** Withdraws an editable notice (or any notice still scheduled). The row stays for the record. */
export async function withdrawNotice(db: DbOrTx, actor: Actor, communityId: string, noticeId: string, now: Date): Promise<void> {
  const nowIso = now.toISOString()
  await inTx(db, async (trx) => {
    const n = await manageableNotice(trx, actor, communityId, noticeId)
    if (isImmutableKind(n.kind) && n.publish_at <= nowIso) throw new AppError('Immutable', immutableMessage(n.kind))
    if (n.published_by === null) throw new AppError('Immutable', '系统自动发布的公告不能撤回')
    await repo.setWithdrawn(trx, communityId, n.id, nowIso)
  })
}

// ── reading ──────────────────────────────────────────────────────────────────

function toSummary(r: repo.FeedRow, read: boolean): NoticeSummary {
  return {
    id: r.id,
    communityId: r.community_id,
    kind: r.kind as NoticeKind,
    title: r.title,
    excerpt: r.excerpt.replace(/\s+/g, ' ').trim(),
    publisherRole: r.publisher_role,
    publisherName: r.publisher_name,
    publishAt: r.publish_at,
    postingEndsAt: r.posting_ends_at,
    expiresAt: r.expires_at,
    pinned: r.pinned === 1,
    imageCount: r.image_count,
    corrected: r.corrected_by_notice_id !== null,
    isCorrection: r.corrects_notice_id !== null,
    version: r.version,
    read,
  }
}

export interface ListRequest {
  communityId: string
  kind?: NoticeKind
  q?: string
  view: 'feed' | 'archive' | 'scheduled'
  cursor?: string
  limit: number
}

/**
 * A page of the feed: pinned notices (first page only), then the rest newest first. The cursor
 * is the (publish time, id) of the last row, so pages neither repeat nor skip notices, even
 * when many share a publish time or new ones arrive between pages.
 */
export async function listNotices(db: DbOrTx, actor: Actor, req: ListRequest, now: Date): Promise<NoticePage> {
  if (req.view === 'scheduled' && !isPublisher(actor.roles)) throw new AppError('Forbidden', '只有发布者可以查看待发布的公告')
  const after = decodeCursor(req.cursor, [isIsoTime, isText]) as [string, string] | undefined
  const base = { communityId: req.communityId, nowIso: now.toISOString(), view: req.view, kind: req.kind, q: req.q || undefined }
  const pinnedRows = req.view === 'feed' && !after ? await repo.listFeed(db, { ...base, pinned: true, limit: MAX_PINNED * 2 }) : []
  const rows = await repo.listFeed(db, { ...base, pinned: false, after, limit: req.limit + 1 })
  const { page, nextCursor } = keysetPage(rows, req.limit, (r) => [r.publish_at, r.id])
  const read = await repo.readNoticeIds(db, req.communityId, actor.userId, [...pinnedRows, ...page].map((r) => r.id))
  return {
    pinned: pinnedRows.map((r) => toSummary(r, read.has(r.id))),
    items: page.map((r) => toSummary(r, read.has(r.id))),
    nextCursor,
  }
}

/**
 * Unread notices in the caller's main feed published within the last UNREAD_WINDOW_DAYS, capped
 * (the badge shows "99+"): the badge announces news; an old notice never opened stays in the
 * feed, marked unread there, without holding the badge up for months.
 */
export async function unreadCount(db: DbOrTx, actor: Actor, communityId: string, now: Date): Promise<{ count: number; capped: boolean }> {
  const since = new Date(now.getTime() - UNREAD_WINDOW_DAYS * DAY_MS).toISOString()
  const n = await repo.countUnread(db, communityId, actor.userId, now.toISOString(), since, UNREAD_CAP)
  return { count: Math.min(n, UNREAD_CAP - 1), capped: n >= UNREAD_CAP }
}

export type FileUrl = (f: repo.NoticeFileRow) => Promise<string>

/** The storage's own link (a cloud temporary URL), or a signed link to the HTTP route. */
export function fileUrlVia(storage: Storage, secret: string, now: Date): FileUrl {
  return async (f) => (await storage.url(f.storage_key)) ?? signedFileUrl(f.id, secret, now)
}

function toFileInfo(f: repo.NoticeFileRow, url: string): NoticeFileInfo {
  return { id: f.id, kind: f.kind, mime: f.mime, fileName: f.file_name, sizeBytes: f.size_bytes, url }
}

/**
 * A notice as a member reads it, recording the first opening. Scheduled notices exist only for
 * publishers; withdrawn ones for nobody. Publishers also get the read counts.
 */
export async function getNotice(db: DbOrTx, actor: Actor, communityId: string, noticeId: string, now: Date, fileUrl: FileUrl): Promise<NoticeDetail> {
  const nowIso = now.toISOString()
  const n = await repo.findNotice(db, communityId, noticeId)
  const publisher = isPublisher(actor.roles)
  if (!n || n.withdrawn_at || (n.publish_at > nowIso && !publisher)) throw new AppError('NotFound', '公告不存在或已撤回')
  const published = n.publish_at <= nowIso
  if (published) await repo.markRead(db, communityId, n.id, actor.userId, nowIso)

  const files = await repo.filesOfNotice(db, communityId, n.id)
  const infos = await Promise.all(files.map(async (f) => toFileInfo(f, await fileUrl(f))))
  const revisionRows = n.version > 1 ? await repo.revisionsOf(db, communityId, n.id) : []
  const revisionFileIds = [...new Set(revisionRows.flatMap((r) => JSON.parse(r.file_ids) as string[]))]
  const revisionFiles = new Map((await repo.filesByIds(db, communityId, revisionFileIds)).map((f) => [f.id, f]))
  const revisions = await Promise.all(
    revisionRows.map(async (r) => ({
      version: r.version,
      title: r.title,
      body: r.body,
      expiresAt: r.expires_at,
      editorRole: r.editor_role,
      editedAt: r.created_at,
      files: await Promise.all(
        (JSON.parse(r.file_ids) as string[]).flatMap((id) => (revisionFiles.has(id) ? [revisionFiles.get(id)!] : [])).map(async (f) => toFileInfo(f, await fileUrl(f))),
      ),
    })),
  )
  const corrects = n.corrects_notice_id ? await repo.titleOf(db, communityId, n.corrects_notice_id) : undefined
  const correctedBy = n.corrected_by_notice_id ? await repo.titleOf(db, communityId, n.corrected_by_notice_id) : undefined
  const manage = canManage(actor, n.publisher_role)
  const immutable = (isImmutableKind(n.kind) && published) || n.published_by === null
  return {
    id: n.id,
    communityId: n.community_id,
    kind: n.kind as NoticeKind,
    title: n.title,
    body: n.body,
    publisherRole: n.publisher_role,
    publisherName: n.publisher_name,
    publishAt: n.publish_at,
    postingEndsAt: n.posting_ends_at,
    expiresAt: n.expires_at,
    pinned: n.pinned === 1,
    images: infos.filter((f) => f.kind === 'image'),
    attachments: infos.filter((f) => f.kind === 'pdf'),
    version: n.version,
    editable: manage && !immutable,
    immutable,
    corrects: corrects ? { id: corrects.id, title: corrects.title } : null,
    // A correction still scheduled is not shown to residents yet.
    correctedBy: correctedBy && (correctedBy.publish_at <= nowIso || publisher) ? { id: correctedBy.id, title: correctedBy.title, publishAt: correctedBy.publish_at } : null,
    revisions,
    stats: publisher ? await readStats(db, communityId, n.id, n.kind) : null,
    canManage: manage,
  }
}

/**
 * Households that opened the notice over households of the 小区 (a household is a unit; it has
 * read when any owner or tenant of it opened the notice). For a 公示, every building with its
 * figures, lowest readership first, those under LOW_READERSHIP_PERCENT flagged.
 */
export async function readStats(db: DbOrTx, communityId: string, noticeId: string, kind: string): Promise<NoticeReadStats> {
  const rows = await repo.readershipByBuilding(db, communityId, noticeId)
  const households = rows.reduce((s, r) => s + r.households, 0)
  const readHouseholds = rows.reduce((s, r) => s + r.read_households, 0)
  const buildings =
    kind === '公示'
      ? rows
          .map((r) => ({
            buildingId: r.building_id,
            name: r.name,
            households: r.households,
            readHouseholds: r.read_households,
            // Integer comparison: read/households < P/100  ⇔  100·read < P·households.
            low: 100 * r.read_households < LOW_READERSHIP_PERCENT * r.households,
          }))
          // Lowest share first, by cross-multiplication (no floats).
          .sort((a, b) => a.readHouseholds * b.households - b.readHouseholds * a.households || a.name.localeCompare(b.name))
      : null
  return { noticeId, households, readHouseholds, buildings }
}

/** Read counts for a publisher, for the notice list's figures. */
export async function noticeReadStats(db: DbOrTx, actor: Actor, communityId: string, noticeId: string): Promise<NoticeReadStats> {
  if (!isPublisher(actor.roles)) throw new AppError('Forbidden', '只有发布者可以查看阅读情况')
  const n = await repo.findNotice(db, communityId, noticeId)
  if (!n || n.withdrawn_at) throw new AppError('NotFound', '公告不存在或已撤回')
  return readStats(db, communityId, n.id, n.kind)
}
