import type { printEn } from './print-en'

/** Korean strings of printing and copying a record. */
export const printKo: Record<keyof typeof printEn, string> = {
  'print.button': '인쇄',
  'print.choose': '{template} 인쇄:',
  'print.attach': '인쇄 후 첨부',
  'print.attachChoose': '{template}을(를) 레코드에 첨부:',
  'print.attached': '인쇄한 PDF “{name}”을(를) {field}에 추가했습니다.',
  'print.none': '인쇄 양식이 없습니다',
  'print.copy': '{entity} 복사',
  'print.copied': '복사했습니다. 새 레코드입니다.',
  'print.language.en': 'English',
  'print.language.zh-CN': '中文',
  'print.language.ko': '한국어',
}
