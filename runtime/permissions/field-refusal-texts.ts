import type { Entity } from '../../metadata/entity'
import { fillText, toLabel, toLocale, type Locale } from '../../metadata/labels'

/*
 * The 403s of a field the caller's roles hide or keep read-only (filter, sort, write, import,
 * export, report on, compare), in the caller's language. English names the field and its entity
 * as the client sent them (`creditLimit`, `customer`), as it always has; zh-CN and ko name them
 * by their labels (信用额度, 客户), which is what a business user knows them by. `details[].path`
 * stays the name of what the client sent.
 */

type Key =
  | 'mayNotFilter'
  | 'mayNotSort'
  | 'mayNotWrite'
  | 'mayNotRead'
  | 'mayNotImport'
  | 'mayNotExport'
  | 'mayNotReportOn'
  | 'notReadable'
  | 'notReadableOf'
  | 'notWritable'
  | 'thisNotReadable'

/** The field refusals in each language; {field} and {entity} as `fieldWords` names them. */
export const FIELD_REFUSAL_TEXTS: Record<Locale, Record<Key, string>> = {
  en: {
    mayNotFilter: "You may not filter on '{field}'",
    mayNotSort: "You may not sort on '{field}'",
    mayNotWrite: "You may not write '{field}'",
    mayNotRead: "You may not read '{field}'",
    mayNotImport: "You may not import '{field}'",
    mayNotExport: "You may not export '{field}'",
    mayNotReportOn: "You may not report on '{field}'",
    notReadable: "field '{field}' is not readable for your roles",
    notReadableOf: "field '{field}' of '{entity}' is not readable for your roles",
    notWritable: "field '{field}' is not writable for your roles",
    thisNotReadable: 'field not readable',
  },
  'zh-CN': {
    mayNotFilter: '您无权按“{field}”筛选',
    mayNotSort: '您无权按“{field}”排序',
    mayNotWrite: '您无权填写“{field}”',
    mayNotRead: '您无权查看“{field}”',
    mayNotImport: '您无权导入“{field}”',
    mayNotExport: '您无权导出“{field}”',
    mayNotReportOn: '您无权在报表中使用“{field}”',
    notReadable: '您的角色无权查看字段“{field}”',
    notReadableOf: '您的角色无权查看{entity}的字段“{field}”',
    notWritable: '您的角色无权修改字段“{field}”',
    thisNotReadable: '您无权查看此字段',
  },
  ko: {
    mayNotFilter: '"{field}"(으)로 필터링할 권한이 없습니다',
    mayNotSort: '"{field}"(으)로 정렬할 권한이 없습니다',
    mayNotWrite: '"{field}"을(를) 입력할 권한이 없습니다',
    mayNotRead: '"{field}"을(를) 조회할 권한이 없습니다',
    mayNotImport: '"{field}"을(를) 가져올 권한이 없습니다',
    mayNotExport: '"{field}"을(를) 내보낼 권한이 없습니다',
    mayNotReportOn: '보고서에서 "{field}"을(를) 사용할 권한이 없습니다',
    notReadable: '현재 역할로는 "{field}" 필드를 조회할 수 없습니다',
    notReadableOf: '현재 역할로는 {entity}의 "{field}" 필드를 조회할 수 없습니다',
    notWritable: '현재 역할로는 "{field}" 필드를 수정할 수 없습니다',
    thisNotReadable: '이 필드를 조회할 권한이 없습니다',
  },
}

/** The field refusals in one caller's language. */
export interface FieldWords {
  text: (key: Key, params?: Record<string, string>) => string
  /**
   * How the caller's language names field `path` of `entityId` (dots follow child tables and
   * references): `asSent` in English, the fields' labels elsewhere (a part with none by its name).
   */
  field: (entityId: string, path: string, asSent?: string) => string
  /** How the caller's language names an entity: its id in English, its label elsewhere. */
  entity: (entityId: string) => string
}

/**
 * The field refusals in `locale` (English for one Trellis does not speak) over `entities`.
 * @example fieldWords('zh-CN', meta.entities).text('mayNotSort', { field: '信用额度' })
 */
export function fieldWords(
  locale: string | undefined,
  entities: ReadonlyMap<string, Entity>,
): FieldWords {
  const lang = toLocale(locale)
  const labelOf = (path: string, entityId: string) => {
    let entity = entities.get(entityId)
    return path
      .split('.')
      .map((name) => {
        const field = entity?.fields.find((f) => f.name === name)
        entity = field?.entity ? entities.get(field.entity) : undefined
        return toLabel(field?.label, lang, name)
      })
      .join(' / ')
  }
  return {
    text: (key, params) => fillText(FIELD_REFUSAL_TEXTS[lang][key], params),
    field: (entityId, path, asSent = path) => (lang === 'en' ? asSent : labelOf(path, entityId)),
    entity: (entityId) =>
      lang === 'en' ? entityId : toLabel(entities.get(entityId)?.label, lang, entityId),
  }
}
