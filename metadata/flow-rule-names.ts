import { varNames } from './alert-references'
import { fieldTypeOf } from './bundle'
import type { Entity } from './entity'
import { COMPLETE_RULE_NAMES, type CreateEffect, type FlowTransition } from './flow'
import { walkApprovalNodes } from './flow-checks'
import { toIssue, type MetadataIssue } from './issue'
import { joinPath } from './json-path'

/*
 * The names a flow's json-logic rules read, as the runtime gives them (runtime/flows/core/
 * conditions.ts, step-decision.ts, runtime/flows/transition-effects.ts). A name nothing gives
 * reads null at run time, so a typo would pass silently: applying the flow refuses it instead.
 * Only the first part of a dotted name is checked (`lines.0.qty`, `amount.amount`, `$user.id`),
 * except below `$created` and a copied row's `$parent`, whose parts the flow itself names.
 */

/** Guards, entry criteria and step and branch conditions: the record with `$user`. */
const CONDITION_NAMES = ['$user']
/** Completion rules: the record, the step's counts and history, `$user`. */
const COMPLETE_NAMES = [...COMPLETE_RULE_NAMES, '$user']
/** Effect values: the record (with the values set so far), the actor, the time, created ids. */
const EFFECT_NAMES = ['$user', '$now', '$today', '$created']
/** A copied child row's values: the source row, the source record's data, `$user`. */
const ROW_NAMES = ['$parent', '$user']

/** What is wrong with a name a rule reads; undefined when the runtime gives it. */
type NameCheck = (name: string) => string | undefined

/**
 * Names over one record: its keys (`isKey`), the `extra` names, and names below a prefix that
 * `below` checks further (`$created.order`).
 */
function recordNames(
  entity: Entity,
  extra: readonly string[],
  readers: string,
  isKey: (root: string) => boolean = (root) => fieldTypeOf(entity, root) !== undefined,
  below: Record<string, NameCheck> = {},
): NameCheck {
  return (name) => {
    const dot = name.indexOf('.')
    const root = dot < 0 ? name : name.slice(0, dot)
    if (dot >= 0 && Object.hasOwn(below, root)) return below[root]!(name.slice(dot + 1))
    if (extra.includes(root) || isKey(root)) return undefined
    return `no field '${root}' in entity '${entity.id}' (${readers} also see ${extra.join(', ')})`
  }
}

/** `$created.<as>` names a `create` effect that ran before. */
function createdNames(made: readonly string[]): NameCheck {
  return (name) => {
    const as = name.split('.')[0]!
    if (made.includes(as)) return undefined
    const held = made.length ? `$created holds ${made.join(', ')}` : 'no create effect runs before'
    return `no earlier create effect is named '${as}' (${held})`
  }
}

/** One issue at `path` per distinct problem among the names `rule` reads. */
function ruleIssues(rule: unknown, path: string, check: NameCheck): MetadataIssue[] {
  const messages = new Set(varNames(rule).map(check))
  messages.delete(undefined)
  return [...messages].map((message) => toIssue(path, message!))
}

/** A copied row reads the source row's fields and id, `$parent.…` as an effect value would. */
function childIssues(
  effect: CreateEffect,
  at: string,
  entity: Entity,
  entities: ReadonlyMap<string, Entity>,
  parent: NameCheck,
): MetadataIssue[] {
  return (effect.params.children ?? []).flatMap((c, j) => {
    const from = entity.fields.find((f) => f.name === c.from && f.type === 'childTable')
    const rows = from?.entity === undefined ? undefined : entities.get(from.entity)
    // An unknown child table is the references' issue (`children[j].from`); nothing to read.
    if (!rows) return []
    const isKey = (root: string) => root === 'id' || rows.fields.some((f) => f.name === root)
    const check = recordNames(rows, ROW_NAMES, 'copied row values', isKey, { $parent: parent })
    return Object.entries(c.values).flatMap(([name, rule]) =>
      ruleIssues(rule, joinPath(`${at}.children[${j}].values`, name), check),
    )
  })
}

function effectIssues(
  t: FlowTransition,
  path: string,
  entity: Entity,
  entities: ReadonlyMap<string, Entity>,
): MetadataIssue[] {
  const made: string[] = []
  return (t.effects ?? []).flatMap((effect, i) => {
    const at = `${path}.effects[${i}].params`
    const below = { $created: createdNames([...made]) }
    const check = recordNames(entity, EFFECT_NAMES, 'effect values', undefined, below)
    const issues = Object.entries(effect.params.values).flatMap(([name, rule]) =>
      ruleIssues(rule, joinPath(`${at}.values`, name), check),
    )
    if (effect.type === 'create') {
      issues.push(...childIssues(effect, at, entity, entities, check))
      made.push(effect.params.as)
    }
    return issues
  })
}

/**
 * Each name a transition's rules read: its guard, the approval's entry criteria, each step's and
 * branch's `when` and completion rules, and its effect values. Issues sit at the rule's path.
 * @example transitionRuleIssues(flow.transitions[2], 'transitions[2]', quote, entities)
 */
export function transitionRuleIssues(
  t: FlowTransition,
  path: string,
  entity: Entity,
  entities: ReadonlyMap<string, Entity>,
): MetadataIssue[] {
  const conditions = recordNames(entity, CONDITION_NAMES, 'conditions')
  const complete = recordNames(entity, COMPLETE_NAMES, 'completion rules')
  const issues = [
    ...ruleIssues(t.guard, `${path}.guard`, conditions),
    ...effectIssues(t, path, entity, entities),
  ]
  const approval = t.approval
  if (!approval) return issues
  issues.push(...ruleIssues(approval.when, `${path}.approval.when`, conditions))
  walkApprovalNodes(approval.steps, `${path}.approval.steps`, (node, at) => {
    if ('branches' in node)
      node.branches.forEach((b, j) =>
        issues.push(...ruleIssues(b.when, `${at}.branches[${j}].when`, conditions)),
      )
    else if ('approvers' in node)
      issues.push(
        ...ruleIssues(node.when, `${at}.when`, conditions),
        ...ruleIssues(node.complete?.approve, `${at}.complete.approve`, complete),
        ...ruleIssues(node.complete?.reject, `${at}.complete.reject`, complete),
      )
  })
  return issues
}
