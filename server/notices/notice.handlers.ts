import { ROLES } from '../../src/contracts/common'
import {
  CommunityOnly,
  EditNoticeInput,
  ListNoticesInput,
  NoticeRef,
  PinNoticeInput,
  PUBLISHER_ROLES,
  PublishNoticeInput,
  UploadNoticeFileInput,
  type NoticeDetail,
  type NoticeFileInfo,
  type NoticePage,
  type NoticeReadStats,
  type PublisherOption,
} from '../../src/contracts/notices'
import { requireCaller, type Ctx } from '../context'
import { action } from '../registry'
import { storageFor } from '../storage'
import { readUploadedFile } from '../uploads/uploaded-file'
import { uploadNoticeFile } from './notice-files.service'
import * as notices from './notice.service'

const actor = (ctx: Ctx): notices.Actor => ({ userId: requireCaller(ctx).userId, roles: ctx.roles })
const fileUrl = (ctx: Ctx) => notices.fileUrlVia(storageFor(ctx.config), ctx.config.idHashSecret, ctx.now())

/** Every member of a 小区 reads: residents (owners, tenants), its committee and staff, the offices above it. */
const READERS = { roles: ROLES }
/** Its committee, its property company's staff and the officers of its community office publish; never owners or tenants. */
const PUBLISHERS = { roles: PUBLISHER_ROLES }

export const noticeActions = {
  /** The feed: pinned first, then newest; by kind, by words in the title; cursor pages. */
  listNotices: action({
    input: ListNoticesInput,
    access: READERS,
    handler: async (input, ctx): Promise<NoticePage> => notices.listNotices(ctx.db, actor(ctx), input, ctx.now()),
  }),

  /** One notice; opening it records the read. */
  getNotice: action({
    input: NoticeRef,
    access: READERS,
    handler: async (input, ctx): Promise<NoticeDetail> => notices.getNotice(ctx.db, actor(ctx), input.communityId, input.noticeId, ctx.now(), fileUrl(ctx)),
  }),

  /** The 公告 tab's badge. */
  unreadNoticeCount: action({
    input: CommunityOnly,
    access: READERS,
    handler: async (input, ctx): Promise<{ count: number; capped: boolean }> => notices.unreadCount(ctx.db, actor(ctx), input.communityId, ctx.now()),
  }),

  publishNotice: action({
    input: PublishNoticeInput,
    access: PUBLISHERS,
    handler: async (input, ctx): Promise<{ id: string }> => notices.publishAsActor(ctx.db, actor(ctx), input, ctx.now()),
  }),

  /** Editable kinds only; 公示 and 财务公开 answer Immutable once published. */
  editNotice: action({
    input: EditNoticeInput,
    access: PUBLISHERS,
    handler: async (input, ctx): Promise<{ version: number }> => notices.editNotice(ctx.db, actor(ctx), input, ctx.now()),
  }),

  pinNotice: action({
    input: PinNoticeInput,
    access: PUBLISHERS,
    handler: async (input, ctx): Promise<{ pinned: boolean }> => {
      await notices.pinNotice(ctx.db, actor(ctx), input.communityId, input.noticeId, input.pinned, ctx.now())
      return { pinned: input.pinned }
    },
  }),

  withdrawNotice: action({
    input: NoticeRef,
    access: PUBLISHERS,
    handler: async (input, ctx): Promise<{ withdrawn: true }> => {
      await notices.withdrawNotice(ctx.db, actor(ctx), input.communityId, input.noticeId, ctx.now())
      return { withdrawn: true }
    },
  }),

  noticeReadStats: action({
    input: NoticeRef,
    access: PUBLISHERS,
    handler: async (input, ctx): Promise<NoticeReadStats> => notices.noticeReadStats(ctx.db, actor(ctx), input.communityId, input.noticeId),
  }),

  /** Who the caller may publish as here, with the names residents will read: the compose page's choice and preview. */
  noticePublisherOptions: action({
    input: CommunityOnly,
    access: PUBLISHERS,
    handler: async (input, ctx): Promise<PublisherOption[]> => notices.publisherOptions(ctx.db, actor(ctx), input.communityId),
  }),

  /** An image or PDF for a notice being composed, as base64 in JSON or a cloud upload; answers the file id to attach. */
  uploadNoticeFile: action({
    input: UploadNoticeFileInput,
    access: PUBLISHERS,
    handler: async (input, ctx): Promise<NoticeFileInfo> => {
      // Read first: a cloud upload is deleted as it is read, so no refusal below leaves it behind.
      const data = await readUploadedFile(ctx, { base64: input.dataBase64, cloudFileId: input.cloudFileId })
      const req = { communityId: input.communityId, purpose: input.purpose, fileName: input.fileName, data }
      return uploadNoticeFile(ctx.db, storageFor(ctx.config), actor(ctx), req, ctx.now(), fileUrl(ctx))
    },
  }),
}
