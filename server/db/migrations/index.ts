import type { Migration, MigrationProvider } from 'kysely'
import * as m001 from './001_foundation'
import * as m002 from './002_notices'
import * as m003 from './003_votes'
import * as m004 from './004_rosters'
import * as m005 from './005_jobs_outbox'
import * as m006 from './006_fees'
import * as m007 from './007_jurisdiction'
import * as m008 from './008_reports'
import * as m009 from './009_fund'
import * as m010 from './010_votes_court'
import * as m011 from './011_audit_hmac'
import * as m012 from './012_binding_lock'
import * as m013 from './013_privacy'
import * as m014 from './014_binding_evidence'
import * as m015 from './015_calendar_fund_files'
import * as m016 from './016_vote_counters'
import * as m017 from './017_roster_owner_decisions'
import * as m018 from './018_vote_objections'
import * as m019 from './019_votes_counting'
import * as m020 from './020_fee_sharing_late_fee'
import * as m021 from './021_binding_proofs'
import * as m022 from './022_ballot_indexes'
import * as m023 from './023_ballot_evidence'

/**
 * Migrations listed in code rather than read from a folder, so the bundled cloud function
 * carries them too. Add new ones at the end; never edit one that has shipped.
 */
const migrations: Record<string, Migration> = {
  '001_foundation': m001,
  '002_notices': m002,
  '003_votes': m003,
  '004_rosters': m004,
  '005_jobs_outbox': m005,
  '006_fees': m006,
  '007_jurisdiction': m007,
  '008_reports': m008,
  '009_fund': m009,
  '010_votes_court': m010,
  '011_audit_hmac': m011,
  '012_binding_lock': m012,
  '013_privacy': m013,
  '014_binding_evidence': m014,
  '015_calendar_fund_files': m015,
  '016_vote_counters': m016,
  '017_roster_owner_decisions': m017,
  '018_vote_objections': m018,
  '019_votes_counting': m019,
  '020_fee_sharing_late_fee': m020,
  '021_binding_proofs': m021,
  '022_ballot_indexes': m022,
  '023_ballot_evidence': m023,
}

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
}
