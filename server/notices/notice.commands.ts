/**
 * What a publisher does with notices: publish (as their body, never backdated, without personal
 * data), edit with every version kept, pin, withdraw. Who may is notice.policy.ts; the write
 * itself is publishSystemNotice (notice.publish.ts).
 */
import { randomUUID } from 'node:crypto'
import { DEFAULT_POSTING_DAYS, MAX_PINNED, type NoticeKind, type PublisherRole } from '../../src/contracts/notices'
import { addDays } from '../../src/contracts/time'
import { requireActor, withTx, type Ctx } from '../context'
import { AppError } from '../errors'
import { assertNoPersonalData, type PersonalDataWording } from '../privacy/personal-data'
import { canManage, editorRoleFor, immutableMessage, isImmutableKind, manageableNotice, publisherName, publishingRole } from './notice.policy'
import { attachFiles, noticeTimes, pinCapError, publishSystemNotice } from './notice.publish'
import * as repo from './notice.repository'

/** A scheduled time may lag the clock by this much (the compose page's own clock, network delay) without being backdating. */
const BACKDATE_TOLERANCE_MS = 60_000

const IN_NOTICE: PersonalDataWording = {
  mobile: '公告中不能出现手机号码；请留物业或业委会的办公电话',
  idNumber: '公告中不能出现身份证号码',
  name: (name) => `公告中不能出现住户姓名（发现“${name}”）；请用房号打码等方式表述`,
}
/** Residents read a PDF's name beside it, and every file's name reaches their phones with the notice. */
const IN_FILE_NAME: PersonalDataWording = {
  mobile: '文件名中不能出现手机号码；请改名后重新上传',
  idNumber: '文件名中不能出现身份证号码；请改名后重新上传',
  name: (name) => `文件名中不能出现住户姓名（发现“${name}”）；请改名后重新上传`,
}

async function assertCleanFileNames(ctx: Ctx, communityId: string, fileIds: string[]): Promise<void> {
  if (fileIds.length === 0) return
  const names = (await repo.filesByIds(ctx.db, communityId, fileIds)).map((f) => f.file_name)
  await assertNoPersonalData(ctx, communityId, names, IN_FILE_NAME)
}

