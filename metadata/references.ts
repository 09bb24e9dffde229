import { validateAlertReferences } from './alert-references'
import type { MetadataBundleShape } from './bundle'
import { validateComputedReferences } from './computed-references'
import { validateDashboardReferences, validateOneDefaultDashboard } from './dashboard-references'
import type { Entity } from './entity'
import { validateExtensionReferences } from './extension-references'
import { validateFlowReferences, validateOneFlowPerEntity } from './flow-references'
import { validateFormReferences } from './form-references'
import { toIssue, type MetadataIssue } from './issue'
import { joinPath } from './json-path'
import type { PackageManifest } from './package'
import { validatePackageScopes } from './package-scope'
import { satisfiesRange } from './package-version'
import { validatePoolReferences } from './pool-references'
import { validateReportReferences } from './report-references'
import { validateRoleReferences } from './role-references'
import { validateSlaReferences } from './sla-references'
import { validatePrintTemplateReferences } from './template-references'
import { validateViewReferences } from './view-references'

type BundleKey = keyof MetadataBundleShape

/** Issues of one definition, with their paths prefixed by kind and id: `forms[customer].entity`. */
function scoped(key: BundleKey, id: string, issues: MetadataIssue[]): MetadataIssue[] {
  const prefix = `${key}[${id}]`
  return issues.map((issue) =>
    toIssue(issue.path ? `${prefix}.${issue.path}` : prefix, issue.message),
  )
}

function validateDuplicateIds(bundle: MetadataBundleShape): MetadataIssue[] {
  const issues: MetadataIssue[] = []
  for (const key of [
    'packages',
    'entities',
    'forms',
    'views',
    'roles',
    'alerts',
    'calendars',
    'slas',
    'pools',
    'flows',
    'reports',
    'templates',
    'dashboards',
    'extensions',
  ] as const) {
    const counts = new Map<string, number>()
    for (const def of bundle[key] ?? []) counts.set(def.id, (counts.get(def.id) ?? 0) + 1)
    for (const [id, count] of counts) {
      if (count > 1)
        issues.push(toIssue(`${key}[${id}].id`, `id '${id}' is used by ${count} ${key}`))
    }
  }
  return issues
}

function validateEntityReferences(entity: Entity, bundle: Indexes): MetadataIssue[] {
  const issues: MetadataIssue[] = []
  if (entity.childOf && !bundle.entities.has(entity.childOf)) {
    issues.push(toIssue('childOf', `no entity '${entity.childOf}'`))
  }
  if (entity.module && !bundle.packages.has(entity.module)) {
    issues.push(toIssue('module', `no package '${entity.module}'`))
  }
  entity.fields.forEach((field, i) => {
    if (field.type !== 'reference' && field.type !== 'childTable') return
    const target = field.entity === undefined ? undefined : bundle.entities.get(field.entity)
    if (!target)
      return void issues.push(toIssue(`fields[${i}].entity`, `no entity '${field.entity}'`))
    if (field.type === 'childTable' && target.childOf !== entity.id) {
      issues.push(
        toIssue(`fields[${i}].entity`, `entity '${target.id}' must declare childOf '${entity.id}'`),
      )
    }
  })
  issues.push(...validateComputedReferences(entity, bundle.entities))
  return issues
}

function validatePackageReferences(manifest: PackageManifest, bundle: Indexes): MetadataIssue[] {
  const issues: MetadataIssue[] = []
  manifest.navigation?.forEach((id, i) => {
    if (!bundle.entities.has(id)) issues.push(toIssue(`navigation[${i}]`, `no entity '${id}'`))
  })
  for (const [id, range] of Object.entries(manifest.dependencies ?? {})) {
    const dependency = bundle.packages.get(id)
    const path = joinPath('dependencies', id)
    if (!dependency) issues.push(toIssue(path, `no package '${id}'`))
    else if (!satisfiesRange(dependency.version, range))
      issues.push(toIssue(path, `package '${id}' is ${dependency.version}, outside '${range}'`))
  }
  return issues
}

interface Indexes {
  entities: ReadonlyMap<string, Entity>
  packages: ReadonlyMap<string, PackageManifest>
}

