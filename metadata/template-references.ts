import type { Entity } from './entity'
import type { Field } from './field'
import { toIssue, type MetadataIssue } from './issue'
import { joinPath } from './json-path'
import { CHILD_KEYS, SYSTEM_KEYS } from './system-fields'
import type { Template } from './template'
import { walkTemplate, type TemplatePath } from './template-ast'

/** The keys at the top of a print template's data (docs/templates.md describes each). */
export const TEMPLATE_DATA_KEYS = [
  'record',
  'labels',
  'company',
  'user',
  'printedAt',
  'today',
  'now',
  'locale',
  'currency',
  'template',
] as const

/** Keys of a printed record or row beside its fields: raw values and included references. */
export const RAW_KEY = '_raw'
export const REF_KEY = '_ref'

/** A printed record or row of `entity`, with the references included for it. */
interface DocScope {
  kind: 'doc'
  entity: Entity
  includes: Map<string, Entity>
  child: boolean
}

type Scope = { kind: 'root' } | DocScope | { kind: 'rows'; of: DocScope } | { kind: 'unknown' }

const UNKNOWN: Scope = { kind: 'unknown' }

interface Context {
  entities: ReadonlyMap<string, Entity>
  template: Template
  /** Child table field → the includes of its rows; '' → the record's. */
  includes: Map<string, Map<string, Entity>>
  labelled: Set<string>
  problems: Set<string>
}

/** Resolves `include` paths to the entities they load, recording the bad ones. */
function readIncludes(ctx: Context, issues: MetadataIssue[], entity: Entity): void {
  ctx.template.include?.forEach((path, i) => {
    const [first, second] = path.split('.')
    const holder = second === undefined ? entity : childEntity(ctx, entity.fields, first)
    const name = second ?? first
    const field = holder?.fields.find((f) => f.name === name)
    const target = field?.type === 'reference' ? ctx.entities.get(field.entity ?? '') : undefined
    if (second !== undefined && !holder)
      return void issues.push(
        toIssue(`include[${i}]`, `'${first}' is no child table of '${entity.id}'`),
      )
    if (!target)
      return void issues.push(
        toIssue(`include[${i}]`, `'${name}' is no reference field of '${holder?.id}'`),
      )
    const key = second === undefined ? '' : first
    if (!ctx.includes.has(key)) ctx.includes.set(key, new Map())
    ctx.includes.get(key)?.set(name, target)
    ctx.labelled.add(target.id)
  })
}

function childEntity(ctx: Context, fields: Field[], name: string): Entity | undefined {
  const field = fields.find((f) => f.name === name)
  return field?.type === 'childTable' ? ctx.entities.get(field.entity ?? '') : undefined
}

function docScope(ctx: Context, entity: Entity, includesKey: string | null): DocScope {
  const includes = includesKey === null ? new Map() : (ctx.includes.get(includesKey) ?? new Map())
  return { kind: 'doc', entity, includes, child: entity.childOf !== undefined }
}

/** Where `parts` lead from a printed record or row; unknown names are problems. */
function fromDoc(ctx: Context, scope: DocScope, parts: string[]): Scope {
  const [name, ...rest] = parts
  if (name === undefined) return scope
  const { entity } = scope
  const isKey = (n: string) =>
    entity.fields.some((f) => f.name === n) ||
    SYSTEM_KEYS.includes(n) ||
    (scope.child && CHILD_KEYS.includes(n))
  if (name === RAW_KEY) {
    if (rest[0] !== undefined && !isKey(rest[0]))
      ctx.problems.add(`'${entity.id}' has no field '${rest[0]}'`)
    return UNKNOWN
  }
  if (name === REF_KEY) {
    if (rest[0] === undefined) return UNKNOWN
    const target = scope.includes.get(rest[0])
    if (!target) {
      ctx.problems.add(`'${rest[0]}' of '${entity.id}' is not in include`)
      return UNKNOWN
    }
    return fromDoc(ctx, docScope(ctx, target, null), rest.slice(1))
  }
  if (!isKey(name)) {
    ctx.problems.add(`'${entity.id}' has no field '${name}'`)
    return UNKNOWN
  }
  const field = entity.fields.find((f) => f.name === name)
  if (field?.type === 'childTable') {
    const child = ctx.entities.get(field.entity ?? '')
    if (!child) return UNKNOWN
    const row = docScope(ctx, child, name)
    if (rest.length === 0) return { kind: 'rows', of: row }
    return /^\d+$/.test(rest[0]) ? fromDoc(ctx, row, rest.slice(1)) : UNKNOWN
  }
  if (rest.length > 0)
    ctx.problems.add(`'${name}' prints as text; read '${rest[0]}' from ${RAW_KEY}.${name}`)
  return UNKNOWN
}

