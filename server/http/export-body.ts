import type { Context } from 'hono'
import { Readable } from 'node:stream'
import { BadRequestError } from '../../runtime/errors'
import { toCsv, toXlsx, type ExportTable } from '../../runtime/io'
import type { AppEnv } from '../app-deps'
import { contentDisposition } from './content-disposition'
import { toTextStream } from './text-stream'

export type ExportFormat = 'csv' | 'xlsx'

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** `format` of an export: csv (default) or xlsx; anything else → 400 naming it. */
export function toExportFormat(value: string | undefined): ExportFormat {
  const format = value ?? 'csv'
  if (format === 'csv' || format === 'xlsx') return format
  throw new BadRequestError(`Unknown export format '${format}'`, [
    { path: 'format', message: "must be 'csv' or 'xlsx'" },
  ])
}

/**
 * The answer of an export: the file streamed as it is written, named `<name>.<format>`, with
 * the number of rows it holds in `x-total-count` so a client can show progress. A workbook's
 * datetimes read in `timeZone` (the deployment's, TRELLIS_TIME_ZONE).
 * @example return exportBody(c, exportTable(ctx, 'customer', input), 'customer', 'xlsx')
 */
export async function exportBody(
  c: Context<AppEnv>,
  table: ExportTable,
  name: string,
  format: ExportFormat,
  timeZone = 'UTC',
): Promise<Response> {
  const headers = {
    'content-disposition': contentDisposition('attachment', `${name}.${format}`),
    'cache-control': 'no-store',
    'x-total-count': String(await table.count()),
  }
  // Through the context, so the headers set before the route (x-request-id) are kept.
  if (format === 'xlsx') {
    const body = Readable.toWeb(toXlsx(table, timeZone)) as ReadableStream<Uint8Array>
    return c.body(body, 200, { ...headers, 'content-type': XLSX_TYPE })
  }
  return c.body(toTextStream(toCsv(table)), 200, {
    ...headers,
    'content-type': 'text/csv; charset=utf-8',
  })
}
