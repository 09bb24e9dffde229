import type { Locale } from '../../metadata/labels'
import { textWords, type TextWords } from '../../metadata/text-words'

/*
 * The refusals of a multipart upload's body (not multipart, no boundary, malformed, no part
 * named file, a file over the route's limit) in the caller's language. The names of the format
 * (multipart/form-data) and of the part (file) stay as the client sends them; `details[].path`
 * stays `body` or `file`.
 */

type Key =
  | 'notMultipart'
  | 'notMultipartField'
  | 'noBoundary'
  | 'noBoundaryField'
  | 'malformed'
  | 'malformedField'
  | 'noFile'
  | 'noFileField'
  | 'tooLarge'
  | 'tooLargeField'

/** The multipart refusals in each language; {limit} is a size such as 20 MB. */
export const MULTIPART_TEXTS: Record<Locale, Record<Key, string>> = {
  en: {
    notMultipart: 'Send the file as multipart/form-data',
    notMultipartField: 'must be multipart/form-data',
    noBoundary: 'The multipart body has no boundary',
    noBoundaryField: 'must be multipart/form-data with a boundary',
    malformed: 'The multipart body is malformed',
    malformedField: 'is not valid multipart/form-data',
    noFile: 'The upload holds no file',
    noFileField: 'is required (one multipart part named file)',
    tooLarge: 'The file is larger than the limit of {limit}',
    tooLargeField: 'is larger than {limit}',
  },
  'zh-CN': {
    notMultipart: '请以 multipart/form-data 格式发送文件',
    notMultipartField: '必须是 multipart/form-data 格式',
    noBoundary: 'multipart 请求体没有指定分隔符',
    noBoundaryField: '必须是带分隔符的 multipart/form-data 格式',
    malformed: 'multipart 请求体格式有误',
    malformedField: '不是有效的 multipart/form-data 内容',
    noFile: '上传的内容中没有文件',
    noFileField: '必填（需要一个名为 file 的 multipart 部分）',
    tooLarge: '文件超过了 {limit} 的大小上限',
    tooLargeField: '超过了 {limit}',
  },
  ko: {
    notMultipart: '파일은 multipart/form-data 형식으로 보내세요',
    notMultipartField: 'multipart/form-data 형식이어야 합니다',
    noBoundary: 'multipart 본문에 경계 구분자가 없습니다',
    noBoundaryField: '경계 구분자가 있는 multipart/form-data 형식이어야 합니다',
    malformed: 'multipart 본문의 형식이 잘못되었습니다',
    malformedField: '올바른 multipart/form-data 형식이 아닙니다',
    noFile: '업로드한 내용에 파일이 없습니다',
    noFileField: '필수입니다(이름이 file인 multipart 파트 하나)',
    tooLarge: '파일이 크기 제한 {limit}을(를) 초과합니다',
    tooLargeField: '{limit}을(를) 초과합니다',
  },
}

/**
 * The multipart refusals in `locale` (English for one Trellis does not speak).
 * @example multipartWords('zh-CN')('noFile') // '上传的内容中没有文件'
 */
export function multipartWords(locale: string | undefined): TextWords<Key> {
  return textWords(MULTIPART_TEXTS, locale)
}
