import type { EntityPlan } from './entity-plan'
import type { RecordData } from './record-data'
import { evaluateRule, isTruthy } from './rule-engine'
import { momentValue, type WriteMoment } from './write-values'

function holds(plan: EntityPlan, name: string, record: RecordData, now: Date): boolean {
  const rule = plan.fieldsByName.get(name)!.setWhen!
  try {
    return isTruthy(evaluateRule(rule, record, { now }))
  } catch {
    return false
  }
}

/**
 * Stamps each `setWhen` field whose rule became true with this write (false before, or a new
 * record) with today, now or the writer; a value the writer gave is kept.
 * @example `resolvedAt` with setWhen {"==": [{"var": "status"}, "resolved"]}
 */
export function applyStamps(
  plan: EntityPlan,
  record: RecordData,
  old: RecordData | null,
  provided: Set<string>,
  at: WriteMoment,
): void {
  for (const field of plan.stamps) {
    if (provided.has(field.name) || !holds(plan, field.name, record, at.now)) continue
    if (old && holds(plan, field.name, old, at.now)) continue
    record[field.name] = momentValue(field, field.type === 'user' ? 'currentUser' : 'now', at)
  }
}
