import fc from 'fast-check'
import { PASS_LINE, QUORUM, matterClass, meets, minimumToMeet, tallyMatter, type Choice, type ElectorateEntry, type TallyBallot } from '../../server/votes/tally'

/**
 * Builds an electorate from voters, each holding one or more units (areas in 0.01 m²).
 * Unit ids are `<voter>#<n>` so they are unique.
 */
function electorate(voters: Record<string, number[]>): ElectorateEntry[] {
  return Object.entries(voters).flatMap(([voterKey, areas]) => areas.map((areaCentiM2, i) => ({ unitId: `${voterKey}#${i}`, voterKey, areaCentiM2 })))
}
function ballots(choices: Record<string, Choice>): TallyBallot[] {
  return Object.entries(choices).map(([voterKey, choice]) => ({ voterKey, choice }))
}
/** n voters v1..vn with the given areas. */
function voters(areas: number[]): Record<string, number[]> {
  return Object.fromEntries(areas.map((a, i) => [`v${i + 1}`, [a]]))
}
/** The first n voters v1..vn all choosing `choice`. */
function firstN(n: number, choice: Choice): Record<string, Choice> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`v${i + 1}`, choice]))
}

describe('Quorum', () => {
  // Ordinary item with everyone agreeing, so only the quorum decides.
  const tally = (vs: Record<string, number[]>, cast: Record<string, Choice>) => tallyMatter({ item: 4, electorate: electorate(vs), ballots: ballots(cast) })

  test('participating area exactly 2/3 of total area meets the quorum (以上 includes the bound)', () => {
    const r = tally(voters([10000, 10000, 10000]), firstN(2, 'agree'))
    expect(r).toMatchObject({ totalAreaCentiM2: 30000, participatingAreaCentiM2: 20000, totalHeadcount: 3, participatingHeadcount: 2, quorumMet: true, passed: true })
  })

  test('one hundredth of a m² below 2/3 of the area misses the quorum, one above meets it', () => {
    // Headcount stays exactly 2/3 in all three, so the area alone decides.
    const below = tally(voters([9999, 10000, 10001]), firstN(2, 'agree'))
    expect(below).toMatchObject({ totalAreaCentiM2: 30000, participatingAreaCentiM2: 19999, participatingHeadcount: 2, quorumMet: false, passed: false })
    const above = tally(voters([10001, 10000, 9999]), firstN(2, 'agree'))
    expect(above).toMatchObject({ totalAreaCentiM2: 30000, participatingAreaCentiM2: 20001, quorumMet: true, passed: true })
  })

  test('a total area not divisible by 3: of 100.00 m², 66.67 m² meets the quorum and 66.66 m² does not', () => {
    // Two of three voters take part (headcount exactly 2/3), so the area decides.
    expect(tally({ v1: [6666], v2: [1], v3: [3333] }, { v1: 'agree', v2: 'agree' })).toMatchObject({ totalAreaCentiM2: 10000, participatingAreaCentiM2: 6667, quorumMet: true })
    expect(tally({ v1: [6665], v2: [1], v3: [3334] }, { v1: 'agree', v2: 'agree' })).toMatchObject({ totalAreaCentiM2: 10000, participatingAreaCentiM2: 6666, quorumMet: false })
  })

  test('participating headcount exactly 2/3 meets the quorum; one person fewer misses it, one more meets it', () => {
    // v1 holds most of the area, so the area test is met in every case and the headcount decides.
    const vs = voters([50000, 1000, 1000, 1000, 1000, 1000])
    expect(tally(vs, firstN(4, 'agree'))).toMatchObject({ totalHeadcount: 6, participatingHeadcount: 4, quorumMet: true })
    expect(tally(vs, firstN(3, 'agree'))).toMatchObject({ participatingHeadcount: 3, participatingAreaCentiM2: 52000, quorumMet: false, passed: false })
    expect(tally(vs, firstN(5, 'agree'))).toMatchObject({ participatingHeadcount: 5, quorumMet: true })
  })

  test('both dimensions are needed: enough area without enough people, or enough people without enough area, is no quorum', () => {
    const vs = voters([90000, 1000, 1000, 1000])
    expect(tally(vs, { v1: 'agree' })).toMatchObject({ participatingAreaCentiM2: 90000, participatingHeadcount: 1, quorumMet: false })
    expect(tally(vs, { v2: 'agree', v3: 'agree', v4: 'agree' })).toMatchObject({ participatingHeadcount: 3, quorumMet: false })
  })

  test('abstaining counts as taking part; non-voters are never counted', () => {
    const vs = voters([10000, 10000, 10000])
    const r = tally(vs, { v1: 'agree', v2: 'abstain' })
    expect(r).toMatchObject({ participatingHeadcount: 2, participatingAreaCentiM2: 20000, agreeHeadcount: 1, quorumMet: true })
    const none = tally(vs, {})
    expect(none).toMatchObject({ participatingHeadcount: 0, participatingAreaCentiM2: 0, agreeHeadcount: 0, quorumMet: false, passed: false })
  })

  test('passing requires the quorum even when every participant agrees', () => {
    const r = tally(voters([10000, 10000, 10000, 10000]), firstN(2, 'agree'))
    expect(r).toMatchObject({ agreeHeadcount: 2, participatingHeadcount: 2, quorumMet: false, passed: false })
  })

  test('an empty electorate has no quorum and passes nothing, even a special item', () => {
    for (const item of [4, 6]) {
      expect(tallyMatter({ item, electorate: [], ballots: [] })).toMatchObject({ totalHeadcount: 0, quorumMet: false, passed: false })
    }
  })
})

