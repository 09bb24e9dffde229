import { expectField } from './alert-references'
import type { Entity } from './entity'
import type { FieldType } from './field'
import type { ApproverSource, Flow, FlowEffect, FlowTransition } from './flow'
import { walkApprovalNodes } from './flow-checks'
import { transitionRuleIssues } from './flow-rule-names'
import { toIssue, type MetadataIssue } from './issue'
import { joinPath } from './json-path'
import type { Role } from './role'
import { systemKeyType } from './system-fields'

/** What a flow may point at. `roles` undefined: the bundle carries none, so none is checked. */
export interface FlowIndexes {
  entities: ReadonlyMap<string, Entity>
  roles?: ReadonlyMap<string, Role>
  calendars: ReadonlySet<string>
}

/** Field types nobody fills by hand: computed (formula, roll-up) or numbered. */
const COMPUTED: ReadonlySet<FieldType> = new Set(['formula', 'autoNumber'])

/**
 * An issue unless `name` is a field of `entity` a person or an effect may write: not a system
 * key, not computed, not the flow's state field; child tables only where `childTables` allows.
 */
function expectWritable(
  entity: Entity,
  name: string,
  path: string,
  opts: { stateField?: string; childTables?: boolean } = {},
): MetadataIssue[] {
  if (systemKeyType(name)) return [toIssue(path, `'${name}' is a system field`)]
  const field = entity.fields.find((f) => f.name === name)
  if (!field) return [toIssue(path, `no field '${name}' in entity '${entity.id}'`)]
  if (COMPUTED.has(field.type))
    return [toIssue(path, `'${entity.id}.${name}' is a computed ${field.type} field`)]
  if (field.type === 'childTable' && !opts.childTables)
    return [toIssue(path, `'${entity.id}.${name}' is a child table`)]
  if (name === opts.stateField)
    return [toIssue(path, `'${name}' is the state field: only transitions move it`)]
  return []
}

function stateIssues(flow: Flow, entity: Entity): MetadataIssue[] {
  const field = entity.fields.find((f) => f.name === flow.stateField)
  if (!field)
    return [toIssue('stateField', `no field '${flow.stateField}' in entity '${entity.id}'`)]
  if (field.type !== 'select')
    return [
      toIssue('stateField', `'${entity.id}.${field.name}' is a ${field.type} field, not select`),
    ]
  const options = new Set((field.options ?? []).map((o) => o.value))
  const issues: MetadataIssue[] = []
  flow.states.forEach((s, i) => {
    if (!options.has(s.id))
      issues.push(toIssue(`states[${i}].id`, `'${s.id}' is not an option of ${field.name}`))
    s.lock?.editable.forEach((name, j) =>
      issues.push(
        ...expectWritable(entity, name, `states[${i}].lock.editable[${j}]`, {
          stateField: flow.stateField,
          childTables: true,
        }),
      ),
    )
  })
  return issues
}

function roleIssue(role: string | undefined, path: string, idx: FlowIndexes): MetadataIssue[] {
  if (role === undefined || !idx.roles || idx.roles.has(role)) return []
  return [toIssue(path, `no role '${role}'`)]
}

function sourceIssues(
  sources: readonly ApproverSource[] | undefined,
  path: string,
  entity: Entity,
  idx: FlowIndexes,
): MetadataIssue[] {
  return (sources ?? []).flatMap((s, i) => {
    const at = `${path}[${i}]`
    if ('role' in s) return roleIssue(s.role, `${at}.role`, idx)
    if ('field' in s) return expectField(entity, s.field, ['user'], `${at}.field`)
    if ('managerChain' in s)
      return roleIssue(s.managerChain.upToRole, `${at}.managerChain.upToRole`, idx)
    if ('submitterPick' in s)
      return roleIssue(s.submitterPick.role, `${at}.submitterPick.role`, idx)
    if ('departmentHead' in s && s.departmentHead.field !== undefined)
      return expectField(
        entity,
        s.departmentHead.field,
        ['department'],
        `${at}.departmentHead.field`,
      )
    return []
  })
}

