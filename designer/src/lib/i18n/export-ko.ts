import type { exportEn } from './export-en'

/** Korean strings of an export's progress. */
export const exportKo: Record<keyof typeof exportEn, string> = {
  'export.rows': '레코드 {total}건 중 {done}건 내보내는 중…',
  'export.bytes': '레코드 {total}건 내보내는 중… {size}',
  'export.reportRows': '{total}행 중 {done}행 내보내는 중…',
}
