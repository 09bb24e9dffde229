import { validateUnique } from './duplicates'
import type { Entity } from './entity'
import type { Field } from './field'
import { validateField } from './field-checks'
import { toIssue, type MetadataIssue } from './issue'
import { validateRuleSize } from './rule-limits'
import { CHILD_KEYS, SYSTEM_KEYS } from './system-fields'

type FieldLookup = (name: string, path: string, options?: { system?: boolean }) => MetadataIssue[]

/** A lookup that reports names which are not fields (or childTables, which have no column). */
function fieldLookup(entity: Entity): FieldLookup {
  const byName = new Map(entity.fields.map((f) => [f.name, f]))
  return (name, path, options = {}) => {
    if (options.system && SYSTEM_KEYS.includes(name)) return []
    const field = byName.get(name)
    if (!field) return [toIssue(path, `no field '${name}' in entity '${entity.id}'`)]
    if (field.type === 'childTable')
      return [toIssue(path, `'${name}' is a childTable field and has no column`)]
    return []
  }
}

function validateFields(entity: Entity): MetadataIssue[] {
  const reserved = entity.childOf ? [...SYSTEM_KEYS, ...CHILD_KEYS] : SYSTEM_KEYS
  const issues = [
    ...validateUnique(
      entity.fields,
      (f) => f.name,
      (i) => `fields[${i}].name`,
      'field name',
    ),
    ...validateUnique(
      entity.fields,
      (f: Field) => f.id ?? f.name,
      (i) => `fields[${i}].id`,
      'field id',
    ),
  ]
  entity.fields.forEach((field, i) => {
    if (reserved.includes(field.name)) {
      issues.push(toIssue(`fields[${i}].name`, `'${field.name}' is a system column name`))
    }
    issues.push(...validateField(field, `fields[${i}]`))
  })
  return issues
}

// A second line shows one short value per field: types that read as one line of text.
const SUBTITLE_TYPES: ReadonlySet<string> = new Set([
  'text',
  'email',
  'phone',
  'url',
  'select',
  'autoNumber',
  'integer',
  'decimal',
  'percent',
  'date',
])

function validateSubtitleFields(entity: Entity, lookup: FieldLookup): MetadataIssue[] {
  return (entity.subtitleFields ?? []).flatMap((name, i) => {
    const path = `subtitleFields[${i}]`
    const found = lookup(name, path)
    if (found.length) return found
    const field = entity.fields.find((f) => f.name === name)!
    return SUBTITLE_TYPES.has(field.type)
      ? []
      : [toIssue(path, `'${name}' is a ${field.type} field; a subtitle shows one line of text`)]
  })
}

function validateFieldRefs(entity: Entity, lookup: FieldLookup): MetadataIssue[] {
  const issues: MetadataIssue[] = []
  if (entity.titleField) issues.push(...lookup(entity.titleField, 'titleField'))
  entity.searchFields?.forEach((name, i) => issues.push(...lookup(name, `searchFields[${i}]`)))
  issues.push(...validateSubtitleFields(entity, lookup))
  if (entity.ownerField) {
    const owner = entity.fields.find((f) => f.name === entity.ownerField)
    if (!owner) issues.push(...lookup(entity.ownerField, 'ownerField'))
    else if (owner.type !== 'user')
      issues.push(toIssue('ownerField', `'${owner.name}' must be a user field`))
  }
  if (entity.permissionParent) {
    const parent = entity.fields.find((f) => f.name === entity.permissionParent)
    if (!parent) issues.push(...lookup(entity.permissionParent, 'permissionParent'))
    else if (parent.type !== 'reference')
      issues.push(toIssue('permissionParent', `'${parent.name}' must be a reference field`))
  }
  if (entity.childOf === entity.id)
    issues.push(toIssue('childOf', 'an entity cannot be its own child'))
  return issues
}

function validateRules(entity: Entity, lookup: FieldLookup): MetadataIssue[] {
  const issues = [
    ...validateUnique(
      entity.dedup,
      (r) => r.id,
      (i) => `dedup[${i}].id`,
      'dedup rule id',
    ),
    ...validateUnique(
      entity.validations,
      (r) => r.id,
      (i) => `validations[${i}].id`,
      'validation id',
    ),
    ...validateUnique(
      entity.indexes,
      (r) => r.id,
      (i) => `indexes[${i}].id`,
      'index id',
    ),
  ]
  entity.dedup?.forEach((rule, i) => {
    rule.fields.forEach((name, j) => issues.push(...lookup(name, `dedup[${i}].fields[${j}]`)))
  })
  entity.validations?.forEach((rule, i) => {
    if (rule.field) issues.push(...lookup(rule.field, `validations[${i}].field`))
    issues.push(...validateRuleSize(rule.rule, `validations[${i}].rule`))
  })
  entity.indexes?.forEach((index, i) => {
    index.fields.forEach((name, j) =>
      issues.push(...lookup(name, `indexes[${i}].fields[${j}]`, { system: true })),
    )
  })
  return issues
}

/** Checks an entity beyond its schema: unique names and ids, and every field it names exists. */
export function validateEntity(entity: Entity): MetadataIssue[] {
  const lookup = fieldLookup(entity)
  return [
    ...validateFields(entity),
    ...validateFieldRefs(entity, lookup),
    ...validateRules(entity, lookup),
  ]
}
