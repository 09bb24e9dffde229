import type { Entity } from '../../metadata/entity'
import type { Field } from '../../metadata/field'

/**
 * The currency a money measure's amounts are in: the money field's own, else (a computed amount
 * such as an order's total or a line's amount) the first money field's of its record, then of
 * its child rows. Undefined when the metadata names none. Amounts are folded as stored: a
 * report does not convert between currencies.
 * @example currencyOf(entities, orderLine, amountFormula) // 'CNY' (from unitPrice)
 */
export function currencyOf(
  entities: ReadonlyMap<string, Entity>,
  entity: Entity,
  field: Field | undefined,
): string | undefined {
  if (field?.type === 'money' && field.currency) return field.currency
  const own = entity.fields.find((f) => f.type === 'money' && f.currency)
  if (own) return own.currency
  for (const f of entity.fields) {
    const child = f.type === 'childTable' && f.entity ? entities.get(f.entity) : undefined
    const found = child?.fields.find((c) => c.type === 'money' && c.currency)
    if (found) return found.currency
  }
  return undefined
}
