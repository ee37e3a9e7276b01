import { formatDate, formatDateTime, formatFriendly } from '../../src/utils/time'

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
