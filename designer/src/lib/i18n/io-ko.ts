/** Korean strings of list exports. */
export const ioKo = {
  'io.exportCsv': 'CSV 내보내기',
  'io.exportXlsx': 'Excel 내보내기',
}
