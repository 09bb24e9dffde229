import { BadRequestError } from '../errors'
import { headerKey } from './import-mapping'
import { importWords } from './import-refusal-texts'
import type { ImportFile } from './import-setup'
import { readRows, toImportFormat } from './import-source'
import { orgImportWords } from './org-import-texts'

/** The columns an organisation file may have, by the names (en, zh-CN, ko) that find them. */
export const ORG_COLUMNS = {
  username: ['username', 'user name', 'login', '用户名', '账号', '사용자명', '아이디'],
  displayName: ['name', 'display name', 'full name', '姓名', '名称', '이름'],
  email: ['email', 'e-mail', '邮箱', '이메일'],
  department: ['department', 'department path', '部门', '부서'],
  manager: ['manager', '上级', '经理', '관리자', '상사'],
  roles: ['roles', 'role', '角色', '역할'],
} as const
/** What a column of an organisation file holds. */
export type OrgColumn = keyof typeof ORG_COLUMNS
const COLUMN_NAMES = Object.keys(ORG_COLUMNS) as OrgColumn[]
/** File header → the column it fills (null: ignored), as `import-mapping` maps an entity's. */
export type OrgMapping = Record<string, OrgColumn | null>

/** One data row: its number (the header is row 0) and its non-empty cells by column. */
export interface OrgRow {
  row: number
  cells: Partial<Record<OrgColumn, string>>
}

/** A file read whole: its headers, the mapping used and its rows. */
export interface OrgFile {
  headers: string[]
  mapping: OrgMapping
  rows: OrgRow[]
}

/** Each header matched to the first column whose names (en, zh-CN, ko) hold it, once. */
export function suggestOrgMapping(headers: string[]): OrgMapping {
  const taken = new Set<OrgColumn>()
  return Object.fromEntries(
    headers.map((h) => {
      const key = headerKey(h)
      const column = COLUMN_NAMES.find(
        (c) => !taken.has(c) && (ORG_COLUMNS[c] as readonly string[]).includes(key),
      )
      if (column) taken.add(column)
      return [h, column ?? null]
    }),
  )
}

/**
 * 400 at `mapping.<header>` for an unknown header or column or a column twice; a username is
 * needed. Refused in `locale` (the caller's; English when not given).
 */
export function assertOrgMapping(
  headers: string[],
  mapping: OrgMapping,
  needsUsername = true,
  locale?: string,
): void {
  const w = orgImportWords(locale)
  const used = new Map<string, string>()
  for (const [header, column] of Object.entries(mapping)) {
    const path = `mapping.${header}`
    if (!headers.includes(header))
      throw new BadRequestError(w('noColumn', { header }), [
        { path, message: importWords(locale).text('notColumn') },
      ])
    if (column === null) continue
    if (!(COLUMN_NAMES as string[]).includes(column as string)) {
      const columns = COLUMN_NAMES.join(', ')
      throw new BadRequestError(w('unknownColumn', { column: String(column) }), [
        { path, message: w('unknownColumnField', { columns }) },
      ])
    }
    const filledBy = used.get(column)
    if (filledBy !== undefined)
      throw new BadRequestError(w('twoColumns', { column }), [
        { path, message: w('twoColumnsField', { column, header: filledBy }) },
      ])
    used.set(column, header)
  }
  if (needsUsername && !used.has('username'))
    throw new BadRequestError(w('noUsername'), [{ path: 'mapping', message: w('noUsernameField') }])
}

/**
 * The file's rows keyed by column, through `mapping` (else the suggested one); 400 naming
 * `file` without a header row, or the mapping's fault (`needsUsername`: also when no column is
 * the username), in `locale` (the caller's).
 */
export async function readOrgFile(
  file: ImportFile,
  mapping?: OrgMapping,
  needsUsername = true,
  locale?: string,
): Promise<OrgFile> {
  const out: OrgFile = { headers: [], mapping: {}, rows: [] }
  let index: [OrgColumn, number][] = []
  let n = -1
  for await (const cells of readRows(file.path, toImportFormat(file.name, locale))) {
    if (++n === 0) {
      out.headers = cells.map((h) => h.trim())
      out.mapping = mapping ?? suggestOrgMapping(out.headers)
      assertOrgMapping(out.headers, out.mapping, needsUsername, locale)
      index = Object.entries(out.mapping)
        .filter((e): e is [string, OrgColumn] => e[1] !== null)
        .map(([h, c]) => [c, out.headers.indexOf(h)])
      continue
    }
    const row: OrgRow = { row: n, cells: {} }
    for (const [c, i] of index) {
      const text = (cells[i] ?? '').trim()
      if (text) row.cells[c] = text
    }
    if (cells.some((c) => c.trim())) out.rows.push(row)
  }
  if (n < 0) {
    const w = importWords(locale).text
    throw new BadRequestError(w('noHeader'), [{ path: 'file', message: w('noHeaderField') }])
  }
  return out
}
