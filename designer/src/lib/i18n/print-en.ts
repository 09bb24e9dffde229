/** English strings of printing and copying a record. */
export const printEn = {
  'print.button': 'Print',
  'print.choose': 'Print {template} in',
  'print.attach': 'Print and attach',
  'print.attachChoose': 'Keep {template} on the record, in',
  'print.attached': 'The printed PDF “{name}” was added to {field}.',
  'print.none': 'No print templates',
  'print.copy': 'Copy {entity}',
  'print.copied': 'A copy was made: this is the new record.',
  'print.language.en': 'English',
  'print.language.zh-CN': '中文',
  'print.language.ko': '한국어',
}
