/** Chinese strings of list exports. */
export const ioZhCN = {
  'io.exportCsv': '导出 CSV',
  'io.exportXlsx': '导出 Excel',
}
