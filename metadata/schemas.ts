import { alertJsonSchema } from './alert'
import { calendarJsonSchema } from './calendar'
import { dashboardJsonSchema } from './dashboard'
import { entityJsonSchema } from './entity'
import { extensionJsonSchema } from './extension'
import { fieldJsonSchema } from './field'
import { flowJsonSchema } from './flow'
import { formJsonSchema } from './form'
import { labelsJsonSchema } from './labels'
import { packageJsonSchema } from './package'
import { poolJsonSchema } from './pool'
import { reportJsonSchema } from './report'
import { roleJsonSchema } from './role'
import { slaJsonSchema } from './sla'
import { ruleJsonSchema } from './rule'
import { templateJsonSchema } from './template'
import { viewJsonSchema } from './view'

/** Every schema document of the language, by kind; written to metadata/schemas/<kind>.schema.json. */
export const METADATA_SCHEMAS = {
  labels: labelsJsonSchema,
  rule: ruleJsonSchema,
  field: fieldJsonSchema,
  entity: entityJsonSchema,
  form: formJsonSchema,
  view: viewJsonSchema,
  package: packageJsonSchema,
  flow: flowJsonSchema,
  alert: alertJsonSchema,
  role: roleJsonSchema,
  report: reportJsonSchema,
  pool: poolJsonSchema,
  template: templateJsonSchema,
  dashboard: dashboardJsonSchema,
  calendar: calendarJsonSchema,
  sla: slaJsonSchema,
  extension: extensionJsonSchema,
} as const

/** A kind with a schema: every definition kind plus the shared parts (labels, rule, field). */
export type SchemaKind = keyof typeof METADATA_SCHEMAS

/** The kinds stored as definitions of their own. */
export const DEFINITION_KINDS = [
  'package',
  'entity',
  'form',
  'view',
  'flow',
  'alert',
  'role',
  'report',
  'pool',
  'template',
  'dashboard',
  'calendar',
  'sla',
  'extension',
] as const satisfies readonly SchemaKind[]
export type DefinitionKind = (typeof DEFINITION_KINDS)[number]

/** Whether `kind` names a schema of the language. */
export function isSchemaKind(kind: string): kind is SchemaKind {
  return Object.hasOwn(METADATA_SCHEMAS, kind)
}
