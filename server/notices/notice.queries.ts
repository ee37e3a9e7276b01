/**
 * Reading notices: the feed (cursor pages), one notice (recording the read), the unread badge,
 * read counts for publishers, and who the caller may publish as.
 */
import {
  LOW_READERSHIP_PERCENT,
  MAX_PINNED,
  UNREAD_WINDOW_DAYS,
  type NoticeDetail,
  type NoticeFileInfo,
  type NoticeKind,
  type NoticePage,
  type NoticeReadStats,
  type NoticeSummary,
  type PublisherOption,
} from '../../src/contracts/notices'
import { addDays } from '../../src/contracts/time'
import { requireActor, type Ctx } from '../context'
import { decodeCursor, isIsoTime, isText, keysetPage } from '../db/keyset'
import { AppError } from '../errors'
import { storageFor, type Storage } from '../storage'
import { signedFileUrl } from './file-url'
import { canManage, isImmutableKind, isPublisher, publisherName, publishingRoles, requirePublisher } from './notice.policy'
import { listFeedPage, type FeedRow } from './notice.feed'
import * as repo from './notice.repository'

const UNREAD_CAP = 100

function toSummary(r: FeedRow): NoticeSummary {
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
    read: r.read,
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
export async function listNotices(ctx: Ctx, req: ListRequest): Promise<NoticePage> {
  const actor = requireActor(ctx)
  if (req.view === 'scheduled') requirePublisher(actor, '只有发布者可以查看待发布的公告')
  const after = decodeCursor(req.cursor, [isIsoTime, isText]) as [string, string] | undefined
  // The first page of the main feed carries the pinned block: one statement answers both, and
  // whether the caller has opened each notice.
  const withPinned = req.view === 'feed' && !after
  const rows = await listFeedPage(ctx.db, {
    communityId: req.communityId,
    readerId: actor.userId,
    nowIso: ctx.now().toISOString(),
    view: req.view,
    kind: req.kind,
    q: req.q || undefined,
    after,
    limit: req.limit + 1,
    ...(withPinned ? { pinnedLimit: MAX_PINNED * 2 } : {}),
  })
  // The pinned block comes first and is the main feed's only pinned = 1 rows (the page has pinned = 0).
  const pinnedRows = withPinned ? rows.filter((r) => r.pinned === 1) : []
  const { page, nextCursor } = keysetPage(withPinned ? rows.filter((r) => r.pinned !== 1) : rows, req.limit, (r) => [r.publish_at, r.id])
  return { pinned: pinnedRows.map(toSummary), items: page.map(toSummary), nextCursor }
}

/**
 * Unread notices in the caller's main feed published within the last UNREAD_WINDOW_DAYS, capped
 * (the badge shows "99+"): the badge announces news; an old notice never opened stays in the
 * feed, marked unread there, without holding the badge up for months.
 */
export async function unreadCount(ctx: Ctx, req: { communityId: string }): Promise<{ count: number; capped: boolean }> {
  const actor = requireActor(ctx)
  const now = ctx.now()
  const since = addDays(now, -UNREAD_WINDOW_DAYS).toISOString()
  const n = await repo.countUnread(ctx.db, req.communityId, actor.userId, now.toISOString(), since, UNREAD_CAP)
  return { count: Math.min(n, UNREAD_CAP - 1), capped: n >= UNREAD_CAP }
}

export type FileUrl = (f: repo.NoticeFileRow) => Promise<string>

/** The storage's own link (a cloud temporary URL), or a signed link to the HTTP route. */
export function fileUrlVia(storage: Storage, secret: string, now: Date): FileUrl {
  return async (f) => (await storage.url(f.storage_key)) ?? signedFileUrl(f.id, secret, now)
}

/** The links for files read under ctx: the configured storage, signed with the server secret. */
export const fileUrlOf = (ctx: Ctx): FileUrl => fileUrlVia(storageFor(ctx.config), ctx.config.idHashSecret, ctx.now())

export function toFileInfo(f: repo.NoticeFileRow, url: string): NoticeFileInfo {
  return { id: f.id, kind: f.kind, mime: f.mime, fileName: f.file_name, sizeBytes: f.size_bytes, url }
}

/** Every version before the current one, with the files it had. */
async function revisionsOf(ctx: Ctx, n: repo.NoticeRow, fileUrl: FileUrl): Promise<NoticeDetail['revisions']> {
  const revisionRows = n.version > 1 ? await repo.revisionsOf(ctx.db, n.community_id, n.id) : []
  const revisionFileIds = [...new Set(revisionRows.flatMap((r) => JSON.parse(r.file_ids) as string[]))]
  const revisionFiles = new Map((await repo.filesByIds(ctx.db, n.community_id, revisionFileIds)).map((f) => [f.id, f]))
  return Promise.all(
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
}

/**
 * A notice as a member reads it, recording the first opening. Scheduled notices exist only for
 * publishers; withdrawn ones for nobody. Publishers also get the read counts. File links come from
 * `fileUrl` (default: the configured storage).
 */
export async function getNotice(ctx: Ctx, req: { communityId: string; noticeId: string }, fileUrl: FileUrl = fileUrlOf(ctx)): Promise<NoticeDetail> {
  const actor = requireActor(ctx)
  const { communityId } = req
  const nowIso = ctx.now().toISOString()
  const n = await repo.findNotice(ctx.db, communityId, req.noticeId)
  const publisher = isPublisher(actor.roles)
  if (!n || n.withdrawn_at || (n.publish_at > nowIso && !publisher)) throw new AppError('NotFound', '公告不存在或已撤回')
  const published = n.publish_at <= nowIso
  if (published) await repo.markRead(ctx.db, communityId, n.id, actor.userId, nowIso)

  const files = await repo.filesOfNotice(ctx.db, communityId, n.id)
  const infos = await Promise.all(files.map(async (f) => toFileInfo(f, await fileUrl(f))))
  const corrects = n.corrects_notice_id ? await repo.titleOf(ctx.db, communityId, n.corrects_notice_id) : undefined
  const correctedBy = n.corrected_by_notice_id ? await repo.titleOf(ctx.db, communityId, n.corrected_by_notice_id) : undefined
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
    revisions: await revisionsOf(ctx, n, fileUrl),
    stats: publisher ? await readStats(ctx, { communityId, noticeId: n.id, kind: n.kind }) : null,
    canManage: manage,
  }
}

/**
 * Households that opened the notice over households of the 小区 (a household is a unit; it has
 * read when any owner or tenant of it opened the notice). For a 公示, every building with its
 * figures, lowest readership first, those under LOW_READERSHIP_PERCENT flagged.
 */
export async function readStats(ctx: Ctx, req: { communityId: string; noticeId: string; kind: string }): Promise<NoticeReadStats> {
  const rows = await repo.readershipByBuilding(ctx.db, req.communityId, req.noticeId)
  const households = rows.reduce((s, r) => s + r.households, 0)
  const readHouseholds = rows.reduce((s, r) => s + r.read_households, 0)
  const buildings =
    req.kind === '公示'
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
  return { noticeId: req.noticeId, households, readHouseholds, buildings }
}

/** Read counts for a publisher, for the notice list's figures. */
export async function noticeReadStats(ctx: Ctx, req: { communityId: string; noticeId: string }): Promise<NoticeReadStats> {
  requirePublisher(requireActor(ctx), '只有发布者可以查看阅读情况')
  const n = await repo.findNotice(ctx.db, req.communityId, req.noticeId)
  if (!n || n.withdrawn_at) throw new AppError('NotFound', '公告不存在或已撤回')
  return readStats(ctx, { communityId: req.communityId, noticeId: n.id, kind: n.kind })
}

/** The bodies the actor may publish as here, strongest role first, with the names residents will read (for the compose preview). */
export async function publisherOptions(ctx: Ctx, req: { communityId: string }): Promise<PublisherOption[]> {
  const roles = publishingRoles(requireActor(ctx))
  return Promise.all(roles.map(async (role) => ({ role, name: await publisherName(ctx, req.communityId, role) })))
}
