/** A binding proof photo as uploaded (migration 021_binding_proofs), snake_case as stored. */
export interface BindingProofTable {
  id: string
  community_id: string
  /** The request it was uploaded for (no foreign key: a request leaves with its account). */
  binding_id: string
  /** The storage reference (rosters/binding.proof.ts), without the `#sha256=` suffix. */
  storage_key: string
  sha256: string
  uploaded_by: string
  created_at: string
  /** When an approval rested on it (set in that approval's transaction); null: unused, purged after a day. */
  used_at: string | null
}

export interface BindingProofTables {
  binding_proofs: BindingProofTable
}
