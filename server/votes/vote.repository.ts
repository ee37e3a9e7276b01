import type { Selectable } from 'kysely'
import { unitLabel } from '../../src/contracts/units'
import { sameCommunity } from '../db/colocation'
import type { DbOrTx } from '../db/database'
import { compiledOnce } from '../db/compiled'
import { countBallots, type KnownVoter } from './vote.progress'
import type { OwnerIdentity, RosterUnit } from './electorate'
import type { BallotTable, VoteConflictTable, VoteElectorateTable, VoteMatterTable, VoteResultTable, VoteStatus, VoteTable } from './vote.table'

/** All SQL of the votes feature. Every query filters on community_id (the tenant key). */

export type VoteRow = Selectable<VoteTable>
export type MatterRow = Selectable<VoteMatterTable>
export type BallotRow = Selectable<BallotTable>
export type ElectorateRow = Selectable<VoteElectorateTable>
export type ResultRow = Selectable<VoteResultTable>

/** SQLite allows 32,766 bound values per statement; batches of 500 rows stay far below on both dialects. */
const BATCH = 500
async function insertBatched<T>(rows: T[], insert: (part: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH))
}

export async function communityForVotes(db: DbOrTx, communityId: string) {
  return db
    .selectFrom('communities as c')
    .innerJoin('offices as o', 'o.id', 'c.office_id')
    .select(['c.id', 'c.name', 'c.committee_name', 'c.governance', 'c.vote_notice_days', 'o.name as office_name'])
    .where('c.id', '=', communityId)
    .executeTakeFirst()
}

export async function buildingsByIds(db: DbOrTx, communityId: string, ids: string[]) {
  if (ids.length === 0) return []
  return db.selectFrom('buildings').select(['id', 'name']).where('community_id', '=', communityId).where('id', 'in', ids).orderBy('name').execute()
}

export async function buildingsOfCommunity(db: DbOrTx, communityId: string) {
  return db.selectFrom('buildings').select(['id', 'name']).where('community_id', '=', communityId).orderBy('name').execute()
}

export async function insertVote(db: DbOrTx, row: VoteRow): Promise<void> {
  await db.insertInto('votes').values(row).execute()
}

export async function insertMatters(db: DbOrTx, rows: MatterRow[]): Promise<void> {
  await db.insertInto('vote_matters').values(rows).execute()
}

export async function insertScopeBuildings(db: DbOrTx, communityId: string, voteId: string, buildingIds: string[]): Promise<void> {
  if (buildingIds.length === 0) return
  await db.insertInto('vote_scope_buildings').values(buildingIds.map((building_id) => ({ community_id: communityId, vote_id: voteId, building_id }))).execute()
}

export async function findVote(db: DbOrTx, communityId: string, voteId: string): Promise<VoteRow | undefined> {
  return (await findVoteQuery(db, communityId, voteId))[0]
}

// Run by every read of a vote (progress, detail, my part): built and compiled once.
const findVoteQuery = compiledOnce((db: DbOrTx, communityId: string, voteId: string) => db.selectFrom('votes').selectAll().where('community_id', '=', communityId).where('id', '=', voteId))

export async function listVotes(db: DbOrTx, communityId: string, status?: VoteStatus): Promise<(VoteRow & { matter_count: number })[]> {
  let q = db
    .selectFrom('votes as v')
    .selectAll('v')
    .select((eb) =>
      eb.selectFrom('vote_matters as m').whereRef('m.vote_id', '=', 'v.id').where('m.community_id', '=', communityId).select((e) => e.fn.countAll<number>().as('n')).as('matter_count'),
    )
    .where('v.community_id', '=', communityId)
  if (status) q = q.where('v.status', '=', status)
  const rows = await q.orderBy('v.opens_at', 'desc').orderBy('v.id').execute()
  return rows.map((r) => ({ ...r, matter_count: Number(r.matter_count ?? 0) }))
}

export async function mattersOf(db: DbOrTx, communityId: string, voteId: string): Promise<MatterRow[]> {
  const rows = await mattersQuery(db, communityId, voteId)
  return rows.map((r) => ({ ...r, position: Number(r.position), item: Number(r.item) }))
}

const mattersQuery = compiledOnce((db, communityId: string, voteId: string) =>
  db.selectFrom('vote_matters').selectAll().where('community_id', '=', communityId).where('vote_id', '=', voteId).orderBy('position'),
)

