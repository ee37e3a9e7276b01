import { createHash } from 'node:crypto'
import { deflateSync } from 'node:zlib'
import type { Api } from '../../src/contracts/api'
import { beijingDate } from '../../src/contracts/time'
import { actorCtx, systemCtx, type AppDeps } from '../context'
import { registry } from '../actions'
import { dispatch } from '../registry'
import { advanceVotes } from '../votes/vote.clock'
import { recordDeposit } from './deposit.service'
import { recordExpense } from './expense.service'
import { uploadFundDocument } from './fund.documents'
import { setFundScheme } from './scheme.service'
import { unitsOf } from './fund.repository'
import { accountsOf } from './account'

const DAY = 86_400_000
/** A 1×1 PNG: the photo of a signed paper ballot, for the demo. */
const PAPER_PHOTO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(buf: Buffer): number {
  let c = 0xffffffff
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

/** A one-page PDF whose page says `text` (ASCII, Helvetica), with a correct cross-reference table: a demo quote or contract. */
export function demoPdf(text: string): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    (() => {
      const content = `BT /F1 24 Tf 72 760 Td (${text.replace(/[()\\]/g, '')}) Tj ET`
      return `<< /Length ${content.length} >>\nstream\n${content}\nendstream`
    })(),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]
  let out = '%PDF-1.4\n'
  const offsets: number[] = []
  objects.forEach((o, i) => {
    offsets.push(out.length)
    out += `${i + 1} 0 obj\n${o}\nendobj\n`
  })
  const xref = out.length
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(out, 'latin1')
}

/**
 * Each ballot's photo is its own (one photo is the evidence of one paper, compared by content after
 * its metadata is stripped): a small PNG whose pixels are drawn from the paper's label.
 */