describe('Items 6–8 (special)', () => {
  const special = (item: number, vs: Record<string, number[]>, cast: Record<string, Choice>) => tallyMatter({ item, electorate: electorate(vs), ballots: ballots(cast) })

  test('items 6, 7 and 8 are special and every other item is ordinary; the class follows from the item', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map(matterClass)).toEqual(['ordinary', 'ordinary', 'ordinary', 'ordinary', 'ordinary', 'special', 'special', 'special', 'ordinary'])
    for (const bad of [0, 10, 4.5, -6, NaN]) expect(() => matterClass(bad)).toThrow(RangeError)
    expect(() => tallyMatter({ item: 0, electorate: [], ballots: [] })).toThrow(RangeError)
  })

  test.each([6, 7, 8])('item %i: agreeing area exactly 3/4 of participating area passes, one hundredth below fails, one above passes', (item) => {
    // Four voters all take part (quorum met); three agree, so the headcount is exactly 3/4 too.
    const at = special(item, { a: [15000], b: [7500], c: [7500], d: [10000] }, { a: 'agree', b: 'agree', c: 'agree', d: 'oppose' })
    expect(at).toMatchObject({ participatingAreaCentiM2: 40000, agreeAreaCentiM2: 30000, agreeHeadcount: 3, participatingHeadcount: 4, quorumMet: true, passed: true })
    const below = special(item, { a: [14999], b: [7500], c: [7500], d: [10001] }, { a: 'agree', b: 'agree', c: 'agree', d: 'oppose' })
    expect(below).toMatchObject({ participatingAreaCentiM2: 40000, agreeAreaCentiM2: 29999, quorumMet: true, passed: false })
    const above = special(item, { a: [15001], b: [7500], c: [7500], d: [9999] }, { a: 'agree', b: 'agree', c: 'agree', d: 'oppose' })
    expect(above).toMatchObject({ agreeAreaCentiM2: 30001, passed: true })
  })

  test('agreeing headcount exactly 3/4 of participants passes; one person fewer fails, one more passes', () => {
    // v1..v5 hold nearly all the area and always agree, so the area test is met; v6 and v7 decide the headcount.
    const vs = voters([10000, 10000, 10000, 10000, 10000, 1, 1, 1])
    const cast = (agreeing: number): Record<string, Choice> =>
      Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`v${i + 1}`, i < agreeing ? 'agree' : 'oppose']))
    expect(special(6, vs, cast(6))).toMatchObject({ participatingHeadcount: 8, agreeHeadcount: 6, quorumMet: true, passed: true })
    expect(special(6, vs, cast(5))).toMatchObject({ agreeHeadcount: 5, agreeAreaCentiM2: 50000, passed: false })
    expect(special(6, vs, cast(7))).toMatchObject({ agreeHeadcount: 7, passed: true })
  })

  test('the pass line counts participants, not the whole electorate, and abstentions are participants', () => {
    // 9 of 12 voters take part (3/4 ≥ 2/3 quorum); 7 of 9 agree (≥ 3/4 of participants), although 7 of 12 is < 3/4 of all.
    const vs = voters(Array(12).fill(1000))
    const cast: Record<string, Choice> = { ...firstN(7, 'agree'), v8: 'abstain', v9: 'oppose' }
    expect(special(7, vs, cast)).toMatchObject({ participatingHeadcount: 9, agreeHeadcount: 7, quorumMet: true, passed: true })
    // Turning the abstention into non-participation does not lower the bar; turning an agree into abstain does fail it.
    expect(special(7, vs, { ...firstN(6, 'agree'), v7: 'abstain', v8: 'abstain', v9: 'oppose' })).toMatchObject({ agreeHeadcount: 6, passed: false })
  })

  test('the same ballots that pass an ordinary item fail a special one', () => {
    const vs = voters([10000, 10000, 10000])
    const cast = { v1: 'agree', v2: 'agree', v3: 'oppose' } as const // 2/3 agree
    for (const item of [1, 2, 3, 4, 5, 9]) expect(tallyMatter({ item, electorate: electorate(vs), ballots: ballots(cast) }).passed).toBe(true)
    for (const item of [6, 7, 8]) expect(tallyMatter({ item, electorate: electorate(vs), ballots: ballots(cast) }).passed).toBe(false)
  })
})