export async function scopeBuildingsOf(db: DbOrTx, communityId: string, voteId: string) {
  return db
    .selectFrom('vote_scope_buildings as s')
    .innerJoin('buildings as b', (j) => sameCommunity(j, 'b.id', 's.building_id'))
    .select(['b.id', 'b.name'])
    .where('s.community_id', '=', communityId)
    .where('s.vote_id', '=', voteId)
    .orderBy('b.name')
    .execute()
}

/**
 * Moves a vote from one status to the next, only if it is still in `from`: the conditional update
 * is what makes the tick idempotent and safe when two processes run it at once (the second one
 * waits for the row lock, then finds the status changed and updates nothing).
 */
export async function transition(db: DbOrTx, communityId: string, voteId: string, from: VoteStatus, to: VoteStatus, set: Partial<VoteRow> = {}): Promise<boolean> {
  const r = await db
    .updateTable('votes')
    .set({ ...set, status: to })
    .where('community_id', '=', communityId)
    .where('id', '=', voteId)
    .where('status', '=', from)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/**
 * Locks an open vote's row for the rest of the transaction (a no-op update), answering the vote if
 * it is open and its window has not ended, else nothing. Ballots take this lock, and so does
 * closing: a ballot either commits before the close counts, or finds the vote closed. None is
 * stored uncounted. Run at every cast: built once (server/db/compiled.ts).
 */
export async function lockOpenVote(db: DbOrTx, communityId: string, voteId: string, nowIso: string): Promise<VoteRow | undefined> {
  return (await lockOpenVoteQuery(db, communityId, voteId, nowIso))[0]
}

const lockOpenVoteQuery = compiledOnce((db, communityId: string, voteId: string, nowIso: string) =>
  db
    .updateTable('votes')
    .set((eb) => ({ status: eb.ref('status') }))
    .where('community_id', '=', communityId)
    .where('id', '=', voteId)
    .where('status', '=', 'open')
    .where('closes_at', '>', nowIso)
    .returningAll(),
)

/**
 * The same lock for a paper ballot: the vote is open within its window, or counting within its
 * counting period (papers signed before the close are entered then).
 */
export async function lockPaperVote(db: DbOrTx, communityId: string, voteId: string, nowIso: string): Promise<boolean> {
  const r = await db
    .updateTable('votes')
    .set((eb) => ({ status: eb.ref('status') }))
    .where('community_id', '=', communityId)
    .where('id', '=', voteId)
    .where((eb) => eb.or([eb.and([eb('status', '=', 'open'), eb('closes_at', '>', nowIso)]), eb.and([eb('status', '=', 'counting'), eb('counting_ends_at', '>', nowIso)])]))
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** A draft's content replaced: its fields, matters and scope buildings. */
export async function replaceDraftContent(db: DbOrTx, communityId: string, voteId: string, set: Partial<VoteRow>, matters: MatterRow[], buildingIds: string[]): Promise<void> {
  if (Object.keys(set).length > 0) await db.updateTable('votes').set(set).where('community_id', '=', communityId).where('id', '=', voteId).execute()
  await db.deleteFrom('vote_matters').where('community_id', '=', communityId).where('vote_id', '=', voteId).execute()
  if (matters.length > 0) await db.insertInto('vote_matters').values(matters).execute()
  await db.deleteFrom('vote_scope_buildings').where('community_id', '=', communityId).where('vote_id', '=', voteId).execute()
  if (buildingIds.length > 0) await db.insertInto('vote_scope_buildings').values(buildingIds.map((building_id) => ({ community_id: communityId, vote_id: voteId, building_id }))).execute()
}

/** A draft removed with its matters and scope (it has no electorate, ballots or notices). */
export async function deleteDraft(db: DbOrTx, communityId: string, voteId: string): Promise<boolean> {
  await db.deleteFrom('vote_matters').where('community_id', '=', communityId).where('vote_id', '=', voteId).execute()
  await db.deleteFrom('vote_scope_buildings').where('community_id', '=', communityId).where('vote_id', '=', voteId).execute()
  const r = await db.deleteFrom('votes').where('community_id', '=', communityId).where('id', '=', voteId).where('status', '=', 'draft').executeTakeFirst()
  return Number(r.numDeletedRows) === 1
}

export async function setVoteFields(db: DbOrTx, communityId: string, voteId: string, set: Partial<VoteRow>): Promise<void> {
  await db.updateTable('votes').set(set).where('community_id', '=', communityId).where('id', '=', voteId).execute()
}

/** Votes whose next step is due: announced ones past opening, open ones past closing, counting ones past their counting period (optionally in one 小区). */
export async function votesDue(db: DbOrTx, nowIso: string, communityId?: string): Promise<Pick<VoteRow, 'id' | 'community_id' | 'status'>[]> {
  let q = db
    .selectFrom('votes')
    .select(['id', 'community_id', 'status'])
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'announced'), eb('opens_at', '<=', nowIso)]),
        eb.and([eb('status', '=', 'open'), eb('closes_at', '<=', nowIso)]),
        eb.and([eb('status', '=', 'counting'), eb('counting_ends_at', '<=', nowIso)]),
      ]),
    )
  if (communityId) q = q.where('community_id', '=', communityId)
  return q.orderBy('opens_at').orderBy('id').execute()
}

