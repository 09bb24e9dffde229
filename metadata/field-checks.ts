import type { Field, FieldType } from './field'
import { toIssue, type MetadataIssue } from './issue'
import { joinPath } from './json-path'
import { validateRuleSize } from './rule-limits'

const TEXT_LIKE: readonly FieldType[] = ['text', 'longText', 'richText', 'email', 'phone', 'url']
const NUMERIC: readonly FieldType[] = ['integer', 'decimal', 'money', 'percent']

/** Properties that only mean something on some field types. */
const ONLY_ON: Partial<Record<keyof Field, readonly FieldType[]>> = {
  options: ['select', 'multiSelect'],
  entity: ['reference', 'childTable'],
  pattern: ['autoNumber'],
  formula: ['formula'],
  rollup: ['formula'],
  resultType: ['formula'],
  scale: ['decimal', 'formula'],
  currency: ['money', 'formula'],
  setWhen: ['date', 'datetime', 'user'],
  min: NUMERIC,
  max: NUMERIC,
  maxLength: TEXT_LIKE,
  minLength: TEXT_LIKE,
  maxFileSize: ['attachment', 'attachments'],
  accept: ['attachment', 'attachments'],
}

/** Tokens an auto-number pattern may hold; `{#…}` is the counter, its width the zero padding. */
const AUTO_NUMBER_TOKEN = /\{([^}]*)\}/g
const DATE_TOKENS = new Set(['YYYY', 'YY', 'MM', 'DD'])

function validateTypeProperties(field: Field, path: string): MetadataIssue[] {
  const issues: MetadataIssue[] = []
  for (const [key, types] of Object.entries(ONLY_ON) as [keyof Field, FieldType[]][]) {
    if (field[key] !== undefined && !types.includes(field.type)) {
      issues.push(toIssue(joinPath(path, key), `is only allowed on ${types.join(', ')} fields`))
    }
  }
  if (field.type === 'childTable' || field.type === 'formula' || field.type === 'autoNumber') {
    if (field.fillFrom !== undefined)
      issues.push(toIssue(joinPath(path, 'fillFrom'), 'is not allowed on a computed field'))
    if (field.latestFrom !== undefined)
      issues.push(toIssue(joinPath(path, 'latestFrom'), 'is not allowed on a computed field'))
  }
  if (field.latestFrom !== undefined) {
    for (const key of ['fillFrom', 'default', 'setWhen'] as const)
      if (field[key] !== undefined)
        issues.push(toIssue(joinPath(path, key), 'is not allowed with latestFrom'))
  }
  if (field.type === 'formula') {
    if (field.scale !== undefined && field.resultType !== 'number')
      issues.push(toIssue(joinPath(path, 'scale'), "is only allowed with resultType 'number'"))
    if (field.currency !== undefined && field.resultType !== 'money')
      issues.push(toIssue(joinPath(path, 'currency'), "is only allowed with resultType 'money'"))
  }
  if (field.type === 'childTable') {
    for (const key of ['unique', 'index', 'default'] as const) {
      if (field[key] !== undefined) {
        issues.push(
          toIssue(joinPath(path, key), 'is not allowed on a childTable field (it has no column)'),
        )
      }
    }
  }
  return issues
}

/** Which field types each dynamic default fits. */
const DYNAMIC_DEFAULTS: Record<string, readonly FieldType[]> = {
  now: ['datetime', 'date'],
  today: ['date', 'datetime'],
  currentUser: ['user'],
}

/** `{ dynamic: … }` defaults: a known token on a field type it fits. */
function validateDynamicDefault(field: Field, path: string): MetadataIssue[] {
  const value = field.default
  if (!value || typeof value !== 'object' || Array.isArray(value) || !('dynamic' in value))
    return []
  const at = joinPath(path, 'default')
  const keys = Object.keys(value)
  const token = (value as { dynamic: unknown }).dynamic
  const fits = typeof token === 'string' ? DYNAMIC_DEFAULTS[token] : undefined
  if (keys.length !== 1 || !fits || !Object.hasOwn(DYNAMIC_DEFAULTS, token as string))
    return [toIssue(at, "must be { dynamic: 'now' | 'today' | 'currentUser' }")]
  if (!fits.includes(field.type))
    return [toIssue(joinPath(at, 'dynamic'), `'${token}' fits only ${fits.join(', ')} fields`)]
  return []
}

function validateBounds(field: Field, path: string): MetadataIssue[] {
  const issues: MetadataIssue[] = []
  if (field.min !== undefined && field.max !== undefined && field.min > field.max) {
    issues.push(toIssue(joinPath(path, 'min'), 'must not be greater than max'))
  }
  if (
    field.minLength !== undefined &&
    field.maxLength !== undefined &&
    field.minLength > field.maxLength
  ) {
    issues.push(toIssue(joinPath(path, 'minLength'), 'must not be greater than maxLength'))
  }
  return issues
}

function validateOptions(field: Field, path: string): MetadataIssue[] {
  const issues: MetadataIssue[] = []
  const seen = new Set<string>()
  field.options?.forEach((option, i) => {
    if (seen.has(option.value)) {
      issues.push(
        toIssue(
          joinPath(joinPath(joinPath(path, 'options'), i), 'value'),
          `duplicate option value '${option.value}'`,
        ),
      )
    }
    seen.add(option.value)
  })
  if (field.default === undefined || !field.options) return issues
  const defaults =
    field.type === 'multiSelect' && Array.isArray(field.default) ? field.default : [field.default]
  if (field.type === 'multiSelect' && !Array.isArray(field.default)) {
    issues.push(toIssue(joinPath(path, 'default'), 'must be an array of option values'))
  } else if (defaults.some((value) => typeof value !== 'string' || !seen.has(value))) {
    issues.push(toIssue(joinPath(path, 'default'), 'must be one of the option values'))
  }
  return issues
}

function validateAutoNumber(field: Field, path: string): MetadataIssue[] {
  if (field.type !== 'autoNumber' || field.pattern === undefined) return []
  const tokens = [...field.pattern.matchAll(AUTO_NUMBER_TOKEN)].map((match) => match[1])
  const counters = tokens.filter((token) => /^#+$/.test(token))
  const unknown = tokens.filter((token) => !/^#+$/.test(token) && !DATE_TOKENS.has(token))
  const at = joinPath(path, 'pattern')
  const issues: MetadataIssue[] = []
  if (counters.length !== 1)
    issues.push(toIssue(at, 'must contain exactly one counter such as {####}'))
  for (const token of unknown) {
    issues.push(toIssue(at, `unknown token {${token}} (use {YYYY}, {YY}, {MM}, {DD} or {#…})`))
  }
  return issues
}

/** Checks one field beyond its schema: type-specific properties, bounds, options, patterns, formula size. */
export function validateField(field: Field, path: string): MetadataIssue[] {
  return [
    ...validateTypeProperties(field, path),
    ...validateBounds(field, path),
    ...validateOptions(field, path),
    ...validateAutoNumber(field, path),
    ...validateDynamicDefault(field, path),
    ...(field.setWhen === undefined
      ? []
      : validateRuleSize(field.setWhen, joinPath(path, 'setWhen'))),
    ...(field.formula === undefined
      ? []
      : validateRuleSize(field.formula, joinPath(path, 'formula'))),
  ]
}
