import dayjs, { type Dayjs } from 'dayjs'
import utc from 'dayjs/plugin/utc'
import { BEIJING_OFFSET_MINUTES, type Instant } from '../contracts/time'

dayjs.extend(utc)

/** Beijing time lives in src/contracts/time.ts, shared with the server; pages import it from here or there. */
export {
  TIME_ZONE,
  DAY_MS,
  addDays,
  addDaysIso,
  beijingClock,
  beijingDate,
  beijingParts,
  beijingTime,
  beijingToDate,
  beijingToIso,
  formatDate,
  formatDateTime,
  formatFriendly,
  startOfBeijingDay,
} from '../contracts/time'

/**
 * An instant as a dayjs in Beijing time.
 * @deprecated use beijingDate / beijingClock / beijingTime from src/contracts/time; goes when no page uses it.
 */
export function inShanghai(instant: Instant): Dayjs {
  return dayjs.utc(instant).utcOffset(BEIJING_OFFSET_MINUTES)
}