/** Every unit in scope with its owners, as the roster says now (read once, when the vote opens). */
export async function rosterUnitsInScope(db: DbOrTx, communityId: string, voteId: string, scope: 'whole' | 'buildings'): Promise<RosterUnit[]> {
  let q = db
    .selectFrom('units as u')
    .innerJoin('buildings as b', (j) => sameCommunity(j, 'b.id', 'u.building_id'))
    .select(['u.id', 'u.stair', 'u.room', 'u.area_centi_m2', 'u.sold', 'b.name as building'])
    .where('u.community_id', '=', communityId)
  if (scope === 'buildings') {
    q = q.where('u.building_id', 'in', (eb) => eb.selectFrom('vote_scope_buildings').select('building_id').where('community_id', '=', communityId).where('vote_id', '=', voteId))
  }
  const units = await q.execute()
  const owners = await db
    .selectFrom('ownerships as o')
    .innerJoin('persons as p', (j) => sameCommunity(j, 'p.id', 'o.person_id'))
    .select(['o.unit_id', 'p.id as person_id', 'p.is_developer'])
    .where('o.community_id', '=', communityId)
    .where('p.community_id', '=', communityId)
    .execute()
  const byUnit = new Map<string, { personId: string; isDeveloper: boolean }[]>()
  for (const o of owners) {
    const list = byUnit.get(o.unit_id) ?? []
    list.push({ personId: o.person_id, isDeveloper: Number(o.is_developer) === 1 })
    byUnit.set(o.unit_id, list)
  }
  return units.map((u) => ({
    id: u.id,
    label: unitLabel(u.building, u.stair, u.room),
    areaCentiM2: Number(u.area_centi_m2),
    sold: Number(u.sold) === 1,
    owners: byUnit.get(u.id) ?? [],
  }))
}

/** The 小区's owners on the roster (persons owning a unit, not the developer), for telling the same owner apart. */
export async function ownerIdentities(db: DbOrTx, communityId: string): Promise<OwnerIdentity[]> {
  const rows = await db
    .selectFrom('persons as p')
    .select(['p.id', 'p.name', 'p.phone', 'p.id4_hash', 'p.user_id'])
    .where('p.community_id', '=', communityId)
    .where('p.is_developer', '=', 0)
    .where((eb) => eb.exists(eb.selectFrom('ownerships as o').select('o.unit_id').whereRef('o.person_id', '=', 'p.id').where('o.community_id', '=', communityId)))
    .orderBy('p.id')
    .execute()
  return rows.map((r) => ({ personId: r.id, name: r.name, phone: r.phone, id4Hash: r.id4_hash, userId: r.user_id }))
}

export async function developerPersonIds(db: DbOrTx, communityId: string): Promise<string[]> {
  const rows = await db.selectFrom('persons').select('id').where('community_id', '=', communityId).where('is_developer', '=', 1).orderBy('id').execute()
  return rows.map((r) => r.id)
}

export async function insertElectorate(db: DbOrTx, rows: ElectorateRow[]): Promise<void> {
  await insertBatched(rows, (part) => db.insertInto('vote_electorate').values(part).execute())
}

export async function insertVoters(db: DbOrTx, rows: { community_id: string; vote_id: string; voter_key: string; person_id: string }[]): Promise<void> {
  await insertBatched(rows, (part) => db.insertInto('vote_voters').values(part).execute())
}

export async function electorateOf(db: DbOrTx, communityId: string, voteId: string): Promise<ElectorateRow[]> {
  const rows = await db.selectFrom('vote_electorate').selectAll().where('community_id', '=', communityId).where('vote_id', '=', voteId).orderBy('unit_id').execute()
  return rows.map((r) => ({ ...r, area_centi_m2: Number(r.area_centi_m2) }))
}