describe('All other items (ordinary)', () => {
  const ordinary = (item: number, vs: Record<string, number[]>, cast: Record<string, Choice>) => tallyMatter({ item, electorate: electorate(vs), ballots: ballots(cast) })

  test.each([1, 2, 3, 4, 5, 9])('item %i: agreeing area exactly 1/2 of participating area fails (过半数 is strictly more), one hundredth more passes, one less fails', (item) => {
    // Two of three agree, so the headcount (2/3) is over half and the area decides.
    const cast = { a: 'agree', b: 'agree', c: 'oppose' } as const
    const half = ordinary(item, { a: [5000], b: [5000], c: [10000] }, cast)
    expect(half).toMatchObject({ participatingAreaCentiM2: 20000, agreeAreaCentiM2: 10000, quorumMet: true, passed: false })
    const more = ordinary(item, { a: [5001], b: [5000], c: [9999] }, cast)
    expect(more).toMatchObject({ participatingAreaCentiM2: 20000, agreeAreaCentiM2: 10001, passed: true })
    const less = ordinary(item, { a: [4999], b: [5000], c: [10001] }, cast)
    expect(less).toMatchObject({ agreeAreaCentiM2: 9999, passed: false })
  })

  test('agreeing headcount exactly half of participants fails; one person more passes, one fewer fails', () => {
    // v1 and v2 hold nearly all the area and always agree, so the area is over half; the rest decide the headcount.
    const vs = voters([50000, 50000, 1, 1])
    expect(ordinary(4, vs, { v1: 'agree', v2: 'agree', v3: 'oppose', v4: 'oppose' })).toMatchObject({ agreeHeadcount: 2, participatingHeadcount: 4, quorumMet: true, passed: false })
    expect(ordinary(4, vs, { v1: 'agree', v2: 'agree', v3: 'agree', v4: 'oppose' })).toMatchObject({ agreeHeadcount: 3, passed: true })
    expect(ordinary(4, vs, { v1: 'agree', v2: 'oppose', v3: 'oppose', v4: 'oppose' })).toMatchObject({ agreeHeadcount: 1, agreeAreaCentiM2: 50000, passed: false })
  })

  test('using the repair fund (item 5) is ordinary: more than half passes it', () => {
    expect(ordinary(5, voters([10000, 10000, 10000]), { v1: 'agree', v2: 'agree', v3: 'oppose' }).passed).toBe(true)
  })

  test('abstentions weigh against: they join the participants but not the agreeing side', () => {
    const vs = voters([10000, 10000, 10000, 10000])
    expect(ordinary(4, vs, { v1: 'agree', v2: 'agree', v3: 'abstain' }).passed).toBe(true) // 2 of 3
    expect(ordinary(4, vs, { v1: 'agree', v2: 'abstain', v3: 'abstain' }).passed).toBe(false) // 1 of 3
  })
})

