/** An owner's objection to the electorate of a vote, and the committee's answer (migration 018). */
export interface VoteObjectionTable {
  id: string
  community_id: string
  vote_id: string
  raised_by: string
  text: string
  raised_at: string
  answer: string | null
  answered_by: string | null
  answered_at: string | null
}

export interface ObjectionTables {
  vote_objections: VoteObjectionTable
}
