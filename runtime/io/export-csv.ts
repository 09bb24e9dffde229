import type { Ctx } from '../context'
import { csvLine } from './csv-cells'
import { exportTable, type ExportInput, type ExportTable } from './export-table'

/** Byte order mark: lets Excel read the UTF-8 text (zh-CN, ko) correctly. */
export const CSV_BOM = '\uFEFF'

/**
 * A table as CSV text chunks: BOM and the header of labels first, then one chunk per page, so
 * the caller can write each as it comes (memory does not grow with the table).
 * @example for await (const chunk of toCsv(exportTable(ctx, 'customer', {}))) out.write(chunk)
 */
export async function* toCsv(table: ExportTable): AsyncGenerator<string> {
  yield CSV_BOM + csvLine(table.labels)
  for await (const page of table.pages()) yield page.map(csvLine).join('')
}

/**
 * The caller's export of an entity as CSV text chunks (see `exportTable` for the rules).
 * @example for await (const chunk of exportCsv(ctx, 'customer', { fields: 'name,revenue' })) out.write(chunk)
 */
export function exportCsv(ctx: Ctx, entityId: string, input: ExportInput): AsyncIterable<string> {
  return toCsv(exportTable(ctx, entityId, input))
}
