/** English strings of list exports. */
export const ioEn = {
  'io.exportCsv': 'Export CSV',
  'io.exportXlsx': 'Export Excel',
}
