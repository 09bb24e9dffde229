import type { printEn } from './print-en'

/** Korean strings of printing and copying a record. */
export const printKo: Record<keyof typeof printEn, string> = {
  'print.button': '인쇄',
  'print.choose': '{template} 인쇄:',
  'print.none': '인쇄 양식이 없습니다',
  'print.copy': '{entity} 복사',
  'print.copied': '복사했습니다. 새 레코드입니다.',
  'print.language.en': 'English',
  'print.language.zh-CN': '中文',
  'print.language.ko': '한국어',
}
