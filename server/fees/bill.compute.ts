import { formatAreaCenti, formatYuan, lineAmount, splitByWeight } from '../../src/contracts/money'
import type { FeeItemKind } from '../../src/contracts/fees'

/**
 * The pure part of billing: from the units and the schedule's items, each unit's lines for a
 * period of `months` months. A line is rate × area × months rounded half up once (money.ts); a
 * shared item (公摊水电) is its monthly total × months, split over the units in its scope by
 * registered area (largest remainder, so the parts add up to the total exactly).
 */
export interface BillableUnit {
  id: string
  buildingId: string
  areaCentiM2: number
}
export interface ScheduleItem {
  name: string
  kind: FeeItemKind
  rateFen: number
  /** [] means every building. */
  buildingIds: string[]
}
export interface ComputedLine {
  position: number
  itemName: string
  kind: FeeItemKind
  rateFen: number
  months: number
  amountFen: number
  basis: string
}

const inScope = (item: ScheduleItem, u: BillableUnit) => item.buildingIds.length === 0 || item.buildingIds.includes(u.buildingId)

/** The rate as people read it. */
export function rateText(kind: FeeItemKind, rateFen: number): string {
  const yuan = formatYuan(rateFen).replace(/ 元$/, '')
  if (kind === 'area') return `${yuan} 元/㎡/月`
  if (kind === 'fixed') return `${yuan} 元/户/月`
  return `每月 ${yuan} 元，按登记面积分摊`
}

/** Lines per unit id, in the schedule's order; units no item applies to get none. */
export function computeLines(units: readonly BillableUnit[], items: readonly ScheduleItem[], months: number): Map<string, ComputedLine[]> {
  const out = new Map<string, ComputedLine[]>(units.map((u) => [u.id, []]))
  items.forEach((item, position) => {
    const scoped = units.filter((u) => inScope(item, u))
    if (item.kind === 'shared') {
      const totalArea = scoped.reduce((s, u) => s + u.areaCentiM2, 0)
      if (totalArea === 0) return
      const periodTotal = lineAmount(item.rateFen, 100, months)
      const parts = splitByWeight(periodTotal, scoped.map((u) => u.areaCentiM2))
      scoped.forEach((u, i) => {
        out.get(u.id)!.push({
          position,
          itemName: item.name,
          kind: item.kind,
          rateFen: item.rateFen,
          months,
          amountFen: parts[i],
          basis: `每月 ${formatYuan(item.rateFen)} × ${months} 个月，按面积 ${formatAreaCenti(u.areaCentiM2)} ㎡ / 共 ${formatAreaCenti(totalArea)} ㎡ 分摊 = ${formatYuan(parts[i])}`,
        })
      })
      return
    }
    for (const u of scoped) {
      const amountFen = item.kind === 'area' ? lineAmount(item.rateFen, u.areaCentiM2, months) : lineAmount(item.rateFen, 100, months)
      const basis =
        item.kind === 'area'
          ? `${rateText('area', item.rateFen)} × ${formatAreaCenti(u.areaCentiM2)} ㎡ × ${months} 个月 = ${formatYuan(amountFen)}（四舍五入到分）`
          : `${rateText('fixed', item.rateFen)} × ${months} 个月 = ${formatYuan(amountFen)}`
      out.get(u.id)!.push({ position, itemName: item.name, kind: item.kind, rateFen: item.rateFen, months, amountFen, basis })
    }
  })
  return out
}

/** The last day of a YYYY-MM month, as YYYY-MM-DD. */
export function lastDayOf(month: string): string {
  const y = Number(month.slice(0, 4))
  const m = Number(month.slice(5, 7))
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
  return `${month}-${days}`
}
