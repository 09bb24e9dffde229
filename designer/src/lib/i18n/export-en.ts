/** English strings of an export's progress (list and report pages). */
export const exportEn = {
  'export.rows': 'Exporting {done} of {total} records…',
  'export.bytes': 'Exporting {total} records… {size}',
  'export.reportRows': 'Exporting {done} of {total} rows…',
}
