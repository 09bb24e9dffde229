import { sql, type SQL } from 'drizzle-orm'
import { toLabel } from '../../metadata/labels'
import type { Rule } from '../../metadata/rule'
import type { Ctx } from '../context'
import {
  assertReadableFilter,
  assertReadableSort,
  canAttempt,
  hiddenFields,
  scopePredicate,
  stripHidden,
} from '../permissions'
import {
  buildKeysetPredicate,
  buildOrderBy,
  entityPlan,
  isNotNullColumn,
  lacksRight,
  type OrderKey,
} from '../records'
import { compileFilter, compileSort } from '../rules'
import { exportColumns, exportLocale } from './export-columns'
import { loadExportTitles } from './export-titles'
import type { DateKind } from './xlsx-dates'

export interface ExportInput {
  filter?: Rule | null
  sort?: string
  /** Comma-separated field names; default every readable field (no id). */
  fields?: string
  /** Rows per database page (default 500). */
  pageSize?: number
}

/**
 * A table a file is written from: header labels in the reader's language, which columns hold
 * numbers, and the rows as cell texts, page by page. Entity exports and report exports both
 * produce one; the CSV and XLSX writers take any.
 */
export interface ExportTable {
  /** The sheet's name. */
  name: string
  labels: string[]
  /** Which columns hold numbers (a spreadsheet takes them as numbers). */
  numeric: boolean[]
  /** Which columns hold days or instants (a spreadsheet takes them as dates). */
  dates?: DateKind[]
  /** How many rows the pages will hold, for a progress bar. */
  count(): Promise<number>
  pages(): AsyncGenerator<string[][]>
}

const DEFAULT_PAGE = 500
const DEFAULT_SORT = 'createdAt'

/** Sort keys with an id tiebreaker, so the last key is unique. */
function orderKeys(keys: { column: string; direction: 'asc' | 'desc' }[]): OrderKey[] {
  const out = keys.map((k) => ({ ...k, notNull: isNotNullColumn(k.column) }))
  if (out[out.length - 1]?.column !== 'id') {
    const direction = out[out.length - 1]?.direction ?? 'asc'
    out.push({ column: 'id', direction, notNull: true })
  }
  return out
}

/** 403 unless the caller holds the export right on the entity. */
export function assertCanExport(ctx: Ctx, entityId: string): void {
  if (!canAttempt(ctx, entityId, 'export')) throw lacksRight(ctx, entityId, 'export', 'entity')
}

/**
 * The caller's export of an entity as a table: the records in the caller's `export` scope that
 * the read scope reaches too, keyset-paged (memory stays flat however many rows), hidden fields
 * never included, values as the reader sees them (labels, titles, names). Checks (grant, fields, filter, sort) run at the
 * call, before anything is read.
 * @example for await (const page of exportTable(ctx, 'customer', {}).pages()) write(page)
 */
export function exportTable(ctx: Ctx, entityId: string, input: ExportInput): ExportTable {
  const plan = entityPlan(ctx.meta, entityId)
  assertCanExport(ctx, entityId)
  const sort = input.sort?.trim() || DEFAULT_SORT
  if (input.filter !== undefined && input.filter !== null)
    assertReadableFilter(ctx, entityId, input.filter)
  assertReadableSort(ctx, entityId, sort)
  const columns = exportColumns(ctx, plan, input.fields)
  const keys = orderKeys(compileSort(plan.entity, sort))
  const conditions: SQL[] = []
  // Exported records are ones the caller may open: the export scope within the read scope.
  for (const action of ['read', 'export'] as const) {
    const scope = scopePredicate(ctx, entityId, action)
    if (scope) conditions.push(scope)
  }
  if (input.filter !== undefined && input.filter !== null) {
    const vars = { $user: ctx.user }
    conditions.push(compileFilter(plan.entity, input.filter, { now: ctx.clock.now(), vars }))
  }
  const whereOf = (parts: SQL[]) =>
    parts.length ? sql` where ${sql.join(parts, sql` and `)}` : sql``
  const keyColumns = sql.join(
    keys.map((k, i) => sql`${sql.identifier(k.column)}::text as ${sql.identifier(`__k${i}`)}`),
    sql`, `,
  )
  const orderBy = buildOrderBy(keys)
  const pageSize = input.pageSize ?? DEFAULT_PAGE
  const hidden = hiddenFields(ctx, entityId)

  async function* pages(): AsyncGenerator<string[][]> {
    let after: (string | null)[] | null = null
    for (;;) {
      const parts: SQL[] = after ? [...conditions, buildKeysetPredicate(keys, after)] : conditions
      const rows = await ctx.db.query<Record<string, unknown>>(
        sql`select ${plan.selectList}, ${keyColumns} from ${plan.table}${whereOf(parts)} order by ${orderBy} limit ${pageSize}`,
      )
      if (!rows.length) return
      const records = rows.map((row) => stripHidden(hidden, plan.toRecord(row)))
      const titles = await loadExportTitles(ctx, columns, records)
      yield records.map((record) => columns.flatMap((c) => c.cells(record[c.name], titles)))
      if (rows.length < pageSize) return
      const last: Record<string, unknown> = rows[rows.length - 1]
      after = keys.map((_, i) => (last[`__k${i}`] as string | null) ?? null)
    }
  }
  async function count(): Promise<number> {
    const rows = await ctx.db.query<{ n: number }>(
      sql`select count(*)::int as n from ${plan.table}${whereOf(conditions)}`,
    )
    return Number(rows[0]?.n ?? 0)
  }
  const entity = plan.entity
  return {
    // Named as the reader names the records: "Customers", "客户", "고객".
    name: toLabel(entity.pluralLabel ?? entity.label, exportLocale(ctx), entityId),
    labels: columns.flatMap((c) => c.labels),
    numeric: columns.flatMap((c) => c.numeric),
    dates: columns.flatMap((c) => c.dates),
    count,
    pages,
  }
}
