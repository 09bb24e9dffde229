import type { printEn } from './print-en'

/** Simplified Chinese strings of printing and copying a record. */
export const printZhCN: Record<keyof typeof printEn, string> = {
  'print.button': '打印',
  'print.choose': '打印{template}：',
  'print.attach': '打印并归档',
  'print.attachChoose': '将{template}存入记录附件：',
  'print.attached': '已将打印的 PDF「{name}」加入{field}。',
  'print.none': '没有打印模板',
  'print.copy': '复制{entity}',
  'print.copied': '已复制：这是新记录。',
  'print.language.en': 'English',
  'print.language.zh-CN': '中文',
  'print.language.ko': '한국어',
}
