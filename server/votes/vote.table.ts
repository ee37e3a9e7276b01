/** Row shapes of the vote tables (migration 003_votes), snake_case as stored. */

export type VoteStatus = 'draft' | 'announced' | 'open' | 'counting' | 'closed' | 'cancelled'

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
  /** Migration 015: 1 when the vote accepts paper ballots (it closes into counting). */
  accepts_paper: number
  /** The counting period in days, 1–3 (0 when the vote takes no paper). */
  counting_days: number
  /** When the counting stage ends by the clock (set when the window closes into counting). */
  counting_ends_at: string | null
  cancelled_at: string | null
  cancel_notice_id: string | null
  /** The latest correction notice (更正公告) of an announced vote. */
  correction_notice_id: string | null
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
  /** 'invalid': a blank or spoiled paper (migration 015), never an abstention; paper only. */
  choice: 'agree' | 'oppose' | 'abstain' | 'invalid'
  channel: 'online' | 'paper'
  receipt_code: string
  /** Who submitted: the owner online; the committee member who entered a paper. */
  cast_by: string
  person_id: string | null
  /** When it was recorded (a paper: when it was entered). */
  cast_at: string
  evidence_file: string | null
  /** Migration 015: a paper ballot or a written proxy (委托书) with the proxy's name. */
  kind: 'ballot' | 'proxy'
  proxy_name: string | null
  /** A paper: when it was signed (before the close). */
  signed_at: string | null
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
  invalid_area_centi_m2: number
  invalid_headcount: number
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