/** An `sla` alert fires on its entity's SLA milestones: without an SLA on it, it never would. */
function validateSlaAlertCoverage(bundle: MetadataBundleShape): MetadataIssue[] {
  const covered = new Set((bundle.slas ?? []).map((s) => s.entity))
  return (bundle.alerts ?? [])
    .filter((a) => a.trigger.type === 'sla' && a.entity && !covered.has(a.entity))
    .map((a) =>
      toIssue(`alerts[${a.id}].trigger`, `no SLA covers '${a.entity}', so it would never fire`),
    )
}

/**
 * Every dangling reference across a bundle whose definitions each passed `validateDefinition`:
 * unknown entities, fields, packages; child tables whose target is not a child of the entity;
 * ids used twice within a kind; and what a package's definitions name that only a package it does
 * not depend on ships. Paths name the kind and id: `forms[customer].tabs[0]…field`.
 */
export function validateReferences(bundle: MetadataBundleShape): MetadataIssue[] {
  const found = validateBundleReferences(bundle)
  return [...found, ...validatePackageScopes(bundle, validateBundleReferences, found)]
}

function validateBundleReferences(bundle: MetadataBundleShape): MetadataIssue[] {
  const indexes: Indexes = {
    entities: new Map(bundle.entities.map((e) => [e.id, e])),
    packages: new Map(bundle.packages.map((p) => [p.id, p])),
  }
  const roles = bundle.roles && new Map(bundle.roles.map((r) => [r.id, r]))
  const calendars = new Set((bundle.calendars ?? []).map((c) => c.id))
  const reports = new Map((bundle.reports ?? []).map((r) => [r.id, r]))
  const extensionIndexes = {
    forms: new Map(bundle.forms.map((f) => [f.id, f])),
    extensions: bundle.extensions ?? [],
  }
  return [
    ...validateDuplicateIds(bundle),
    ...bundle.packages.flatMap((p) =>
      scoped('packages', p.id, validatePackageReferences(p, indexes)),
    ),
    ...bundle.entities.flatMap((e) =>
      scoped('entities', e.id, validateEntityReferences(e, indexes)),
    ),
    ...bundle.forms.flatMap((f) =>
      scoped('forms', f.id, validateFormReferences(f, indexes.entities)),
    ),
    ...bundle.views.flatMap((v) =>
      scoped('views', v.id, validateViewReferences(v, indexes.entities)),
    ),
    ...(bundle.roles ?? []).flatMap((r) =>
      scoped('roles', r.id, validateRoleReferences(r, indexes.entities)),
    ),
    ...(bundle.alerts ?? []).flatMap((a) =>
      scoped('alerts', a.id, validateAlertReferences(a, { entities: indexes.entities, roles })),
    ),
    ...(bundle.slas ?? []).flatMap((s) =>
      scoped('slas', s.id, validateSlaReferences(s, indexes.entities, calendars)),
    ),
    ...validateSlaAlertCoverage(bundle),
    ...(bundle.pools ?? []).flatMap((p) =>
      scoped('pools', p.id, validatePoolReferences(p, { entities: indexes.entities, roles })),
    ),
    ...(bundle.flows ?? []).flatMap((f) =>
      scoped(
        'flows',
        f.id,
        validateFlowReferences(f, { entities: indexes.entities, roles, calendars }),
      ),
    ),
    ...validateOneFlowPerEntity(bundle.flows ?? []),
    ...(bundle.reports ?? []).flatMap((r) =>
      scoped('reports', r.id, validateReportReferences(r, indexes.entities)),
    ),
    ...(bundle.templates ?? []).flatMap((t) =>
      scoped('templates', t.id, validatePrintTemplateReferences(t, indexes.entities)),
    ),
    ...(bundle.dashboards ?? []).flatMap((d) =>
      scoped('dashboards', d.id, validateDashboardReferences(d, { reports, roles })),
    ),
    ...validateOneDefaultDashboard(bundle.dashboards ?? []),
    ...(bundle.extensions ?? []).flatMap((x) =>
      scoped(
        'extensions',
        x.id,
        validateExtensionReferences(x, { ...extensionIndexes, ...indexes }),
      ),
    ),
  ]
}
