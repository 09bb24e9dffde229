import type { Alert, AlertRecipient } from './alert'
import { fieldTypeOf } from './bundle'
import type { Entity } from './entity'
import type { FieldType } from './field'
import { toIssue, type MetadataIssue } from './issue'
import { joinPath } from './json-path'
import type { Role } from './role'

const SCOPED = new Set(['map', 'filter', 'reduce', 'all', 'none', 'some'])

/** Field types a rule or an action cannot write: computed, numbered, or not a column. */
const UNWRITABLE: ReadonlySet<FieldType> = new Set(['formula', 'autoNumber', 'childTable'])

/** Operators whose string arguments are names read from the data, as `var`'s. */
const NAMING = new Set(['missing', 'missing_some'])

/**
 * Every name a rule reads from the data: each `var`, and each name `missing` and
 * `missing_some` test (names below scoped operators left out).
 * @example varNames({ and: [{ var: 'amount' }, { missing: ['owner'] }] }) // ['amount', 'owner']
 */
export function varNames(rule: unknown, into: string[] = []): string[] {
  if (rule === null || typeof rule !== 'object') return into
  if (Array.isArray(rule)) return (rule.forEach((r) => varNames(r, into)), into)
  for (const [op, raw] of Object.entries(rule)) {
    const args = Array.isArray(raw) ? raw : [raw]
    if (op === 'var') {
      if (typeof args[0] === 'string' && args[0] !== '') into.push(args[0])
    } else if (NAMING.has(op)) {
      for (const arg of args.flat())
        if (typeof arg !== 'string') varNames(arg, into)
        else if (arg !== '') into.push(arg)
    } else varNames(SCOPED.has(op) ? args[0] : args, into)
  }
  return into
}

/** Rules see `{ record, previous, $user }`: each `var` must start there and name a real field. */
function validateRuleVars(
  rule: unknown,
  path: string,
  entity: Entity | undefined,
): MetadataIssue[] {
  const issues: MetadataIssue[] = []
  for (const name of new Set(varNames(rule))) {
    const [root, field] = name.split('.')
    if (root === '$user') continue
    if (root !== 'record' && root !== 'previous') {
      issues.push(toIssue(path, `reads '${name}': use record.${name}, previous.… or $user.…`))
    } else if (!entity) {
      issues.push(toIssue(path, `reads '${name}' but the alert has no entity`))
    } else if (field !== undefined && !fieldTypeOf(entity, field)) {
      issues.push(toIssue(path, `no field '${field}' in entity '${entity.id}'`))
    }
  }
  return issues
}

/** An issue unless `name` is a field of `entity` whose type is one of `types`. */
export function expectField(
  entity: Entity,
  name: string,
  types: readonly FieldType[],
  path: string,
): MetadataIssue[] {
  const type = fieldTypeOf(entity, name)
  if (!type) return [toIssue(path, `no field '${name}' in entity '${entity.id}'`)]
  if (!types.includes(type))
    return [toIssue(path, `'${entity.id}.${name}' is a ${type} field, not ${types.join(' or ')}`)]
  return []
}

/** A user field, or `reference.userField` one hop away. */
function validateUserField(
  entity: Entity,
  name: string,
  entities: ReadonlyMap<string, Entity>,
  path: string,
): MetadataIssue[] {
  const [head, tail] = name.split('.')
  if (tail === undefined) return expectField(entity, head, ['user'], path)
  const via = expectField(entity, head, ['reference'], path)
  if (via.length) return via
  const target = entities.get(entity.fields.find((f) => f.name === head)!.entity!)
  return target ? expectField(target, tail, ['user'], path) : []
}