export async function votersOf(db: DbOrTx, communityId: string, voteId: string) {
  return db
    .selectFrom('vote_voters as vv')
    .innerJoin('persons as p', (j) => sameCommunity(j, 'p.id', 'vv.person_id'))
    .select(['vv.voter_key', 'vv.person_id', 'p.name'])
    .where('vv.community_id', '=', communityId)
    .where('vv.vote_id', '=', voteId)
    .orderBy('vv.voter_key')
    .orderBy('vv.person_id')
    .execute()
}

/** The voter keys the user may cast in this vote, through the roster persons bound to them. */
export async function voterKeysOfUser(db: DbOrTx, communityId: string, voteId: string, userId: string): Promise<{ voter_key: string; person_id: string }[]> {
  // From the caller's few persons to their voter rows (vote_voters_person_idx). Written as a join,
  // SQLite walked the whole frozen electorate of the vote for every cast (20,000 rows at district size).
  return db
    .selectFrom('vote_voters as vv')
    .select(['vv.voter_key', 'vv.person_id'])
    .where('vv.community_id', '=', communityId)
    .where('vv.vote_id', '=', voteId)
    .where('vv.person_id', 'in', (eb) => eb.selectFrom('persons').select('id').where('community_id', '=', communityId).where('user_id', '=', userId))
    .execute()
    // Sorted here: an ORDER BY in SQL makes SQLite walk the primary key (vote, voter) instead.
    .then((rows) => rows.sort((a, b) => (a.voter_key < b.voter_key ? -1 : a.voter_key > b.voter_key ? 1 : 0)))
}

export async function ballotsOf(db: DbOrTx, communityId: string, voteId: string): Promise<BallotRow[]> {
  return db.selectFrom('ballots').selectAll().where('community_id', '=', communityId).where('vote_id', '=', voteId).orderBy('cast_at').orderBy('id').execute()
}

/**
 * A voter's ballot rows (of one channel, or both), by matter. Sorted here: with ORDER BY matter_id
 * in SQL, SQLite walked every ballot of the vote in the unique index (vote, matter, …) instead of
 * the voter's few rows (ballots_voter_idx), a cost growing with each ballot cast.
 */
export async function ballotsOfVoter(db: DbOrTx, communityId: string, voteId: string, voterKey: string, channel?: 'online' | 'paper'): Promise<BallotRow[]> {
  const rows = channel ? await ballotsOfVoterInChannel(db, communityId, voteId, voterKey, channel) : await ballotsOfVoterQuery(db, communityId, voteId, voterKey)
  return rows.sort((a, b) => (a.matter_id < b.matter_id ? -1 : a.matter_id > b.matter_id ? 1 : 0))
}

const ballotsOfVoterQuery = compiledOnce((db, communityId: string, voteId: string, voterKey: string) =>
  db.selectFrom('ballots').selectAll().where('community_id', '=', communityId).where('vote_id', '=', voteId).where('voter_key', '=', voterKey),
)
const ballotsOfVoterInChannel = compiledOnce((db, communityId: string, voteId: string, voterKey: string, channel: string) =>
  db.selectFrom('ballots').selectAll().where('community_id', '=', communityId).where('vote_id', '=', voteId).where('voter_key', '=', voterKey).where('channel', '=', channel as BallotRow['channel']),
)

/**
 * What casting needs to know of the caller's voter keys in one statement: each key they may cast
 * (as voterKeysOfUser) with its units on the frozen electorate and their area, which the counters
 * add (countBallots). Sorted by key.
 */
export async function castingKeysOfUser(db: DbOrTx, communityId: string, voteId: string, userId: string): Promise<{ voter_key: string; person_id: string; units: number; area: number }[]> {
  const rows = await castingKeysQuery(db, communityId, voteId, userId)
  return rows
    .map((r) => ({ voter_key: r.voter_key, person_id: r.person_id, units: Number(r.units ?? 0), area: Number(r.area ?? 0) }))
    .sort((a, b) => (a.voter_key < b.voter_key ? -1 : a.voter_key > b.voter_key ? 1 : 0))
}

