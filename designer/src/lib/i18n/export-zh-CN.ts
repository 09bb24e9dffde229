import type { exportEn } from './export-en'

/** Simplified Chinese strings of an export's progress. */
export const exportZhCN: Record<keyof typeof exportEn, string> = {
  'export.rows': '正在导出 {done} / {total} 条记录…',
  'export.bytes': '正在导出 {total} 条记录… {size}',
  'export.reportRows': '正在导出 {done} / {total} 行…',
}
