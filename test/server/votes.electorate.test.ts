import { freezeElectorate, voterKind, type RosterUnit } from '../../server/votes/electorate'
import { tallyMatter } from '../../server/votes/tally'

const unit = (id: string, owners: string[], opts: { sold?: boolean; developer?: string[]; area?: number } = {}): RosterUnit => ({
  id,
  label: id,
  areaCentiM2: opts.area ?? 9000,
  sold: opts.sold ?? true,
  owners: [...owners.map((personId) => ({ personId, isDeveloper: false })), ...(opts.developer ?? []).map((personId) => ({ personId, isDeveloper: true }))],
})

describe('Counting (SPC interpretation) headcount: forming voter keys from the roster', () => {
  test('all units of one owner share one key; a co-owned unit has one key for its set of owners; unsold units share the developer key', () => {
    const f = freezeElectorate(
      [
        unit('u1', ['A']),
        unit('u2', ['A']),
        unit('u3', ['B', 'A']), // co-owned by A and B: a different buyer from A alone
        unit('u4', ['A', 'B']), // the same pair again: the same buyer
        unit('u5', [], { sold: false }),
        unit('u6', [], { developer: ['D'] }),
        unit('u7', []), // sold, no owner on the roster
      ],
      ['D'],
    )
    const key = Object.fromEntries(f.entries.map((e) => [e.unitId, e.voterKey]))
    expect(key).toEqual({ u1: 'p:A', u2: 'p:A', u3: 'c:A+B', u4: 'c:A+B', u5: 'developer', u6: 'developer', u7: 'u:u7' })
    expect(f.voters).toEqual([
      { voterKey: 'p:A', personId: 'A' },
      { voterKey: 'c:A+B', personId: 'A' },
      { voterKey: 'c:A+B', personId: 'B' },
      { voterKey: 'developer', personId: 'D' },
    ])
    expect(['p:A', 'c:A+B', 'developer', 'u:u7'].map(voterKind)).toEqual(['sole', 'co_owned', 'developer', 'unknown'])
    // Seven units, four people: A, the pair A+B, the developer, and the unit with no known owner.
    expect(tallyMatter({ item: 4, electorate: f.entries, ballots: [] })).toMatchObject({ totalHeadcount: 4, totalAreaCentiM2: 7 * 9000 })
  })

  test('a unit with no owner on the roster still counts in the totals, so gaps in the roster never make the quorum easier', () => {
    const f = freezeElectorate([unit('u1', ['A']), unit('u2', ['B']), unit('u3', [])], [])
    const r = tallyMatter({ item: 4, electorate: f.entries, ballots: [{ voterKey: 'p:A', choice: 'agree' }, { voterKey: 'p:B', choice: 'agree' }] })
    expect(r).toMatchObject({ totalHeadcount: 3, participatingHeadcount: 2, quorumMet: true })
    expect(f.voters.some((v) => v.voterKey === 'u:u3')).toBe(false)
  })

  test('the developer key may be cast by the developer person even when the roster links no unit to them', () => {
    const f = freezeElectorate([unit('u1', [], { sold: false }), unit('u2', [], { sold: false })], ['D'])
    expect(f.voters).toEqual([{ voterKey: 'developer', personId: 'D' }])
    expect(new Set(f.entries.map((e) => e.voterKey))).toEqual(new Set(['developer']))
  })
})
