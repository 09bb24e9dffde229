import type { Db } from '../db'
import { ConflictError } from '../errors'
import type { ExecutableStep, PlanStepView } from './plan'

interface PgError {
  code?: string
  detail?: string
  message?: string
}

/** What each constraint or data error says about the rows already there. */
const PROBLEMS: Record<string, string> = {
  '23505': 'must be unique, but existing rows share a value',
  '23502': 'must have a value, but existing rows have none',
  '23503': 'must refer to existing records, but some values refer to none',
  '23514': 'existing rows break a check',
}

/**
 * Turns a statement's failure into the error a publish answers with: when rows already there
 * refuse the step (duplicates refusing a unique index, values that do not convert to the new
 * type, …), a 409 naming the step's entity and field. Anything else is rethrown as it is.
 */
export function toApplyError(step: PlanStepView, err: unknown): unknown {
  const error = err as PgError
  const code = typeof error?.code === 'string' ? error.code : ''
  // A publish beside a start-up's background index build on the same table can deadlock.
  if (code === '40P01')
    return new ConflictError('Another schema change was running: publish again', [
      { path: step.entity, message: `"${step.description}" met a concurrent change (deadlock)` },
    ])
  if (!code.startsWith('23') && !code.startsWith('22')) return err
  const problem = PROBLEMS[code] ?? `has values that do not fit (${error.message ?? code})`
  const detail = error.detail ? ` (${error.detail.replace(/\.$/, '')})` : ''
  return new ConflictError(
    `The data in ${step.entity} does not allow "${step.description}": fix the rows, then publish again`,
    [
      {
        path: step.field ? `${step.entity}.${step.field}` : step.entity,
        message: problem + detail,
      },
    ],
  )
}

/**
 * Runs a plan's statements in order, inside the caller's transaction (which the thrown error
 * rolls back whole); a failure the data causes names its step (`toApplyError`).
 * @example await applySchemaPlan(tx, buildSchemaPlan(applied, next, existing).steps)
 */
export async function applySchemaPlan(db: Db, steps: ExecutableStep[]): Promise<void> {
  for (const step of steps) {
    for (const statement of step.statements) {
      try {
        await db.query(statement)
      } catch (err) {
        throw toApplyError(step.view, err)
      }
    }
  }
}
