import { fieldTypeOf } from './bundle'
import type { Entity } from './entity'
import type { FieldType } from './field'
import { toIssue, type MetadataIssue } from './issue'
import type { View } from './view'
import { sortFieldsOf } from './view-checks'

const DATE_TYPES: readonly FieldType[] = ['date', 'datetime']

/** Issue when `name` is not a field of `entity`, or not one of the `types` given. */
function checkField(
  entity: Entity,
  name: string,
  path: string,
  types?: readonly FieldType[],
): MetadataIssue[] {
  const type = fieldTypeOf(entity, name)
  if (!type) return [toIssue(path, `no field '${name}' in entity '${entity.id}'`)]
  if (types && !types.includes(type)) {
    return [toIssue(path, `'${name}' is a ${type} field; expected ${types.join(' or ')}`)]
  }
  return []
}

function validateLayout(view: View, entity: Entity): MetadataIssue[] {
  switch (view.type) {
    case 'list':
      return view.columns.flatMap((c, i) => checkField(entity, c.field, `columns[${i}].field`))
    case 'kanban':
      return [
        ...checkField(entity, view.groupBy, 'groupBy', ['select']),
        ...view.cardFields.flatMap((name, i) => checkField(entity, name, `cardFields[${i}]`)),
      ]
    case 'calendar':
      return [
        ...checkField(entity, view.dateField, 'dateField', DATE_TYPES),
        ...(view.endDateField
          ? checkField(entity, view.endDateField, 'endDateField', DATE_TYPES)
          : []),
        ...(view.titleField ? checkField(entity, view.titleField, 'titleField') : []),
      ]
  }
}

/** Dangling names in one view: its entity, columns, lanes, dates and sort fields. */
export function validateViewReferences(
  view: View,
  entities: ReadonlyMap<string, Entity>,
): MetadataIssue[] {
  const entity = entities.get(view.entity)
  if (!entity) return [toIssue('entity', `no entity '${view.entity}'`)]
  const sort = view.sort
    ? sortFieldsOf(view.sort).flatMap((name) => checkField(entity, name, 'sort'))
    : []
  return [...validateLayout(view, entity), ...sort]
}