function fromRoot(ctx: Context, entity: Entity, parts: string[]): Scope {
  const [key, ...rest] = parts
  if (key === undefined) return { kind: 'root' }
  if (!(TEMPLATE_DATA_KEYS as readonly string[]).includes(key)) {
    ctx.problems.add(`no '${key}' in a print template's data (${TEMPLATE_DATA_KEYS.join(', ')})`)
    return UNKNOWN
  }
  if (key === 'record') return fromDoc(ctx, docScope(ctx, entity, ''), rest)
  if (key === 'labels' && rest[0] !== undefined) {
    const labelled = ctx.entities.get(rest[0])
    if (!ctx.labelled.has(rest[0]) || !labelled)
      ctx.problems.add(`labels.${rest[0]}: the template prints no '${rest[0]}' records`)
    else if (rest[1] !== undefined && !labelled.fields.some((f) => f.name === rest[1]))
      ctx.problems.add(`'${rest[0]}' has no field '${rest[1]}'`)
  }
  return UNKNOWN
}

function resolve(ctx: Context, entity: Entity, stack: Scope[], path: TemplatePath): Scope {
  if (path.dataVariable) return UNKNOWN
  if (path.fromRoot) return fromRoot(ctx, entity, path.parts)
  const scope = stack[stack.length - 1 - path.depth] ?? UNKNOWN
  if (scope.kind === 'root') return fromRoot(ctx, entity, path.parts)
  if (scope.kind === 'doc') return fromDoc(ctx, scope, path.parts)
  return UNKNOWN
}

/** The scope a block opens: each row of a child table, a record or row `with`, or the same. */
function blockScope(
  ctx: Context,
  entity: Entity,
  stack: Scope[],
  helper: string,
  arg?: TemplatePath,
) {
  const current = stack[stack.length - 1]
  if (helper === 'if' || helper === 'unless') return current
  const target = arg ? resolve(ctx, entity, stack, arg) : UNKNOWN
  if (helper === 'each' && target.kind === 'rows') return target.of
  if (helper === 'with' && target.kind === 'doc') return target
  return UNKNOWN
}

/** The data paths of one body: checked where the record's shape is known, else left alone. */
function bodyIssues(ctx: Context, entity: Entity, locale: string, source: string): MetadataIssue[] {
  ctx.problems = new Set()
  const stack: Scope[] = [{ kind: 'root' }]
  try {
    walkTemplate(source, {
      helper() {},
      path: (path) => void resolve(ctx, entity, stack, path),
      enter: (helper, arg) => void stack.push(blockScope(ctx, entity, stack, helper, arg)),
      leave: () => void stack.pop(),
      forbidden() {},
    })
  } catch {
    return [] // a body that does not parse is reported by validatePrintTemplate
  }
  return [...ctx.problems].map((message) => toIssue(joinPath('body', locale), message))
}

/**
 * Checks a print template against the bundle's entities: its entity exists and is no child
 * entity, each include is a reference field (of the record or of a child table's rows), and
 * every field a body names on the record, its rows, its included records and in `labels`
 * exists. Paths inside blocks over data the check cannot know (`#with company`) are left alone.
 */
export function validatePrintTemplateReferences(
  template: Template,
  entities: ReadonlyMap<string, Entity>,
): MetadataIssue[] {
  const entity = entities.get(template.entity)
  if (!entity) return [toIssue('entity', `no entity '${template.entity}'`)]
  if (entity.childOf)
    return [toIssue('entity', `'${entity.id}' is a child table of '${entity.childOf}': print that`)]
  const ctx: Context = {
    entities,
    template,
    includes: new Map(),
    labelled: new Set([entity.id]),
    problems: new Set(),
  }
  for (const field of entity.fields)
    if (field.type === 'childTable' && field.entity) ctx.labelled.add(field.entity)
  const issues: MetadataIssue[] = []
  readIncludes(ctx, issues, entity)
  for (const [locale, source] of Object.entries(template.body))
    if (typeof source === 'string') issues.push(...bodyIssues(ctx, entity, locale, source))
  return issues
}
