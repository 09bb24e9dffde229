import type { Ctx } from '../context'
import type { RecordData } from '../records'
import { emptyTargets, loadPrintTitles, type PrintTitles } from '../templates'
import type { ExportColumn } from './export-columns'

/** What a page of an export shows for its references, users and departments, by id. */
export type ExportTitles = PrintTitles

/**
 * The titles a page of records shows in `columns`: referenced records' titles in the caller's
 * read scope (the same rule as a print and the workspace's lists: a record the caller may not
 * read, or whose title field is hidden from them, has none and shows as hidden), users' display
 * names and departments' names. One query per referenced entity per 100 ids.
 */
export async function loadExportTitles(
  ctx: Ctx,
  columns: ExportColumn[],
  records: RecordData[],
): Promise<ExportTitles> {
  const targets = emptyTargets()
  for (const { name, field } of columns) {
    const kind = field.type
    if (kind !== 'reference' && kind !== 'user' && kind !== 'department') continue
    const ids =
      kind === 'user'
        ? targets.users
        : kind === 'department'
          ? targets.departments
          : (targets.records.get(field.entity!) ??
            targets.records.set(field.entity!, new Set()).get(field.entity!)!)
    for (const record of records) {
      const id = record[name]
      if (typeof id === 'string' && id) ids.add(id)
    }
  }
  return (await loadPrintTitles(ctx, targets)).titles
}
