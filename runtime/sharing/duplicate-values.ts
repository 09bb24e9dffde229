import type { Entity } from '../../metadata/entity'
import type { Field } from '../../metadata/field'
import { ValidationError, type Issue } from '../errors'
import { isSystemKey } from '../records'
import { isTextLike } from '../schema'
import { isUuid } from './share-input'
import { sharingWords } from './sharing-refusal-texts'

const DATE = /^\d{4}-\d{2}-\d{2}$/
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/

const isNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v)

/** The kind of value a field compares as, or null when dedup cannot compare it. */
function valueKind(field: Field): string | null {
  if (isTextLike(field)) return 'text'
  if (field.type === 'formula')
    return field.resultType === 'money' ? 'number' : (field.resultType ?? 'number')
  if (['reference', 'user', 'department'].includes(field.type)) return 'uuid'
  if (
    ['integer', 'decimal', 'percent', 'money', 'boolean', 'date', 'datetime'].includes(field.type)
  )
    return field.type
  return null
}

/** Whether `value` (not empty) has the shape a field of this kind compares with. */
function fits(kind: string, value: unknown): boolean {
  switch (kind) {
    case 'text':
      return typeof value === 'string'
    case 'uuid':
      return isUuid(value)
    case 'integer':
      return Number.isSafeInteger(value)
    case 'money':
      return isNumber((value as { amount?: unknown } | null)?.amount)
    case 'boolean':
      return typeof value === 'boolean'
    case 'date':
      return typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(value))
    case 'datetime':
      return typeof value === 'string' && DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))
    default:
      return isNumber(value)
  }
}

/**
 * Checks candidate values for a duplicate lookup: 422 naming every unknown field and every value
 * a dedup rule compares that has the wrong shape. System keys are allowed (`id` excludes a record
 * from its own lookup); fields no rule compares are accepted and ignored. Words in `locale`.
 */
export function validateDuplicateValues(
  entity: Entity,
  values: unknown,
  locale?: string,
): Record<string, unknown> {
  const w = sharingWords(locale, entity)
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new ValidationError(w('valuesObject'), [
      { path: 'values', message: w('valuesObjectField') },
    ])
  }
  const record = values as Record<string, unknown>
  const fields = new Map(entity.fields.map((f) => [f.name, f]))
  const compared = new Set((entity.dedup ?? []).flatMap((rule) => rule.fields))
  const issues: Issue[] = []
  for (const [name, value] of Object.entries(record)) {
    const field = fields.get(name)
    if (!field && !isSystemKey(name)) {
      issues.push({ path: `values.${name}`, message: w('noField', { field: name }) })
      continue
    }
    if (!field || !compared.has(name) || value === null || value === '') continue
    const kind = valueKind(field)
    if (!kind || !fits(kind, value)) {
      issues.push({ path: `values.${name}`, message: w('wrongValue', { type: field.type }) })
    }
  }
  if (record.id !== undefined && record.id !== null && !isUuid(record.id)) {
    issues.push({ path: 'values.id', message: w('notRecordIdField') })
  }
  if (issues.length) throw new ValidationError(w('invalidLookup'), issues)
  return record
}
