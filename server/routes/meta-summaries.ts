import type { Alert } from '../../metadata/alert'
import type { Calendar } from '../../metadata/calendar'
import type { Entity } from '../../metadata/entity'
import type { Extension } from '../../metadata/extension'
import type { Flow } from '../../metadata/flow'
import type { Role } from '../../metadata/role'
import type { Dashboard } from '../../metadata/dashboard'
import type { Form } from '../../metadata/form'
import type { Pool } from '../../metadata/pool'
import type { Report } from '../../metadata/report'
import type { Sla } from '../../metadata/sla'
import type { Template } from '../../metadata/template'
import type { View } from '../../metadata/view'
import type { MetadataSet } from '../../runtime/registry'

/** What a list of entities shows: identity, labels and a one-line summary of each field. */
export function toEntitySummary(entity: Entity) {
  return {
    id: entity.id,
    label: entity.label,
    pluralLabel: entity.pluralLabel,
    module: entity.module ?? null,
    icon: entity.icon,
    childOf: entity.childOf,
    titleField: entity.titleField,
    version: entity.version,
    fields: entity.fields.map((f) => ({
      name: f.name,
      type: f.type,
      label: f.label,
      required: f.required ?? false,
      ...(f.entity ? { entity: f.entity } : {}),
    })),
  }
}

/** A form in a list: which entity it edits. */
export function toFormSummary(form: Form) {
  return { id: form.id, entity: form.entity, label: form.label, version: form.version }
}

/** An extension in a list: the form it adds to and what it adds there. */
export function toExtensionSummary(extension: Extension) {
  return {
    id: extension.id,
    label: extension.label,
    version: extension.version,
    module: extension.module ?? null,
    form: extension.form,
    relatedLists: (extension.relatedLists ?? []).map((l) => l.id),
    tabs: (extension.tabs ?? []).map((t) => t.id),
    sections: (extension.sections ?? []).map((s) => s.id),
  }
}

/** A role in a list: the entities it grants. */
export function toRoleSummary(role: Role) {
  return {
    id: role.id,
    label: role.label,
    version: role.version,
    all: role.all === true,
    entities: role.grants.map((g) => g.entity),
  }
}

/** An alert in a list: what it watches, what fires it, whether it is on and how it tells. */
export function toAlertSummary(alert: Alert) {
  return {
    id: alert.id,
    label: alert.label,
    version: alert.version,
    entity: alert.entity ?? null,
    trigger: alert.trigger.type,
    enabled: alert.enabled !== false,
    channels: alert.channels.map((c) => c.type),
  }
}

/** A pool or assignment rule in a list: its type, entity and strategy. */
export function toPoolSummary(pool: Pool) {
  return {
    id: pool.id,
    label: pool.label,
    version: pool.version,
    type: pool.type,
    entity: pool.entity,
    strategy: pool.type === 'assignment' ? pool.strategy : null,
  }
}

/** A business calendar in a list: its time zone and how many holidays it lists. */
export function toCalendarSummary(calendar: Calendar) {
  return {
    id: calendar.id,
    label: calendar.label,
    version: calendar.version,
    timeZone: calendar.timeZone,
    holidays: calendar.holidays?.length ?? 0,
  }
}

/** A service level in a list: its entity, default calendar and policy ids in order. */
export function toSlaSummary(sla: Sla) {
  return {
    id: sla.id,
    label: sla.label,
    version: sla.version,
    entity: sla.entity,
    calendar: sla.calendar,
    policies: sla.policies.map((p) => p.id),
  }
}

/** A view in a list: its entity and type. */
export function toViewSummary(view: View) {
  return {
    id: view.id,
    entity: view.entity,
    type: view.type,
    label: view.label,
    version: view.version,
  }
}

/**
 * The sidebar: each package with its label and its entity ids in navigation order (then the
 * module's other top-level entities); entities of no package are listed as `unassigned`.
 */
export function toNavigation(meta: MetadataSet) {
  const topLevel = meta.bundle.entities.filter((e) => !e.childOf)
  const placed = new Set<string>()
  const data = meta.bundle.packages.map((pkg) => {
    const ids = (pkg.navigation ?? []).filter((id) => meta.entities.has(id))
    for (const e of topLevel) if (e.module === pkg.id && !ids.includes(e.id)) ids.push(e.id)
    ids.forEach((id) => placed.add(id))
    return {
      id: pkg.id,
      label: pkg.label,
      description: pkg.description,
      version: pkg.version,
      entities: ids,
    }
  })
  const unassigned = topLevel.filter((e) => !placed.has(e.id)).map((e) => e.id)
  return { data, unassigned }
}

/** A flow in a list: its entity, state field, states in order and transition ids. */
export function toFlowSummary(flow: Flow) {
  return {
    id: flow.id,
    label: flow.label,
    version: flow.version,
    entity: flow.entity,
    stateField: flow.stateField,
    states: flow.states.map((s) => s.id),
    transitions: flow.transitions.map((t) => t.id),
    approvals: flow.transitions.filter((t) => t.approval).map((t) => t.id),
  }
}

/** A report in a list: its source entity, shape, dimension and measure ids. */
export function toReportSummary(report: Report) {
  return {
    id: report.id,
    label: report.label,
    version: report.version,
    entity: report.entity,
    shape: report.shape ?? 'summary',
    dimensions: (report.dimensions ?? []).map((d) => d.id),
    measures: report.measures.map((m) => m.id),
  }
}

/** A print template in a list: its entity, languages and paper. */
export function toTemplateSummary(template: Template) {
  return {
    id: template.id,
    label: template.label,
    version: template.version,
    entity: template.entity,
    languages: Object.keys(template.body),
    paper: template.paper?.size ?? 'A4',
  }
}

/** A dashboard in a list: the roles it is for, whether it is the default, its widgets' kinds. */
export function toDashboardSummary(dashboard: Dashboard) {
  return {
    id: dashboard.id,
    label: dashboard.label,
    version: dashboard.version,
    roles: dashboard.roles ?? [],
    default: dashboard.default === true,
    widgets: dashboard.widgets.map((w) => ({ id: w.id, kind: w.kind, report: w.report })),
  }
}
