/** English strings of list exports and the import page. */
export const ioEn = {
  'io.exportCsv': 'Export CSV',
  'io.exportXlsx': 'Export Excel',
  'io.import': 'Import',
  'io.importTitle': 'Import {entity}',
  'io.upsertKey': 'Update records found by',
  'io.insertOnly': '— create every row —',
  'io.column': 'Column',
  'io.field': 'Field',
  'io.ignore': '— ignore —',
  'io.currency': 'currency',
  'io.previewSummary': '{total} rows, {failed} with problems',
  'io.row': 'Row',
  'io.problems': 'Problems',
  'io.run': 'Import',
  'io.counts': '{inserted} created, {updated} updated, {failed} refused',
  'io.errorFile': 'Download the refused rows',
}
