import type { Entity } from '../../metadata/entity'
import { fillText, toLabel, toLocale, type Locale } from '../../metadata/labels'

/*
 * The refusals of a search's input (no text or too much, a NUL, a limit out of range, an empty
 * or unknown entity, a child entity) in the caller's language. English names entities by their
 * ids, as it always has; zh-CN and ko name a known one by its label. {id} is an id the caller
 * sent, quoted as sent. `details[].path` stays `q`, `limit` or `entities`.
 */

type Key =
  | 'invalidText'
  | 'textLength'
  | 'textNul'
  | 'invalidLimit'
  | 'limitRange'
  | 'invalidEntities'
  | 'nameOne'
  | 'entityList'
  | 'noEntity'
  | 'noEntityField'
  | 'childEntity'
  | 'childEntityField'

/** The search refusals in each language; {max} a number, {entity} and {parent} entities. */
export const SEARCH_REFUSAL_TEXTS: Record<Locale, Record<Key, string>> = {
  en: {
    invalidText: 'Invalid search text',
    textLength: 'required, 1 to {max} characters',
    textNul: 'must not contain a NUL character',
    invalidLimit: 'Invalid limit',
    limitRange: 'must be an integer from 1 to {max}',
    invalidEntities: 'Invalid entities',
    nameOne: 'name at least one entity',
    entityList: 'a comma-separated list of entity ids, none empty',
    noEntity: "No entity '{id}'",
    noEntityField: "unknown entity '{id}'",
    childEntity: "'{entity}' rows are searched through '{parent}'",
    childEntityField: "'{entity}' is a child entity",
  },
  'zh-CN': {
    invalidText: '搜索内容无效',
    textLength: '必填，长度为 1 到 {max} 个字符',
    textNul: '不能包含空字符',
    invalidLimit: '返回条数无效',
    limitRange: '必须是 1 到 {max} 之间的整数',
    invalidEntities: '要搜索的记录类型无效',
    nameOne: '请至少指定一种记录类型',
    entityList: '应为以逗号分隔的记录类型编号，且不能有空项',
    noEntity: '没有“{id}”这种记录类型',
    noEntityField: '“{id}”不是已有的记录类型',
    childEntity: '{entity}的行需通过所属的{parent}搜索',
    childEntityField: '{entity}是子表',
  },
  ko: {
    invalidText: '검색어가 올바르지 않습니다',
    textLength: '필수이며 1~{max}자여야 합니다',
    textNul: '널 문자를 포함할 수 없습니다',
    invalidLimit: '결과 개수가 올바르지 않습니다',
    limitRange: '1에서 {max} 사이의 정수여야 합니다',
    invalidEntities: '검색할 레코드 유형이 올바르지 않습니다',
    nameOne: '레코드 유형을 하나 이상 지정하세요',
    entityList: '빈 항목 없이 쉼표로 구분한 레코드 유형 식별자 목록이어야 합니다',
    noEntity: '"{id}" 레코드 유형이 없습니다',
    noEntityField: '"{id}"은(는) 없는 레코드 유형입니다',
    childEntity: '{entity} 행은 상위 {parent}을(를) 통해 검색합니다',
    childEntityField: '{entity}은(는) 하위 테이블입니다',
  },
}

/** The search refusals in one caller's language. */
export interface SearchWords {
  text: (key: Key, params?: Record<string, string>) => string
  /** An entity as the language names it: its id in English, its label elsewhere. */
  entity: (entity: Entity | undefined, id: string) => string
}

/**
 * The search refusals in `locale` (English for one Trellis does not speak).
 * @example searchWords('zh-CN').text('invalidLimit') // '返回条数无效'
 */
export function searchWords(locale: string | undefined): SearchWords {
  const lang = toLocale(locale)
  return {
    text: (key, params) => fillText(SEARCH_REFUSAL_TEXTS[lang][key], params),
    entity: (entity, id) => (lang === 'en' ? id : toLabel(entity?.label, lang, id)),
  }
}
