import { DEFAULT_PLACES, type Field } from '../../metadata/field'

/** PostgreSQL type of a field's main column (childTable has none). */
export function columnType(field: Field): string {
  switch (field.type) {
    case 'text':
    case 'longText':
    case 'richText':
    case 'email':
    case 'phone':
    case 'url':
    case 'select':
    case 'autoNumber':
      return 'text'
    case 'integer':
      return 'integer'
    case 'decimal':
      return `numeric(18,${field.scale ?? DEFAULT_PLACES.decimal})`
    case 'money':
      return `numeric(18,${DEFAULT_PLACES.money})`
    case 'percent':
      return `numeric(9,${DEFAULT_PLACES.percent})`
    case 'boolean':
      return 'boolean'
    case 'date':
      return 'date'
    case 'datetime':
      return 'timestamptz'
    case 'multiSelect':
      return 'text[]'
    case 'reference':
    case 'user':
    case 'department':
      return 'uuid'
    case 'attachment':
    case 'attachments':
    case 'json':
      return 'jsonb'
    case 'formula':
      return formulaColumnType(field)
    case 'childTable':
      throw new Error('a child table has no column')
  }
}

function formulaColumnType(field: Field): string {
  switch (field.resultType) {
    case 'number':
      return 'numeric'
    case 'money':
      return `numeric(18,${DEFAULT_PLACES.money})`
    case 'datetime':
      return 'timestamptz'
    case 'boolean':
      return 'boolean'
    case 'date':
      return 'date'
    default:
      return 'text'
  }
}

/** Whether a field deserves an index of its own (references, owner, declared, unique via constraint). */
export function wantsIndex(
  field: Field,
  searchFields: readonly string[],
  ownerField?: string,
): boolean {
  if (field.type === 'childTable' || field.unique) return false
  return (
    field.index === true ||
    field.type === 'reference' ||
    field.type === 'user' ||
    field.type === 'department' ||
    searchFields.includes(field.name) ||
    ownerField === field.name
  )
}