describe('Counting (SPC interpretation) headcount', () => {
  test('an owner with several units counts as one person with the areas summed; one ballot covers all their units', () => {
    const vs = { owner: [8000, 9000, 12000], b: [10000], c: [10000] }
    const r = tallyMatter({ item: 4, electorate: electorate(vs), ballots: ballots({ owner: 'agree', b: 'oppose' }) })
    expect(r).toMatchObject({ totalHeadcount: 3, totalAreaCentiM2: 49000, participatingHeadcount: 2, participatingAreaCentiM2: 39000, agreeHeadcount: 1, agreeAreaCentiM2: 29000 })
    // 1 of 2 heads agree: not more than half although the owner holds 29000 of 39000.
    expect(r.passed).toBe(false)
  })

  test('a co-owned unit is one voter key: one person, its area once', () => {
    const r = tallyMatter({ item: 4, electorate: [{ unitId: 'u1', voterKey: 'unit:u1', areaCentiM2: 9000 }, { unitId: 'u2', voterKey: 'p2', areaCentiM2: 9000 }], ballots: ballots({ 'unit:u1': 'agree' }) })
    expect(r).toMatchObject({ totalHeadcount: 2, participatingHeadcount: 1, participatingAreaCentiM2: 9000 })
  })

  test('all unsold developer units together count as one person', () => {
    // 7 unsold units under one developer key plus 3 owners: 4 people, not 10.
    const e = electorate({ developer: Array(7).fill(9000), p1: [9000], p2: [9000], p3: [9000] })
    const r = tallyMatter({ item: 4, electorate: e, ballots: ballots({ developer: 'agree', p1: 'oppose', p2: 'oppose' }) })
    expect(r).toMatchObject({ totalHeadcount: 4, totalAreaCentiM2: 90000, participatingHeadcount: 3, participatingAreaCentiM2: 81000, agreeHeadcount: 1, agreeAreaCentiM2: 63000, quorumMet: true, passed: false })
  })

  test('a ballot for a voter not in the electorate, or a second ballot for a voter, throws rather than miscounting', () => {
    const e = electorate({ a: [100], b: [100] })
    expect(() => tallyMatter({ item: 4, electorate: e, ballots: ballots({ stranger: 'agree' }) })).toThrow(/not in the electorate/)
    expect(() => tallyMatter({ item: 4, electorate: e, ballots: [{ voterKey: 'a', choice: 'agree' }, { voterKey: 'a', choice: 'agree' }] })).toThrow(/second ballot/)
    expect(() => tallyMatter({ item: 4, electorate: e, ballots: [{ voterKey: 'a', choice: 'agree' }, { voterKey: 'a', choice: 'oppose' }] })).toThrow(/second ballot/)
    expect(() => tallyMatter({ item: 4, electorate: [...e, e[0]], ballots: [] })).toThrow(/twice/)
    expect(() => tallyMatter({ item: 4, electorate: [{ unitId: 'x', voterKey: 'x', areaCentiM2: 12.5 }], ballots: [] })).toThrow(RangeError)
    expect(() => tallyMatter({ item: 4, electorate: [{ unitId: 'x', voterKey: 'x', areaCentiM2: -1 }], ballots: [] })).toThrow(RangeError)
  })

  test('figures far beyond any real 小区 stay exact: one hundredth below 2/3 of 3×10¹⁵ still misses', () => {
    const k = 10 ** 15
    const e = electorate({ a: [k], b: [k - 1], c: [k + 1] })
    expect(tallyMatter({ item: 4, electorate: e, ballots: ballots({ a: 'agree', b: 'agree' }) })).toMatchObject({ participatingAreaCentiM2: 2 * k - 1, quorumMet: false })
    expect(tallyMatter({ item: 4, electorate: e, ballots: ballots({ a: 'agree', c: 'agree' }) })).toMatchObject({ participatingAreaCentiM2: 2 * k + 1, quorumMet: true })
  })
})

/**
 * A deliberately different formulation to check against: nested loops instead of maps, and
 * thresholds as integer minimums (ceil/floor division) instead of cross-multiplication.
 */
function referenceTally(item: number, e: ElectorateEntry[], bs: TallyBallot[]) {
  const keys: string[] = []
  for (const u of e) if (!keys.includes(u.voterKey)) keys.push(u.voterKey)
  const areaOf = (key: string) => e.filter((u) => u.voterKey === key).reduce((s, u) => s + BigInt(u.areaCentiM2), 0n)
  const total = e.reduce((s, u) => s + BigInt(u.areaCentiM2), 0n)
  let pArea = 0n, aArea = 0n, pHead = 0n, aHead = 0n
  for (const b of bs) {
    pArea += areaOf(b.voterKey)
    pHead += 1n
    if (b.choice === 'agree') {
      aArea += areaOf(b.voterKey)
      aHead += 1n
    }
  }
  const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b
  const heads = BigInt(keys.length)
  const quorumMet = heads > 0n && pArea >= ceilDiv(2n * total, 3n) && pHead >= ceilDiv(2n * heads, 3n)
  const special = item === 6 || item === 7 || item === 8
  const enough = (agree: bigint, part: bigint) => (special ? agree >= ceilDiv(3n * part, 4n) : agree >= part / 2n + 1n)
  return {
    totalAreaCentiM2: Number(total),
    totalHeadcount: keys.length,
    participatingAreaCentiM2: Number(pArea),
    participatingHeadcount: Number(pHead),
    agreeAreaCentiM2: Number(aArea),
    agreeHeadcount: Number(aHead),
    quorumMet,
    passed: quorumMet && enough(aArea, pArea) && enough(aHead, pHead),
  }
}

