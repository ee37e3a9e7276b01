/** Row shapes of the vote tables (migration 003_votes), snake_case as stored. */

export type VoteStatus = 'draft' | 'announced' | 'open' | 'closed'

export interface VoteTable {
  id: string
  community_id: string
  title: string
  description: string
  status: VoteStatus
  scope: 'whole' | 'buildings'
  announce_at: string | null
  opens_at: string
  closes_at: string
  opened_at: string | null
  closed_at: string | null
  announce_notice_id: string | null
  result_notice_id: string | null
  created_by: string
  created_at: string
}

export interface VoteMatterTable {
  id: string
  community_id: string
  vote_id: string
  position: number
  item: number
  class: 'special' | 'ordinary'
  title: string
  description: string
}

export interface VoteScopeBuildingTable {
  community_id: string
  vote_id: string
  building_id: string
}

export interface VoteElectorateTable {
  community_id: string
  vote_id: string
  unit_id: string
  voter_key: string
  area_centi_m2: number
  unit_label: string
}

export interface VoteVoterTable {
  community_id: string
  vote_id: string
  voter_key: string
  person_id: string
}

export interface BallotTable {
  id: string
  community_id: string
  vote_id: string
  matter_id: string
  voter_key: string
  choice: 'agree' | 'oppose' | 'abstain'
  channel: 'online' | 'paper'
  receipt_code: string
  cast_by: string
  person_id: string | null
  cast_at: string
  evidence_file: string | null
}

export interface VoteResultTable {
  community_id: string
  vote_id: string
  matter_id: string
  total_area_centi_m2: number
  total_headcount: number
  participating_area_centi_m2: number
  participating_headcount: number
  agree_area_centi_m2: number
  agree_headcount: number
  oppose_area_centi_m2: number
  oppose_headcount: number
  abstain_area_centi_m2: number
  abstain_headcount: number
  quorum_met: number
  passed: number
  computed_at: string
}

/** A ballot refused because its voter already had one through another channel (migration 010). */
export interface VoteConflictTable {
  id: string
  community_id: string
  vote_id: string
  voter_key: string
  channel: 'online' | 'paper'
  counted_receipt: string
  attempted_by: string
  attempted_at: string
  evidence_file: string | null
}

/** Merged into the app's Database interface (server/db/database.ts). */
export interface VoteTables {
  votes: VoteTable
  vote_matters: VoteMatterTable
  vote_scope_buildings: VoteScopeBuildingTable
  vote_electorate: VoteElectorateTable
  vote_voters: VoteVoterTable
  ballots: BallotTable
  vote_results: VoteResultTable
  vote_conflicts: VoteConflictTable
}