function createIssues(
  effect: Extract<FlowEffect, { type: 'create' }>,
  at: string,
  source: Entity,
  idx: FlowIndexes,
): MetadataIssue[] {
  const p = effect.params
  const target = idx.entities.get(p.entity)
  if (!target) return [toIssue(`${at}.entity`, `no entity '${p.entity}'`)]
  const issues = Object.keys(p.values).flatMap((name) =>
    expectWritable(target, name, joinPath(`${at}.values`, name)),
  )
  p.children?.forEach((c, j) => {
    const path = `${at}.children[${j}]`
    issues.push(...expectField(source, c.from, ['childTable'], `${path}.from`))
    const to = expectField(target, c.to, ['childTable'], `${path}.to`)
    issues.push(...to)
    const rows = to.length
      ? undefined
      : idx.entities.get(target.fields.find((f) => f.name === c.to)!.entity!)
    if (rows)
      for (const name of Object.keys(c.values))
        issues.push(...expectWritable(rows, name, joinPath(`${path}.values`, name)))
  })
  if (p.linkBack !== undefined) {
    const link = source.fields.find((f) => f.name === p.linkBack)
    if (!link || link.type !== 'reference' || link.entity !== target.id)
      issues.push(
        toIssue(`${at}.linkBack`, `must be a reference field of '${source.id}' to '${target.id}'`),
      )
  }
  return issues
}

function transitionIssues(
  flow: Flow,
  t: FlowTransition,
  path: string,
  entity: Entity,
  idx: FlowIndexes,
): MetadataIssue[] {
  const opts = { stateField: flow.stateField }
  const issues = transitionRuleIssues(t, path, entity, idx.entities)
  for (const list of ['requires', 'inputs'] as const)
    t[list]?.forEach((name, j) =>
      issues.push(...expectWritable(entity, name, `${path}.${list}[${j}]`, opts)),
    )
  t.effects?.forEach((effect, i) => {
    const at = `${path}.effects[${i}].params`
    if (effect.type === 'create') return void issues.push(...createIssues(effect, at, entity, idx))
    for (const name of Object.keys(effect.params.values))
      issues.push(...expectWritable(entity, name, joinPath(`${at}.values`, name), opts))
  })
  const approval = t.approval
  if (!approval) return issues
  issues.push(...sourceIssues(approval.cc, `${path}.approval.cc`, entity, idx))
  walkApprovalNodes(approval.steps, `${path}.approval.steps`, (node, at) => {
    if (!('approvers' in node)) return
    issues.push(
      ...sourceIssues(node.approvers, `${at}.approvers`, entity, idx),
      ...sourceIssues(node.cc, `${at}.cc`, entity, idx),
    )
    const calendar = node.timeout?.calendar
    if (calendar !== undefined && !idx.calendars.has(calendar))
      issues.push(toIssue(`${at}.timeout.calendar`, `no calendar '${calendar}'`))
  })
  return issues
}

/**
 * The references of a flow: its entity; the state field (a select whose options hold every
 * state); the fields transitions require or take and locks keep editable (no system, computed or
 * state field); effect fields and entities, child tables and link-back references; approver and
 * CC roles, user and department fields; timeout calendars; the names every rule reads (guards,
 * conditions, completion rules, effect values: see flow-rule-names.ts). Paths are relative to
 * the flow.
 * @example validateFlowReferences(flow, { entities, roles, calendars })
 */
export function validateFlowReferences(flow: Flow, idx: FlowIndexes): MetadataIssue[] {
  const entity = idx.entities.get(flow.entity)
  if (!entity) return [toIssue('entity', `no entity '${flow.entity}'`)]
  return [
    ...stateIssues(flow, entity),
    ...flow.transitions.flatMap((t, i) =>
      transitionIssues(flow, t, `transitions[${i}]`, entity, idx),
    ),
  ]
}

/** One flow per entity: every flow after the first on an entity is an issue at its `entity`. */
export function validateOneFlowPerEntity(flows: readonly Flow[]): MetadataIssue[] {
  const first = new Map<string, string>()
  const issues: MetadataIssue[] = []
  for (const flow of flows) {
    const taken = first.get(flow.entity)
    if (taken)
      issues.push(
        toIssue(`flows[${flow.id}].entity`, `'${flow.entity}' already has flow '${taken}'`),
      )
    else first.set(flow.entity, flow.id)
  }
  return issues
}
