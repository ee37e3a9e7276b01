import fs from 'node:fs'
import path from 'node:path'
import { verifyAuditAll } from '../../server/audit/verifiers'
import { systemCtx } from '../../server/context'
import { purgeFundUploads } from '../../server/fund/fund.documents'
import { demoPdf } from '../../server/fund/fund.demo'
import { storageFor } from '../../server/storage'
import { FUND_DOCUMENT_MAX_BYTES } from '../../src/contracts/fund'
import { DIALECTS, useTestDb } from '../helpers/db'
import { decidedVote, makeFundWorld, type FundWorld } from '../helpers/fund-world'
import { GPS, phoneJpeg, tinyPng } from '../helpers/images'
import { call, makeUser, ok } from '../helpers/world'

/**
 * Repair fund: "each expense with its purpose, contractor, amount, the buildings that share it, its
 * approval and documents (quote, contract, acceptance photos)" (issue 11; domain.md "Repair fund":
 * owners can see every expense). The documents are real files: a photo stored without its GPS
 * position, a PDF that runs nothing, at most 10 MB; attached to the expense; readable by whoever
 * reads the ledger, and by nobody else.
 */
const latitudeBytes = Buffer.concat(GPS.lat.flatMap((x) => [Math.round(x * 100), 100]).map((n) => {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n)
  return b
}))

