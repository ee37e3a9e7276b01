/** Per matter and choice of a vote: the voters who chose it and their area (migration 016). */
export interface VoteCounterTable {
  community_id: string
  vote_id: string
  matter_id: string
  choice: string
  headcount: number
  area_centi_m2: number
}

export interface CounterTables {
  vote_counters: VoteCounterTable
}
