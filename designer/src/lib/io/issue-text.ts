import type { Entity } from '$metadata/entity'
import type { MessageKey } from '$lib/i18n/en'

/** The UI's translate and label functions (passed in, so this stays pure and testable). */
export interface IssueWords {
  t: (key: MessageKey, params?: Record<string, string | number>) => string
  label: (labels: Entity['label'] | undefined, fallback?: string) => string
}

// Row messages of an import (runtime/io and the record validator) as the API words them; each
// capture becomes a parameter of the message in the caller's language.
const MESSAGES: [RegExp, MessageKey, string[]][] = [
  [/^is required$/, 'io.msg.required', []],
  [/^'(.*)' is not one of the options$/s, 'io.msg.notOption', ['text']],
  [/^'(.*)' is not a number$/s, 'io.msg.notNumber', ['text']],
  [/^'(.*)' is not yes or no$/s, 'io.msg.notBoolean', ['text']],
  [/^'(.*)' is not a date \(YYYY-MM-DD\)$/s, 'io.msg.notDate', ['text']],
  [/^'(.*)' is not a date and time$/s, 'io.msg.notDateTime', ['text']],
  [/^(?:has an invalid format|must match format ".*")$/, 'io.msg.invalidFormat', []],
  [/^is not one of the options$/, 'io.msg.notOption', ['text']],
  [/^must be >= (.+)$/, 'io.msg.min', ['n']],
  [/^must be <= (.+)$/, 'io.msg.max', ['n']],
  [/^must NOT have more than (\d+) characters$/, 'io.msg.tooLong', ['n']],
  [/^no .+ '(.*)' found$/s, 'io.msg.notFound', ['text']],
  [/^no .+ numbered '(.*)': leave it empty for a new record$/s, 'io.msg.numberNotFound', ['text']],
  [/^'(.*)' matches (\d+) .+ records: use a code or id$/s, 'io.msg.ambiguous', ['text', 'n']],
  [/^Duplicate of row (\d+)$/, 'io.msg.duplicateOfRow', ['row']],
  // A record imported from several rows (child rows), and the scopes the preview judges.
  [
    /^not imported: the record of rows (\d+)–(\d+) is refused$/,
    'io.msg.recordRefused',
    ['first', 'last'],
  ],
  [
    /^'(.*)' differs from row (\d+), where this record starts$/s,
    'io.msg.differsFromRow',
    ['text', 'row'],
  ],
  [/^outside your create scope$/, 'io.msg.outsideCreate', []],
  [/^outside your 'update' scope$/, 'io.msg.outsideUpdate', []],
  [/^Duplicate of (.+)$/s, 'io.msg.duplicateOf', ['name']],
  // Wording of the organisation import (runtime/io/import-org) and of the user checks.
  [/^no role '(.*)'$/s, 'io.msg.noRole', ['text']],
  [/^no user '(.*)'$/s, 'io.msg.noUser', ['text']],
  [/^(\d+) users are called '(.*)': give a username$/s, 'io.msg.sameNameUsers', ['n', 'text']],
  [
    /^(\d+) departments are called '(.*)': give its path$/s,
    'io.msg.sameNameDepartments',
    ['n', 'text'],
  ],
  [/^not an email address$/, 'io.msg.notEmail', []],
  [/^no column holds the username$/, 'io.msg.noUsernameColumn', []],
  [/^letters, digits, \. _ @ - only; 1 to 64 characters$/, 'io.msg.badUsername', []],
]

/** A message in the caller's language when its wording is known; otherwise as the API sent it. */
export function messageText(message: string, words: IssueWords): string {
  const row = /^(.*) \(row (\d+)\)$/s.exec(message)
  if (row) return words.t('io.msg.atRow', { message: messageText(row[1], words), row: row[2] })
  for (const [pattern, key, names] of MESSAGES) {
    const match = pattern.exec(message)
    if (!match) continue
    const params = Object.fromEntries(names.map((n, i) => [n, match[i + 1] ?? '']))
    return words.t(key, params)
  }
  return message
}

/**
 * The field an issue path names, by its label (`price.currency`: the label and "currency"; a
 * line's `lines[1].product`: `Lines 2 / Product`, the child entity found in `children`).
 */
export function pathText(
  path: string,
  entity: Entity,
  words: IssueWords,
  children: Record<string, Entity> = {},
): string {
  const line = /^(\w+)\[(\d+)\]\.(.+)$/.exec(path)
  const table = line && entity.fields.find((f) => f.name === line[1])
  const child = table?.entity ? children[table.entity] : undefined
  if (line && table && child) {
    const name = `${words.label(table.label, table.name)} ${Number(line[2]) + 1}`
    return words.t('io.childField', { table: name, field: pathText(line[3], child, words) })
  }
  const [name, part] = path.split('.')
  const field = entity.fields.find((f) => f.name === name)
  if (!field) return path
  const text = words.label(field.label, field.name)
  return part === 'currency'
    ? words.t('io.fieldPart', { field: text, part: words.t('io.currency') })
    : text
}

/**
 * One problem of a row as the page shows it: the field's label and the message in the caller's
 * language, e.g. `客户名称：必填`.
 * @example issueText({ path: 'name', message: 'is required' }, customer, { t, label })
 */
export function issueText(
  issue: { path: string; message: string },
  entity: Entity,
  words: IssueWords,
  children: Record<string, Entity> = {},
): string {
  const message = messageText(issue.message, words)
  if (!issue.path) return message
  return words.t('io.issue', { field: pathText(issue.path, entity, words, children), message })
}