describe.each(DIALECTS)('repair-fund expense documents on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: FundWorld
  let vote: string
  const upload = (fileName: string, data: Buffer, who = w.pmc, communityId = w.b) => call(deps, 'uploadFundDocument', { communityId, fileName, dataBase64: data.toString('base64') }, who)
  const expense = (documents: object[], extra: object = {}) =>
    call(deps, 'recordFundExpense', { communityId: w.b, purpose: '1栋屋面防水', contractor: '章贡建筑公司', amountFen: 1_000, spentOn: '2026-11-26', buildingIds: [w.buildings.b1], voteId: vote, documents, ...extra }, w.pmc)
  const fileCount = async () => Number((await env.db.selectFrom('fund_files').select(env.db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
  beforeAll(async () => {
    w = await makeFundWorld(env.db, deps)
    await ok(deps, 'setFundScheme', { communityId: w.b, buildingIds: [w.buildings.b1], rateFen: 5500 }, w.pmc)
    for (const [i, unitId] of [w.u.b1_101, w.u.b1_102, w.u.b1_201, w.u.b1_202].entries()) {
      await ok(deps, 'recordFundDeposit', { communityId: w.b, unitId, amountFen: 330_000, paidOn: '2026-11-20', channel: 'bank', receiptNo: `R-${i}` }, w.pmc)
    }
    vote = await decidedVote(deps, w, 5, [w.buildings.b1], [w.owners.sun, w.owners.zhou, w.owners.wu, w.owners.zheng])
  }, 60_000)
  afterAll(() => fs.rmSync(path.resolve(deps.config.dataDir), { recursive: true, force: true }))

  test('a quote (PDF), a contract (PDF) and an acceptance photo are uploaded, attached to the expense and listed with it; the photo is stored without its GPS position', async () => {
    const quote = await ok(deps, 'uploadFundDocument', { communityId: w.b, fileName: '报价单.pdf', dataBase64: demoPdf('Quote').toString('base64') }, w.pmc)
    expect(quote).toMatchObject({ name: '报价单', mime: 'application/pdf', sizeBytes: demoPdf('Quote').length })
    const contract = await ok(deps, 'uploadFundDocument', { communityId: w.b, fileName: '施工合同.pdf', dataBase64: demoPdf('Contract').toString('base64') }, w.pmc)
    const photo = await ok(deps, 'uploadFundDocument', { communityId: w.b, fileName: '验收.jpg', dataBase64: phoneJpeg(6).toString('base64') }, w.pmc)
    expect(photo).toMatchObject({ mime: 'image/jpeg' })
    expect(photo.sizeBytes).toBeLessThan(phoneJpeg(6).length)

    const r = await ok(deps, 'recordFundExpense', {
      communityId: w.b, purpose: '1栋屋面防水', contractor: '章贡建筑公司', amountFen: 1_000, spentOn: '2026-11-26', buildingIds: [w.buildings.b1], voteId: vote,
      documents: [{ kind: 'quote', name: '报价单', fileId: quote.id }, { kind: 'contract', name: '施工合同', fileId: contract.id }, { kind: 'acceptance', name: '竣工验收照片', fileId: photo.id }],
    }, w.pmc)
    expect(r.expense.documents).toEqual([
      { kind: '报价', name: '报价单', fileId: quote.id, mime: 'application/pdf', sizeBytes: quote.sizeBytes },
      { kind: '合同', name: '施工合同', fileId: contract.id, mime: 'application/pdf', sizeBytes: contract.sizeBytes },
      { kind: '验收照片', name: '竣工验收照片', fileId: photo.id, mime: 'image/jpeg', sizeBytes: photo.sizeBytes },
    ])
    const rows = await env.db.selectFrom('fund_files').select(['id', 'expense_id']).where('id', 'in', [quote.id, contract.id, photo.id]).execute()
    expect(rows.every((x) => x.expense_id === r.expense.id)).toBe(true)

    // An owner reads the ledger and opens the photo: the picture, turned as taken, without where it was taken.
    const ledger = await ok(deps, 'fundLedger', { communityId: w.b }, w.owners.sun)
    expect(ledger.expenses.find((x: { id: string }) => x.id === r.expense.id).documents).toHaveLength(3)
    const got = await ok(deps, 'fundDocument', { communityId: w.b, expenseId: r.expense.id, fileId: photo.id }, w.owners.sun)
    expect(got).toMatchObject({ fileName: '竣工验收照片.jpg', mime: 'image/jpeg' })
    const bytes = Buffer.from(got.base64, 'base64')
    expect(bytes.includes(latitudeBytes)).toBe(false)
    expect(bytes.includes(Buffer.from('iPhone'))).toBe(false)
    expect(phoneJpeg(6).includes(latitudeBytes)).toBe(true)
    expect(bytes.includes(Buffer.from([0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06]))).toBe(true) // Orientation = 6, kept
    const pdf = await ok(deps, 'fundDocument', { communityId: w.b, expenseId: r.expense.id, fileId: quote.id }, w.officer)
    expect(Buffer.from(pdf.base64, 'base64').equals(demoPdf('Quote'))).toBe(true)
    expect(pdf.fileName).toBe('报价单.pdf')
    // The documents are in the audit chain with the expense: the chain verifies.
    expect((await verifyAuditAll(env.db, [w.b]))[0]).toMatchObject({ ok: true, problems: [] })
    // A document's record changed in the expense row (another file named, its digest altered) is caught.
    const stored = await env.db.selectFrom('fund_expenses').select('documents').where('id', '=', r.expense.id).executeTakeFirstOrThrow()
    await env.db.updateTable('fund_expenses').set({ documents: stored.documents.replace(/"sha256":"[0-9a-f]{4}/, '"sha256":"0000') }).where('id', '=', r.expense.id).execute()
    expect((await verifyAuditAll(env.db, [w.b]))[0].problems.join('\n')).toContain(`维修资金支出 ${r.expense.id}与审计记录不符（被改动）`)
    await env.db.updateTable('fund_expenses').set({ documents: stored.documents }).where('id', '=', r.expense.id).execute()
  })

  test('who may read a document is who may read the ledger: not a tenant, not another 小区, and only through its own expense', async () => {
    const doc = await ok(deps, 'uploadFundDocument', { communityId: w.b, fileName: '报价.pdf', dataBase64: demoPdf('Q2').toString('base64') }, w.pmc)
    const r = await ok(deps, 'recordFundExpense', {
      communityId: w.b, purpose: '1栋屋面补漏', contractor: '章贡建筑公司', amountFen: 500, spentOn: '2026-11-26', buildingIds: [w.buildings.b1], voteId: vote,
      documents: [{ kind: 'quote', name: '报价', fileId: doc.id }],
    }, w.pmc)
    const ref = { communityId: w.b, expenseId: r.expense.id, fileId: doc.id }
    expect(await call(deps, 'fundDocument', ref, w.tenant)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    expect(await call(deps, 'fundDocument', ref, w.chairA)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    expect(await call(deps, 'fundDocument', { ...ref, communityId: w.a }, w.chairA)).toMatchObject({ ok: false, error: { code: 'NotFound' } })
    const other = (await ok(deps, 'fundLedger', { communityId: w.b }, w.pmc)).expenses.find((x: { id: string }) => x.id !== r.expense.id)
    expect(await call(deps, 'fundDocument', { ...ref, expenseId: other.id }, w.owners.sun)).toMatchObject({ ok: false, error: { code: 'NotFound', message: '找不到这份材料' } })
    expect(await call(deps, 'fundDocument', ref, w.owners.sun)).toMatchObject({ ok: true })
  })

  test('only what is an image or a safe PDF, within 10 MB, uploaded by those who record expenses; a refused file leaves nothing stored', async () => {
    const before = await fileCount()
    expect(await upload('报价.docx', Buffer.from('PK\x03\x04 a word file'))).toMatchObject({ ok: false, error: { code: 'UnsupportedFile', message: expect.stringContaining('照片') } })
    expect(await upload('报价.pdf', Buffer.from('%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF\n'))).toMatchObject({ ok: false, error: { code: 'UnsupportedFile', message: expect.stringContaining('脚本') } })
    expect(await upload('照片.png', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(56, 7)]))).toMatchObject({ ok: false, error: { code: 'UnsupportedFile', message: expect.stringContaining('读不出它的尺寸') } })
    const big = Buffer.concat([demoPdf('big').subarray(0, 9), Buffer.alloc(FUND_DOCUMENT_MAX_BYTES, 0x20)])
    expect(await upload('大.pdf', big)).toMatchObject({ ok: false, error: { code: expect.stringMatching(/PayloadTooLarge|BadInput/) } })
    expect(await upload('报价.pdf', demoPdf('x'), w.owners.sun)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    expect(await upload('报价.pdf', demoPdf('x'), w.pmc, w.a)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    expect(await fileCount()).toBe(before)
    // Exactly at the limit is taken (a PDF padded with whitespace before its end).
    const head = demoPdf('edge')
    const exact = Buffer.concat([head.subarray(0, head.length - 6), Buffer.alloc(FUND_DOCUMENT_MAX_BYTES - head.length, 0x20), head.subarray(head.length - 6)])
    expect(exact.length).toBe(FUND_DOCUMENT_MAX_BYTES)
    expect(await upload('边界.pdf', exact)).toMatchObject({ ok: true, data: { sizeBytes: FUND_DOCUMENT_MAX_BYTES } })
  }, 60_000)

  test('a document backs one expense only, and only its uploader attaches it; an expense naming a bad one is refused whole', async () => {
    const doc = await ok(deps, 'uploadFundDocument', { communityId: w.b, fileName: '合同.png', dataBase64: tinyPng().toString('base64') }, w.pmc)
    const expensesBefore = (await env.db.selectFrom('fund_expenses').select('id').execute()).length
    expect(await expense([{ kind: 'quote', name: '报价', fileId: 'no-such-file' }])).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('报价') } })
    expect(await expense([{ kind: 'quote', name: '报价', fileId: doc.id }, { kind: 'contract', name: '合同', fileId: doc.id }])).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('只能登记一次') } })
    expect(await expense([{ kind: 'quote', name: '报价' }])).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    expect((await env.db.selectFrom('fund_expenses').select('id').execute()).length).toBe(expensesBefore)
    // Another member of the 物管会 may not use this member's upload.
    const otherMember = await makeUser(env.db, '物管会委员乙', 'committee_member', { communityId: w.b })
    const byOther = await call(deps, 'recordFundExpense', { communityId: w.b, purpose: '1栋', contractor: '某公司', amountFen: 100, spentOn: '2026-11-26', buildingIds: [w.buildings.b1], voteId: vote, documents: [{ kind: 'contract', name: '合同', fileId: doc.id }] }, otherMember)
    expect(byOther).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('无效或已被使用') } })
    expect(await expense([{ kind: 'contract', name: '合同', fileId: doc.id }])).toMatchObject({ ok: true })
    expect(await expense([{ kind: 'contract', name: '合同', fileId: doc.id }])).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('已被使用') } })
  })

  test('a document replaced in storage behind the app\'s back is refused when read', async () => {
    const doc = await ok(deps, 'uploadFundDocument', { communityId: w.b, fileName: '报价.pdf', dataBase64: demoPdf('original').toString('base64') }, w.pmc)
    const r = (await expense([{ kind: 'quote', name: '报价', fileId: doc.id }])) as { data: { expense: { id: string } } }
    const row = await env.db.selectFrom('fund_files').select('storage_key').where('id', '=', doc.id).executeTakeFirstOrThrow()
    await storageFor(deps.config).put(row.storage_key, demoPdf('swapped'), 'application/pdf')
    expect(await call(deps, 'fundDocument', { communityId: w.b, expenseId: r.data.expense.id, fileId: doc.id }, w.owners.sun)).toMatchObject({ ok: false, error: { code: 'Conflict', message: expect.stringContaining('不一致') } })
  })

  test('uploads no expense named are purged after a day by the fundUploadsPurge job; attached ones stay', async () => {
    const t0 = deps.now()
    const stale = await ok(deps, 'uploadFundDocument', { communityId: w.b, fileName: '废弃.pdf', dataBase64: demoPdf('abandoned').toString('base64') }, w.pmc)
    const staleKey = (await env.db.selectFrom('fund_files').select('storage_key').where('id', '=', stale.id).executeTakeFirstOrThrow()).storage_key
    const attached = await env.db.selectFrom('fund_files').select(['id', 'storage_key']).where('expense_id', 'is not', null).execute()
    const purge = (at: Date) => purgeFundUploads({ ...systemCtx(deps), now: () => at })
    expect((await purge(new Date(t0.getTime() + 24 * 3600_000 - 1))).purged).toBe(0)
    expect((await purge(new Date(t0.getTime() + 24 * 3600_000 + 1))).purged).toBeGreaterThanOrEqual(1)
    expect(await env.db.selectFrom('fund_files').select('id').where('id', '=', stale.id).executeTakeFirst()).toBeUndefined()
    expect(await storageFor(deps.config).get(staleKey)).toBeNull()
    for (const a of attached) {
      expect(await env.db.selectFrom('fund_files').select('id').where('id', '=', a.id).executeTakeFirst()).toBeDefined()
      expect(await storageFor(deps.config).get(a.storage_key)).not.toBeNull()
    }
  })
})
