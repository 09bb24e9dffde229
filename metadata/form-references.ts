import type { Entity } from './entity'
import type { Form } from './form'
import { formFieldsOf } from './form-checks'
import { fieldTypeOf } from './bundle'
import { toIssue, type MetadataIssue } from './issue'

/** Field types whose values do not order rows (no plain column, or a list of values). */
const UNSORTED_TYPES = new Set([
  'childTable',
  'json',
  'multiSelect',
  'attachment',
  'attachments',
  'richText',
  'longText',
])

/** Dangling names in one form: its entity, the fields it places, its related lists. */
export function validateFormReferences(
  form: Form,
  entities: ReadonlyMap<string, Entity>,
): MetadataIssue[] {
  const entity = entities.get(form.entity)
  if (!entity) return [toIssue('entity', `no entity '${form.entity}'`)]
  const issues: MetadataIssue[] = []
  for (const { field, path } of formFieldsOf(form)) {
    if (!fieldTypeOf(entity, field.field)) {
      issues.push(toIssue(`${path}.field`, `no field '${field.field}' in entity '${entity.id}'`))
    }
  }
  form.relatedLists?.forEach((list, i) => {
    const at = `relatedLists[${i}]`
    const related = entities.get(list.entity)
    if (!related) return void issues.push(toIssue(`${at}.entity`, `no entity '${list.entity}'`))
    const link = related.fields.find((f) => f.name === list.field)
    if (!link) {
      issues.push(toIssue(`${at}.field`, `no field '${list.field}' in entity '${related.id}'`))
    } else if (link.type !== 'reference' || link.entity !== entity.id) {
      issues.push(
        toIssue(`${at}.field`, `'${related.id}.${link.name}' is not a reference to '${entity.id}'`),
      )
    }
    if (list.sort) {
      const name = list.sort.replace(/^-/, '')
      const type = fieldTypeOf(related, name)
      if (!type) {
        issues.push(toIssue(`${at}.sort`, `no field '${name}' in entity '${related.id}'`))
      } else if (UNSORTED_TYPES.has(type)) {
        issues.push(toIssue(`${at}.sort`, `a ${type} field cannot order a list`))
      }
    }
    list.columns?.forEach((name, j) => {
      if (!fieldTypeOf(related, name)) {
        issues.push(toIssue(`${at}.columns[${j}]`, `no field '${name}' in entity '${related.id}'`))
      }
    })
  })
  return issues
}
