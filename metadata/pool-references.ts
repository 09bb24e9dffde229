import { expectField } from './alert-references'
import type { Entity } from './entity'
import type { FieldType } from './field'
import { toIssue, type MetadataIssue } from './issue'
import type { AssignmentRule, Pool, PoolActivity, PoolDefinition, PoolTeam } from './pool'
import type { Role } from './role'

/** What a pool or assignment rule may point at; `roles` undefined: none are checked. */
export interface PoolIndexes {
  entities: ReadonlyMap<string, Entity>
  roles?: ReadonlyMap<string, Role>
}

const TEXTUAL: readonly FieldType[] = ['text', 'select']

function teamIssues(team: PoolTeam | undefined, path: string, idx: PoolIndexes): MetadataIssue[] {
  if (!team?.roles || !idx.roles) return []
  return team.roles.flatMap((role, i) =>
    idx.roles!.has(role) ? [] : [toIssue(`${path}.roles[${i}]`, `no role '${role}'`)],
  )
}

function activityIssues(
  activity: PoolActivity | undefined,
  target: Entity,
  path: string,
  idx: PoolIndexes,
): MetadataIssue[] {
  if (!activity) return []
  const entity = idx.entities.get(activity.entity)
  if (!entity) return [toIssue(`${path}.entity`, `no entity '${activity.entity}'`)]
  const field = entity.fields.find((f) => f.name === activity.field)
  if (!field) return [toIssue(`${path}.field`, `no field '${activity.field}' in '${entity.id}'`)]
  if (field.type !== 'reference' || field.entity !== target.id)
    return [toIssue(`${path}.field`, `'${entity.id}.${field.name}' must refer to '${target.id}'`)]
  return []
}

function poolIssues(pool: PoolDefinition, entity: Entity, idx: PoolIndexes): MetadataIssue[] {
  const issues = [
    ...expectField(entity, pool.poolField ?? 'pool', TEXTUAL, 'poolField'),
    ...teamIssues(pool.members, 'members', idx),
    ...teamIssues(pool.admins, 'admins', idx),
    ...activityIssues(pool.reclaim?.followUp, entity, 'reclaim.followUp', idx),
    ...activityIssues(pool.reclaim?.deal, entity, 'reclaim.deal', idx),
  ]
  if (pool.levelField) issues.push(...expectField(entity, pool.levelField, TEXTUAL, 'levelField'))
  if (!entity.ownerField) issues.push(toIssue('entity', `'${entity.id}' has no ownerField`))
  return issues
}

function ruleIssues(rule: AssignmentRule, entity: Entity, idx: PoolIndexes): MetadataIssue[] {
  const issues = [...teamIssues(rule.team, 'team', idx)]
  const owner = rule.ownerField ?? entity.ownerField
  if (!owner) issues.push(toIssue('ownerField', `'${entity.id}' has no ownerField to fill`))
  else issues.push(...expectField(entity, owner, ['user'], 'ownerField'))
  if (rule.byField) {
    issues.push(...expectField(entity, rule.byField.field, TEXTUAL, 'byField.field'))
    for (const [value, team] of Object.entries(rule.byField.teams))
      issues.push(...teamIssues(team, `byField.teams.${value}`, idx))
  }
  const leave = rule.leave
  const leaveEntity = leave && idx.entities.get(leave.entity)
  if (leave && !leaveEntity) issues.push(toIssue('leave.entity', `no entity '${leave.entity}'`))
  if (leave && leaveEntity) {
    issues.push(
      ...expectField(leaveEntity, leave.userField, ['user'], 'leave.userField'),
      ...expectField(leaveEntity, leave.startField, ['date', 'datetime'], 'leave.startField'),
      ...expectField(leaveEntity, leave.endField, ['date', 'datetime'], 'leave.endField'),
      ...expectField(leaveEntity, leave.statusField, TEXTUAL, 'leave.statusField'),
    )
  }
  return issues
}

/**
 * Dangling references of one pool or assignment rule: its entity and the fields it names
 * (pool, level, owner, by-field, leave fields with their types), activity references that must
 * point back at the entity, and roles of its teams.
 */
export function validatePoolReferences(pool: Pool, idx: PoolIndexes): MetadataIssue[] {
  const entity = idx.entities.get(pool.entity)
  if (!entity) return [toIssue('entity', `no entity '${pool.entity}'`)]
  return pool.type === 'pool' ? poolIssues(pool, entity, idx) : ruleIssues(pool, entity, idx)
}
