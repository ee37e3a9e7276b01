import type { Kysely, Transaction } from 'kysely'
import type { AuditTables } from '../audit/audit.table'
import type { BindingLockTables } from '../rosters/binding-lock.table'
import type { FeeTables } from '../fees/fee.table'
import type { FundTables } from '../fund/fund.table'
import type { IdentityTables } from '../identity/identity.table'
import type { JobTables } from '../jobs/job.table'
import type { OutboxTables } from '../outbox/outbox.table'
import type { ReportTables } from '../reports/report.table'
import type { VoteTables } from '../votes/vote.table'
import type { ObjectionTables } from '../votes/objection.table'
import type { CounterTables } from '../votes/counter.table'
import type { RosterDecisionTables } from '../rosters/roster.decisions.table'
import type { BindingProofTables } from '../rosters/binding-proof.table'

/** Row shapes, snake_case as stored. Instants are ISO-8601 UTC text; area in 0.01 m²; money in fen. */
export interface DistrictTable { id: string; name: string }
export interface StreetTable { id: string; district_id: string; name: string }
export interface OfficeTable { id: string; street_id: string; name: string }
export interface CommunityTable {
  id: string
  office_id: string
  name: string
  built_on: string
  governance: 'committee' | 'pmc' | 'office_acting'
  committee_name: string
  company_name: string | null
  vote_notice_days: number
  created_at: string
}
export interface BuildingTable { id: string; community_id: string; name: string; has_elevator: number }
export interface UnitTable {
  id: string
  community_id: string
  building_id: string
  stair: string
  room: string
  area_centi_m2: number
  sold: number
}
export interface UserTable {
  id: string
  openid: string
  nickname: string
  created_at: string
  /** Set when the person deleted their account (migration 013): openid and nickname are emptied then. */
  deleted_at: string | null
}
export interface PersonTable {
  id: string
  community_id: string
  name: string
  phone: string | null
  id4_hash: string | null
  is_developer: number
  user_id: string | null
}
export interface OwnershipTable { community_id: string; unit_id: string; person_id: string }
export interface MembershipTable {
  id: string
  user_id: string
  role: string
  community_id: string | null
  office_id: string | null
  street_id: string | null
  district_id: string | null
  created_at: string
}
export interface TenancyTable {
  id: string
  community_id: string
  unit_id: string
  invited_by: string
  invite_code: string
  tenant_user_id: string | null
  status: 'invited' | 'active' | 'revoked'
  created_at: string
  accepted_at: string | null
  revoked_at: string | null
}
export interface BindingTable {
  id: string
  community_id: string
  user_id: string
  unit_id: string
  claimed_name: string
  claimed_phone: string | null
  status: 'approved' | 'pending' | 'rejected'
  person_id: string | null
  decided_by: string | null
  decided_at: string | null
  reason: string | null
  created_at: string
  /** Claims of this unit by this resident (migration 004); after a few misses only the committee approves. */
  attempts: number
  /** Set when a claim on this request came after the binding lock (migration 012): only the committee decides it. */
  locked_at: string | null
  /** 1 when the latest typed claim matched the roster (migration 014): the committee approves it in one tap. */
  roster_match: number
  /** The proof an approval that changed ownership rests on: `<storage ref>#sha256=<hex>` (migration 014). */
  proof_file: string | null
}
export interface SessionTable {
  token_hash: string
  user_id: string
  created_at: string
  expires_at: string
  revoked_at: string | null
  /** What the session was opened from (a label of the user agent), and when it was last used (migration 013). */
  user_agent: string | null
  last_used_at: string | null
}
export interface RosterImportTable {
  id: string
  community_id: string
  imported_by: string
  file_name: string
  unit_count: number
  created_at: string
}

export interface NoticeTable {
  id: string
  community_id: string
  kind: string
  title: string
  body: string
  publisher_role: string
  publisher_name: string
  published_by: string | null
  publish_at: string
  posting_ends_at: string | null
  expires_at: string | null
  pinned: number
  corrects_notice_id: string | null
  corrected_by_notice_id: string | null
  withdrawn_at: string | null
  source_key: string | null
  version: number
  created_at: string
  updated_at: string
}
export interface NoticeRevisionTable {
  id: string
  community_id: string
  notice_id: string
  version: number
  title: string
  body: string
  file_ids: string
  expires_at: string | null
  edited_by: string | null
  editor_role: string
  created_at: string
}
export interface NoticeFileTable {
  id: string
  community_id: string
  notice_id: string | null
  kind: 'image' | 'pdf'
  mime: string
  size_bytes: number
  storage_key: string
  file_name: string
  position: number
  uploaded_by: string
  removed_at: string | null
  created_at: string
}
export interface NoticeReadTable { notice_id: string; user_id: string; community_id: string; first_read_at: string }

/** A paper-ballot evidence photo as uploaded (migration 023_ballot_evidence; votes/vote.evidence.ts). */
export interface BallotEvidenceTable {
  /** The UUID in its storage key. */
  id: string
  community_id: string
  vote_id: string
  /** `<storage ref>#sha256=<hex>`, exactly as ballots.evidence_file and vote_conflicts.evidence_file hold it. */
  evidence_ref: string
  sha256: string
  uploaded_by: string
  uploaded_at: string
  /** When a paper ballot's entry last checked it; null: never. Unused a day after both, it is purged. */
  checked_at: string | null
}

export interface Database extends VoteTables, AuditTables, JobTables, OutboxTables, FeeTables, FundTables, ReportTables, BindingLockTables, IdentityTables, RosterDecisionTables, ObjectionTables, CounterTables, BindingProofTables {
  ballot_evidence: BallotEvidenceTable
  districts: DistrictTable
  streets: StreetTable
  offices: OfficeTable
  communities: CommunityTable
  buildings: BuildingTable
  units: UnitTable
  users: UserTable
  persons: PersonTable
  ownerships: OwnershipTable
  memberships: MembershipTable
  tenancies: TenancyTable
  bindings: BindingTable
  sessions: SessionTable
  roster_imports: RosterImportTable
  notices: NoticeTable
  notice_revisions: NoticeRevisionTable
  notice_files: NoticeFileTable
  notice_reads: NoticeReadTable
}

export type Db = Kysely<Database>
/** A database handle or an open transaction: repositories take either. */
export type DbOrTx = Kysely<Database> | Transaction<Database>
