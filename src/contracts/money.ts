/**
 * Money, the one module for client and server: amounts are integer fen (分) end to end, area is
 * integer hundredths of a m². Nothing here, nor anywhere money is computed, uses floating point:
 * products and shares are computed in BigInt and rounded once, by the rules stated here.
 *
 * - formatFen(123456) === '¥1,234.56'
 * - lineAmount(rate, area, months): rate (fen per m² per month) × area (0.01 m²) × months, rounded
 *   half up to the fen once per line.
 * - splitByWeight(total, weights): parts by largest remainder, ties in the order given; the parts
 *   always add up to the total.
 */
import * as v from 'valibot'

/** The largest amount the app handles: 10 亿元 in fen, far inside Number's exact integers. */
export const MAX_FEN = 100_000_000_000

/** An amount in fen: a non-negative safe integer. */
export const Fen = v.pipe(v.number('金额应为数字（分）'), v.integer('金额应为整数分'), v.minValue(0, '金额不能为负'), v.maxValue(MAX_FEN, '金额过大'))
/** A positive amount in fen (a payment, a credit). */
export const PositiveFen = v.pipe(Fen, v.minValue(1, '金额须大于 0'))

function assertInt(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be a safe integer, got ${n}`)
}

function toSafeNumber(b: bigint, what: string): number {
  const n = Number(b)
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} is out of range: ${b}`)
  return n
}

/** Groups of three digits with commas: '1234567' → '1,234,567'. */
function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/** Yuan and fen as text without the sign: 123456 → '1,234.56', 5 → '0.05'. */
export function fenDigits(fen: number): string {
  assertInt(fen, 'fen')
  const s = String(Math.abs(fen)).padStart(3, '0')
  return `${groupThousands(s.slice(0, -2))}.${s.slice(-2)}`
}

/** ¥1,234.56; negative amounts as -¥12.00. */
export function formatFen(fen: number): string {
  return `${fen < 0 ? '-' : ''}¥${fenDigits(fen)}`
}

/** 1234.56 元 (for texts that say 元, such as how a line was computed). */
export function formatYuan(fen: number): string {
  return `${fen < 0 ? '-' : ''}${fenDigits(fen)} 元`
}

/**
 * Parses yuan as people write it ('1,234.5', '¥12', '0.05', '12元') into fen, by its digits, never
 * through a float. Null when it is not an amount with at most two decimals.
 */
export function parseYuan(text: string): number | null {
  const s = text.trim().replace(/^[¥￥]/, '').replace(/元$/, '').replace(/,/g, '').trim()
  const m = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(s)
  if (!m) return null
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'))
  return Number.isSafeInteger(fen) && fen <= MAX_FEN ? fen : null
}

/** An area in 0.01 m² as text: 8956 → '89.56'. */
export function formatAreaCenti(areaCenti: number): string {
  assertInt(areaCenti, 'area')
  const s = String(Math.abs(areaCenti)).padStart(3, '0')
  return `${areaCenti < 0 ? '-' : ''}${s.slice(0, -2)}.${s.slice(-2)}`
}

/** n / d rounded half up, for non-negative n and positive d, in integers. */
function divHalfUp(n: bigint, d: bigint): bigint {
  return (2n * n + d) / (2n * d)
}

/**
 * A line of a bill: rate (fen per m² per month) × area (0.01 m²) × months, rounded half up to the
 * fen once. The exact product is rate × area × months hundredths of a fen.
 */
export function lineAmount(rateFen: number, areaCenti: number, months: number): number {
  for (const [n, w] of [[rateFen, 'rate'], [areaCenti, 'area'], [months, 'months']] as const) {
    assertInt(n, w)
    if (n < 0) throw new RangeError(`${w} must not be negative`)
  }
  return toSafeNumber(divHalfUp(BigInt(rateFen) * BigInt(areaCenti) * BigInt(months), 100n), 'line amount')
}

/**
 * Splits a total (fen) over parts in proportion to integer weights (e.g. registered areas), by
 * largest remainder: every part is its exact share rounded down, and the fen left over go one each
 * to the parts with the largest remainders, ties to the earlier part. The parts add up to the total
 * exactly, and each is within one fen of its exact share. All weights zero: all parts zero, unless
 * the total is not zero, which cannot be split.
 */
export function splitByWeight(total: number, weights: readonly number[]): number[] {
  assertInt(total, 'total')
  if (total < 0) throw new RangeError('total must not be negative')
  for (const w of weights) {
    assertInt(w, 'weight')
    if (w < 0) throw new RangeError('weights must not be negative')
  }
  const sum = weights.reduce((s, w) => s + BigInt(w), 0n)
  if (sum === 0n) {
    if (total !== 0) throw new RangeError('cannot split a non-zero total over zero weights')
    return weights.map(() => 0)
  }
  const t = BigInt(total)
  const floors = weights.map((w) => (t * BigInt(w)) / sum)
  const rems = weights.map((w, i) => ({ i, r: (t * BigInt(w)) % sum }))
  let left = t - floors.reduce((s, f) => s + f, 0n)
  rems.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1))
  for (const { i } of rems) {
    if (left === 0n) break
    floors[i] += 1n
    left -= 1n
  }
  return floors.map((f) => toSafeNumber(f, 'part'))
}

/** A share in basis points (hundredths of a percent), rounded down: collected 1 of 3 → 3333. */
export function basisPoints(part: number, whole: number): number {
  assertInt(part, 'part')
  assertInt(whole, 'whole')
  if (whole <= 0) return 0
  return toSafeNumber((BigInt(part) * 10000n) / BigInt(whole), 'basis points')
}

/** Basis points as a percentage text: 3333 → '33.33%'. */
export function formatBasisPoints(bp: number): string {
  assertInt(bp, 'basis points')
  const s = String(Math.abs(bp)).padStart(3, '0')
  return `${bp < 0 ? '-' : ''}${s.slice(0, -2)}.${s.slice(-2)}%`
}

/**
 * A contract late fee (违约金): the sum over the days a bill stood overdue of what was owed that
 * day, times the daily rate in 万分之, rounded half up to the fen once. It is charged on what is
 * owed only, never on itself (no compounding). spans: what was owed (fen) and for how many days.
 */
export function lateFeeAmount(spans: readonly { owedFen: number; days: number }[], ratePer10k: number): number {
  assertInt(ratePer10k, 'rate')
  if (ratePer10k < 0) throw new RangeError('rate must not be negative')
  let fenDays = 0n
  for (const s of spans) {
    assertInt(s.owedFen, 'owed')
    assertInt(s.days, 'days')
    if (s.owedFen < 0 || s.days < 0) throw new RangeError('owed and days must not be negative')
    fenDays += BigInt(s.owedFen) * BigInt(s.days)
  }
  return toSafeNumber(divHalfUp(fenDays * BigInt(ratePer10k), 10000n), 'late fee')
}
