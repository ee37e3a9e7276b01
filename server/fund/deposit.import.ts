import { CHANNELS, type DepositChannel, type DepositImportResult } from '../../src/contracts/fund'
import { parseYuan } from '../../src/contracts/money'
import { FILE_LIMITS } from '../../src/contracts/uploads'
import { requireActor, withTx, type Ctx } from '../context'
import { AppError } from '../errors'
import { readXlsxSheets } from '../rosters/roster.parser'
import { depositInTx } from './deposit.service'
import { assertCanCollect } from './fund.policy'
import { unitsOf } from './fund.repository'

/**
 * Deposits from a spreadsheet (.xlsx): one row per deposit with 楼栋, 单元, 房号, 金额(元), 交存日期,
 * 交存方式 and 收据号. All or nothing: every row is checked and recorded in one transaction; when any
 * row fails, nothing is recorded and every failing row is listed by its line in the sheet.
 */
const COLUMNS = {
  building: ['楼栋', '楼号', '幢'],
  stair: ['单元'],
  room: ['房号', '房间', '户号'],
  amount: ['金额', '金额(元)', '金额（元）', '交存金额', '交存金额(元)', '交存金额（元）'],
  date: ['日期', '交存日期'],
  channel: ['方式', '交存方式'],
  receipt: ['收据号', '票据号', '收据编号'],
}
const CHANNEL_BY_LABEL = new Map<string, DepositChannel>(Object.entries(CHANNELS).map(([k, label]) => [label, k as DepositChannel]))
const MAX_ROWS = 5000

function header(cells: string[]) {
  const find = (names: string[]) => cells.findIndex((c) => names.includes(c.replace(/\s+/g, '')))
  return Object.fromEntries(Object.entries(COLUMNS).map(([k, names]) => [k, find(names)])) as Record<keyof typeof COLUMNS, number>
}

export async function importDeposits(ctx: Ctx, communityId: string, bytes: Buffer): Promise<DepositImportResult> {
  const actor = requireActor(ctx)
  const bodies = await assertCanCollect(ctx.db, communityId, actor.roles)
  if (bytes.length > FILE_LIMITS.roster) throw new AppError('BadInput', '交存清单超过 5 MB')
  let sheet
  try {
    sheet = (await readXlsxSheets(bytes))[0] ?? []
  } catch {
    throw new AppError('UnsupportedFile', '无法读取这个文件，请上传 Excel (.xlsx) 交存清单')
  }
  const headerIndex = sheet.findIndex((r) => Object.values(header(r.cells)).every((i) => i >= 0))
  if (headerIndex < 0) throw new AppError('BadInput', '交存清单的表头应有：楼栋、单元、房号、金额(元)、交存日期、交存方式、收据号')
  const cols = header(sheet[headerIndex].cells)
  const rows = sheet.slice(headerIndex + 1).filter((r) => r.cells.some((c) => c.trim() !== ''))
  if (rows.length === 0) throw new AppError('BadInput', '交存清单中没有数据行')
  if (rows.length > MAX_ROWS) throw new AppError('BadInput', `一次最多导入 ${MAX_ROWS} 行`)
  const units = await unitsOf(ctx.db, communityId)
  const norm = (s: string) => s.replace(/\s+/g, '').replace(/室$/, '').replace(/号楼/g, '栋').replace(/幢/g, '栋')
  const byKey = new Map(units.map((u) => [u.label.replace(/室$/, ''), u]))

  const errors: DepositImportResult['errors'] = []
  const ok: DepositImportResult['rows'] = []
  // Every row is tried in one transaction (a refused row throws before writing, so later rows are
  // still checked against the rows before them); when any row failed, the whole is rolled back.
  class Rollback extends Error {}
  try {
    await withTx(ctx, async (tx) => {
      for (const r of rows) {
        const cell = (k: keyof typeof COLUMNS) => (r.cells[cols[k]] ?? '').trim()
        const fail = (message: string) => errors.push({ line: r.line, message })
        const unit = byKey.get(`${norm(cell('building'))}${norm(cell('stair'))}${norm(cell('room'))}`)
        if (!unit) { fail(`找不到房屋 ${cell('building')}${cell('stair')}${cell('room')}`); continue }
        const amount = parseYuan(cell('amount'))
        if (amount === null || amount === 0) { fail('金额不是有效的数字（元，最多两位小数）'); continue }
        const date = cell('date').slice(0, 10)
        if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) { fail('交存日期应写作 2026-01-31'); continue }
        const channel = CHANNEL_BY_LABEL.get(cell('channel')) ?? (cell('channel') in CHANNELS ? (cell('channel') as DepositChannel) : undefined)
        if (!channel) { fail(`交存方式应为：${Object.values(CHANNELS).join('、')}`); continue }
        if (!cell('receipt')) { fail('缺少收据号'); continue }
        try {
          await depositInTx(tx, bodies, { communityId, unitId: unit.id, amountFen: amount, paidOn: date, channel, receiptNo: cell('receipt') }, actor.userId)
          ok.push({ line: r.line, unitLabel: unit.label, amountFen: amount })
        } catch (err) {
          if (err instanceof AppError) fail(err.message)
          else throw err
        }
      }
      if (errors.length > 0) throw new Rollback()
    })
  } catch (err) {
    if (!(err instanceof Rollback)) throw err
    return { recorded: false, rows: [], errors }
  }
  return { recorded: true, rows: ok, errors: [] }
}
