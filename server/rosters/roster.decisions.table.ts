/** The committee's same-owner decisions about two roster persons of one name (migration 017). */
export interface RosterOwnerDecisionTable {
  community_id: string
  /** The smaller person id of the pair. */
  person_a: string
  person_b: string
  decision: 'merge' | 'apart'
  decided_by: string
  decided_at: string
}

export interface RosterDecisionTables {
  roster_owner_decisions: RosterOwnerDecisionTable
}
