import type { Locale } from '../../metadata/labels'
import { textWords, type TextWords } from '../../metadata/text-words'

/*
 * The 400s of an organisation file's mapping (a header the file lacks, a column that is not an
 * organisation column, two headers filling one column, none the username) in the caller's
 * language. {header} is a header of the file and {column} a column's machine name, both quoted
 * as they are; the file without a header row reads as the entity import's. `details[].path`
 * stays `mapping.<header>` or `mapping`.
 */

type Key =
  | 'noColumn'
  | 'unknownColumn'
  | 'unknownColumnField'
  | 'twoColumns'
  | 'twoColumnsField'
  | 'noUsername'
  | 'noUsernameField'

/** The organisation import refusals in each language; {columns} lists the column names. */
export const ORG_IMPORT_TEXTS: Record<Locale, Record<Key, string>> = {
  en: {
    noColumn: "The file has no column '{header}'",
    unknownColumn: "Unknown organisation column '{column}'",
    unknownColumnField: 'must be one of {columns} or null',
    twoColumns: "Two columns fill '{column}'",
    twoColumnsField: "'{column}' is filled by '{header}' already",
    noUsername: 'No column holds the username',
    noUsernameField: 'one column must be the username',
  },
  'zh-CN': {
    noColumn: '文件中没有“{header}”列',
    unknownColumn: '未知的组织架构列“{column}”',
    unknownColumnField: '必须是 {columns} 之一，或为 null',
    twoColumns: '有两列都对应“{column}”',
    twoColumnsField: '“{column}”已由“{header}”列对应',
    noUsername: '没有对应用户名的列',
    noUsernameField: '必须有一列对应用户名',
  },
  ko: {
    noColumn: "파일에 '{header}' 열이 없습니다",
    unknownColumn: "알 수 없는 조직 열 '{column}'",
    unknownColumnField: '{columns} 중 하나이거나 null이어야 합니다',
    twoColumns: "두 열이 '{column}'에 대응합니다",
    twoColumnsField: "'{column}'에는 이미 '{header}' 열이 대응합니다",
    noUsername: '사용자명에 대응하는 열이 없습니다',
    noUsernameField: '한 열은 사용자명에 대응해야 합니다',
  },
}

/**
 * The organisation import refusals in `locale` (English for one Trellis does not speak).
 * @example orgImportWords('ko')('noUsername') // '사용자명에 대응하는 열이 없습니다'
 */
export function orgImportWords(locale: string | undefined): TextWords<Key> {
  return textWords(ORG_IMPORT_TEXTS, locale)
}
