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
  const state: FormState = {}
  for (const field of entity.fields) {
    state[field.name] = toFieldState(field, placed.get(field.name), data, opts)
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
  opts: EvaluateFormOptions,
): FieldState {
  const computed = field.type === 'autoNumber' || field.type === 'formula'
  return {
    visible: ruleHolds(formField?.visible, data, opts, true),
    required: Boolean(field.required) || ruleHolds(formField?.required, data, opts, false),
    readOnly:
      Boolean(field.readOnly) || computed || ruleHolds(formField?.readOnly, data, opts, false),
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
