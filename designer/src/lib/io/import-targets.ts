import type { Entity } from '$metadata/entity'
import type { IssueWords } from './issue-text'

/** Field types a column cannot fill (files, computed values, child tables themselves). */
const NOT_IMPORTED = ['attachment', 'attachments', 'autoNumber', 'formula', 'childTable']

/** One choice of the mapping's select: the target the API takes and its text. */
export interface MappingTarget {
  value: string
  text: string
}

/** An entity's importable fields as targets behind `prefix`, a money field's currency too. */
function fieldTargets(entity: Entity, prefix: string, table: string, words: IssueWords) {
  return entity.fields
    .filter((f) => !f.readOnly && !NOT_IMPORTED.includes(f.type))
    .flatMap((f) => {
      const own = words.label(f.label, f.name)
      const text = table ? words.t('io.childField', { table, field: own }) : own
      const currency = words.t('io.fieldPart', { field: text, part: words.t('io.currency') })
      const value = prefix + f.name
      return f.type === 'money'
        ? [
            { value, text },
            { value: `${value}.currency`, text: currency },
          ]
        : [{ value, text }]
    })
}

/**
 * What a column may fill, as the API's mapping names it: the entity's fields, then each child
 * table's (`lines.product`, shown as `Lines / Product`) whose entity is loaded in `children`.
 * An auto-number field only when it is the upsert `key` (its column finds records, never writes).
 * @example importTargets(order, { orderLine }, words) // […, { value: 'lines.product', text: 'Lines / Product' }]
 */
export function importTargets(
  entity: Entity,
  children: Record<string, Entity>,
  words: IssueWords,
  key = '',
): MappingTarget[] {
  const out = fieldTargets(entity, '', '', words)
  const numbered = entity.fields.find((f) => f.name === key && f.type === 'autoNumber')
  if (numbered) out.unshift({ value: numbered.name, text: words.label(numbered.label, key) })
  for (const field of entity.fields) {
    const child = field.type === 'childTable' && field.entity ? children[field.entity] : undefined
    if (!child || field.readOnly) continue
    out.push(...fieldTargets(child, `${field.name}.`, words.label(field.label, field.name), words))
  }
  return out
}

/** Whether a mapping fills a child table (a target under one of the entity's child fields). */
export function mapsChildRows(entity: Entity, mapping: Record<string, string | null>): boolean {
  const tables = entity.fields.filter((f) => f.type === 'childTable').map((f) => `${f.name}.`)
  return Object.values(mapping).some((v) => !!v && tables.some((t) => v.startsWith(t)))
}
