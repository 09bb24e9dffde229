import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import type { Alert } from './alert'
import { validateAlert } from './alert-checks'
import { toSchemaIssues } from './ajv-issues'
import type { Calendar } from './calendar'
import { validateCalendar } from './calendar-checks'
import type { Entity } from './entity'
import type { Extension } from './extension'
import { validateExtension } from './extension-checks'
import { validateEntity } from './entity-checks'
import type { Field } from './field'
import { validateField } from './field-checks'
import type { Flow } from './flow'
import { validateFlow } from './flow-checks'
import type { Form } from './form'
import { validateForm } from './form-checks'
import { toIssue, type MetadataIssue } from './issue'
import type { PackageManifest } from './package'
import { validatePackage } from './package-checks'
import type { Pool } from './pool'
import { validatePool } from './pool-checks'
import type { Dashboard } from './dashboard'
import { validateDashboard } from './dashboard-checks'
import type { Report } from './report'
import { validateReport } from './report-checks'
import type { Template } from './template'
import { validatePrintTemplate } from './template-checks'
import { validateRole, type Role } from './role'
import { validateRuleSize } from './rule-limits'
import { isSchemaKind, METADATA_SCHEMAS, type SchemaKind } from './schemas'
import type { Sla } from './sla'
import { validateSla } from './sla-checks'
import type { View } from './view'
import { validateView } from './view-checks'

// One instance for the process: the schemas never change at run time.
const ajv = new Ajv({ allErrors: true, discriminator: true, strict: true, strictRequired: false })
addFormats.default(ajv)
const validators = new Map<SchemaKind, ValidateFunction>()

function validatorFor(kind: SchemaKind): ValidateFunction {
  let validate = validators.get(kind)
  if (!validate) {
    validate = ajv.compile(METADATA_SCHEMAS[kind])
    validators.set(kind, validate)
  }
  return validate
}

// Run only once the schema has passed, so each check may trust the document's shape.
const SEMANTIC_CHECKS: Partial<Record<SchemaKind, (doc: never) => MetadataIssue[]>> = {
  entity: (doc: Entity) => validateEntity(doc),
  field: (doc: Field) => validateField(doc, ''),
  form: (doc: Form) => validateForm(doc),
  view: (doc: View) => validateView(doc),
  package: (doc: PackageManifest) => validatePackage(doc),
  rule: (doc: unknown) => validateRuleSize(doc, ''),
  role: (doc: Role) => validateRole(doc),
  alert: (doc: Alert) => validateAlert(doc),
  pool: (doc: Pool) => validatePool(doc),
  calendar: (doc: Calendar) => validateCalendar(doc),
  sla: (doc: Sla) => validateSla(doc),
  flow: (doc: Flow) => validateFlow(doc),
  report: (doc: Report) => validateReport(doc),
  template: (doc: Template) => validatePrintTemplate(doc),
  dashboard: (doc: Dashboard) => validateDashboard(doc),
  extension: (doc: Extension) => validateExtension(doc),
}

/**
 * Every problem of one definition: first its JSON Schema, then the checks a schema cannot
 * express (duplicate names, fields that do not exist, rule sizes). Empty when valid.
 * @example validateDefinition('entity', doc) // [{ path: 'fields[2].type', message: 'must be one of …' }]
 */
export function validateDefinition(kind: SchemaKind, doc: unknown): MetadataIssue[] {
  if (!isSchemaKind(kind)) return [toIssue('', `unknown metadata kind '${String(kind)}'`)]
  const validate = validatorFor(kind)
  if (!validate(doc)) return toSchemaIssues(validate.errors ?? [])
  const check = SEMANTIC_CHECKS[kind] as ((doc: unknown) => MetadataIssue[]) | undefined
  return check?.(doc) ?? []
}
