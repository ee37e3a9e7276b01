import type { NoticeKind } from '../../contracts/notices'

/** A class-name slug per kind, for its colour; the kind's own words are always shown beside it. */
export const KIND_SLUG: Record<NoticeKind, string> = {
  公告: 'general',
  公示: 'disclosure',
  财务公开: 'finance',
  表决结果: 'vote',
  欠费公示: 'arrears',
  停水停电: 'outage',
  活动: 'event',
}

/** "1.2 MB", "350 KB": sizes for people. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(Math.round((bytes / 1024 / 1024) * 10) / 10).toString()} MB`
  return `${Math.max(1, Math.round(bytes / 1024))} KB`
}
