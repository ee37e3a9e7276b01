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
