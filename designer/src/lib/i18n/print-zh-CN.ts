import type { printEn } from './print-en'

/** Simplified Chinese strings of printing and copying a record. */
export const printZhCN: Record<keyof typeof printEn, string> = {
  'print.button': '打印',
  'print.choose': '打印{template}：',
  'print.none': '没有打印模板',
  'print.copy': '复制{entity}',
  'print.copied': '已复制：这是新记录。',
  'print.language.en': 'English',
  'print.language.zh-CN': '中文',
  'print.language.ko': '한국어',
}
