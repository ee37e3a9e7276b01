import { sql, type JoinBuilder, type ReferenceExpression } from 'kysely'
import type { Database } from './database'

/**
 * How the tables would spread over Citus by `community_id` (README: Past one database), written
 * once: the README's three lists name exactly these, and test/server/colocation.test.ts checks
 * both that and every join in server/ against them.
 */

/** Every table with a `community_id` column: sharded by it, all co-located. */
export const DISTRIBUTED_TABLES = [
  'units', 'buildings', 'persons', 'ownerships', 'tenancies', 'bindings', 'binding_attempts', 'binding_proofs',
  'roster_imports', 'roster_owner_decisions', 'memberships',
  'notices', 'notice_revisions', 'notice_reads', 'notice_files',
  'votes', 'vote_matters', 'vote_scope_buildings', 'vote_electorate', 'vote_voters', 'ballots', 'ballot_evidence',
  'vote_results', 'vote_conflicts', 'vote_counters', 'vote_objections',
  'audit_log', 'audit_heads', 'outbox',
  'fee_schedules', 'fee_items', 'fee_periods', 'fee_bills', 'fee_bill_lines', 'fee_bill_shares', 'fee_payments',
  'fee_credit_notes', 'fee_reminders', 'fee_counters',
  'fund_schemes', 'fund_entries', 'fund_expenses', 'fund_expense_buildings', 'fund_files',
  'reports', 'report_events', 'report_files', 'report_settings', 'report_daily_counts',
] as const satisfies readonly (keyof Database)[]

/** Small tables replicated to every worker: a join to one never leaves the shard. */
export const REFERENCE_TABLES = ['districts', 'streets', 'offices', 'communities', 'work_calendar', 'work_calendar_years'] as const satisfies readonly (keyof Database)[]

/** Tables kept on the coordinator (Citus local tables): who a person is, and the job leases. */
export const COORDINATOR_TABLES = ['users', 'sessions', 'privacy_consents', 'job_runs'] as const satisfies readonly (keyof Database)[]

type Ref<DB, TB extends keyof DB> = ReferenceExpression<DB, TB> & `${string}.${string}`

/**
 * The ON of a join between two distributed tables: `left = right`, and the two tables in the same
 * 小区. Ids are unique, so the second equality changes no result; it is what lets Citus run the
 * join inside one shard. Both references are written `alias.column`, the joined table's first:
 *
 *   .innerJoin('buildings as b', (j) => sameCommunity(j, 'b.id', 'u.building_id'))
 *   → INNER JOIN buildings AS b ON b.id = u.building_id AND CAST(b.community_id AS text) = u.community_id
 *
 * The CAST is a no-op PostgreSQL removes when it parses the query (the column is text), so the
 * planner and Citus see `b.community_id = u.community_id`. It is there for SQLite, which keeps no
 * statistics: from a bare `b.community_id = u.community_id` and the query's `u.community_id = ?`
 * it derives `b.community_id = ?` and may walk the joined table's whole 小区 by its community
 * index instead of the few rows the query asks for (the unit owners of a binding list, a report's
 * reporter, the 催缴 units: 100 to 250 times slower at 2,000 units). A cast column is no index key.
 */
export function sameCommunity<DB, TB extends keyof DB>(join: JoinBuilder<DB, TB>, left: Ref<DB, TB>, right: Ref<DB, TB>): JoinBuilder<DB, TB> {
  const communityOf = (ref: string) => `${ref.slice(0, ref.indexOf('.'))}.community_id`
  return join.onRef(left, '=', right).on(sql`CAST(${sql.ref(communityOf(left))} AS text)`, '=', sql.ref(communityOf(right)))
}
