/**
 * System publishing: the one path that writes a new notice. Unchecked as to who publishes — the
 * system (a vote's announcement and result) calls it directly, and a publisher's request reaches
 * it only through publishAsActor (notice.commands.ts), which checks the person first. It checks
 * the notice's own rules: kind, lengths, posting period, expiry, pin cap, correction link, files.
 */
import { randomUUID } from 'node:crypto'
import {
  BODY_MAX,
  DEFAULT_POSTING_DAYS,
  MAX_ATTACHMENTS,
  MAX_IMAGES,
  MAX_PINNED,
  NOTICE_KINDS,
  TITLE_MAX,
  type NoticeDetail,
} from '../../src/contracts/notices'
import { addDays } from '../../src/contracts/time'
import { withTx, type Ctx } from '../context'
import type { DbOrTx } from '../db/database'
import { AppError } from '../errors'
import { enqueueOutbox } from '../outbox/outbox'
import * as repo from './notice.repository'

/** 欠费公示 must end (domain.md: "each posting is itself a notice with an end date"); this is the default end. */
const ARREARS_DEFAULT_DAYS = 30

/** The notice's own fields as readers will see them, and how and when it is published. */
export interface SystemPublishInput extends Pick<NoticeDetail, 'communityId' | 'kind' | 'title' | 'body' | 'publisherRole' | 'publisherName'> {
  /** The user who published, or null for the system (a vote result at close). */
  publishedBy: string | null
  /** Later than now (ctx.now()) schedules it. Defaults to now. */
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
 * step of a publisher's request. Writes the notice, its first revision and its file links at
 * once, in ctx's transaction when it holds one (votes publish inside theirs).
 */
export async function publishSystemNotice(ctx: Ctx, input: SystemPublishInput): Promise<{ id: string }> {
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

  const now = ctx.now()
  const nowIso = now.toISOString()
  const publishAt = input.publishAt && input.publishAt > now ? input.publishAt : now
  const { postingEndsAt, expiresAt } = noticeTimes(input.kind, publishAt, input.postingEndsAt, input.expiresAt)

  return withTx(ctx, async ({ db: trx }) => {
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
    const fileIds = await attachFiles(trx, input.communityId, id, { imageIds, attachmentIds, uploader: input.publishedBy, currentIds: [], nowIso })
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
    // Residents are told of a 停水停电 from the outbox, not before it is public, and only if this commits.
    if (input.kind === '停水停电') await enqueueOutbox({ db: trx, now: ctx.now }, { communityId: input.communityId, topic: 'notice.outagePublished', payload: { noticeId: id, title, publishAt: publishAt.toISOString() }, notBefore: publishAt })
    return { id }
  })
}

/** Posting period and expiry, checked together because a 公示 must stay up for its whole period. */
export function noticeTimes(kind: string, publishAt: Date, postingEndsAt: Date | undefined, expiresAt: Date | null | undefined) {
  let posting: string | null = null
  if (kind === '公示') {
    const minEnd = addDays(publishAt, DEFAULT_POSTING_DAYS)
    if (postingEndsAt && postingEndsAt < minEnd) throw new AppError('BadInput', `公示期不能少于 ${DEFAULT_POSTING_DAYS} 天`)
    posting = (postingEndsAt ?? minEnd).toISOString()
  } else if (postingEndsAt) {
    throw new AppError('BadInput', '只有公示需要设置公示期')
  }
  let expires: string | null = expiresAt ? expiresAt.toISOString() : null
  if (kind === '欠费公示' && !expiresAt) expires = addDays(publishAt, ARREARS_DEFAULT_DAYS).toISOString()
  if (expires && expires <= publishAt.toISOString()) throw new AppError('BadInput', '到期时间必须晚于发布时间')
  if (expires && posting && expires < posting) throw new AppError('BadInput', '公示期内不能下架：到期时间不能早于公示期结束')
  return { postingEndsAt: posting, expiresAt: expires }
}

const alreadyCorrected = () => new AppError('Conflict', '该公告已经被更正过；如需再次更正，请更正最新的那条更正公告')
export const pinCapError = () => new AppError('Conflict', `最多只能置顶 ${MAX_PINNED} 条公告，请先取消一条置顶`)

export interface FileChoice {
  imageIds: string[]
  attachmentIds: string[]
  /** Who may attach fresh files: their uploader, or anyone's for the system (null). */
  uploader: string | null
  /** Files on the notice now; those not chosen again are marked removed. */
  currentIds: string[]
  nowIso: string
}

/**
 * Links the chosen files to a notice in the order given (images first, then PDFs) and marks
 * dropped ones removed. A file must belong to the 小区, be of the right kind, be either fresh
 * (never attached, uploaded by this publisher) or already on this notice.
 */
export async function attachFiles(trx: DbOrTx, communityId: string, noticeId: string, c: FileChoice): Promise<string[]> {
  const wanted = [...c.imageIds, ...c.attachmentIds]
  if (new Set(wanted).size !== wanted.length) throw new AppError('BadInput', '同一个文件不能重复添加')
  const rows = await repo.filesByIds(trx, communityId, wanted)
  const byId = new Map(rows.map((r) => [r.id, r]))
  for (const [ids, kind, label] of [[c.imageIds, 'image', '图片'], [c.attachmentIds, 'pdf', 'PDF 附件']] as const) {
    for (const fid of ids) {
      const f = byId.get(fid)
      // Not in this 小区 (another 小区's file, or none at all): NotFound, as for any id of another 小区.
      if (!f) throw new AppError('NotFound', `${label}不存在，请重新上传`)
      const usable = f.kind === kind && (f.notice_id === noticeId || (f.notice_id === null && (c.uploader === null || f.uploaded_by === c.uploader)))
      if (!usable) throw new AppError('BadInput', `${label}不可用（已用于其他公告、类型不对或不是您上传的），请重新上传`)
    }
  }
  for (const [i, fid] of wanted.entries()) await repo.attachFile(trx, communityId, fid, noticeId, i)
  for (const old of c.currentIds) if (!wanted.includes(old)) await repo.markFileRemoved(trx, communityId, old, c.nowIso)
  return wanted
}
