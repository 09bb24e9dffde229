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
  resultType: ['formula'],
  scale: ['decimal'],
  currency: ['money'],
  min: NUMERIC,
  max: NUMERIC,
  maxLength: TEXT_LIKE,
  minLength: TEXT_LIKE,
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
    ...(field.formula === undefined
      ? []
      : validateRuleSize(field.formula, joinPath(path, 'formula'))),
  ]
}
