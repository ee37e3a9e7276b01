import { createHash } from 'node:crypto'
import { unitLabel } from '../../src/contracts/units'
import type { AuditChain, ChainEnv } from '../audit/verifiers'
import { sameCommunity } from '../db/colocation'
import type { DbOrTx } from '../db/database'
import { storageFor } from '../storage'

/**
 * Binding approvals that changed who owns a unit (binding.service addOwner, issue 8 item 9) as the
 * audit log recorded them: each `binding.owner_added` entry names the request, the owner it bound
 * and the proof photo with its SHA-256. The verifier (registered in server/audit/verifiers.ts)
 * compares the bindings table and the stored photos with those entries: an approval changed or
 * deleted, a proof added to a request without an entry, and a photo deleted or swapped in storage
 * are findings. A request deleted with its account (PIPL art. 47: deleteAccountRows) is not; its
 * proof photo stays, as the evidence of the roster change the committee keeps.
 */

interface OwnerAdded {
  unitId: string
  unit: string
  userId: string
  personId: string
  proofFile: string
  proofSha256: string
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')

/** The fields compared, with their names as a finding lists them. */
const FIELDS: [string, (b: Row, e: Logged) => boolean][] = [
  ['状态', (b) => b.status === 'approved'],
  ['证明照片', (b, e) => b.proof_file === `${e.payload.proofFile}#sha256=${e.payload.proofSha256}`],
  ['申请人', (b, e) => b.user_id === e.payload.userId],
  ['房屋', (b, e) => b.unit_id === e.payload.unitId],
  ['绑定的业主记录', (b, e) => b.person_id === e.payload.personId],
  ['审核人', (b, e) => b.decided_by === e.actor],
  ['审核时间', (b, e) => b.decided_at === e.at],
]

type Row = { id: string; status: string; user_id: string; unit_id: string; person_id: string | null; decided_by: string | null; decided_at: string | null; proof_file: string | null }
type Logged = { actor: string | null; at: string; payload: OwnerAdded }

/** Compares one 小区's approvals that changed ownership, and their proof photos, with the audit log. */
export async function verifyBindingRecords(db: DbOrTx, communityId: string, env: ChainEnv): Promise<{ checked: number; problems: string[] }> {
  const entries = await db
    .selectFrom('audit_log')
    .select(['entity_id', 'actor', 'at', 'payload'])
    .where('community_id', '=', communityId)
    .where('entity_type', '=', 'binding')
    .where('action', '=', 'binding.owner_added')
    .orderBy('seq')
    .execute()
  const logged = new Map<string, Logged>()
  for (const e of entries) logged.set(e.entity_id, { actor: e.actor, at: e.at, payload: JSON.parse(e.payload) as OwnerAdded })

  const columns = ['id', 'status', 'user_id', 'unit_id', 'person_id', 'decided_by', 'decided_at', 'proof_file'] as const
  const withProof = await db.selectFrom('bindings').select(columns).where('community_id', '=', communityId).where('proof_file', 'is not', null).execute()
  const ids = [...logged.keys()]
  const recorded = ids.length ? await db.selectFrom('bindings').select(columns).where('community_id', '=', communityId).where('id', 'in', ids).execute() : []
  const rows = new Map<string, Row>([...withProof, ...recorded].map((r) => [r.id, r]))
  const payloadUsers = [...new Set([...logged.values()].map((e) => e.payload.userId))]
  const deletedAccounts = new Set(
    payloadUsers.length ? (await db.selectFrom('users').select('id').where('id', 'in', payloadUsers).where('deleted_at', 'is not', null).execute()).map((u) => u.id) : [],
  )

  const problems: string[] = []
  const storage = storageFor(env)
  for (const [id, e] of logged) {
    const where = `增加业主的绑定审核（${e.payload.unit}，${id}）`
    const row = rows.get(id)
    if (!row) {
      if (!deletedAccounts.has(e.payload.userId)) problems.push(`${where}已不在绑定表中（被删除）`)
    } else {
      const differ = FIELDS.filter(([, same]) => !same(row, e)).map(([name]) => name)
      if (differ.length) problems.push(`${where}与审计记录不符（被改动）：${differ.join('、')}`)
    }
    let data: Buffer | null = null
    try {
      data = await storage.get(e.payload.proofFile)
    } catch {
      data = null
    }
    if (!data) problems.push(`${where}的证明照片已不在存储中（被删除）`)
    else if (sha256(data) !== e.payload.proofSha256) problems.push(`${where}的证明照片与审计记录的 SHA-256 不符（被替换）`)
  }
  const unlogged = withProof.filter((r) => !logged.has(r.id))
  if (unlogged.length) {
    const units = await db
      .selectFrom('units as u')
      .innerJoin('buildings as b', (j) => sameCommunity(j, 'b.id', 'u.building_id'))
      .select(['u.id', 'b.name as building', 'u.stair', 'u.room'])
      .where('u.community_id', '=', communityId)
      .where('u.id', 'in', unlogged.map((r) => r.unit_id))
      .execute()
    const label = new Map(units.map((u) => [u.id, unitLabel(u.building, u.stair, u.room)]))
    for (const r of unlogged) problems.push(`带证明照片的绑定审核（${label.get(r.unit_id) ?? r.unit_id}，${r.id}）没有审计记录（被另行写入）`)
  }
  return { checked: logged.size + unlogged.length, problems }
}

/** The approvals that changed ownership in the audit verifier's registry (server/audit/verifiers.ts). */
export const bindingAuditChain: AuditChain = {
  name: 'bindings',
  label: '业主变更审核',
  communities: async (db) => (await db.selectFrom('bindings').select('community_id').distinct().where('proof_file', 'is not', null).execute()).map((r) => r.community_id),
  verify: (db, communityId, env) => verifyBindingRecords(db, communityId, env),
}
