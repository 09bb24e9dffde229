import { sql, type SQL } from 'drizzle-orm'
import { toLabel, type Locale } from '../../metadata/labels'
import type { Rule } from '../../metadata/rule'
import type { Ctx } from '../context'
import { ForbiddenError } from '../errors'
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
  type OrderKey,
  type RecordData,
} from '../records'
import { compileFilter, compileSort } from '../rules'
import { csvLine } from './csv-cells'
import { exportColumns } from './export-columns'

export interface ExportInput {
  filter?: Rule | null
  sort?: string
  /** Comma-separated field names; default id plus every readable field. */
  fields?: string
  /** Rows per database page (default 500). */
  pageSize?: number
}

/** Byte order mark: lets Excel read the UTF-8 text (zh-CN, ko) correctly. */
export const CSV_BOM = '\uFEFF'
const DEFAULT_PAGE = 500
const NUMERIC_TYPES = new Set(['integer', 'decimal', 'percent', 'money'])
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

/** An export's header cells and its rows of cells, page by page. */
export interface ExportTable {
  /** Field names (`revenue.currency` for a money field's currency), as the CSV heads columns. */
  headers: string[]
  /** The same columns by their labels in the caller's language. */
  labels: string[]
  /** Which columns hold numbers (a spreadsheet may take them as numbers). */
  numeric: boolean[]
  pages(): AsyncGenerator<string[][]>
}

/**
 * The caller's export of an entity as header and pages of cells: the records in the caller's
 * `export` scope, keyset-paged, hidden fields never included. Checks (grant, fields, filter,
 * sort) run at the call, before anything is read.
 */
export function exportTable(ctx: Ctx, entityId: string, input: ExportInput): ExportTable {
  const plan = entityPlan(ctx.meta, entityId)
  if (!canAttempt(ctx, entityId, 'export')) {
    throw new ForbiddenError(`You may not export ${entityId} records`, [
      { path: 'entity', message: `no 'export' right on '${entityId}'` },
    ])
  }
  const sort = input.sort?.trim() || DEFAULT_SORT
  if (input.filter !== undefined && input.filter !== null)
    assertReadableFilter(ctx, entityId, input.filter)
  assertReadableSort(ctx, entityId, sort)
  const columns = exportColumns(ctx, plan, input.fields)
  const keys = orderKeys(compileSort(plan.entity, sort))
  const conditions: SQL[] = []
  const scope = scopePredicate(ctx, entityId, 'export')
  if (scope) conditions.push(scope)
  if (input.filter !== undefined && input.filter !== null) {
    const vars = { $user: ctx.user }
    conditions.push(compileFilter(plan.entity, input.filter, { now: ctx.clock.now(), vars }))
  }
  const keyColumns = sql.join(
    keys.map((k, i) => sql`${sql.identifier(k.column)}::text as ${sql.identifier(`__k${i}`)}`),
    sql`, `,
  )
  const orderBy = buildOrderBy(keys)
  const pageSize = input.pageSize ?? DEFAULT_PAGE
  const hidden = hiddenFields(ctx, entityId)
  const toCells = (record: RecordData) => columns.flatMap((c) => c.cells(record[c.name]))

  async function* pages(): AsyncGenerator<string[][]> {
    let after: (string | null)[] | null = null
    for (;;) {
      const parts: SQL[] = after ? [...conditions, buildKeysetPredicate(keys, after)] : conditions
      const where = parts.length ? sql` where ${sql.join(parts, sql` and `)}` : sql``
      const rows = await ctx.db.query<Record<string, unknown>>(
        sql`select ${plan.selectList}, ${keyColumns} from ${plan.table}${where} order by ${orderBy} limit ${pageSize}`,
      )
      if (!rows.length) return
      yield rows.map((row) => toCells(stripHidden(hidden, plan.toRecord(row))))
      if (rows.length < pageSize) return
      const last: Record<string, unknown> = rows[rows.length - 1]
      after = keys.map((_, i) => (last[`__k${i}`] as string | null) ?? null)
    }
  }
  const headers = columns.flatMap((c) => c.headers)
  const locale = (ctx.user?.locale ?? 'en') as Locale
  const labels = headers.map((h) => {
    const name = h.replace(/\.currency$/, '')
    const field = plan.fieldsByName.get(name)
    const label = field ? toLabel(field.label, locale, name) : name
    return h === name ? label : `${label} (${h.slice(name.length + 1)})`
  })
  const numeric = headers.map((h) => {
    const field = plan.fieldsByName.get(h)
    if (!field) return false
    if (field.type === 'formula')
      return field.resultType === 'number' || field.resultType === 'money'
    return NUMERIC_TYPES.has(field.type)
  })
  return { headers, labels, numeric, pages }
}

/**
 * The caller's export of an entity as CSV text chunks: BOM and header first, then one chunk per
 * keyset page of the records in the caller's `export` scope, hidden fields never included.
 * Checks (grant, fields, filter, sort) run at the call, before anything is produced.
 * @example for await (const chunk of exportCsv(ctx, 'customer', { fields: 'name,revenue' })) out.write(chunk)
 */
export function exportCsv(ctx: Ctx, entityId: string, input: ExportInput): AsyncIterable<string> {
  const table = exportTable(ctx, entityId, input)
  async function* chunks(): AsyncGenerator<string> {
    yield CSV_BOM + csvLine(table.headers)
    for await (const page of table.pages()) yield page.map(csvLine).join('')
  }
  return chunks()
}
