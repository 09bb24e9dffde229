import type { Entity } from '../../metadata/entity'
import type { Field } from '../../metadata/field'
import type { Form, FormField } from '../../metadata/form'
import type { Rule } from '../../metadata/rule'
import type { CurrentUser } from '../context'
import { evaluateRule, isTruthy } from '../rules'

/** How one field behaves on a form for a given record and user. */
export interface FieldState {
  visible: boolean
  required: boolean
  readOnly: boolean
}

export type FormState = Record<string, FieldState>

export interface EvaluateFormOptions {
  now?: Date
  /**
   * The record as stored before this edit (null for a new record). When given, a read-only rule
   * locks a field only if it holds both on the stored record and on the edited one: nothing is
   * locked before a record exists, an edit that sets the lock may still fill the field, and an
   * edit that lifts it (level C → B) may change it in the same save.
   */
  stored?: Record<string, unknown> | null
}

/**
 * Computes visible / required / read-only for every field of the entity, applying the form's
 * json-logic rules over `{ ...record, $user }`. Pure and browser-safe: the workspace and the API
 * call the same function, so they always agree.
 *
 * @example
 * evaluateFormState(customer, form, { level: 'A' }, user).region.required // → true
 */
export function evaluateFormState(
  entity: Entity,
  form: Form | undefined,
  record: Record<string, unknown>,
  user: CurrentUser | null,
  opts: EvaluateFormOptions = {},
): FormState {
  const placed = indexFormFields(form)
  const data = { ...record, $user: user }
  const before =
    opts.stored === undefined ? undefined : opts.stored && { ...opts.stored, $user: user }
  const state: FormState = {}
  for (const field of entity.fields) {
    state[field.name] = toFieldState(field, placed.get(field.name), data, before, opts)
  }
  return state
}

/** Maps field name → its placement on the form (first placement wins). */
function indexFormFields(form: Form | undefined): Map<string, FormField> {
  const placed = new Map<string, FormField>()
  for (const tab of form?.tabs ?? []) {
    for (const section of tab.sections) {
      for (const formField of section.fields) {
        if (!placed.has(formField.field)) placed.set(formField.field, formField)
      }
    }
  }
  return placed
}

function toFieldState(
  field: Field,
  formField: FormField | undefined,
  data: unknown,
  before: unknown,
  opts: EvaluateFormOptions,
): FieldState {
  const computed = field.type === 'autoNumber' || field.type === 'formula'
  const lockedNow = ruleHolds(formField?.readOnly, data, opts, false)
  const locked =
    before === undefined
      ? lockedNow
      : before !== null && lockedNow && ruleHolds(formField?.readOnly, before, opts, false)
  return {
    visible: ruleHolds(formField?.visible, data, opts, true),
    required: Boolean(field.required) || ruleHolds(formField?.required, data, opts, false),
    readOnly: Boolean(field.readOnly) || computed || locked,
  }
}

function ruleHolds(
  rule: Rule | undefined,
  data: unknown,
  opts: EvaluateFormOptions,
  fallback: boolean,
): boolean {
  if (rule === undefined) return fallback
  return isTruthy(evaluateRule(rule, data, { now: opts.now, path: 'form' }))
}
