import dayjs, { type Dayjs } from 'dayjs'
import utc from 'dayjs/plugin/utc'
import timezone from 'dayjs/plugin/timezone'

dayjs.extend(utc)
dayjs.extend(timezone)

/** Every time is shown in Beijing time, whatever the phone's own setting. */
export const TIME_ZONE = 'Asia/Shanghai'
/** China has kept UTC+8 without daylight saving since 1991: the fallback when Intl lacks zones. */
const SHANGHAI_OFFSET_MINUTES = 8 * 60

/** An instant (ISO-8601 text as stored, or a Date) in Asia/Shanghai. */
export function inShanghai(instant: string | Date): Dayjs {
  try {
    return dayjs(instant).tz(TIME_ZONE)
  } catch {
    // Some mini-program engines ship Intl without time-zone data.
    return dayjs.utc(instant).utcOffset(SHANGHAI_OFFSET_MINUTES)
  }
}

/** "2025年3月5日" */
export function formatDate(instant: string | Date): string {
  return inShanghai(instant).format('YYYY年M月D日')
}

/** "2025年3月5日 14:05" */
export function formatDateTime(instant: string | Date): string {
  return inShanghai(instant).format('YYYY年M月D日 HH:mm')
}

/** "今天 14:05", "昨天 09:30", otherwise the date and time: easier to read than a full date. */
export function formatFriendly(instant: string | Date, now: Date = new Date()): string {
  const t = inShanghai(instant)
  const today = inShanghai(now).startOf('day')
  if (!t.isBefore(today) && t.isBefore(today.add(1, 'day'))) return `今天 ${t.format('HH:mm')}`
  const yesterday = today.subtract(1, 'day')
  if (!t.isBefore(yesterday) && t.isBefore(today)) return `昨天 ${t.format('HH:mm')}`
  return formatDateTime(instant)
}
