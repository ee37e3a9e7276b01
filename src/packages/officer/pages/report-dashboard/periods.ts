import { beijingDate } from '../../../../utils/time'

/** The periods offered: this and last month, this and last quarter, this year ("2026-03", "2026-Q1", "2026"), in Beijing time. */
export function periodChoices(now: number): { value: string; label: string }[] {
  const [y, m] = beijingDate(now).split('-').map(Number)
  const month = (yy: number, mm: number) => `${yy}-${String(mm).padStart(2, '0')}`
  const q = Math.ceil(m / 3)
  const lastMonth = m === 1 ? month(y - 1, 12) : month(y, m - 1)
  const lastQuarter = q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`
  return [
    { value: month(y, m), label: `本月（${m}月）` },
    { value: lastMonth, label: '上月' },
    { value: `${y}-Q${q}`, label: `本季度（Q${q}）` },
    { value: lastQuarter, label: '上季度' },
    { value: String(y), label: `${y}年` },
  ]
}
