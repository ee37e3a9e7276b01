import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { verifyAuditAll } from '../../server/audit/verifiers'
import { createDb, migrateToLatest } from '../../server/db/create-db'
import { DIALECTS, testDeps, useTestDb } from '../helpers/db'
import { decidedVote, makeFundWorld, type FundWorld } from '../helpers/fund-world'
import { demoPdf } from '../../server/fund/fund.demo'
import { call, ok } from '../helpers/world'

/** Spending only by decision, shares across the right units, sums that reconcile to the fen, an append-only ledger in the audit chain. */
describe.each(DIALECTS)('repair-fund expenses and the ledger on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: FundWorld
  let voteB1: string
  const expense = (extra: object, who = w.pmc) =>
    call(deps, 'recordFundExpense', { communityId: w.b, purpose: '1栋屋面防水', contractor: '章贡建筑公司', amountFen: 100_001, spentOn: '2026-11-26', buildingIds: [w.buildings.b1], ...extra }, who)
  beforeAll(async () => {
    w = await makeFundWorld(env.db, deps)
    await ok(deps, 'setFundScheme', { communityId: w.b, buildingIds: [w.buildings.b1], rateFen: 5500 }, w.pmc)
    await ok(deps, 'setFundScheme', { communityId: w.b, buildingIds: [w.buildings.b2], rateFen: 7500 }, w.pmc)
    const full: [string, number][] = [[w.u.b1_101, 330_000], [w.u.b1_102, 330_000], [w.u.b1_201, 440_000], [w.u.b1_202, 550_000], [w.u.b2_101, 675_000], [w.u.b2_102, 825_000]]
    for (const [i, [unitId, amountFen]] of full.entries()) {
      await ok(deps, 'recordFundDeposit', { communityId: w.b, unitId, amountFen, paidOn: '2026-11-20', channel: 'bank', receiptNo: `R-${i}` }, w.pmc)
    }
    voteB1 = await decidedVote(deps, w, 5, [w.buildings.b1], [w.owners.sun, w.owners.zhou, w.owners.wu, w.owners.zheng])
  }, 60_000)

  test('without a passed item-5 vote covering the paying buildings, an expense is refused and nothing is written', async () => {
    expect(await expense({})).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('第 5 项') } })
    const failed = await decidedVote(deps, w, 5, [w.buildings.b1], [w.owners.sun, w.owners.zhou, w.owners.wu, w.owners.zheng], 'oppose')
    expect(await expense({ voteId: failed })).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    const raise = await decidedVote(deps, w, 6, [w.buildings.b1], [w.owners.sun, w.owners.zhou, w.owners.wu, w.owners.zheng])
    expect(await expense({ voteId: raise })).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    // 1栋's vote does not let 2栋's owners pay.
    expect(await expense({ voteId: voteB1, buildingIds: [w.buildings.b1, w.buildings.b2] })).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('覆盖') } })
    expect(await expense({ voteId: voteB1 }, w.owners.sun)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    expect(await expense({ voteId: voteB1, amountFen: 100_000_000 })).toMatchObject({ ok: false, error: { code: 'BadInput', message: expect.stringContaining('不足') } })
    expect(await env.db.selectFrom('fund_expenses').selectAll().execute()).toHaveLength(0)
  }, 60_000)

  test('with one, it is accepted, references the vote, and is shared by area across 1栋 only, adding up to the fen', async () => {
    // The documents are files uploaded first (test/server/fund.documents.test.ts).
    const file = async (name: string) => (await ok(deps, 'uploadFundDocument', { communityId: w.b, fileName: `${name}.pdf`, dataBase64: demoPdf(name).toString('base64') }, w.pmc)).id as string
    const [quote, contract] = [await file('quote'), await file('contract')]
    const r = await ok(deps, 'recordFundExpense', {
      communityId: w.b, purpose: '1栋屋面防水', contractor: '章贡建筑公司', amountFen: 100_001, spentOn: '2026-11-26', buildingIds: [w.buildings.b1], voteId: voteB1,
      documents: [{ kind: 'quote', name: '报价单', fileId: quote }, { kind: 'contract', name: '施工合同', fileId: contract }],
    }, w.pmc)
    expect(r.expense).toMatchObject({ kind: 'ordinary', voteId: voteB1, voteTitle: '使用维修资金维修屋面', buildings: ['1栋'], unitCount: 4, documents: [{ kind: '报价', name: '报价单', fileId: quote }, { kind: '合同', name: '施工合同', fileId: contract }] })
    // 60 : 60 : 80 : 100 of 100,001 fen: 20,000.2, 20,000.2, 26,666.93, 33,333.67; the two fen left go to the largest remainders.
    expect(r.shares).toEqual([
      { unitId: w.u.b1_101, unitLabel: '1栋1单元101室', amountFen: 20_000 },
      { unitId: w.u.b1_102, unitLabel: '1栋1单元102室', amountFen: 20_000 },
      { unitId: w.u.b1_201, unitLabel: '1栋1单元201室', amountFen: 26_667 },
      { unitId: w.u.b1_202, unitLabel: '1栋1单元202室', amountFen: 33_334 },
    ])
    const stored = await env.db.selectFrom('fund_expenses').select(['vote_id']).where('id', '=', r.expense.id).executeTakeFirstOrThrow()
    expect(stored.vote_id).toBe(voteB1)
    const b2 = await env.db.selectFrom('fund_entries').selectAll().where('expense_id', '=', r.expense.id).where('unit_id', 'in', [w.u.b2_101, w.u.b2_102]).execute()
    expect(b2).toHaveLength(0)
    expect((await ok(deps, 'myFund', { communityId: w.b }, w.owners.sun)).accounts[0]).toMatchObject({ spentFen: 20_000, balanceFen: 660_000 - 20_000 })
  })

  test('an emergency the committee approves alone is published as a notice at once', async () => {
    const r = await ok(deps, 'recordFundExpense', { communityId: w.b, purpose: '2栋供水水泵更换', contractor: '赣州水务维修', amountFen: 300_000, spentOn: '2026-11-26', buildingIds: [w.buildings.b2], emergency: 'pump' }, w.pmc)
    expect(r.expense).toMatchObject({ kind: 'emergency', emergencyLabel: '供水水泵损坏', voteId: null })
    const notice = await env.db.selectFrom('notices').selectAll().where('id', '=', r.expense.noticeId).executeTakeFirstOrThrow()
    expect(notice).toMatchObject({ community_id: w.b, kind: '公告', publish_at: deps.now().toISOString() })
    expect(notice.title).toContain('2栋供水水泵更换')
    expect(notice.body).toContain('3,000.00 元')
    expect(await call(deps, 'recordFundExpense', { communityId: w.b, purpose: 'x', contractor: 'y', amountFen: 1, spentOn: '2026-11-26', buildingIds: [w.buildings.b2], emergency: 'pump', voteId: voteB1 }, w.pmc)).toMatchObject({ ok: false, error: { code: 'BadInput' } })
  })

  test('a mistake is a reversing entry: a deposit and its match are reversed together, once', async () => {
    const deposit = await env.db.selectFrom('fund_entries').selectAll().where('receipt_no', '=', 'R-0').executeTakeFirstOrThrow()
    expect(await call(deps, 'reverseFundEntry', { communityId: w.b, entryId: deposit.id, reason: '金额录错' }, w.owners.sun)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    expect(await ok(deps, 'reverseFundEntry', { communityId: w.b, entryId: deposit.id, reason: '金额录错' }, w.pmc)).toEqual({ reversed: 2 })
    expect(await call(deps, 'reverseFundEntry', { communityId: w.b, entryId: deposit.id, reason: '再来' }, w.pmc)).toMatchObject({ ok: false, error: { code: 'Conflict' } })
    const reversals = await env.db.selectFrom('fund_entries').selectAll().where('unit_id', '=', w.u.b1_101).where('reverses_id', 'is not', null).execute()
    expect(reversals.map((r) => [r.kind, Number(r.amount_fen)]).sort()).toEqual([['deposit', -330_000], ['match', -330_000]])
    // The original rows stay as they were; the account owes again, and the receipt may be recorded anew.
    expect(await env.db.selectFrom('fund_entries').select('amount_fen').where('id', '=', deposit.id).executeTakeFirstOrThrow()).toEqual({ amount_fen: 330_000 })
    expect((await ok(deps, 'fundAccount', { communityId: w.b, unitId: w.u.b1_101 }, w.pmc)).outstandingFen).toBe(330_000)
    expect(await call(deps, 'recordFundDeposit', { communityId: w.b, unitId: w.u.b1_101, amountFen: 330_000, paidOn: '2026-11-26', channel: 'cash', receiptNo: 'R-0' }, w.pmc)).toMatchObject({ ok: true })
  })

  test('the ledger totals reconcile to the fen with every account and every expense', async () => {
    await ok(deps, 'postFundInterest', { communityId: w.b, amountFen: 12_345, postedOn: '2026-11-26' }, w.pmc)
    const ledger = await ok(deps, 'fundLedger', { communityId: w.b }, w.pmc)
    const accounts = await Promise.all(Object.values(w.u).map((unitId) => ok(deps, 'fundAccount', { communityId: w.b, unitId }, w.pmc)))
    const sum = (k: string) => accounts.reduce((s: number, a: Record<string, number>) => s + a[k], 0)
    expect(ledger.totals).toEqual({ depositedFen: sum('depositedFen'), matchedFen: sum('matchedFen'), earnedFen: 12_345, spentFen: sum('spentFen'), remainingFen: sum('balanceFen') })
    expect(ledger.totals.depositedFen).toBe(3_150_000)
    expect(ledger.totals.matchedFen).toBe(3_150_000)
    expect(ledger.totals.spentFen).toBe(100_001 + 300_000)
    expect(ledger.totals.remainingFen).toBe(3_150_000 * 2 + 12_345 - 400_001)
    expect(ledger.expenses.reduce((s: number, e: { amountFen: number }) => s + e.amountFen, 0)).toBe(ledger.totals.spentFen)
  })

  test('the 财务公开 is generated from the ledger and names no owner', async () => {
    const { id } = await ok(deps, 'publishFundDisclosure', { communityId: w.b }, w.pmc)
    const n = await env.db.selectFrom('notices').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(n.kind).toBe('财务公开')
    expect(n.body).toContain('业主交存合计：31,500.00 元')
    expect(n.body).toContain('1栋屋面防水')
    expect(n.body).toContain('应急使用（供水水泵损坏）')
    for (const name of ['孙丽', '周强', '吴芳', '郑华', '王刚', '陈静', '101']) expect(n.body).not.toContain(name)
  })

  test('the ledger is in the audit chain: intact it verifies, a changed, added or deleted row is caught', async () => {
    const verify = async () => (await verifyAuditAll(env.db, [w.b]))[0]
    expect(await verify()).toMatchObject({ ok: true, problems: [] })
    expect((await verify()).checked.fund).toBeGreaterThan(15)
    const row = await env.db.selectFrom('fund_entries').selectAll().where('community_id', '=', w.b).where('kind', '=', 'deposit').orderBy('id').executeTakeFirstOrThrow()
    await env.db.updateTable('fund_entries').set({ amount_fen: Number(row.amount_fen) + 100 }).where('id', '=', row.id).execute()
    expect((await verify()).problems.join('\n')).toContain(`维修资金台账记录 ${row.id}与审计记录不符（被改动）`)
    await env.db.updateTable('fund_entries').set({ amount_fen: row.amount_fen }).where('id', '=', row.id).execute()
    const exp = await env.db.selectFrom('fund_expenses').selectAll().where('community_id', '=', w.b).orderBy('id').executeTakeFirstOrThrow()
    await env.db.updateTable('fund_expenses').set({ contractor: '另一家公司' }).where('id', '=', exp.id).execute()
    expect((await verify()).problems.join('\n')).toContain(`维修资金支出 ${exp.id}与审计记录不符（被改动）`)
    await env.db.updateTable('fund_expenses').set({ contractor: exp.contractor }).where('id', '=', exp.id).execute()
    const interest = await env.db.selectFrom('fund_entries').selectAll().where('community_id', '=', w.b).where('kind', '=', 'interest').orderBy('id').executeTakeFirstOrThrow()
    await env.db.deleteFrom('fund_entries').where('id', '=', interest.id).execute()
    expect((await verify()).problems.join('\n')).toContain(`维修资金台账记录 ${interest.id}已不在台账中（被删除）`)
    await env.db.insertInto('fund_entries').values(interest).execute()
    await env.db.insertInto('fund_entries').values({ ...interest, id: 'forged-interest', amount_fen: 999_999 }).execute()
    expect((await verify()).problems.join('\n')).toContain('维修资金台账记录 forged-interest没有审计记录（被另行写入）')
    await env.db.deleteFrom('fund_entries').where('id', '=', 'forged-interest').execute()
    expect(await verify()).toMatchObject({ ok: true })
  })
})

