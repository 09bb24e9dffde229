/** Korean strings of list exports and the import page. */
export const ioKo = {
  'io.exportCsv': 'CSV 내보내기',
  'io.exportXlsx': 'Excel 내보내기',
  'io.import': '가져오기',
  'io.importTitle': '{entity} 가져오기',
  'io.upsertKey': '다음 기준으로 기존 레코드 업데이트',
  'io.insertOnly': '— 모두 새로 만들기 —',
  'io.column': '열',
  'io.field': '필드',
  'io.ignore': '— 무시 —',
  'io.currency': '통화',
  'io.previewSummary': '{total}행, 문제 있는 행 {failed}',
  'io.row': '행',
  'io.problems': '문제',
  'io.run': '가져오기 시작',
  'io.counts': '생성 {inserted}, 업데이트 {updated}, 거부 {failed}',
  'io.errorFile': '거부된 행 다운로드',
}
