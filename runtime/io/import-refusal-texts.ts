import type { Entity } from '../../metadata/entity'
import { fillText, toLabel, toLocale, type Locale } from '../../metadata/labels'

/*
 * The 400s of an import's setup, before any row is read (its mode and key, the file's kind and
 * header row, the mapping, the group column), in the caller's language. What the caller sent (a
 * header, a mode, a key, a mapping target) is quoted as sent; English names an entity or field
 * by its id or name, as it always has, zh-CN and ko by its label. `details[].path` stays the
 * name of what the client sent (`mode`, `key`, `file`, `mapping.<header>`, `group`).
 */

type Key =
  | 'unknownMode'
  | 'unknownModeField'
  | 'upsertNeedsKey'
  | 'upsertNeedsKeyField'
  | 'childImport'
  | 'childImportField'
  | 'badFormat'
  | 'badFormatField'
  | 'noHeader'
  | 'noHeaderField'
  | 'headerNul'
  | 'headerNulField'
  | 'headerTwice'
  | 'headerTwiceField'
  | 'badKey'
  | 'badKeyField'
  | 'keyNotMapped'
  | 'keyNotMappedField'
  | 'mappingObject'
  | 'mappingObjectField'
  | 'invalidMapping'
  | 'notColumn'
  | 'notImportable'
  | 'alreadyFilled'
  | 'groupNotInFile'
  | 'groupNeedsChild'
  | 'groupNeedsChildField'
  | 'groupRequired'
  | 'groupRequiredField'

/**
 * The import setup refusals in each language; {mode}, {key}, {ext}, {header}, {group} and
 * {target} are what was sent, {column} a column's number, {entity} and {field} as
 * `importWords` names them, {issue} the first issue of a mapping.
 */
