import type { Entity } from './entity'
import type { Field, FieldType } from './field'
import { toIssue, type MetadataIssue } from './issue'
import { joinPath } from './json-path'
import { validateLatestFrom } from './latest-from-checks'
import type { Rule } from './rule'
import { SYSTEM_KEYS } from './system-fields'

type Entities = ReadonlyMap<string, Entity>

const NUMERIC: readonly FieldType[] = ['integer', 'decimal', 'money', 'percent']
/** Field types whose value has inner parts a path may name freely. */
const OPEN_VALUES: readonly FieldType[] = ['json', 'attachment', 'attachments', 'childTable']

/** Every `var` path a rule reads, with where it sits in the rule. */
function varPaths(rule: Rule, at: string, into: { path: string; at: string }[] = []) {
  if (Array.isArray(rule)) rule.forEach((item, i) => varPaths(item as Rule, `${at}[${i}]`, into))
  else if (rule && typeof rule === 'object') {
    for (const [op, arg] of Object.entries(rule)) {
      const here = joinPath(at, op)
      if (op === 'var') {
        const name = Array.isArray(arg) ? arg[0] : arg
        if (typeof name === 'string') into.push({ path: name, at: here })
      }
      varPaths(arg as Rule, here, into)
    }
  }
  return into
}

/**
 * Why `rest` (the path after a field) cannot be read from a value of `field`, or null when it
 * can: money has amount and currency; a reference is followed once to its target's fields.
 */
function pathProblem(
  field: Field,
  rest: string[],
  entities: Entities,
  hop: boolean,
): string | null {
  if (!rest.length || OPEN_VALUES.includes(field.type)) return null
  if (field.type === 'money')
    return rest.length === 1 && ['amount', 'currency'].includes(rest[0])
      ? null
      : `money '${field.name}' has only amount and currency`
  if (field.type !== 'reference')
    return `'${field.name}' is a ${field.type} field: '${rest.join('.')}' cannot be read from it`
  if (hop) return `'${field.name}': a lookup follows one reference (in formulas), not two`
  const target = entities.get(field.entity ?? '')
  if (!target) return `no entity '${field.entity}'`
  if (SYSTEM_KEYS.includes(rest[0]) && rest.length === 1) return null
  const next = target.fields.find((f) => f.name === rest[0])
  if (!next) return `no field '${rest[0]}' in entity '${target.id}'`
  return pathProblem(next, rest.slice(1), entities, true)
}

/** Issues of the var paths of one rule that start at a field of `entity`; lookups only in formulas. */
function validateRulePaths(
  entity: Entity,
  rule: Rule,
  at: string,
  entities: Entities,
  lookups = false,
) {
  const issues: MetadataIssue[] = []
  for (const { path, at: where } of varPaths(rule, at)) {
    const [first, ...rest] = path.split('.')
    const field = entity.fields.find((f) => f.name === first)
    const problem = field ? pathProblem(field, rest, entities, !lookups) : null
    if (problem) issues.push(toIssue(where, `cannot read '${path}': ${problem}`))
  }
  return issues
}

function isNumericField(field: Field): boolean {
  if (field.type === 'formula') return field.resultType === 'number' || field.resultType === 'money'
  return NUMERIC.includes(field.type)
}