function paperPhoto(label: string): string {
  const seed = createHash('sha256').update(label).digest()
  const width = 8
  const height = 4
  const stride = 1 + width * 3
  const raw = Buffer.alloc(height * stride)
  for (let y = 0; y < height; y++) for (let x = 0; x < width * 3; x++) raw[y * stride + 1 + x] = seed[(y * width * 3 + x) % seed.length]
  const chunk = (name: string, data: Buffer) => {
    const type = Buffer.from(name, 'latin1')
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(Buffer.concat([type, data])))
    return Buffer.concat([len, type, data, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 2 // truecolour
  return Buffer.concat([PAPER_PHOTO.subarray(0, 8), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]).toString('base64')
}

/** Calls an action through the registry as a user at a given moment (the vote's clock moved), as a transport would. */
async function callAt<K extends keyof Api>(deps: AppDeps, at: Date, userId: string, action: K, input: Api[K]['input']): Promise<Api[K]['output']> {
  const res = await dispatch(registry, action, input, { ...deps, now: () => at }, { caller: async () => ({ userId, openid: `seed:${userId}` }) })
  if (!res.ok) throw new Error(`fund demo: ${action} failed: ${res.error.code} ${res.error.message}`)
  return res.data as Api[K]['output']
}

/**
 * The demo's repair fund for an old 小区, made as its committee would: every building's rate at the
 * cap; deposits by most units (each matched 1:1 by the district), a few still owing; an owners'
 * vote on using the fund for one building, run through the real vote actions with the clock moved
 * back (announced 40 days ago, opened after the 15-day notice, paper ballots entered with their
 * photos, closed with its result published), and the expense it allows; and an emergency expense
 * the committee approved alone (published as a notice). One building (5栋 by default) is left without
 * a rate, for the committee to set. Call from server/demo/seed.ts after the
 * roster is imported and the committee member holds their role:
 *   await seedFundDemo(deps, { communityId: ids.wenqing, committeeUserId: users['committee-old'] })
 * Idempotent: a 小区 that already has a scheme is left alone.
 */
export async function seedFundDemo(
  deps: AppDeps,
  a: { communityId: string; committeeUserId: string; voteBuilding?: string; emergencyBuilding?: string; unsetBuilding?: string },
): Promise<{ deposits: number; voteId: string | null }> {
  const existing = await deps.db.selectFrom('fund_schemes').select('id').where('community_id', '=', a.communityId).executeTakeFirst()
  if (existing) return { deposits: 0, voteId: null }
  const committee = actorCtx(deps, { userId: a.committeeUserId, roles: ['committee_member'] })
  const all = await deps.db.selectFrom('buildings').select(['id', 'name', 'has_elevator']).where('community_id', '=', a.communityId).orderBy('name').execute()
  // One building is left for the committee to set (what a newcomer, and the end-to-end test, tries first).
  const unset = a.unsetBuilding ?? '5栋'
  const buildings = all.length > 1 ? all.filter((b) => b.name !== unset) : all
  // The cap, building by building (elevator or not).
  for (const withElevator of [0, 1]) {
    const ids = buildings.filter((b) => Number(b.has_elevator) === withElevator).map((b) => b.id)
    if (ids.length) await setFundScheme(committee, { communityId: a.communityId, buildingIds: ids, rateFen: withElevator ? 7_500 : 5_500, note: '按政策上限交存' })
  }

  // Deposits: every unit but each fifth, paid in full over the last weeks (the match beside each).
  const now = deps.now()
  const accounts = await accountsOf(deps.db, a.communityId)
  let deposits = 0
  for (const [i, acc] of accounts.entries()) {
    if (i % 5 === 4 || acc.requiredFen === 0) continue
    const paidOn = beijingDate(new Date(now.getTime() - (30 - (i % 20)) * DAY))
    await recordDeposit(committee, { communityId: a.communityId, unitId: acc.unitId, amountFen: acc.requiredFen, paidOn, channel: i % 3 === 0 ? 'cash' : i % 3 === 1 ? 'bank' : 'wechat', receiptNo: `WQ-${String(i + 1).padStart(4, '0')}` })
    deposits++
  }

  // The owners of one building decide to use the fund: a real vote, its clock moved back.
  const voteBuilding = buildings.find((b) => b.name === (a.voteBuilding ?? '2栋')) ?? buildings[0]
  const announced = new Date(Math.floor((now.getTime() - 40 * DAY) / DAY) * DAY)
  const opensAt = new Date(announced.getTime() + 16 * DAY)
  const closesAt = new Date(opensAt.getTime() + 7 * DAY)
  const vote = await callAt(deps, announced, a.committeeUserId, 'createVote', {
    communityId: a.communityId,
    title: `${voteBuilding.name}屋面防水维修使用维修资金表决`,
    description: `${voteBuilding.name}屋面多处渗水，物管会提请${voteBuilding.name}业主表决使用维修资金维修。`,
    scope: 'buildings',
    buildingIds: [voteBuilding.id],
    opensAt: opensAt.toISOString(),
    closesAt: closesAt.toISOString(),
    matters: [{ item: 5, title: `使用维修资金维修${voteBuilding.name}屋面防水` }],
  })
  await callAt(deps, announced, a.committeeUserId, 'announceVote', { communityId: a.communityId, voteId: vote.id })
  await advanceVotes({ ...systemCtx(deps), now: () => new Date(opensAt.getTime() + 1000) })
  const during = new Date(opensAt.getTime() + 2 * DAY)
  const voters = await callAt(deps, during, a.committeeUserId, 'voteElectorate', { communityId: a.communityId, voteId: vote.id })
  for (const [i, voter] of voters.entries()) {
    if (i % 6 === 5) continue // some did not vote
    const photo = await callAt(deps, during, a.committeeUserId, 'uploadBallotEvidence', { communityId: a.communityId, voteId: vote.id, fileName: `表决票-${i + 1}.png`, dataBase64: paperPhoto(`ballot ${i + 1} ${voter.voterKey}`) })
    const choice = i % 9 === 8 ? 'oppose' : 'agree'
    await callAt(deps, during, a.committeeUserId, 'enterPaperBallot', { communityId: a.communityId, voteId: vote.id, voterKey: voter.voterKey, choices: [{ matterId: vote.matters[0].id, choice }], evidenceRef: photo.evidenceRef })
  }
  for (const at of [closesAt.getTime() + 1000, closesAt.getTime() + 4 * DAY]) await advanceVotes({ ...systemCtx(deps), now: () => new Date(at) })

  const total = (await unitsOf(deps.db, a.communityId, { buildingIds: [voteBuilding.id] })).length
  // The documents are files, uploaded as the committee would: the quote and contract as PDFs, the acceptance photo as a picture.
  const doc = async (kind: 'quote' | 'contract' | 'acceptance', name: string, data: Buffer) =>
    ({ kind, name, fileId: (await uploadFundDocument(committee, { communityId: a.communityId, fileName: name, data })).id })
  await recordExpense(committee, {
    communityId: a.communityId, purpose: `${voteBuilding.name}屋面防水维修`, contractor: '赣州章贡建筑工程有限公司', amountFen: 1_860_000 + total,
    spentOn: beijingDate(new Date(now.getTime() - 3 * DAY)), buildingIds: [voteBuilding.id], voteId: vote.id,
    documents: [
      await doc('quote', '屋面防水维修报价单', demoPdf('Roof waterproofing - quote')),
      await doc('contract', '施工合同', demoPdf('Roof waterproofing - contract')),
      await doc('acceptance', '竣工验收照片', PAPER_PHOTO),
    ],
  })
  const emergencyBuilding = buildings.find((b) => b.name === (a.emergencyBuilding ?? '3栋')) ?? buildings[buildings.length - 1]
  await recordExpense(committee, {
    communityId: a.communityId, purpose: `${emergencyBuilding.name}二次供水水泵更换`, contractor: '赣州水务设备维修中心', amountFen: 486_000,
    spentOn: beijingDate(new Date(now.getTime() - DAY)), buildingIds: [emergencyBuilding.id], emergency: 'pump',
    documents: [await doc('quote', '水泵更换报价单', demoPdf('Water pump replacement - quote'))],
  })
  return { deposits, voteId: vote.id }
}
