import type ExcelJS from 'exceljs'

let loading: Promise<typeof ExcelJS> | null = null

/**
 * ExcelJS, loaded on first use: it holds about 30 MB once loaded, which a CSV import or export
 * (and a server that never writes a workbook) has no need to carry.
 */
export function loadExcelJs(): Promise<typeof ExcelJS> {
  loading ??= import('exceljs').then((m) => (m.default ?? m) as typeof ExcelJS)
  return loading
}
