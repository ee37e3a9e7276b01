import { formatDate, formatDateTime, formatFriendly } from '../../src/utils/time'
import { addDays, addDaysIso, beijingClock, beijingDate, beijingDaysBetween, beijingParts, beijingTime, beijingToDate, beijingToIso, startOfBeijingDay } from '../../src/contracts/time'

describe('times are shown in Asia/Shanghai whatever the machine zone', () => {
  it('moves a UTC instant to Beijing time, across midnight', () => {
    expect(formatDateTime('2025-03-03T17:05:00.000Z')).toBe('2025年3月4日 01:05')
    expect(formatDate('2025-12-31T16:00:00.000Z')).toBe('2026年1月1日')
    expect(formatDate('2025-12-31T15:59:59.999Z')).toBe('2025年12月31日')
  })

  it('says 今天 / 昨天 by the Beijing calendar day', () => {
    const now = new Date('2025-03-04T02:00:00.000Z') // 10:00 on 4 March in Beijing
    expect(formatFriendly('2025-03-03T16:00:00.000Z', now)).toBe('今天 00:00')
    expect(formatFriendly('2025-03-03T15:59:00.000Z', now)).toBe('昨天 23:59')
    expect(formatFriendly('2025-03-02T15:59:00.000Z', now)).toBe('2025年3月2日 23:59')
  })
})

describe('the shared Beijing-time module (src/contracts/time)', () => {
  it('formats an instant as Beijing date, clock and date-time', () => {
    expect(beijingTime('2026-11-30T16:00:00.000Z')).toBe('2026-12-01 00:00')
    expect(beijingDate('2026-11-30T15:59:59.999Z')).toBe('2026-11-30')
    expect(beijingDate(new Date('2026-11-30T16:00:00.000Z'))).toBe('2026-12-01')
    expect(beijingClock(Date.parse('2026-12-01T00:05:00.000Z'))).toBe('08:05')
    expect(beijingParts('2026-12-31T16:30:00.000Z')).toMatchObject({ year: 2027, month: 1, day: 1, hour: 0, minute: 30, weekday: 5 })
  })

  it('parses a Beijing wall-clock time to the instant it names, and back', () => {
    expect(beijingToIso('2026-12-01', '08:00')).toBe('2026-12-01T00:00:00.000Z')
    expect(beijingToIso('2026-12-01', 8)).toBe('2026-12-01T00:00:00.000Z')
    expect(beijingToIso('2026-01-01')).toBe('2025-12-31T16:00:00.000Z')
    expect(beijingToIso('2026-12-01', '23:59')).toBe('2026-12-01T15:59:00.000Z')
    expect(beijingTime(beijingToDate('2026-03-05', '14:05'))).toBe('2026-03-05 14:05')
    expect(Number.isNaN(beijingToDate('12/01/2026', '08:00').getTime())).toBe(true)
    expect(Number.isNaN(beijingToDate('2026-12-01', '8am').getTime())).toBe(true)
  })

  it('finds the start of a Beijing day and counts calendar days, not 24-hour spans', () => {
    expect(startOfBeijingDay('2026-12-01T15:59:00.000Z').toISOString()).toBe('2026-11-30T16:00:00.000Z')
    expect(startOfBeijingDay('2026-12-01T16:00:00.000Z').toISOString()).toBe('2026-12-01T16:00:00.000Z')
    expect(beijingDaysBetween('2026-12-01T15:59:00.000Z', '2026-12-01T16:01:00.000Z')).toBe(1)
    expect(beijingDaysBetween('2026-12-01T16:01:00.000Z', '2026-12-02T15:59:00.000Z')).toBe(0)
    expect(addDays('2026-12-01T00:00:00.000Z', 15).toISOString()).toBe('2026-12-16T00:00:00.000Z')
    expect(addDaysIso('2026-12-01T00:00:00.000Z', -1)).toBe('2026-11-30T00:00:00.000Z')
  })
})
