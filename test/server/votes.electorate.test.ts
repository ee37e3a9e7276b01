import { freezeElectorate, sameOwners, voterKind, type OwnerIdentity, type RosterUnit } from '../../server/votes/electorate'
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

describe('One owner, one headcount: roster persons that are the same owner', () => {
  const person = (personId: string, name: string, o: Partial<OwnerIdentity> = {}): OwnerIdentity => ({ personId, name, phone: null, id4Hash: null, userId: null, ...o })

  test('the same name with the same phone, or with the same ID hash, or one account, is one owner; transitively', () => {
    const owners = sameOwners([
      person('A1', '郭杰华', { phone: '139' }),
      person('A2', '郭杰华', { phone: '139', id4Hash: 'h1' }),
      person('A3', '郭杰华', { id4Hash: 'h1' }), // tied to A1 through A2
      person('B1', '邓雨英', { userId: 'u1' }),
      person('B2', '邓雨英（女）', { userId: 'u1' }), // another spelling, the same account
    ])
    expect(Object.fromEntries(owners)).toEqual({ A1: 'A1', A2: 'A1', A3: 'A1', B1: 'B1', B2: 'B1' })
  })

  test('boundaries: the same name with another phone, or co-owners sharing a phone, or two persons with nothing to compare, stay apart', () => {
    const owners = sameOwners([
      person('C1', '韩晨梅', { phone: '138' }),
      person('C2', '韩晨梅', { phone: '137' }),
      person('D1', '田志', { phone: '136' }),
      person('D2', '陈洋平', { phone: '136' }),
      person('E1', '李娜'),
      person('E2', '李娜'),
      person('F1', '王伟', { id4Hash: 'h2' }),
      person('F2', '王伟', { phone: '135' }),
    ])
    expect(new Set(owners.values()).size).toBe(8)
  })

  test('an owner written twice has one key covering both rows\' units; both rows may cast it', () => {
    const ownerOf = sameOwners([person('A1', '郭杰华', { phone: '139' }), person('A2', '郭杰华', { phone: '139', id4Hash: 'h' })])
    const f = freezeElectorate([unit('u1', ['A1']), unit('u2', ['A2'])], [], ownerOf)
    expect(f.entries.map((e) => e.voterKey)).toEqual(['p:A1', 'p:A1'])
    expect(f.voters).toEqual([{ voterKey: 'p:A1', personId: 'A1' }, { voterKey: 'p:A1', personId: 'A2' }])
    expect(tallyMatter({ item: 4, electorate: f.entries, ballots: [] }).totalHeadcount).toBe(1)
  })

  test('an owner who owns one unit alone and co-owns another is two buyers: two keys, two headcounts, even written twice', () => {
    const ownerOf = sameOwners([person('A1', '郭杰华', { phone: '139' }), person('A2', '郭杰华', { phone: '139', id4Hash: 'h' }), person('B', '田志', { phone: '136' })])
    const f = freezeElectorate([unit('u1', ['A1']), unit('u2', ['A2', 'B']), unit('u3', ['B', 'A1'])], [], ownerOf)
    expect(Object.fromEntries(f.entries.map((e) => [e.unitId, e.voterKey]))).toEqual({ u1: 'p:A1', u2: 'c:A1+B', u3: 'c:A1+B' })
    expect(tallyMatter({ item: 4, electorate: f.entries, ballots: [] }).totalHeadcount).toBe(2)
  })
})