/** A roll-up names a child entity, its reference back to this entity, and a foldable field. */
function validateRollup(entity: Entity, field: Field, at: string, entities: Entities) {
  const rollup = field.rollup
  if (!rollup) return []
  const child = entities.get(rollup.entity)
  if (!child) return [toIssue(joinPath(at, 'entity'), `no entity '${rollup.entity}'`)]
  const issues: MetadataIssue[] = []
  const via = child.fields.find((f) => f.name === rollup.via)
  if (!via || via.type !== 'reference' || via.entity !== entity.id)
    issues.push(
      toIssue(
        joinPath(at, 'via'),
        `'${rollup.via}' must be a reference of '${child.id}' to '${entity.id}'`,
      ),
    )
  const folded =
    rollup.field === undefined ? undefined : child.fields.find((f) => f.name === rollup.field)
  if (rollup.op === 'count') {
    if (rollup.field !== undefined)
      issues.push(toIssue(joinPath(at, 'field'), 'count takes no field'))
    if (field.resultType !== 'number')
      issues.push(toIssue(joinPath(at, 'op'), "count needs resultType 'number'"))
  } else if (!folded || folded.type === 'childTable') {
    issues.push(toIssue(joinPath(at, 'field'), `${rollup.op} needs a field of '${child.id}'`))
  } else if (rollup.op === 'sum' && !isNumericField(folded)) {
    issues.push(toIssue(joinPath(at, 'field'), `sum needs a number field, not ${folded.type}`))
  }
  if (rollup.orderBy !== undefined && rollup.op !== 'latest')
    issues.push(toIssue(joinPath(at, 'orderBy'), 'is only for latest'))
  else if (
    rollup.orderBy &&
    !SYSTEM_KEYS.includes(rollup.orderBy) &&
    !child.fields.some((f) => f.name === rollup.orderBy)
  )
    issues.push(
      toIssue(joinPath(at, 'orderBy'), `no field '${rollup.orderBy}' in entity '${child.id}'`),
    )
  if (rollup.filter !== undefined)
    issues.push(...validateRulePaths(child, rollup.filter, joinPath(at, 'filter'), entities))
  return issues
}

/** fillFrom names a reference field of this entity and a field of the same type on its target. */
function validateFill(entity: Entity, field: Field, at: string, entities: Entities) {
  const fill = field.fillFrom
  if (!fill) return []
  const ref = entity.fields.find((f) => f.name === fill.reference)
  if (!ref || ref.type !== 'reference')
    return [toIssue(joinPath(at, 'reference'), `'${fill.reference}' must be a reference field`)]
  const target = entities.get(ref.entity ?? '')
  const source = target?.fields.find((f) => f.name === fill.field)
  if (!target || !source)
    return [toIssue(joinPath(at, 'field'), `no field '${fill.field}' in entity '${ref.entity}'`)]
  const sourceType =
    source.type === 'formula' && source.resultType === 'money' ? 'money' : source.type
  if (
    sourceType !== field.type &&
    !(isNumericField(source) && isNumericField(field) && field.type !== 'money')
  )
    return [
      toIssue(
        joinPath(at, 'field'),
        `'${target.id}.${source.name}' is ${sourceType}, not ${field.type}`,
      ),
    ]
  return []
}

/** Issues of a filter over `entity`'s rows: every var names a field or system key of it. */
function validateRowFilter(entity: Entity, rule: unknown, at: string, entities: Entities) {
  const issues = validateRulePaths(entity, rule as Rule, at, entities)
  for (const { path, at: where } of varPaths(rule as Rule, at)) {
    const first = path.split('.')[0]
    if (!SYSTEM_KEYS.includes(first) && !entity.fields.some((f) => f.name === first))
      issues.push(toIssue(where, `no field '${first}' in entity '${entity.id}'`))
  }
  return issues
}

/**
 * Checks what computed fields read across entities: every `var` path through a field is
 * readable (a money part, or one reference followed to a field of its target), roll-ups and
 * fill-from and latest-from name real entities and fields. Paths point into the entity: `fields[3].formula…`.
 */
export function validateComputedReferences(entity: Entity, entities: Entities): MetadataIssue[] {
  const issues: MetadataIssue[] = []
  entity.fields.forEach((field, i) => {
    const at = `fields[${i}]`
    if (field.formula !== undefined)
      issues.push(
        ...validateRulePaths(entity, field.formula, joinPath(at, 'formula'), entities, true),
      )
    if (field.setWhen !== undefined)
      issues.push(...validateRulePaths(entity, field.setWhen, joinPath(at, 'setWhen'), entities))
    issues.push(...validateRollup(entity, field, joinPath(at, 'rollup'), entities))
    issues.push(...validateFill(entity, field, joinPath(at, 'fillFrom'), entities))
    issues.push(
      ...validateLatestFrom(entity, field, joinPath(at, 'latestFrom'), entities, (e, rule, where) =>
        validateRowFilter(e, rule, where, entities),
      ),
    )
  })
  entity.validations?.forEach((rule, i) =>
    issues.push(...validateRulePaths(entity, rule.rule, `validations[${i}].rule`, entities)),
  )
  return issues
}
