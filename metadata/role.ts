import { validateUnique } from './duplicates'
import { camelIdSchema, packageIdSchema } from './id-patterns'
import { toIssue, type MetadataIssue } from './issue'
import type { Labels } from './labels'
import { ruleSchema, type Rule } from './rule'
import { reservedProperties } from './reserved-kind'
import { validateRuleSize } from './rule-limits'
import { schemaFor } from './schema-check'
import { toSchemaDocument } from './schema-document'

/** What a role may do with an entity's records. */
export const ACTIONS = [
  'read',
  'create',
  'update',
  'delete',
  'export',
  'import',
  'print',
  'transition',
  'assign',
] as const
export type Action = (typeof ACTIONS)[number]

/**
 * Which records an action reaches: none; the caller's own (the entity's owner field, else
 * createdBy); own + those of everyone below them in the manager chain; own department; own
 * department and its sub-departments; all; or a json-logic row `filter` (with `$user.*`).
 */
export const SCOPES = [
  'none',
  'own',
  'ownAndSubordinates',
  'department',
  'departmentTree',
  'all',
  'filter',
] as const
export type Scope = (typeof SCOPES)[number]

/** Field access for one role: hidden, read-only, or writable. */
export type FieldAccess = 'none' | 'read' | 'write'

/** A role's rights on one entity. */
export interface EntityGrant {
  entity: string
  /** Data scope per action; an action left out is denied. */
  scopes: Partial<Record<Action, Scope>>
  /** Row filters (json-logic over the record, with `$user.*`) for actions whose scope is 'filter'. */
  filters?: Partial<Record<Action, Rule>>
  /**
   * Field access; fields left out are writable when the role may create or update, else
   * read-only. Several roles unite: the widest access wins.
   */
  fields?: Record<string, FieldAccess>
}

/** A role: named rights over entities. A user's roles are united. */
export interface Role {
  $schema?: string
  id: string
  version?: number
  /** The package the definition belongs to (set from the package folder when installed). */
  module?: string
  label: Labels
  description?: Labels
  /** Everything, everywhere (the administrator role). */
  all?: boolean
  grants: EntityGrant[]
}

const scopeSchema = { type: 'string', enum: SCOPES } as const

/** An object keyed by action, every key optional. */
function byAction<T>(value: T) {
  return {
    type: 'object',
    properties: Object.fromEntries(ACTIONS.map((a) => [a, value])) as Record<Action, T>,
    additionalProperties: false,
  } as const
}

const entityGrantSchema = schemaFor<EntityGrant>()({
  type: 'object',
  properties: {
    entity: camelIdSchema,
    scopes: byAction(scopeSchema),
    filters: byAction(ruleSchema),
    fields: {
      type: 'object',
      propertyNames: camelIdSchema,
      additionalProperties: { type: 'string', enum: ['none', 'read', 'write'] },
    },
  },
  required: ['entity', 'scopes'],
  additionalProperties: false,
})

/** Schema of a `Role`. */
export const roleSchema = schemaFor<Role>()({
  type: 'object',
  properties: {
    $schema: reservedProperties.$schema,
    id: reservedProperties.id,
    version: reservedProperties.version,
    module: packageIdSchema,
    label: reservedProperties.label,
    description: reservedProperties.description,
    all: { type: 'boolean' },
    grants: { type: 'array', items: entityGrantSchema, maxItems: 500 },
  },
  required: ['id', 'label', 'grants'],
  additionalProperties: false,
})

/** Standalone schema document of `Role` (metadata/schemas/role.schema.json). */
export const roleJsonSchema = toSchemaDocument('role', 'Trellis role', roleSchema)

/** A grant's filters must match its 'filter' scopes, one for one, and stay within rule limits. */
function validateGrantFilters(grant: EntityGrant, path: string): MetadataIssue[] {
  const issues: MetadataIssue[] = []
  for (const action of ACTIONS) {
    const filter = grant.filters?.[action]
    const filterPath = `${path}.filters.${action}`
    if (grant.scopes[action] === 'filter' && filter === undefined) {
      issues.push(toIssue(`${path}.scopes.${action}`, `scope 'filter' needs filters.${action}`))
    } else if (filter !== undefined && grant.scopes[action] !== 'filter') {
      issues.push(toIssue(filterPath, `is used only when scopes.${action} is 'filter'`))
    }
    if (filter !== undefined) issues.push(...validateRuleSize(filter, filterPath))
  }
  return issues
}

/**
 * Checks a role beyond its schema: one grant per entity, a filter for every 'filter' scope and no
 * filter without one. Entities and fields are checked across the bundle (role-references.ts).
 */
export function validateRole(role: Role): MetadataIssue[] {
  const issues = validateUnique(
    role.grants,
    (g) => g.entity,
    (i) => `grants[${i}].entity`,
    'grant for entity',
  )
  if (role.all && role.grants.length)
    issues.push(toIssue('grants', "a role with 'all' needs no grants"))
  role.grants.forEach((grant, i) => issues.push(...validateGrantFilters(grant, `grants[${i}]`)))
  return issues
}
