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
 *
 * One owner, one headcount: roster persons that are the same owner (bound to one WeChat account,
 * or the same name with the same phone or the same ID hash) are one buyer. Before keys are formed
 * each person is replaced by its owner (sameOwners: the smallest person id of its group), so an
 * owner the roster writes twice (once with a phone, once with phone and ID digits) has one key,
 * and every person of the group may cast it. An owner who owns one unit alone and co-owns another
 * is still two buyers (`p:` and `c:`), hence two headcounts.
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

/** A roster person as far as telling the same owner apart needs. */
export interface OwnerIdentity {
  personId: string
  name: string
  phone: string | null
  id4Hash: string | null
  userId: string | null
}

/** The committee's decision about two roster persons of one name (roster_owner_decisions). */
export interface OwnerDecision {
  personA: string
  personB: string
  decision: 'merge' | 'apart'
}

/**
 * Groups roster persons that are the same owner: bound to the same account, or the same name with
 * the same phone, or the same name with the same ID hash (transitively). Answers each person's
 * owner: the smallest person id of its group.
 *
 * The committee's decisions (roster import warnings, server/rosters/roster.duplicates.ts) come in
 * between, in this order: one account is always one owner (whoever holds it casts every key bound
 * to it); then pairs the committee merged ("同一人，合并") are joined; then name + phone and name +
 * ID hash join the rest, except where that would put two persons the committee kept apart ("不同的
 * 人，分开") in one group. A merge that would join two persons kept apart is not applied (the
 * service refuses such a decision when it is made).
 */
export function sameOwners(persons: OwnerIdentity[], decisions: OwnerDecision[] = []): Map<string, string> {
  const parent = new Map<string, string>()
  const members = new Map<string, string[]>()
  const find = (x: string): string => {
    let r = x
    while (parent.get(r) !== r) r = parent.get(r)!
    parent.set(x, r)
    return r
  }
  const present = new Set(persons.map((p) => p.personId))
  const relevant = decisions.filter((d) => present.has(d.personA) && present.has(d.personB))
  const apart = new Map<string, Set<string>>()
  for (const d of relevant.filter((x) => x.decision === 'apart')) {
    apart.set(d.personA, (apart.get(d.personA) ?? new Set()).add(d.personB))
    apart.set(d.personB, (apart.get(d.personB) ?? new Set()).add(d.personA))
  }
  const keptApart = (ra: string, rb: string) => members.get(ra)!.some((x) => members.get(rb)!.some((y) => apart.get(x)?.has(y)))
  const union = (a: string, b: string, force: boolean) => {
    const [ra, rb] = [find(a), find(b)]
    if (ra === rb || (!force && keptApart(ra, rb))) return
    const [root, child] = ra < rb ? [ra, rb] : [rb, ra]
    parent.set(child, root)
    members.set(root, [...members.get(root)!, ...members.get(child)!])
    members.delete(child)
  }
  for (const p of persons) {
    parent.set(p.personId, p.personId)
    members.set(p.personId, [p.personId])
  }
  const join = (marksOf: (p: OwnerIdentity) => (string | null | false)[], force: boolean) => {
    const firstOf = new Map<string, string>()
    for (const p of persons) {
      for (const mark of marksOf(p)) {
        if (!mark) continue
        const seen = firstOf.get(mark)
        if (seen) union(seen, p.personId, force)
        else firstOf.set(mark, p.personId)
      }
    }
  }
  join((p) => [p.userId && `u:${p.userId}`], true)
  const merges = relevant.filter((d) => d.decision === 'merge').sort((x, y) => `${x.personA}+${x.personB}`.localeCompare(`${y.personA}+${y.personB}`))
  for (const d of merges) union(d.personA, d.personB, false)
  join((p) => [p.phone && `np:${p.name}|${p.phone}`, p.id4Hash && `nh:${p.name}|${p.id4Hash}`], false)
  return new Map(persons.map((p) => [p.personId, find(p.personId)]))
}

/**
 * @param units every unit in the vote's scope, with its owners
 * @param developerPersonIds the 小区's developer persons, who may cast the developer key even if
 *   the roster links no unsold unit to them
 * @param ownerOf each roster person's owner (sameOwners); a person not in it is its own owner
 */
export function freezeElectorate(units: RosterUnit[], developerPersonIds: string[], ownerOf: Map<string, string> = new Map()): FrozenElectorate {
  const owner = (personId: string) => ownerOf.get(personId) ?? personId
  const members = new Map<string, string[]>()
  for (const [personId, o] of ownerOf) members.set(o, [...(members.get(o) ?? []), personId])
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
      const ids = [...new Set(u.owners.map((o) => owner(o.personId)))].sort()
      key = ids.length === 0 ? `u:${u.id}` : ids.length === 1 ? `p:${ids[0]}` : `c:${ids.join('+')}`
      // Every roster person of these owners may cast it (an owner bound through either row).
      allow(key, [...u.owners.map((o) => o.personId), ...ids.flatMap((o) => members.get(o) ?? [o])])
    }
    entries.push({ unitId: u.id, voterKey: key, areaCentiM2: u.areaCentiM2, unitLabel: u.label })
  }
  return {
    entries,
    voters: [...voters].flatMap(([voterKey, ps]) => [...ps].sort().map((personId) => ({ voterKey, personId }))),
  }
}
