import fc from 'fast-check'
import { tallyMatter, type Choice, type ElectorateEntry, type TallyBallot } from '../../server/votes/tally'

/**
 * A blank or spoiled paper is invalid, not an abstention (issue 8 item 7; domain.md): its voter
 * took part, so it counts toward the quorum and the pass line's denominator, never toward
 * agreement. The tally stays pure; these properties hold for any electorate and ballots.
 */
const arbCase = fc
  .record({
    item: fc.integer({ min: 1, max: 9 }),
    areas: fc.array(fc.array(fc.integer({ min: 0, max: 50_000 }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 12 }),
  })
  .chain(({ item, areas }) =>
    fc.record({
      item: fc.constant(item),
      electorate: fc.constant(areas.flatMap((as, v) => as.map((areaCentiM2, i): ElectorateEntry => ({ unitId: `v${v}#${i}`, voterKey: `v${v}`, areaCentiM2 })))),
      choices: fc.array(fc.constantFrom<Choice | null>('agree', 'oppose', 'abstain', 'invalid', null), { minLength: areas.length, maxLength: areas.length }),
    }),
  )
const ballotsOf = (choices: (Choice | null)[]): TallyBallot[] => choices.flatMap((choice, v) => (choice ? [{ voterKey: `v${v}`, choice }] : []))

describe('A blank or spoiled paper is invalid, not an abstention', () => {
  test('an invalid paper weighs exactly as an abstention in every figure of the rule (quorum, pass line, outcome), and never agrees', () => {
    fc.assert(
      fc.property(arbCase, ({ item, electorate, choices }) => {
        const asInvalid = tallyMatter({ item, electorate, ballots: ballotsOf(choices) })
        const asAbstain = tallyMatter({ item, electorate, ballots: ballotsOf(choices.map((c) => (c === 'invalid' ? 'abstain' : c))) })
        expect(asInvalid).toEqual(asAbstain)
      }),
    )
  })

  test('turning an agreeing ballot into an invalid paper never helps a matter pass, and keeps participation', () => {
    fc.assert(
      fc.property(arbCase, fc.nat(), ({ item, electorate, choices }, pick) => {
        const agreeing = choices.map((c, i) => [c, i] as const).filter(([c]) => c === 'agree')
        fc.pre(agreeing.length > 0)
        const i = agreeing[pick % agreeing.length][1]
        const before = tallyMatter({ item, electorate, ballots: ballotsOf(choices) })
        const after = tallyMatter({ item, electorate, ballots: ballotsOf(choices.map((c, j) => (j === i ? 'invalid' : c))) })
        expect(after.participatingAreaCentiM2).toBe(before.participatingAreaCentiM2)
        expect(after.participatingHeadcount).toBe(before.participatingHeadcount)
        expect(after.agreeHeadcount).toBe(before.agreeHeadcount - 1)
        if (!before.passed) expect(after.passed).toBe(false)
      }),
    )
  })

  test('boundary: with 2 of 3 owners taking part, one invalid paper keeps the quorum but the one agreeing owner is not more than half', () => {
    const electorate = [0, 1, 2].map((v) => ({ unitId: `u${v}`, voterKey: `v${v}`, areaCentiM2: 10000 }))
    const r = tallyMatter({ item: 4, electorate, ballots: [{ voterKey: 'v0', choice: 'agree' }, { voterKey: 'v1', choice: 'invalid' }] })
    expect(r).toMatchObject({ participatingHeadcount: 2, participatingAreaCentiM2: 20000, agreeHeadcount: 1, quorumMet: true, passed: false })
    const without = tallyMatter({ item: 4, electorate, ballots: [{ voterKey: 'v0', choice: 'agree' }] })
    expect(without).toMatchObject({ participatingHeadcount: 1, quorumMet: false, passed: false })
  })
})