export const IMPORT_REFUSAL_TEXTS: Record<Locale, Record<Key, string>> = {
  en: {
    unknownMode: "Unknown import mode '{mode}'",
    unknownModeField: "must be 'insert' or 'upsert'",
    upsertNeedsKey: 'An upsert needs a key',
    upsertNeedsKeyField: 'is required for an upsert',
    childImport: "'{entity}' rows are imported with their parent",
    childImportField: 'is a child table',
    badFormat: "Cannot import '{ext}' files: use .csv or .xlsx",
    badFormatField: 'must be a .csv or .xlsx file',
    noHeader: 'The file has no header row',
    noHeaderField: 'the first row must name the columns',
    headerNul: 'The header of column {column} holds a NUL character',
    headerNulField: 'header {column} holds a NUL character',
    headerTwice: "The column '{header}' appears twice",
    headerTwiceField: "header '{header}' appears twice",
    badKey: "Cannot upsert by '{key}'",
    badKeyField: 'must be a de-duplication rule, a unique field or an auto-number of the entity',
    keyNotMapped: "The upsert key needs a column for '{field}'",
    keyNotMappedField: "field '{field}' is not mapped from the file",
    mappingObject: 'The mapping must be an object',
    mappingObjectField: 'must be an object of header → field',
    invalidMapping: 'Invalid mapping: {issue}',
    notColumn: 'is not a column of the file',
    notImportable: "'{target}' is not a field that can be imported",
    alreadyFilled: "'{target}' is already filled by '{header}'",
    groupNotInFile: "The group column '{group}' is not in the file",
    groupNeedsChild: 'Grouping rows needs a child table column',
    groupNeedsChildField: "groups a record's lines: map a column to a child table field",
    groupRequired: 'Rows of one record need a group column',
    groupRequiredField:
      "is required with an auto-number key: name the column whose cells group a record's rows",
  },
  'zh-CN': {
    unknownMode: '未知的导入方式“{mode}”',
    unknownModeField: '必须是 insert 或 upsert',
    upsertNeedsKey: '新增或更新导入需要指定匹配键',
    upsertNeedsKeyField: '新增或更新导入时必填',
    childImport: '{entity}的行需随所属记录一起导入',
    childImportField: '是子表',
    badFormat: '无法导入“{ext}”文件，请使用 .csv 或 .xlsx 文件',
    badFormatField: '必须是 .csv 或 .xlsx 文件',
    noHeader: '文件没有表头行',
    noHeaderField: '第一行必须是各列的名称',
    headerNul: '第 {column} 列的表头包含空字符',
    headerNulField: '第 {column} 个表头包含空字符',
    headerTwice: '列“{header}”出现了两次',
    headerTwiceField: '表头“{header}”出现了两次',
    badKey: '不能按“{key}”匹配记录',
    badKeyField: '必须是该记录类型的查重规则、唯一字段或自动编号字段',
    keyNotMapped: '匹配键需要有一列对应“{field}”',
    keyNotMappedField: '文件中没有列映射到字段“{field}”',
    mappingObject: '列映射必须是对象',
    mappingObjectField: '必须是“表头 → 字段”形式的对象',
    invalidMapping: '列映射无效：{issue}',
    notColumn: '不是文件中的列',
    notImportable: '“{target}”不是可导入的字段',
    alreadyFilled: '“{target}”已由“{header}”列填写',
    groupNotInFile: '文件中没有分组列“{group}”',
    groupNeedsChild: '按记录分组需要有映射到子表的列',
    groupNeedsChildField: '用于把明细行归入同一条记录，请将一列映射到子表字段',
    groupRequired: '同一条记录的多行需要分组列',
    groupRequiredField: '匹配键为自动编号时必填，请指定用于把行归入同一条记录的列',
  },
  ko: {
    unknownMode: "알 수 없는 가져오기 방식 '{mode}'",
    unknownModeField: 'insert 또는 upsert여야 합니다',
    upsertNeedsKey: '추가 또는 업데이트 방식에는 일치 키가 필요합니다',
    upsertNeedsKeyField: '추가 또는 업데이트 방식에서는 필수입니다',
    childImport: '{entity} 행은 상위 레코드와 함께 가져와야 합니다',
    childImportField: '하위 테이블입니다',
    badFormat: "'{ext}' 파일은 가져올 수 없습니다. .csv 또는 .xlsx 파일을 사용하세요",
    badFormatField: '.csv 또는 .xlsx 파일이어야 합니다',
    noHeader: '파일에 머리글 행이 없습니다',
    noHeaderField: '첫 행에는 열 이름이 있어야 합니다',
    headerNul: '{column}번째 열의 머리글에 널 문자가 들어 있습니다',
    headerNulField: '{column}번째 머리글에 널 문자가 들어 있습니다',
    headerTwice: "'{header}' 열이 두 번 나옵니다",
    headerTwiceField: "'{header}' 머리글이 두 번 나옵니다",
    badKey: "'{key}'(으)로는 레코드를 찾아 업데이트할 수 없습니다",
    badKeyField: '이 레코드 유형의 중복 검사 규칙, 고유 필드 또는 자동 번호 필드여야 합니다',
    keyNotMapped: '일치 키에는 "{field}"에 해당하는 열이 필요합니다',
    keyNotMappedField: '파일의 어떤 열도 "{field}" 필드에 매핑되지 않았습니다',
    mappingObject: '열 매핑은 객체여야 합니다',
    mappingObjectField: '"머리글 → 필드" 형식의 객체여야 합니다',
    invalidMapping: '열 매핑이 올바르지 않습니다: {issue}',
    notColumn: '파일에 있는 열이 아닙니다',
    notImportable: "'{target}'은(는) 가져올 수 있는 필드가 아닙니다",
    alreadyFilled: "'{target}'은(는) 이미 '{header}' 열로 채워집니다",
    groupNotInFile: "그룹 열 '{group}'이(가) 파일에 없습니다",
    groupNeedsChild: '행을 레코드별로 묶으려면 하위 테이블에 매핑된 열이 필요합니다',
    groupNeedsChildField:
      '레코드의 명세 행을 묶는 데 쓰입니다. 열 하나를 하위 테이블 필드에 매핑하세요',
    groupRequired: '한 레코드의 여러 행에는 그룹 열이 필요합니다',
    groupRequiredField: '일치 키가 자동 번호이면 필수입니다. 레코드의 행을 묶을 열을 지정하세요',
  },
}

/** The import setup refusals in one caller's language. */
export interface ImportWords {
  text: (key: Key, params?: Record<string, string>) => string
  /** An entity as the language names it: its id in English, its label elsewhere. */
  entity: (entity: Entity) => string
  /** A field of `entity` as the language names it: its name in English, its label elsewhere. */
  field: (entity: Entity, name: string) => string
}

/**
 * The import setup refusals in `locale` (English for one Trellis does not speak).
 * @example importWords('zh-CN').text('noHeader') // '文件没有表头行'
 */
export function importWords(locale: string | undefined): ImportWords {
  const lang = toLocale(locale)
  return {
    text: (key, params) => fillText(IMPORT_REFUSAL_TEXTS[lang][key], params),
    entity: (entity) => (lang === 'en' ? entity.id : toLabel(entity.label, lang, entity.id)),
    field: (entity, name) => {
      const field = entity.fields.find((f) => f.name === name)
      return lang === 'en' ? name : toLabel(field?.label, lang, name)
    },
  }
}
