import { DEFAULT_POSTING_DAYS, TITLE_MAX, type NoticeDetail, type NoticeFileInfo, type NoticeKind, type PublisherOption } from '../../../../contracts/notices'
import { addDays, addDaysIso, beijingClock, beijingDate, beijingToIso, toMs } from '../../../../contracts/time'
import type { NoticeViewModel } from '../../../../components/notice-view'

/**
 * The compose page's draft and the pure rules that turn it into what is sent and previewed: when
 * it is published, until when it shows, the posting period of a 公示. Times are Beijing wall
 * clock in the pickers ("2026-12-01", "08:00") and UTC instants on the wire (src/contracts/time).
 */

export const POSTING_CHOICES = [DEFAULT_POSTING_DAYS, 15, 30]
export type Expiry = 'none' | '7' | '30' | 'date'
export const EXPIRY_CHOICES: { value: Expiry; label: string }[] = [
  { value: 'none', label: '长期有效' },
  { value: '7', label: '7 天' },
  { value: '30', label: '30 天' },
  { value: 'date', label: '指定日期' },
]
/** A 欠费公示 without an end date ends after this many days (the server's rule; the preview says so too). */
const ARREARS_DAYS = 30

export type Mode = 'new' | 'edit' | 'correct'

export interface Draft {
  role: PublisherOption['role'] | null
  kind: NoticeKind
  title: string
  body: string
  images: NoticeFileInfo[]
  attachments: NoticeFileInfo[]
  postingDays: number
  schedule: boolean
  date: string
  time: string
  expiry: Expiry
  expiryDate: string
  /** In an edit, the expiry is sent only when the editor changed it, so saving new text never moves it. */
  expiryTouched: boolean
  pinned: boolean
}

export function emptyDraft(now: number): Draft {
  return {
    role: null,
    kind: '公告',
    title: '',
    body: '',
    images: [],
    attachments: [],
    postingDays: DEFAULT_POSTING_DAYS,
    schedule: false,
    date: beijingDate(addDays(now, 1)),
    time: '08:00',
    expiry: 'none',
    expiryDate: beijingDate(addDays(now, 30)),
    expiryTouched: false,
    pinned: false,
  }
}

/** A notice not yet published keeps its time unless the editor changes it: saving new words must not publish it early. */
export function isScheduled(notice: Pick<NoticeDetail, 'publishAt'>, now: number): boolean {
  return toMs(notice.publishAt) > now
}

/** The draft an edit or a correction starts from: the notice's words and settings, and its publisher. */
export function draftFrom(d: Draft, options: PublisherOption[], base: NoticeDetail | null, mode: Mode, now: number): Draft {
  const role = (options.find((o) => o.name === base?.publisherName) ?? options[0])?.role ?? null
  if (!base) return { ...d, role }
  const scheduledAt = mode === 'edit' && isScheduled(base, now) ? base.publishAt : null
  return {
    ...d,
    role,
    kind: base.kind,
    title: mode === 'correct' ? `${base.title}（更正）`.slice(0, TITLE_MAX) : base.title,
    body: base.body,
    images: mode === 'edit' ? base.images : [],
    attachments: mode === 'edit' ? base.attachments : [],
    pinned: base.pinned,
    expiry: base.expiresAt ? 'date' : 'none',
    expiryDate: base.expiresAt ? beijingDate(base.expiresAt) : d.expiryDate,
    ...(scheduledAt ? { schedule: true, date: beijingDate(scheduledAt), time: beijingClock(scheduledAt) } : {}),
  }
}

export interface Composer {
  draft: Draft
  mode: Mode
  /** The notice being edited or corrected. */
  original: NoticeDetail | null
  publisherName: string
  now: number
}

/** A new notice, or an edit of one still scheduled, may choose when it is published; a correction stands beside the original at once. */
export function canSchedule({ mode, original, now }: Pick<Composer, 'mode' | 'original' | 'now'>): boolean {
  return mode === 'new' || (mode === 'edit' && !!original && isScheduled(original, now))
}

export function publishAtIso(c: Composer): string {
  const { draft, mode, original, now } = c
  if (mode === 'edit' && original && !isScheduled(original, now)) return original.publishAt
  if (!canSchedule(c) || !draft.schedule) return new Date(now).toISOString()
  // The pickers hold minutes: an untouched date and time keep the original instant to the millisecond.
  if (mode === 'edit' && original && beijingDate(original.publishAt) === draft.date && beijingClock(original.publishAt) === draft.time) return original.publishAt
  return beijingToIso(draft.date, draft.time)
}

export function expiresAtIso(c: Composer, publishAt: string): string | null {
  const { draft, mode, original } = c
  if (mode === 'edit' && original && !draft.expiryTouched) return original.expiresAt
  if (draft.expiry === 'none') return draft.kind === '欠费公示' ? addDaysIso(publishAt, ARREARS_DAYS) : null
  if (draft.expiry === 'date') return beijingToIso(draft.expiryDate, '23:59')
  return addDaysIso(publishAt, Number(draft.expiry))
}

/** What is wrong before anything is sent, in the words shown beside the button. */
export function problemOf(c: Composer): string | null {
  if (!c.draft.title.trim()) return '请填写标题'
  if (!c.draft.body.trim()) return '请填写正文'
  if (canSchedule(c) && c.draft.schedule && toMs(beijingToIso(c.draft.date, c.draft.time)) <= c.now) return '定时发布的时间必须晚于现在'
  return null
}

/** The draft as residents will see it. */
export function previewModel(c: Composer): NoticeViewModel {
  const { draft, mode, original } = c
  const publishAt = publishAtIso(c)
  return {
    kind: draft.kind,
    title: draft.title.trim() || '（未填写标题）',
    body: draft.body.trim() || '（未填写正文）',
    publisherName: c.publisherName,
    publishAt,
    postingEndsAt: draft.kind === '公示' ? (mode === 'edit' && original?.postingEndsAt ? original.postingEndsAt : addDaysIso(publishAt, draft.postingDays)) : null,
    expiresAt: expiresAtIso(c, publishAt),
    pinned: draft.pinned,
    images: draft.images,
    attachments: draft.attachments,
    version: 1,
    corrects: mode === 'correct' && original ? { id: original.id, title: original.title } : null,
    correctedBy: null,
    revisions: [],
  }
}
