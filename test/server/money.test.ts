import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { basisPoints, formatBasisPoints, formatFen, lineAmount, parseYuan, splitByWeight } from '../../src/contracts/money'

describe('money: formatting and parsing', () => {
  test('formatFen writes yuan with thousands and two decimals', () => {
    expect(formatFen(1234_56)).toBe('¥1,234.56')
    expect(formatFen(0)).toBe('¥0.00')
    expect(formatFen(5)).toBe('¥0.05')
    expect(formatFen(100)).toBe('¥1.00')
    expect(formatFen(123456789_01)).toBe('¥123,456,789.01')
    expect(formatFen(-1200)).toBe('-¥12.00')
  })
  test('parseYuan reads what people type, by digits', () => {
    expect(parseYuan('1,234.56')).toBe(123456)
    expect(parseYuan('¥12')).toBe(1200)
    expect(parseYuan('0.5')).toBe(50)
    expect(parseYuan('12元')).toBe(1200)
    expect(parseYuan('1.005')).toBeNull()
    expect(parseYuan('-1')).toBeNull()
    expect(parseYuan('abc')).toBeNull()
  })
  test('formatFen and parseYuan round-trip every amount', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e11 }), (fen) => parseYuan(formatFen(fen)) === fen))
  })
  test('basis points round down and print as a percentage', () => {
    expect(basisPoints(1, 3)).toBe(3333)
    expect(basisPoints(0, 0)).toBe(0)
    expect(formatBasisPoints(3333)).toBe('33.33%')
    expect(formatBasisPoints(10000)).toBe('100.00%')
  })
})

describe('money: a line is rate × area × months rounded half up once', () => {
  test('boundaries', () => {
    // 1.80 元/㎡/月 × 89.56 ㎡ × 3 月 = 483.624 元 → 483.62
    expect(lineAmount(180, 8956, 3)).toBe(48362)
    // exactly half a fen rounds up: 1 fen × 0.50 m² = 0.5 fen → 1
    expect(lineAmount(1, 50, 1)).toBe(1)
    expect(lineAmount(1, 49, 1)).toBe(0)
    expect(lineAmount(0, 8956, 12)).toBe(0)
    expect(() => lineAmount(1.5, 100, 1)).toThrow(RangeError)
    expect(() => lineAmount(-1, 100, 1)).toThrow(RangeError)
  })
  test('every line is within half a fen of the exact product (and never below by half)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 12 }), (rate, area, months) => {
        const line = BigInt(lineAmount(rate, area, months))
        const exact100 = BigInt(rate) * BigInt(area) * BigInt(months) // the exact product × 100
        const diff = line * 100n - exact100 // (line − exact) × 100
        // −½ fen < line − exact ≤ ½ fen  (half up)
        return diff > -50n && diff <= 50n
      }),
      { numRuns: 2000 },
    )
  })
})

describe('money: splitting a total by weight', () => {
  test('largest remainder, ties to the earlier part', () => {
    expect(splitByWeight(100, [1, 1, 1])).toEqual([34, 33, 33])
    expect(splitByWeight(2, [1, 1, 1])).toEqual([1, 1, 0])
    expect(splitByWeight(10, [1, 2, 3, 4])).toEqual([1, 2, 3, 4])
    expect(splitByWeight(7, [3, 0, 3])).toEqual([4, 0, 3])
    expect(splitByWeight(0, [0, 0])).toEqual([0, 0])
    expect(() => splitByWeight(1, [0, 0])).toThrow(RangeError)
  })
  const weights = fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 1, maxLength: 60 }).filter((ws) => ws.some((w) => w > 0))
  test('parts always add up to the total exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e10 }), weights, (total, ws) => splitByWeight(total, ws).reduce((s, p) => s + p, 0) === total),
      { numRuns: 2000 },
    )
  })
  test('each part is within one fen of its exact share', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e10 }), weights, (total, ws) => {
        const sum = ws.reduce((s, w) => s + BigInt(w), 0n)
        return splitByWeight(total, ws).every((p, i) => {
          const diff = BigInt(p) * sum - BigInt(total) * BigInt(ws[i]) // (part − exact) × sum
          return diff > -sum && diff < sum && p >= 0
        })
      }),
      { numRuns: 2000 },
    )
  })
  test('the same weights in the same order always split the same way', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e6 }), weights, (total, ws) => JSON.stringify(splitByWeight(total, ws)) === JSON.stringify(splitByWeight(total, [...ws]))))
  })
})

describe('no floating point on money', () => {
  const ROOT = join(__dirname, '../..')
  function files(p: string): string[] {
    const full = join(ROOT, p)
    if (!existsSync(full)) return []
    if (statSync(full).isFile()) return [p]
    return readdirSync(full).flatMap((f) => files(join(p, f)))
  }
  const FORBIDDEN: [RegExp, string][] = [
    [/parseFloat/, 'parseFloat'],
    [/\.toFixed\(/, 'toFixed'],
    [/\.toPrecision\(/, 'toPrecision'],
    [/\/\s*100(?![\dn_])/, 'division by 100'],
    [/\*\s*0?\.\d/, 'multiplying by a decimal fraction'],
    [/\/\s*1e2\b|\*\s*1e-2\b/, 'scaling by 1e2'],
    [/Math\.(round|floor|ceil)\(/, 'Math rounding (money is rounded once, in integers, by src/contracts/money.ts)'],
  ]
  // The server's fee code, the money contracts, and the fee screens (which show amounts with formatFen and read them with parseYuan).
  const CLIENT = ['src/pages/fees', 'src/packages/fees', 'src/packages/owner/pages/bill', 'src/packages/owner/pages/statement']
  const scanned = [...files('server/fees'), 'src/contracts/money.ts', 'src/contracts/fees.ts', ...CLIENT.flatMap(files)].filter((f) => /\.tsx?$/.test(f) && existsSync(join(ROOT, f)))

  test('the fee code and the money contracts exist and are scanned', () => {
    expect(scanned).toEqual(expect.arrayContaining(['src/contracts/money.ts', 'src/pages/fees/index.tsx', 'src/packages/fees/pages/unit/payment-form.tsx']))
  })
  test('none of them uses floating point on amounts', () => {
    const found: string[] = []
    for (const f of scanned) {
      readFileSync(join(ROOT, f), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const [re, what] of FORBIDDEN) if (re.test(line)) found.push(`${f}:${i + 1}: ${what}: ${line.trim()}`)
        })
    }
    expect(found).toEqual([])
  })
  test('the scan itself catches a float on money', () => {
    const bad = ['const yuan = fen / 100', 'parseFloat(cell)', 'x.toFixed(2)', 'Math.round(area * rate)', 'amount * 0.01']
    for (const line of bad) expect(FORBIDDEN.some(([re]) => re.test(line))).toBe(true)
  })
})
