import { createHash } from 'node:crypto'
import type { BankStatementResult } from '../../src/contracts/fees'
import { parseYuan } from '../../src/contracts/money'
import { FILE_LIMITS } from '../../src/contracts/uploads'
import { beijingDate } from '../../src/contracts/time'
import { requireActor, withTx, type Ctx } from '../context'
import { AppError } from '../errors'
import { readXlsxSheets } from '../rosters/roster.parser'
import { owedOf, OPEN_STATUSES } from './bill.repository'
import { assertCanBill } from './fee.policy'
import { recordInTx } from './payment.service'

/**
 * A bank statement (.xlsx) as payments: each row names a room and an amount (and may give a date
 * and the bank's reference); it matches the oldest open bill of that room owing exactly that
 * amount. All or nothing: when every row matches, all are recorded in one transaction; otherwise
 * nothing is, and the rows that did not match are listed with the reason. Each row's idempotency
 * key comes from the file's bytes and the row, so importing the same statement twice records once.
 */
const COLUMNS = { room: ['房号', '房屋', '房间', '户号'], amount: ['金额', '金额(元)', '金额（元）', '收入金额', '交易金额'], date: ['日期', '交易日期', '到账日期'], reference: ['流水号', '交易流水号', '凭证号', '备注'] }
const MAX_ROWS = 5000

const norm = (s: string) => s.replace(/\s+/g, '').replace(/室$/, '').replace(/号楼/g, '栋').replace(/幢/g, '栋')

function header(cells: string[]) {
  const find = (names: string[]) => cells.findIndex((c) => names.includes(c.replace(/\s+/g, '')))
  return { room: find(COLUMNS.room), amount: find(COLUMNS.amount), date: find(COLUMNS.date), reference: find(COLUMNS.reference) }
}

export async function importBankStatement(ctx: Ctx, communityId: string, bytes: Buffer): Promise<BankStatementResult> {
  const actor = requireActor(ctx)
  await assertCanBill(ctx.db, communityId, actor.roles)
  if (bytes.length > FILE_LIMITS.roster) throw new AppError('BadInput', '银行流水文件超过 5 MB')
  const sheet = (await readXlsxSheets(bytes))[0] ?? []
  const headerIndex = sheet.findIndex((r) => { const h = header(r.cells); return h.room >= 0 && h.amount >= 0 })
  if (headerIndex < 0) throw new AppError('BadInput', '银行流水中找不到“房号”和“金额”两列')
  const cols = header(sheet[headerIndex].cells)
  const rows = sheet.slice(headerIndex + 1).filter((r) => r.cells.some((c) => c.trim() !== ''))
  if (rows.length === 0) throw new AppError('BadInput', '银行流水中没有数据行')
  if (rows.length > MAX_ROWS) throw new AppError('BadInput', `一次最多导入 ${MAX_ROWS} 行`)
  const fileKey = createHash('sha256').update(bytes).digest('hex').slice(0, 24)
  const today = beijingDate(ctx.now())

  return withTx(ctx, async (tx) => {
    const open = await tx.db
      .selectFrom('fee_bills').select(['id', 'unit_label', 'period', 'amount_fen', 'credited_fen', 'paid_fen', 'status'])
      .where('community_id', '=', communityId).where('status', 'in', OPEN_STATUSES).orderBy('first_month').execute()
    const byRoom = new Map<string, typeof open>()
    for (const b of open) byRoom.set(norm(b.unit_label), [...(byRoom.get(norm(b.unit_label)) ?? []), b])
    const keys = rows.map((r) => `bank:${fileKey}:${r.line}`)
    const done = new Set((await tx.db.selectFrom('fee_payments').select('idempotency_key').where('community_id', '=', communityId).where('idempotency_key', 'in', keys).execute()).map((p) => p.idempotency_key))
    const used = new Set<string>()
    const matched: (BankStatementResult['matched'][number] & { billId: string; key: string; paidOn: string; ref: string })[] = []
    const unmatched: BankStatementResult['unmatched'] = []
    rows.forEach((r, i) => {
      const room = (r.cells[cols.room] ?? '').trim()
      const amountText = (r.cells[cols.amount] ?? '').trim()
      const text = `${room} ${amountText}`.trim()
      const miss = (reason: string) => unmatched.push({ row: r.line, text, reason })
      if (done.has(keys[i])) return miss('这一行已经导入过')
      const amount = parseYuan(amountText)
      if (amount === null || amount === 0) return miss('金额不是有效的数字（最多两位小数）')
      const candidates = byRoom.get(norm(room))
      if (!room || !candidates) return miss('找不到这个房号的待缴账单')
      const bill = candidates.find((b) => !used.has(b.id) && owedOf(b) === amount)
      if (!bill) return miss('金额与该房屋任何一张待缴账单都不相符')
      used.add(bill.id)
      const dateText = cols.date >= 0 ? (r.cells[cols.date] ?? '').trim() : ''
      const paidOn = /^\d{4}-\d{2}-\d{2}/.test(dateText) ? dateText.slice(0, 10) : today
      matched.push({ row: r.line, unitLabel: bill.unit_label, period: bill.period, amountFen: amount, receiptNo: null, billId: bill.id, key: keys[i], paidOn: paidOn > today ? today : paidOn, ref: cols.reference >= 0 ? (r.cells[cols.reference] ?? '').trim().slice(0, 64) : '' })
    })
    const out = (m: typeof matched) => m.map(({ row, unitLabel, period, amountFen, receiptNo }) => ({ row, unitLabel, period, amountFen, receiptNo }))
    if (unmatched.length > 0) return { recorded: false, matched: out(matched), unmatched }
    for (const m of matched) {
      const res = await recordInTx(tx, { communityId, billId: m.billId, amountFen: m.amountFen, method: 'bank', reference: m.ref || undefined, idempotencyKey: m.key }, m.paidOn, actor.userId)
      m.receiptNo = res.receiptNo
    }
    return { recorded: true, matched: out(matched), unmatched: [] }
  })
}
