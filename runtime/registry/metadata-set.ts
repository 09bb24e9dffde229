import type { Alert } from '../../metadata/alert'
import type { Calendar } from '../../metadata/calendar'
import type { Dashboard } from '../../metadata/dashboard'
import type { Entity } from '../../metadata/entity'
import { extendForms } from '../../metadata/extend-forms'
import type { Extension } from '../../metadata/extension'
import type { Flow } from '../../metadata/flow'
import type { Form } from '../../metadata/form'
import type { PackageManifest } from '../../metadata/package'
import type { Pool } from '../../metadata/pool'
import type { Report } from '../../metadata/report'
import type { Role } from '../../metadata/role'
import type { Sla } from '../../metadata/sla'
import type { Template } from '../../metadata/template'
import type { View } from '../../metadata/view'
import { unknownEntity } from './unknown-entity'

/** Definitions as files or API bodies carry them: plain arrays. */
export interface MetadataBundle {
  packages: PackageManifest[]
  entities: Entity[]
  forms: Form[]
  views: View[]
  /** Roles (optional in hand-built bundles: none means only administrators see data). */
  roles?: Role[]
  /** Alerts (optional in hand-built bundles: none fire). */
  alerts?: Alert[]
  /** Pools and assignment rules (optional in hand-built bundles). */
  pools?: Pool[]
  /** Business calendars service levels count in (optional in hand-built bundles). */
  calendars?: Calendar[]
  /** Service levels (optional in hand-built bundles: no record gets due times). */
  slas?: Sla[]
  /** Flows: states, transitions and approvals (optional in hand-built bundles: none govern). */
  flows?: Flow[]
  /** Reports over a source entity (optional in hand-built bundles). */
  reports?: Report[]
  /** Print templates over an entity's records (optional in hand-built bundles). */
  templates?: Template[]
  /** Dashboards of widgets per role (optional in hand-built bundles). */
  dashboards?: Dashboard[]
  /** What packages add to forms of other packages (optional in hand-built bundles). */
  extensions?: Extension[]
}

/** A bundle's definitions, one list a kind, all given (a package's kinds, by bundle key). */
export type BundleDefinitions = Required<Omit<MetadataBundle, 'packages'>>

/**
 * Every definition list of a bundle, empty: the one place a new kind is added to them.
 * @example const bundle: MetadataBundle = { packages: [], ...emptyDefinitions() }
 */
export function emptyDefinitions(): BundleDefinitions {
  return {
    entities: [],
    forms: [],
    views: [],
    roles: [],
    alerts: [],
    pools: [],
    calendars: [],
    slas: [],
    flows: [],
    reports: [],
    templates: [],
    dashboards: [],
    extensions: [],
  }
}

/** The live, published metadata of an instance, indexed for lookups. */
export interface MetadataSet {
  /** Bumped by every apply; caches (ajv validators, SQL) key on it. */
  version: number
  bundle: MetadataBundle
  entities: Map<string, Entity>
  /** Each form with the installed extensions applied (`bundle.forms` holds them as published). */
  forms: Map<string, Form>
  views: Map<string, View>
  roles: Map<string, Role>
  alerts: Map<string, Alert>
  pools: Map<string, Pool>
  calendars: Map<string, Calendar>
  slas: Map<string, Sla>
  flows: Map<string, Flow>
  reports: Map<string, Report>
  templates: Map<string, Template>
  dashboards: Map<string, Dashboard>
  extensions: Map<string, Extension>
}

/** Indexes a bundle. Pure. */
export function buildMetadataSet(bundle: MetadataBundle, version: number): MetadataSet {
  const extensions = bundle.extensions ?? []
  const packages = new Map(bundle.packages.map((p) => [p.id, p]))
  return {
    version,
    bundle,
    entities: new Map(bundle.entities.map((e) => [e.id, e])),
    forms: new Map(extendForms(bundle.forms, extensions, packages).map((f) => [f.id, f])),
    views: new Map(bundle.views.map((v) => [v.id, v])),
    roles: new Map((bundle.roles ?? []).map((r) => [r.id, r])),
    alerts: new Map((bundle.alerts ?? []).map((a) => [a.id, a])),
    pools: new Map((bundle.pools ?? []).map((p) => [p.id, p])),
    calendars: new Map((bundle.calendars ?? []).map((c) => [c.id, c])),
    slas: new Map((bundle.slas ?? []).map((s) => [s.id, s])),
    flows: new Map((bundle.flows ?? []).map((f) => [f.id, f])),
    reports: new Map((bundle.reports ?? []).map((r) => [r.id, r])),
    templates: new Map((bundle.templates ?? []).map((t) => [t.id, t])),
    dashboards: new Map((bundle.dashboards ?? []).map((d) => [d.id, d])),
    extensions: new Map(extensions.map((x) => [x.id, x])),
  }
}

/**
 * The entity or a 404 naming it, in `locale`: the caller's (`ctx.user?.locale`), English without.
 * @example requireEntity(ctx.meta, 'quote', ctx.user?.locale).label.en // 'Quote'
 */
export function requireEntity(meta: MetadataSet, id: string, locale?: string): Entity {
  const entity = meta.entities.get(id)
  if (!entity) throw unknownEntity(id, locale)
  return entity
}

/** The form the API enforces for an entity: the one with the entity's id, else the first. */
export function defaultForm(meta: MetadataSet, entityId: string): Form | undefined {
  const own = meta.forms.get(entityId)
  if (own) return own
  // The extended form, not the published one `bundle.forms` holds.
  for (const form of meta.forms.values()) if (form.entity === entityId) return form
  return undefined
}

/**
 * The flow that governs the records of an entity (one flow per entity), if any.
 * @example flowForEntity(meta, 'opportunity')?.stateField // 'stage'
 */
export function flowForEntity(meta: MetadataSet, entityId: string): Flow | undefined {
  // A handful of flows per instance: a scan is as quick as a second map, and keeps the set small.
  for (const flow of meta.flows.values()) if (flow.entity === entityId) return flow
  return undefined
}
