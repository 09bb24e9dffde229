import type { Entity } from './entity'
import type { Field, FieldType } from './field'
import { toIssue, type MetadataIssue } from './issue'
import { joinPath } from './json-path'
import { systemKeyType } from './system-fields'

type Entities = ReadonlyMap<string, Entity>

/** Field types a `match` pair may compare (one value each, compared exactly in SQL). */
const MATCHABLE: readonly FieldType[] = [
  'reference',
  'user',
  'department',
  'select',
  'text',
  'email',
  'phone',
  'integer',
  'boolean',
  'date',
]
const NUMBERS: readonly FieldType[] = ['integer', 'decimal', 'percent']

/** What a path of `entity` names: a field, a system key, or (child rows) the parent record. */
interface Typed {
  type: FieldType
  target?: string
}
type Resolved = Typed | { problem: string }

/**
 * Resolves `name`, `parent` or `parent.name` against `entity` (`parent` only when it is a child
 * entity), with the type of its value and, for references, the entity it points at.
 */
export function resolveLatestPath(entity: Entity, path: string, entities: Entities): Resolved {
  const [head, rest] = path.split('.') as [string, string | undefined]
  if (head === 'parent' && entity.childOf) {
    if (rest === undefined) return { type: 'reference', target: entity.childOf }
    const parent = entities.get(entity.childOf)
    if (!parent) return { problem: `no entity '${entity.childOf}'` }
    return resolveLatestPath({ ...parent, childOf: undefined }, rest, entities)
  }
  if (rest !== undefined)
    return { problem: `'${path}': only a child entity's rows have a parent to read` }
  const system = systemKeyType(head)
  if (system) return { type: system }
  const field = entity.fields.find((f) => f.name === head)
  if (!field) return { problem: `no field '${head}' in entity '${entity.id}'` }
  if (field.type === 'childTable') return { problem: `'${head}' is a child table` }
  const type = field.type === 'formula' ? formulaType(field) : field.type
  return type ? { type, target: field.entity } : { problem: `'${head}' has no single value` }
}

function formulaType(field: Field): FieldType | undefined {
  if (field.rollup === undefined && field.formula === undefined) return undefined
  const byResult: Record<string, FieldType> = {
    text: 'text',
    number: 'decimal',
    money: 'money',
    boolean: 'boolean',
    date: 'date',
    datetime: 'datetime',
  }
  return byResult[field.resultType ?? '']
}

/** Why a value of `from` cannot be stored in or compared with `to`, or null when it can. */
function typeProblem(from: Typed, to: Typed) {
  if (from.type === to.type && from.target === to.target) return null
  if (NUMBERS.includes(from.type) && NUMBERS.includes(to.type)) return null
  const show = (r: Typed) => (r.target ? `${r.type} of '${r.target}'` : r.type)
  return `is ${show(from)}, not ${show(to)}`
}

/** The type this field stores (a formula cannot carry latestFrom; field checks say so). */
const ownType = (field: Field): Typed => ({
  type: field.type,
  target: field.type === 'reference' ? field.entity : undefined,
})

/**
 * latestFrom names a real entity; its `field`, `match` keys and `orderBy` are paths of that
 * entity, `match` values paths of this one; copied and matched values have the same type; the
 * filters read fields of the searched row and of its parent. Paths: `fields[i].latestFrom…`.
 */
export function validateLatestFrom(
  entity: Entity,
  field: Field,
  at: string,
  entities: Entities,
  checkRule: (entity: Entity, rule: unknown, at: string) => MetadataIssue[],
): MetadataIssue[] {
  const latest = field.latestFrom
  if (!latest) return []
  const source = entities.get(latest.entity)
  if (!source) return [toIssue(joinPath(at, 'entity'), `no entity '${latest.entity}'`)]
  const issues: MetadataIssue[] = []
  if (!field.readOnly) issues.push(toIssue(at, 'needs the field to be readOnly: true'))
  const copied = resolveLatestPath(source, latest.field, entities)
  if ('problem' in copied) issues.push(toIssue(joinPath(at, 'field'), copied.problem))
  else {
    const problem = typeProblem(copied, ownType(field))
    if (problem) issues.push(toIssue(joinPath(at, 'field'), `'${latest.field}' ${problem}`))
  }
  for (const [theirs, ours] of Object.entries(latest.match)) {
    const where = joinPath(joinPath(at, 'match'), theirs)
    const a = resolveLatestPath(source, theirs, entities)
    const b = resolveLatestPath(entity, ours, entities)
    if ('problem' in a) issues.push(toIssue(where, a.problem))
    else if ('problem' in b) issues.push(toIssue(where, b.problem))
    else if (!MATCHABLE.includes(a.type) && !(theirs === 'parent' || ours === 'parent'))
      issues.push(toIssue(where, `a ${a.type} value cannot be matched`))
    else {
      const problem = typeProblem(a, b)
      if (problem) issues.push(toIssue(where, `'${theirs}' ${problem} ('${ours}')`))
    }
  }
  if (latest.orderBy !== undefined) {
    const order = resolveLatestPath(source, latest.orderBy, entities)
    if ('problem' in order) issues.push(toIssue(joinPath(at, 'orderBy'), order.problem))
  }
  if (latest.filter !== undefined)
    issues.push(...checkRule(source, latest.filter, joinPath(at, 'filter')))
  if (latest.parentFilter !== undefined) {
    const parent = source.childOf ? entities.get(source.childOf) : undefined
    if (!parent)
      issues.push(toIssue(joinPath(at, 'parentFilter'), `'${source.id}' is not a child entity`))
    else issues.push(...checkRule(parent, latest.parentFilter, joinPath(at, 'parentFilter')))
  }
  return issues
}