test('npm run audit-verify passes on an intact fund ledger and fails on a changed ledger row (SQLite file)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-fund-audit-'))
  const file = path.join(dir, 'gongzhi.sqlite')
  const { db } = await createDb({ sqliteFile: file })
  await migrateToLatest(db)
  const deps = testDeps(db, 'sqlite', { config: { ...testDeps(db, 'sqlite').config, dataDir: dir } })
  const w = await makeFundWorld(db, deps)
  await ok(deps, 'setFundScheme', { communityId: w.b, buildingIds: [w.buildings.b1], rateFen: 5500 }, w.pmc)
  await ok(deps, 'recordFundDeposit', { communityId: w.b, unitId: w.u.b1_101, amountFen: 330_000, paidOn: '2026-11-20', channel: 'bank', receiptNo: 'R-1' }, w.pmc)
  await db.destroy()
  const run = () => spawnSync(path.resolve('node_modules/.bin/tsx'), ['scripts/verify-audit.ts'], { env: { ...process.env, DATABASE_URL: '', SQLITE_FILE: file, DATA_DIR: dir }, encoding: 'utf8' })
  const good = run()
  expect(good.stdout).toMatch(/校验通过/)
  expect(good.status).toBe(0)
  const raw = new Database(file)
  raw.prepare("update fund_entries set amount_fen = amount_fen + 1 where kind = 'match'").run()
  raw.close()
  const bad = run()
  expect(bad.status).toBe(1)
  expect(bad.stdout).toMatch(/维修资金台账记录 .*与审计记录不符（被改动）/)
  fs.rmSync(dir, { recursive: true, force: true })
}, 90_000)