/**
 * Random 小区: up to 12 voters holding 1–4 units each. Areas come either from a tiny range
 * (so exact 2/3, 3/4 and 1/2 ties happen often) or a realistic one; some voters do not vote.
 */
const arbCase = fc
  .record({
    item: fc.integer({ min: 1, max: 9 }),
    voters: fc.array(
      fc.record({
        areas: fc.array(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 30000 })), { minLength: 1, maxLength: 4 }),
        vote: fc.option(fc.constantFrom<Choice>('agree', 'oppose', 'abstain'), { freq: 4 }),
      }),
      { maxLength: 12 },
    ),
    seed: fc.integer(),
  })
  .map(({ item, voters: vs, seed }) => {
    const e: ElectorateEntry[] = vs.flatMap((v, i) => v.areas.map((areaCentiM2, j) => ({ unitId: `u${i}-${j}`, voterKey: `k${i}`, areaCentiM2 })))
    const bs: TallyBallot[] = vs.flatMap((v, i) => (v.vote ? [{ voterKey: `k${i}`, choice: v.vote }] : []))
    // Interleave units of different voters and shuffle ballots: order must not matter.
    const shuffle = <T,>(xs: T[]) => xs.map((x, i) => ({ x, r: Math.sin(seed + i * 7919) })).sort((p, q) => p.r - q.r).map((p) => p.x)
    return { item, electorate: shuffle(e), ballots: shuffle(bs) }
  })

describe('tally property: agrees with a simple reference', () => {
  test('tallyMatter equals the reference on random electorates and ballots', () => {
    let passed = 0
    let quorum = 0
    fc.assert(
      fc.property(arbCase, ({ item, electorate: e, ballots: bs }) => {
        const r = tallyMatter({ item, electorate: e, ballots: bs })
        expect(r).toEqual(referenceTally(item, e, bs))
        if (r.quorumMet) quorum++
        if (r.passed) passed++
      }),
      { numRuns: 3000 },
    )
    // The generator must reach both sides of the lines, or the property proves little.
    expect(quorum).toBeGreaterThan(300)
    expect(passed).toBeGreaterThan(150)
    expect(quorum - passed).toBeGreaterThan(150)
  })

  test('one more agreeing ballot never turns a passed matter into a failed one', () => {
    fc.assert(
      fc.property(arbCase, ({ item, electorate: e, ballots: bs }) => {
        const voted = new Set(bs.map((b) => b.voterKey))
        const absent = e.find((u) => !voted.has(u.voterKey))
        fc.pre(absent !== undefined)
        const before = tallyMatter({ item, electorate: e, ballots: bs })
        const after = tallyMatter({ item, electorate: e, ballots: [...bs, { voterKey: absent!.voterKey, choice: 'agree' }] })
        if (before.passed) expect(after.passed).toBe(true)
        if (before.quorumMet) expect(after.quorumMet).toBe(true)
      }),
      { numRuns: 1000 },
    )
  })

  test('a repeated or unknown voter key always throws', () => {
    fc.assert(
      fc.property(arbCase, fc.nat(), ({ item, electorate: e, ballots: bs }, pick) => {
        fc.pre(bs.length > 0)
        const again = bs[pick % bs.length]
        expect(() => tallyMatter({ item, electorate: e, ballots: [...bs, { ...again }] })).toThrow(/second ballot/)
        expect(() => tallyMatter({ item, electorate: e, ballots: [...bs, { voterKey: 'nobody', choice: 'agree' }] })).toThrow(/not in the electorate/)
      }),
      { numRuns: 500 },
    )
  })

  test('the minimum shown on a progress bar is exactly the least figure that meets the line', () => {
    expect(minimumToMeet(10000, QUORUM)).toBe(6667)
    expect(minimumToMeet(30000, QUORUM)).toBe(20000)
    expect(minimumToMeet(40000, PASS_LINE.special)).toBe(30000)
    expect(minimumToMeet(20000, PASS_LINE.ordinary)).toBe(10001)
    expect(minimumToMeet(0, PASS_LINE.ordinary)).toBe(1)
    fc.assert(
      fc.property(fc.nat({ max: 10 ** 9 }), fc.constantFrom(QUORUM, PASS_LINE.special, PASS_LINE.ordinary), fc.integer({ min: -3, max: 3 }), (whole, t, delta) => {
        const min = minimumToMeet(whole, t)
        const x = Math.max(0, min + delta)
        expect(meets(x, whole, t)).toBe(x >= min)
      }),
      { numRuns: 2000 },
    )
  })
})
