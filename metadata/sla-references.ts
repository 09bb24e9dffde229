import type { Entity } from './entity'
import type { Field, FieldType } from './field'
import { toIssue, type MetadataIssue } from './issue'
import { joinPath } from './json-path'
import type { Sla, SlaFields } from './sla'

/** The type each written field must have. */
const WRITTEN_TYPES: Record<keyof SlaFields, readonly FieldType[]> = {
  firstResponseDue: ['datetime'],
  resolutionDue: ['datetime'],
  respondedAt: ['datetime'],
  firstResponseBreached: ['boolean'],
  resolutionBreached: ['boolean'],
  pausedMinutes: ['integer', 'decimal'],
}

/** The field and the entity a match key reads: `priority`, or `customer.level` one hop away. */
export function resolveMatchField(
  entity: Entity,
  key: string,
  entities: ReadonlyMap<string, Entity>,
): { field?: Field; problem?: string } {
  const [first, second] = key.split('.')
  const field = entity.fields.find((f) => f.name === first)
  if (!field) return { problem: `${entity.id} has no field '${first}'` }
  if (second === undefined) return { field }
  if (field.type !== 'reference' || !field.entity)
    return { problem: `'${first}' is not a reference, so '${key}' cannot be read` }
  const target = entities.get(field.entity)
  const inner = target?.fields.find((f) => f.name === second)
  return inner ? { field: inner } : { problem: `${field.entity} has no field '${second}'` }
}

function validateStatuses(sla: Sla, status: Field | undefined): MetadataIssue[] {
  if (!status) return [toIssue('statusField', `no field '${sla.statusField}'`)]
  if (status.type !== 'select') return [toIssue('statusField', 'must be a select field')]
  const values = new Set((status.options ?? []).map((o) => o.value))
  const issues: MetadataIssue[] = []
  for (const list of ['respondedWhenLeaving', 'resolvedIn', 'pausedIn'] as const)
    (sla[list] ?? []).forEach((s, i) => {
      if (!values.has(s))
        issues.push(toIssue(`${list}[${i}]`, `'${s}' is not a ${sla.statusField} option`))
    })
  return issues
}

/**
 * The references of an SLA: its entity (which must keep its audit trail, the status history),
 * the status, start and written fields with their types, match fields and calendars.
 * @example validateSlaReferences(sla, entities, new Set(['china-office']))
 */
export function validateSlaReferences(
  sla: Sla,
  entities: ReadonlyMap<string, Entity>,
  calendars: ReadonlySet<string>,
): MetadataIssue[] {
  const issues: MetadataIssue[] = []
  if (!calendars.has(sla.calendar))
    issues.push(toIssue('calendar', `no calendar '${sla.calendar}'`))
  sla.policies.forEach((p, i) => {
    if (p.calendar && !calendars.has(p.calendar))
      issues.push(toIssue(`policies[${i}].calendar`, `no calendar '${p.calendar}'`))
  })
  const entity = entities.get(sla.entity)
  if (!entity) return [...issues, toIssue('entity', `no entity '${sla.entity}'`)]
  if (entity.trackChanges === false)
    issues.push(
      toIssue('entity', `${entity.id} does not track changes: the SLA reads its status history`),
    )
  const byName = new Map(entity.fields.map((f) => [f.name, f]))
  issues.push(...validateStatuses(sla, byName.get(sla.statusField)))
  if (sla.startField && byName.get(sla.startField)?.type !== 'datetime')
    issues.push(toIssue('startField', `must name a datetime field of ${entity.id}`))
  for (const [role, name] of Object.entries(sla.fields) as [keyof SlaFields, string][]) {
    const type = byName.get(name)?.type
    if (!type) issues.push(toIssue(`fields.${role}`, `${entity.id} has no field '${name}'`))
    else if (!WRITTEN_TYPES[role].includes(type))
      issues.push(
        toIssue(`fields.${role}`, `'${name}' must be ${WRITTEN_TYPES[role].join(' or ')}`),
      )
  }
  sla.policies.forEach((p, i) => {
    for (const key of Object.keys(p.match ?? {})) {
      const { problem } = resolveMatchField(entity, key, entities)
      if (problem) issues.push(toIssue(joinPath(`policies[${i}].match`, key), problem))
    }
  })
  return issues
}
