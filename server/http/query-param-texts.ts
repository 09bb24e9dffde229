import type { Locale } from '../../metadata/labels'
import { textWords, type TextWords } from '../../metadata/text-words'

/*
 * The 400s of a request's query string (an unknown, repeated or NUL-holding parameter, a value
 * that is not a positive integer, true or false, or JSON, a required one missing) in the caller's
 * language. {name} is
 * the parameter as the client sent it; `details[].path` stays that name.
 */

type Key =
  | 'unknown'
  | 'unknownAllowed'
  | 'unknownNone'
  | 'repeated'
  | 'repeatedField'
  | 'nul'
  | 'nulField'
  | 'notBoolean'
  | 'notBooleanField'
  | 'notPositiveInt'
  | 'notPositiveIntField'
  | 'notJson'
  | 'notJsonField'
  | 'required'
  | 'requiredField'

/** The query refusals in each language; {allowed} lists parameter names, {reason} a parser's. */
export const QUERY_PARAM_TEXTS: Record<Locale, Record<Key, string>> = {
  en: {
    unknown: "Unknown query parameter '{name}'",
    unknownAllowed: 'unknown parameter (allowed: {allowed})',
    unknownNone: 'unknown parameter (no parameters allowed)',
    repeated: "Query parameter '{name}' is repeated",
    repeatedField: 'given more than once',
    nul: "Query parameter '{name}' contains a NUL character",
    nulField: 'must not contain a NUL character',
    notBoolean: "'{name}' must be true or false",
    notBooleanField: 'must be true or false',
    notPositiveInt: "'{name}' must be a positive integer",
    notPositiveIntField: 'must be a positive integer',
    notJson: "'{name}' is not valid JSON",
    notJsonField: '{reason}',
    required: 'The {name} parameter is required',
    requiredField: 'is required',
  },
  'zh-CN': {
    unknown: '未知的查询参数“{name}”',
    unknownAllowed: '未知参数（可用参数：{allowed}）',
    unknownNone: '未知参数（此处不接受任何参数）',
    repeated: '查询参数“{name}”重复出现',
    repeatedField: '出现了不止一次',
    nul: '查询参数“{name}”包含空字符',
    nulField: '不能包含空字符',
    notBoolean: '“{name}”必须是 true 或 false',
    notBooleanField: '必须是 true 或 false',
    notPositiveInt: '“{name}”必须是正整数',
    notPositiveIntField: '必须是正整数',
    notJson: '“{name}”不是有效的 JSON',
    notJsonField: '无法解析：{reason}',
    required: '缺少必填的查询参数“{name}”',
    requiredField: '必填',
  },
  ko: {
    unknown: "알 수 없는 쿼리 매개변수 '{name}'",
    unknownAllowed: '알 수 없는 매개변수입니다(사용 가능: {allowed})',
    unknownNone: '알 수 없는 매개변수입니다(매개변수를 받지 않습니다)',
    repeated: "쿼리 매개변수 '{name}'이(가) 두 번 이상 지정되었습니다",
    repeatedField: '두 번 이상 지정되었습니다',
    nul: "쿼리 매개변수 '{name}'에 널 문자가 들어 있습니다",
    nulField: '널 문자를 포함할 수 없습니다',
    notBoolean: "'{name}'은(는) true 또는 false여야 합니다",
    notBooleanField: 'true 또는 false여야 합니다',
    notPositiveInt: "'{name}'은(는) 양의 정수여야 합니다",
    notPositiveIntField: '양의 정수여야 합니다',
    notJson: "'{name}'은(는) 올바른 JSON이 아닙니다",
    notJsonField: '해석할 수 없습니다: {reason}',
    required: "쿼리 매개변수 '{name}'은(는) 필수입니다",
    requiredField: '필수입니다',
  },
}

/**
 * The query refusals in `locale` (English for one Trellis does not speak).
 * @example queryWords('ko')('notPositiveInt', { name: 'limit' }) // "'limit'은(는) 양의 정수여야 합니다"
 */
export function queryWords(locale: string | undefined): TextWords<Key> {
  return textWords(QUERY_PARAM_TEXTS, locale)
}
