import type { Field } from '../../metadata/field'
import type { Issue } from '../errors'
import type { EntityPlan } from './entity-plan'
import { fieldSchema, hasValueSchema } from './field-schema'
import { keyPath, createAjv, compileRecordValidator } from './record-validator'
import type { RecordData } from './record-data'

/** One validator per read-only field, built on first use (the plan's validator leaves them out). */
const validators = new WeakMap<Field, (value: unknown) => Issue[]>()
const ajv = createAjv()

function validatorOf(field: Field): (value: unknown) => Issue[] {
  let validate = validators.get(field)
  if (!validate) {
    const check = compileRecordValidator(ajv, {
      type: 'object',
      properties: { [field.name]: fieldSchema(field) },
    })
    validators.set(field, (validate = (value) => check({ [field.name]: value })))
  }
  return validate
}

/**
 * Puts values the engine writes (a flow's state, its inputs and `set` effects) into `values`:
 * read-only fields are allowed, still checked against their field's schema. Unknown and computed
 * fields are issues. Answers the read-only names, which the plan's validator must not see.
 */
export function takeTrustedValues(
  plan: EntityPlan,
  values: RecordData,
  trusted: RecordData,
  issues: Issue[],
): string[] {
  const held: string[] = []
  for (const [name, value] of Object.entries(trusted)) {
    if (value === undefined) continue
    const field = plan.fieldsByName.get(name)
    if (!field || field.type === 'childTable' || !hasValueSchema(field)) {
      issues.push({ path: keyPath(name), message: 'is not a field this write may set' })
      continue
    }
    values[name] = value
    if (!field.readOnly) continue
    held.push(name)
    issues.push(...validatorOf(field)(value))
  }
  return held
}

/** `values` without `names` (the plan's validator refuses read-only fields). */
export function omitNames(values: RecordData, names: string[]): RecordData {
  if (!names.length) return values
  const out = { ...values }
  for (const name of names) delete out[name]
  return out
}
