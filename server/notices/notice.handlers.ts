import {
  CommunityOnly,
  EditNoticeInput,
  ListNoticesInput,
  NoticeRef,
  PinNoticeInput,
  PublishNoticeInput,
  UploadNoticeFileInput,
  type NoticeDetail,
  type NoticeFileInfo,
  type NoticePage,
  type NoticeReadStats,
  type PublisherOption,
} from '../../src/contracts/notices'
import { ALL_ROLES, NOTICE_PUBLISHER_ROLES } from '../../src/contracts/roles'
import { action } from '../registry'
import { readUploadedFile } from '../uploads/uploaded-file'
import { uploadNoticeFile } from './notice-files.service'
import { editNotice, pinNotice, publishAsActor, withdrawNotice } from './notice.commands'
import { getNotice, listNotices, noticeReadStats, publisherOptions, unreadCount } from './notice.queries'

/** Every member of a 小区 reads: residents (owners, tenants), its committee and staff, the offices above it. */
const READERS = { roles: ALL_ROLES }
/** Its committee, its property company's staff and the officers of its community office publish; never owners or tenants. */
const PUBLISHERS = { roles: NOTICE_PUBLISHER_ROLES }

export const noticeActions = {
  /** The feed: pinned first, then newest; by kind, by words in the title; cursor pages. */
  listNotices: action({
    input: ListNoticesInput,
    access: READERS,
    handler: (input, ctx): Promise<NoticePage> => listNotices(ctx, input),
  }),

  /** One notice; opening it records the read. */
  getNotice: action({
    input: NoticeRef,
    access: READERS,
    handler: (input, ctx): Promise<NoticeDetail> => getNotice(ctx, input),
  }),

  /** The 公告 tab's badge. */
  unreadNoticeCount: action({
    input: CommunityOnly,
    access: READERS,
    handler: (input, ctx): Promise<{ count: number; capped: boolean }> => unreadCount(ctx, input),
  }),

  publishNotice: action({
    input: PublishNoticeInput,
    access: PUBLISHERS,
    handler: (input, ctx): Promise<{ id: string }> => publishAsActor(ctx, input),
  }),

  /** Editable kinds only; 公示 and 财务公开 answer Immutable once published. */
  editNotice: action({
    input: EditNoticeInput,
    access: PUBLISHERS,
    handler: (input, ctx): Promise<{ version: number }> => editNotice(ctx, input),
  }),

  pinNotice: action({
    input: PinNoticeInput,
    access: PUBLISHERS,
    handler: (input, ctx): Promise<{ pinned: boolean }> => pinNotice(ctx, input),
  }),

  withdrawNotice: action({
    input: NoticeRef,
    access: PUBLISHERS,
    handler: (input, ctx): Promise<{ withdrawn: true }> => withdrawNotice(ctx, input),
  }),

  noticeReadStats: action({
    input: NoticeRef,
    access: PUBLISHERS,
    handler: (input, ctx): Promise<NoticeReadStats> => noticeReadStats(ctx, input),
  }),

  /** Who the caller may publish as here, with the names residents will read: the compose page's choice and preview. */
  noticePublisherOptions: action({
    input: CommunityOnly,
    access: PUBLISHERS,
    handler: (input, ctx): Promise<PublisherOption[]> => publisherOptions(ctx, input),
  }),

  /** An image or PDF for a notice being composed, as base64 in JSON or a cloud upload; answers the file id to attach. */
  uploadNoticeFile: action({
    input: UploadNoticeFileInput,
    access: PUBLISHERS,
    handler: async (input, ctx): Promise<NoticeFileInfo> => {
      // Read first: a cloud upload is deleted as it is read, so no refusal below leaves it behind.
      const data = await readUploadedFile(ctx, { base64: input.dataBase64, cloudFileId: input.cloudFileId })
      return uploadNoticeFile(ctx, { communityId: input.communityId, purpose: input.purpose, fileName: input.fileName, data })
    },
  }),
}