function validateRecipient(
  recipient: AlertRecipient,
  path: string,
  entity: Entity | undefined,
  indexes: AlertIndexes,
): MetadataIssue[] {
  if (recipient.type === 'role') {
    if (indexes.roles && !indexes.roles.has(recipient.role))
      return [toIssue(`${path}.role`, `no role '${recipient.role}'`)]
    return []
  }
  if (!entity) return []
  if (recipient.type === 'field')
    return validateUserField(entity, recipient.field, indexes.entities, `${path}.field`)
  if (
    (recipient.type === 'departmentHead' || recipient.type === 'departmentMembers') &&
    recipient.field
  )
    return expectField(entity, recipient.field, ['department'], `${path}.field`)
  if (recipient.type !== 'contact') return []
  return [
    ...(recipient.emailField
      ? expectField(entity, recipient.emailField, ['email'], `${path}.emailField`)
      : []),
    ...(recipient.phoneField
      ? expectField(entity, recipient.phoneField, ['phone'], `${path}.phoneField`)
      : []),
  ]
}

/** An issue unless `name` is a field of `entity` that an action may write. */
function expectWritable(entity: Entity, name: string, path: string): MetadataIssue[] {
  const field = entity.fields.find((f) => f.name === name)
  if (!field) return [toIssue(path, `no writable field '${name}' in entity '${entity.id}'`)]
  if (UNWRITABLE.has(field.type)) return [toIssue(path, `a ${field.type} field cannot be set`)]
  return []
}

function validateActionReferences(alert: Alert, entity: Entity | undefined, indexes: AlertIndexes) {
  const issues: MetadataIssue[] = []
  alert.actions?.forEach((action, i) => {
    const at = `actions[${i}]`
    if (action.type === 'setField') {
      if (entity) issues.push(...expectWritable(entity, action.field, `${at}.field`))
      issues.push(...validateRuleVars(action.value, `${at}.value`, entity))
      return
    }
    const target = indexes.entities.get(action.entity)
    if (!target) return void issues.push(toIssue(`${at}.entity`, `no entity '${action.entity}'`))
    for (const [name, rule] of Object.entries(action.values)) {
      const path = joinPath(`${at}.values`, name)
      issues.push(...expectWritable(target, name, path), ...validateRuleVars(rule, path, entity))
    }
  })
  return issues
}

function validateTriggerReferences(alert: Alert, entity: Entity): MetadataIssue[] {
  const { trigger } = alert
  if (trigger.type === 'fieldChanged') {
    return fieldTypeOf(entity, trigger.field)
      ? []
      : [toIssue('trigger.field', `no field '${trigger.field}' in entity '${entity.id}'`)]
  }
  if (trigger.type !== 'dateOffset') return []
  return [
    ...expectField(entity, trigger.field, ['date', 'datetime'], 'trigger.field'),
    ...(trigger.while !== undefined
      ? validateRuleVars(trigger.while, 'trigger.while', entity)
      : []),
  ]
}

/** What an alert may point at. `roles` undefined: the bundle carries none, so none is checked. */
export interface AlertIndexes {
  entities: ReadonlyMap<string, Entity>
  roles?: ReadonlyMap<string, Role>
}

/**
 * Dangling or mistyped references of an alert: its entity; the trigger's field (a date or
 * datetime for `dateOffset`); recipient fields (user, department, email, phone) and roles; the
 * sms opt-out field (boolean); the fields rules read and actions write. Paths are relative to
 * the alert: `trigger.field`.
 */
export function validateAlertReferences(alert: Alert, indexes: AlertIndexes): MetadataIssue[] {
  const entity = alert.entity ? indexes.entities.get(alert.entity) : undefined
  if (alert.entity && !entity) return [toIssue('entity', `no entity '${alert.entity}'`)]
  const issues = entity ? validateTriggerReferences(alert, entity) : []
  if (alert.condition !== undefined)
    issues.push(...validateRuleVars(alert.condition, 'condition', entity))
  alert.recipients?.forEach((r, i) =>
    issues.push(...validateRecipient(r, `recipients[${i}]`, entity, indexes)),
  )
  alert.channels.forEach((channel, i) => {
    if (channel.type === 'sms' && channel.optOutField && entity)
      issues.push(
        ...expectField(entity, channel.optOutField, ['boolean'], `channels[${i}].optOutField`),
      )
  })
  issues.push(...validateActionReferences(alert, entity, indexes))
  return issues
}