const parseInstant = (s: string | undefined | null) => (s ? new Date(s) : undefined)
const backdated = (at: Date, now: Date) => at.getTime() < now.getTime() - BACKDATE_TOLERANCE_MS

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
export async function publishAsActor(ctx: Ctx, req: PublishRequest): Promise<{ id: string }> {
  const actor = requireActor(ctx)
  const now = ctx.now()
  const role = publishingRole(actor, req.asRole)
  const publishAt = parseInstant(req.publishAt)
  // A disclosure must be trustworthy after the fact: its publish time is never before it existed.
  if (publishAt && backdated(publishAt, now)) throw new AppError('BadInput', '发布时间不能早于现在')
  await assertNoPersonalData(ctx, req.communityId, [req.title, req.body], IN_NOTICE)
  await assertCleanFileNames(ctx, req.communityId, [...req.imageIds, ...req.attachmentIds])
  if (req.correctsNoticeId) {
    const old = await repo.findNotice(ctx.db, req.communityId, req.correctsNoticeId)
    if (!old || old.withdrawn_at) throw new AppError('NotFound', '要更正的公告不存在')
    if (!canManage(actor, old.publisher_role)) throw new AppError('Forbidden', '只能更正本机构发布的公告')
    if (old.publish_at > now.toISOString()) throw new AppError('BadInput', '这条公告还没有发布，可以直接修改，无需更正')
    if (old.kind !== req.kind) throw new AppError('BadInput', `更正公告的类型须与原公告一致（${old.kind}）`)
    if (publishAt && publishAt > now) throw new AppError('BadInput', '更正公告需立即发布，不能定时')
  }
  return publishSystemNotice(ctx, {
    communityId: req.communityId,
    kind: req.kind,
    title: req.title,
    body: req.body,
    publisherRole: role,
    publisherName: await publisherName(ctx, req.communityId, role),
    publishedBy: actor.userId,
    publishAt,
    postingEndsAt: parseInstant(req.postingEndsAt),
    expiresAt: parseInstant(req.expiresAt),
    pinned: req.pinned,
    imageIds: req.imageIds,
    attachmentIds: req.attachmentIds,
    correctsNoticeId: req.correctsNoticeId,
  })
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
export async function editNotice(ctx: Ctx, req: EditRequest): Promise<{ version: number }> {
  const actor = requireActor(ctx)
  const now = ctx.now()
  const nowIso = now.toISOString()
  return withTx(ctx, async (ctx) => {
    const trx = ctx.db
    const n = await manageableNotice(ctx, actor, req.communityId, req.noticeId)
    const published = n.publish_at <= nowIso
    if (isImmutableKind(n.kind) && published) throw new AppError('Immutable', immutableMessage(n.kind))
    if (n.published_by === null) throw new AppError('Immutable', '系统自动发布的公告不能修改')
    if (n.version !== req.expectedVersion) throw new AppError('Conflict', '这条公告刚被修改过，请刷新后再编辑')

    let publishAt = new Date(n.publish_at)
    if (req.publishAt !== undefined) {
      if (published) throw new AppError('BadInput', '已发布的公告不能修改发布时间')
      const p = new Date(req.publishAt)
      if (backdated(p, now)) throw new AppError('BadInput', '发布时间不能早于现在')
      publishAt = p > now ? p : now
    }
    const title = req.title ?? n.title
    const body = req.body ?? n.body
    await assertNoPersonalData(ctx, n.community_id, [title, body], IN_NOTICE)
    // A scheduled 公示 moved later keeps at least its minimum posting period.
    const keepPosting = n.posting_ends_at ? new Date(n.posting_ends_at) : undefined
    const minPosting = n.kind === '公示' ? addDays(publishAt, DEFAULT_POSTING_DAYS) : undefined
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
    await assertCleanFileNames(ctx, n.community_id, [...imageIds, ...attachmentIds].filter((id) => !currentIds.has(id)))

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
    const fileIds = await attachFiles(trx, n.community_id, n.id, { imageIds, attachmentIds, uploader: actor.userId, currentIds: [...currentIds], nowIso })
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
      editor_role: editorRoleFor(actor, n.publisher_role),
      created_at: nowIso,
    })
    return { version }
  })
}

/** Pins or unpins; at most MAX_PINNED live pinned notices per 小区. Pinning is display, allowed on every kind. */
export async function pinNotice(ctx: Ctx, req: { communityId: string; noticeId: string; pinned: boolean }): Promise<{ pinned: boolean }> {
  const actor = requireActor(ctx)
  const nowIso = ctx.now().toISOString()
  await withTx(ctx, async (ctx) => {
    await repo.lockCommunity(ctx.db, req.communityId)
    const n = await manageableNotice(ctx, actor, req.communityId, req.noticeId)
    if (req.pinned) {
      if (n.expires_at && n.expires_at <= nowIso) throw new AppError('BadInput', '已过期的公告不能置顶')
      if (n.pinned) return
      if ((await repo.countActivePinned(ctx.db, req.communityId, nowIso, n.id)) >= MAX_PINNED) throw pinCapError()
    }
    await repo.setPinned(ctx.db, req.communityId, n.id, req.pinned, nowIso)
  })
  return { pinned: req.pinned }
}

/** Withdraws an editable notice (or any notice still scheduled). The row stays for the record. */
export async function withdrawNotice(ctx: Ctx, req: { communityId: string; noticeId: string }): Promise<{ withdrawn: true }> {
  const actor = requireActor(ctx)
  const nowIso = ctx.now().toISOString()
  await withTx(ctx, async (ctx) => {
    const n = await manageableNotice(ctx, actor, req.communityId, req.noticeId)
    if (isImmutableKind(n.kind) && n.publish_at <= nowIso) throw new AppError('Immutable', immutableMessage(n.kind))
    if (n.published_by === null) throw new AppError('Immutable', '系统自动发布的公告不能撤回')
    await repo.setWithdrawn(ctx.db, req.communityId, n.id, nowIso)
  })
  return { withdrawn: true }
}
