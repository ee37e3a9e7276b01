import type ExcelJS from 'exceljs'

/**
 * exceljs, loaded on first use. Requiring it takes longer than everything else a cold cloud
 * function instance loads together (about a second on a quiet machine, with its streams, zip and
 * glob), and only roster imports and the spreadsheet exports need it: every other call answers
 * without paying for it.
 */
let loaded: Promise<typeof ExcelJS> | undefined

export function loadExcel(): Promise<typeof ExcelJS> {
  loaded ??= import('exceljs').then((m) => ((m as unknown as { default?: typeof ExcelJS }).default ?? (m as unknown as typeof ExcelJS)))
  return loaded
}

/** A new, empty workbook. */
export async function newWorkbook(): Promise<ExcelJS.Workbook> {
  return new (await loadExcel()).Workbook()
}
