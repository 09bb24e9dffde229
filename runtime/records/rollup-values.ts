import type { Field } from '../../metadata/field'
import type { EntityPlan } from './entity-plan'
import type { RecordData } from './record-data'

/** A roll-up over no related records: 0 for count and sum, null for min, max and latest. */
export function emptyRollup(field: Field): number | null {
  const op = field.rollup?.op
  return op === 'count' || op === 'sum' ? 0 : null
}

/** The roll-up values of a new record (nothing refers to it yet). */
export function initialRollups(plan: EntityPlan): RecordData {
  const values: RecordData = {}
  for (const field of plan.rollups) values[field.name] = emptyRollup(field)
  return values
}
