import type { Entity } from '../../metadata/entity'
import { fillText, toLabel, toLocale, type Locale } from '../../metadata/labels'

/*
 * The 422s of a bulk call's record ids and of a duplicate lookup's values, and the 403 of a
 * share or transfer without a signed-in user, in the caller's language. {path} is the name of
 * what the client sent (`ids[2]`), {field} a field name it sent, {type} a field type; English
 * names the entity by its id, as it always has, zh-CN and ko by its label. `details[].path`
 * stays the name of what the client sent.
 */

type Key =
  | 'idsRequired'
  | 'idsRequiredField'
  | 'notRecordId'
  | 'notRecordIdField'
  | 'idRepeated'
  | 'idRepeatedField'
  | 'valuesObject'
  | 'valuesObjectField'
  | 'invalidLookup'
  | 'noField'
  | 'wrongValue'
  | 'signInToShare'

/** The sharing refusals in each language. */
export const SHARING_REFUSAL_TEXTS: Record<Locale, Record<Key, string>> = {
  en: {
    idsRequired: 'ids must list the records',
    idsRequiredField: 'an array of 1 to {max} record ids',
    notRecordId: '{path} is not a record id',
    notRecordIdField: 'not a record id',
    idRepeated: '{path} is repeated',
    idRepeatedField: 'given more than once',
    valuesObject: 'values must be an object',
    valuesObjectField: 'an object of field values',
    invalidLookup: 'Invalid duplicate lookup',
    noField: "no field '{field}' on {entity}",
    wrongValue: 'not a {type} value',
    signInToShare: 'Sign in to share or transfer records',
  },
  'zh-CN': {
    idsRequired: '请列出要处理的记录',
    idsRequiredField: '应为包含 1 到 {max} 个记录编号的数组',
    notRecordId: '{path} 不是记录编号',
    notRecordIdField: '不是记录编号',
    idRepeated: '{path} 重复了',
    idRepeatedField: '提供了不止一次',
    valuesObject: '要比对的值必须是一个对象',
    valuesObjectField: '应为由字段值组成的对象',
    invalidLookup: '查重请求无效',
    noField: '{entity}没有字段“{field}”',
    wrongValue: '不是 {type} 类型的值',
    signInToShare: '请先登录再共享或转移记录',
  },
  ko: {
    idsRequired: '처리할 레코드를 나열하세요',
    idsRequiredField: '레코드 식별자 1~{max}개로 이루어진 배열이어야 합니다',
    notRecordId: '{path}은(는) 레코드 식별자가 아닙니다',
    notRecordIdField: '레코드 식별자가 아닙니다',
    idRepeated: '{path}이(가) 중복되었습니다',
    idRepeatedField: '두 번 이상 지정되었습니다',
    valuesObject: '비교할 값은 객체여야 합니다',
    valuesObjectField: '필드 값으로 이루어진 객체여야 합니다',
    invalidLookup: '중복 조회 요청이 올바르지 않습니다',
    noField: '{entity}에 "{field}" 필드가 없습니다',
    wrongValue: '{type} 유형의 값이 아닙니다',
    signInToShare: '레코드를 공유하거나 이전하려면 로그인하세요',
  },
}

/**
 * The sharing refusals in `locale` (English for one Trellis does not speak); {entity}, when
 * `entity` is given, its id in English and its label elsewhere.
 * @example sharingWords('ko')('notRecordId', { path: 'ids[1]' }) // 'ids[1]은(는) 레코드 식별자가 아닙니다'
 */
export function sharingWords(locale: string | undefined, entity?: Entity) {
  const lang = toLocale(locale)
  const named: Record<string, string> = entity
    ? { entity: lang === 'en' ? entity.id : toLabel(entity.label, lang, entity.id) }
    : {}
  return (key: Key, params: Record<string, string> = {}) =>
    fillText(SHARING_REFUSAL_TEXTS[lang][key], { ...named, ...params })
}
