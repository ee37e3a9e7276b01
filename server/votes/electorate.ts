/**
 * Forms the electorate of a vote from the roster, as the SPC interpretation (arts. 8–9) counts
 * people. A pure function, so the rule is tested without a database.
 *
 * Voter keys (one key = one headcount; a key's ballot covers all of its units):
 * - `p:<personId>` a unit with one owner. All units of that owner in scope share the key:
 *   "all units of one buyer count as one person", areas summed, one ballot per matter.
 * - `c:<personId>+<personId>…` a co-owned unit: the exact set of co-owners, sorted. The co-owners
 *   vote once for it (whichever of them casts first; the database refuses a second ballot). Units
 *   held by the same set of co-owners are one buyer and share the key; a co-owner's own sole unit
 *   is a different buyer (`p:`) and votes separately.
 * - `developer` every unsold unit (sold = 0) and every unit held by a developer person
 *   (persons.is_developer = 1): all together count as one person.
 * - `u:<unitId>` a sold unit with no owner on the roster: it still counts in the totals (its area
 *   and one person), so the quorum is not made easier by gaps in the roster; nobody can cast it
 *   online, and the committee can enter its paper ballot.
 */

export interface RosterUnit {
  id: string
  label: string
  areaCentiM2: number
  sold: boolean
  owners: { personId: string; isDeveloper: boolean }[]
}

export interface FrozenElectorate {
  entries: { unitId: string; voterKey: string; areaCentiM2: number; unitLabel: string }[]
  /** Who may cast for each key. */
  voters: { voterKey: string; personId: string }[]
}

export type VoterKind = 'sole' | 'co_owned' | 'developer' | 'unknown'

export const DEVELOPER_KEY = 'developer'

export function voterKind(key: string): VoterKind {
  if (key === DEVELOPER_KEY) return 'developer'
  if (key.startsWith('p:')) return 'sole'
  if (key.startsWith('c:')) return 'co_owned'
  return 'unknown'
}

/**
 * @param units every unit in the vote's scope, with its owners
 * @param developerPersonIds the 小区's developer persons, who may cast the developer key even if
 *   the roster links no unsold unit to them
 */
export function freezeElectorate(units: RosterUnit[], developerPersonIds: string[]): FrozenElectorate {
  const entries: FrozenElectorate['entries'] = []
  const voters = new Map<string, Set<string>>()
  const allow = (key: string, personIds: string[]) => {
    const set = voters.get(key) ?? new Set<string>()
    personIds.forEach((p) => set.add(p))
    voters.set(key, set)
  }
  for (const u of [...units].sort((a, b) => a.id.localeCompare(b.id))) {
    const developerOwners = u.owners.filter((o) => o.isDeveloper).map((o) => o.personId)
    let key: string
    if (!u.sold || developerOwners.length > 0) {
      key = DEVELOPER_KEY
      allow(key, [...developerPersonIds, ...developerOwners])
    } else {
      const ids = [...new Set(u.owners.map((o) => o.personId))].sort()
      key = ids.length === 0 ? `u:${u.id}` : ids.length === 1 ? `p:${ids[0]}` : `c:${ids.join('+')}`
      allow(key, ids)
    }
    entries.push({ unitId: u.id, voterKey: key, areaCentiM2: u.areaCentiM2, unitLabel: u.label })
  }
  return {
    entries,
    voters: [...voters].flatMap(([voterKey, ps]) => [...ps].sort().map((personId) => ({ voterKey, personId }))),
  }
}