const castingKeysQuery = compiledOnce((db, communityId: string, voteId: string, userId: string) =>
  db
    .selectFrom('vote_voters as vv')
    .select(['vv.voter_key', 'vv.person_id'])
    // Per key, from vote_electorate_key_idx: a few rows.
    .select((eb) => [
      eb.selectFrom('vote_electorate as e').select((e) => e.fn.countAll<number>().as('n')).where('e.community_id', '=', communityId).whereRef('e.vote_id', '=', 'vv.vote_id').whereRef('e.voter_key', '=', 'vv.voter_key').as('units'),
      eb.selectFrom('vote_electorate as e').select((e) => e.fn.sum<number>('e.area_centi_m2').as('a')).where('e.community_id', '=', communityId).whereRef('e.vote_id', '=', 'vv.vote_id').whereRef('e.voter_key', '=', 'vv.voter_key').as('area'),
    ])
    .where('vv.community_id', '=', communityId)
    .where('vv.vote_id', '=', voteId)
    .where('vv.person_id', 'in', (eb) => eb.selectFrom('persons').select('id').where('community_id', '=', communityId).where('user_id', '=', userId)),
)

export async function ballotsByReceipt(db: DbOrTx, communityId: string, voteId: string, receiptCode: string): Promise<BallotRow[]> {
  return db.selectFrom('ballots').selectAll().where('community_id', '=', communityId).where('vote_id', '=', voteId).where('receipt_code', '=', receiptCode).execute()
}

/**
 * Whether a paper ballot of this vote already cites this evidence photo, by its content: the same
 * bytes uploaded again get a new reference but the same `#sha256=` digest (issue 9 item 3).
 */
export async function paperBallotWithEvidence(db: DbOrTx, communityId: string, voteId: string, evidenceRef: string): Promise<boolean> {
  const digest = /#sha256=([0-9a-f]{64})$/.exec(evidenceRef)?.[1]
  const row = await db
    .selectFrom('ballots')
    .select('id')
    .where('community_id', '=', communityId)
    .where('vote_id', '=', voteId)
    .where('channel', '=', 'paper')
    .where((eb) => (digest ? eb('evidence_file', 'like', `%#sha256=${digest}`) : eb('evidence_file', '=', evidenceRef)))
    .limit(1)
    .executeTakeFirst()
  return !!row
}

export type ConflictRow = Selectable<VoteConflictTable>

/** Ballots refused because the voter already had one through another channel. */
export async function conflictRowsOf(db: DbOrTx, communityId: string, voteId: string): Promise<ConflictRow[]> {
  return db.selectFrom('vote_conflicts').selectAll().where('community_id', '=', communityId).where('vote_id', '=', voteId).orderBy('attempted_at').orderBy('id').execute()
}

export async function insertConflict(db: DbOrTx, row: ConflictRow): Promise<void> {
  await db.insertInto('vote_conflicts').values(row).execute()
}

/**
 * Stores ballot rows and counts them for live progress, in the caller's transaction. A caller
 * that has read the voter's electorate figures and other ballots passes them (see countBallots).
 */
export async function insertBallots(db: DbOrTx, rows: BallotRow[], voter?: KnownVoter): Promise<void> {
  await db.insertInto('ballots').values(rows).execute()
  await countBallots(db, rows, voter)
}

export async function insertResults(db: DbOrTx, rows: ResultRow[]): Promise<void> {
  await db.insertInto('vote_results').values(rows).execute()
}

export async function resultsOf(db: DbOrTx, communityId: string, voteId: string): Promise<ResultRow[]> {
  const rows = await db.selectFrom('vote_results').selectAll().where('community_id', '=', communityId).where('vote_id', '=', voteId).execute()
  return rows.map((r) => {
    const out: Record<string, unknown> = { ...r }
    for (const [k, val] of Object.entries(r)) if (typeof val !== 'string' && val !== null) out[k] = Number(val)
    return out as unknown as ResultRow
  })
}

/** The published result notice as stored, for its digest at close and for verification. */
export async function resultNotice(db: DbOrTx, communityId: string, noticeId: string) {
  return db.selectFrom('notices').select(['id', 'title', 'body', 'withdrawn_at']).where('community_id', '=', communityId).where('id', '=', noticeId).executeTakeFirst()
}

export async function votesOfCommunity(db: DbOrTx, communityId: string): Promise<VoteRow[]> {
  return db.selectFrom('votes').selectAll().where('community_id', '=', communityId).orderBy('created_at').orderBy('id').execute()
}

export async function communitiesWithVotes(db: DbOrTx): Promise<string[]> {
  const rows = await db.selectFrom('votes').select('community_id').distinct().execute()
  return rows.map((r) => r.community_id)
}

/** Matches PostgreSQL's unique_violation and SQLite's UNIQUE constraint failure. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null
  return !!e && (e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || /UNIQUE constraint failed/.test(e.message ?? ''))
}
