/** Chinese strings of list exports and the import page. */
export const ioZhCN = {
  'io.exportCsv': '导出 CSV',
  'io.exportXlsx': '导出 Excel',
  'io.import': '导入',
  'io.importTitle': '导入{entity}',
  'io.upsertKey': '按以下规则更新已有记录',
  'io.insertOnly': '— 全部新建 —',
  'io.column': '列',
  'io.field': '字段',
  'io.ignore': '— 忽略 —',
  'io.currency': '币种',
  'io.previewSummary': '共 {total} 行，{failed} 行有问题',
  'io.row': '行',
  'io.problems': '问题',
  'io.run': '开始导入',
  'io.counts': '新建 {inserted}，更新 {updated}，拒绝 {failed}',
  'io.errorFile': '下载被拒绝的行',
}
