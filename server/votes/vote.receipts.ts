import { createHash, randomBytes } from 'node:crypto'
import { beijingDate } from '../../src/contracts/time'
import type { BallotChoice, ReceiptLookup, ResultReceipt } from '../../src/contracts/votes'
import { canonicalJson } from '../audit/audit.service'
import type { Ctx } from '../context'
import { AppError } from '../errors'
import { loadVisibleVote } from './vote.policy'
import * as repo from './vote.repository'
import type { BallotRow, MatterRow } from './vote.repository'

/**
 * Receipts: the code each ballot paper gets, the published list of counted ones, and the lookup
 * anyone who follows the vote can make. A receipt ties choices to a ballot, never to a name.
 */

/** Crockford's base32: no I, L, O, U, so a code read aloud or copied by hand is not misread. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/**
 * A receipt is a hash of the ballot paper (vote, voter, channel, time, choices) and 128 random
 * bits, cut to 50 bits and written XXXXX-XXXXX. The random part makes it unlinkable to the voter,
 * so it can be published beside the choices; the 50 bits make a guess or a clash negligible.
 */
export function makeReceipt(parts: unknown): string {
  const digest = createHash('sha256').update(canonicalJson(parts)).update(randomBytes(16)).digest()
  let n = digest.readBigUInt64BE(0) >> 14n
  let s = ''
  for (let i = 0; i < 10; i++) {
    s = ALPHABET[Number(n & 31n)] + s
    n >>= 5n
  }
  return `${s.slice(0, 5)}-${s.slice(5)}`
}

/** Reads a receipt as people type it: any case, with or without the dash, O for 0 and I/L for 1. */
export function normalizeReceipt(code: string): string {
  const s = code.toUpperCase().replace(/[^0-9A-Z]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1')
  return `${s.slice(0, 5)}-${s.slice(5, 10)}`
}

/** Counted ballot papers for publication: receipt code and the choices in matter order; no names. */
export function receiptsOf(matters: MatterRow[], ballots: BallotRow[], superseded: Set<string>): ResultReceipt[] {
  const papers = new Map<string, { channel: 'online' | 'paper'; choices: Map<string, BallotChoice> }>()
  for (const b of ballots) {
    if (superseded.has(b.id)) continue
    const p = papers.get(b.receipt_code) ?? { channel: b.channel, choices: new Map() }
    p.choices.set(b.matter_id, b.choice)
    papers.set(b.receipt_code, p)
  }
  return [...papers]
    .map(([receiptCode, p]) => ({ receiptCode, channel: p.channel, choices: matters.map((m) => p.choices.get(m.id)!).filter(Boolean) }))
    .sort((a, b) => a.receiptCode.localeCompare(b.receiptCode))
}

/**
 * Anyone who may follow the vote can check a receipt: its choices and whether it is counted. No
 * names, and only the day it was cast (Beijing time), never the time: receipts and choices are
 * public, and an exact time would let a neighbour who saw someone vote at 10:32 find that
 * person's receipt, and so their choices.
 */
export async function lookupReceipt(ctx: Ctx, input: { communityId: string; voteId: string; receiptCode: string }): Promise<ReceiptLookup> {
  const { communityId, voteId } = input
  await loadVisibleVote(ctx, input)
  const rows = await repo.ballotsByReceipt(ctx.db, communityId, voteId, normalizeReceipt(input.receiptCode))
  if (rows.length === 0) throw new AppError('NotFound', '没有这个回执码，请核对后再查')
  const matters = new Map((await repo.mattersOf(ctx.db, communityId, voteId)).map((m) => [m.id, m]))
  let counted = true
  if (rows[0].channel === 'paper') {
    counted = (await repo.ballotsOfVoter(ctx.db, communityId, voteId, rows[0].voter_key, 'online')).length === 0
  }
  return {
    receiptCode: rows[0].receipt_code,
    channel: rows[0].channel,
    castOn: beijingDate(rows[0].cast_at),
    choices: rows
      .map((b) => ({ matterId: b.matter_id, position: matters.get(b.matter_id)!.position, title: matters.get(b.matter_id)!.title, choice: b.choice }))
      .sort((a, b) => a.position - b.position),
    counted,
  }
}
