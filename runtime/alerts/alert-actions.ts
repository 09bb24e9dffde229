import type { Alert } from '../../metadata/alert'
import type { Ctx } from '../context'
import { createRecord, updateRecord } from '../records'
import { evaluateRule } from '../rules'
import { readWriteOrigin, toAlertOrigin } from './alert-origin'

/**
 * Runs an alert's actions for one firing, as the caller of `ctx` (the system user) through the
 * normal record functions, so validation, audit and the outbox apply. Values are json-logic over
 * `{ record, previous, $user }`. Each write carries its origin as its request id: the chain of
 * alerts behind the record's current version plus this one, which keeps alerts from firing on
 * their own writes (`isAlertLoop`). The caller makes it run once per firing (`runOnce`).
 * @example await runAlertActions(systemCtx, overdueAlert, record, null)
 * // sets record.status = 'overdue' (a setField action), creates a follow-up (createRecord)
 */
export async function runAlertActions(
  ctx: Ctx,
  alert: Alert,
  record: Record<string, unknown>,
  previous: Record<string, unknown> | null,
): Promise<void> {
  if (!alert.actions?.length) return
  const data = { record, previous, $user: null }
  const now = ctx.clock.now()
  const parent =
    alert.entity && typeof record.id === 'string'
      ? await readWriteOrigin(ctx.db, {
          entity: alert.entity,
          recordId: record.id,
          version: record.version,
          userId: record.updatedBy,
        })
      : []
  ctx = { ...ctx, requestId: toAlertOrigin([...parent, alert.id]) }
  for (const [i, action] of (alert.actions ?? []).entries()) {
    const path = `alerts[${alert.id}].actions[${i}]`
    if (action.type === 'setField') {
      if (!alert.entity || typeof record.id !== 'string') continue
      const value = evaluateRule(action.value, data, { now, path: `${path}.value` })
      // The version read for this firing: a write that came since wins, and this action fails
      // with a 409 for the queue to retry on the newer record.
      await updateRecord(
        ctx,
        alert.entity,
        record.id,
        { [action.field]: value },
        Number(record.version),
      )
    } else {
      const values = Object.fromEntries(
        Object.entries(action.values).map(([field, rule]) => [
          field,
          evaluateRule(rule, data, { now, path: `${path}.values.${field}` }),
        ]),
      )
      await createRecord(ctx, action.entity, values)
    }
  }
}
