import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { Entity } from '../metadata/entity'
import { FIELD_TYPES } from '../metadata/field'
import { LOCALES } from '../metadata/labels'
import { PACKAGE_KIND_OF_FOLDER } from '../metadata/package'
import { SYSTEM_KEYS } from '../metadata/system-fields'
import type { View } from '../metadata/view'
import { validateDefinition } from '../metadata/validate'
import { validateReferences } from '../metadata/references'
import { buildMetadataSet } from '../runtime/registry'
import { compileFilter } from '../runtime/rules'
import { checkPhysicalNames } from '../runtime/schema'
import { loadSeedBundle, loadSeedPackages, SEED_MODULE_DIRS } from './load-seed-packages'

const SEEDS = dirname(fileURLToPath(import.meta.url))
const KINDS = PACKAGE_KIND_OF_FOLDER
const packages = loadSeedPackages()
const bundle = loadSeedBundle()
const entities = new Map(bundle.entities.map((e) => [e.id, e]))
const kebab = (id: string) => id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()

/** Every seed file with its parsed JSON. */
function seedFiles(): { file: string; kind: string; json: Record<string, unknown> }[] {
  return SEED_MODULE_DIRS.flatMap((dir) => [
    { file: join(SEEDS, dir, 'manifest.json'), kind: 'package' },
    ...Object.entries(KINDS).flatMap(([folder, kind]) =>
      (existsSync(join(SEEDS, dir, folder)) ? readdirSync(join(SEEDS, dir, folder)) : [])
        // A flow's `*.scenarios.json` is test data beside it (flows.test.ts), not a definition.
        .filter((name) => !name.endsWith('.scenarios.json'))
        .map((name) => ({ file: join(SEEDS, dir, folder, name), kind })),
    ),
  ]).map((f) => ({
    ...f,
    json: JSON.parse(readFileSync(f.file, 'utf8')) as Record<string, unknown>,
  }))
}

function fieldNames(entityId: string): Set<string> {
  return new Set(entities.get(entityId)!.fields.map((f) => f.name))
}

/** Every object in a JSON tree that looks like a Labels value (has `en`). */
function labelObjects(
  node: unknown,
  path: string,
  out: { path: string; labels: Record<string, unknown> }[],
) {
  if (Array.isArray(node)) node.forEach((item, i) => labelObjects(item, `${path}[${i}]`, out))
  else if (node && typeof node === 'object') {
    if ('en' in node) out.push({ path, labels: node as Record<string, unknown> })
    else
      for (const [key, value] of Object.entries(node))
        // Alert templates hold a message per language, checked on their own.
        if (key !== 'template') labelObjects(value, `${path}.${key}`, out)
  }
  return out
}

describe('seed files', () => {
  const files = seedFiles()

  it('parse as JSON, start with a $schema line that points at the schema of their kind', () => {
    for (const { file, kind, json } of files) {
      expect(Object.keys(json)[0], file).toBe('$schema')
      const target = resolve(dirname(file), String(json.$schema))
      expect(target, file).toBe(resolve(SEEDS, '..', 'metadata', 'schemas', `${kind}.schema.json`))
      expect(existsSync(target), target).toBe(true)
    }
  })

  it('are named after the id of the definition they hold', () => {
    for (const { file, kind, json } of files) {
      if (kind !== 'package')
        expect(file.endsWith(`/${kebab(String(json.id))}.json`), file).toBe(true)
    }
  })

  it('each validate against their JSON Schema and checks with no issues', () => {
    const issues = files.flatMap(({ file, kind, json }) =>
      validateDefinition(kind as 'entity', json).map((issue) => ({ file, ...issue })),
    )
    expect(issues).toEqual([])
  })

  it('give every label and option label in English, Chinese and Korean', () => {
    for (const { file, json } of files) {
      for (const { path, labels } of labelObjects(json, '', [])) {
        for (const locale of LOCALES) {
          expect(
            typeof labels[locale] === 'string' && labels[locale] !== '',
            `${file}${path} ${locale}`,
          ).toBe(true)
        }
      }
    }
  })

  it('give every alert message a title and body in English, Chinese and Korean', () => {
    for (const { file, json } of files.filter((f) => f.kind === 'alert')) {
      const template = json.template as Record<string, { title?: string; body?: string }>
      for (const locale of LOCALES)
        expect(
          Boolean(template[locale]?.title && template[locale]?.body),
          `${file} ${locale}`,
        ).toBe(true)
    }
  })
})

describe('the seed bundle', () => {
  it('loads the four modules in dependency order without their $schema lines', () => {
    expect(packages.map((p) => p.manifest.id)).toEqual(['customer', 'order', 'service', 'hr-admin'])
    const roles = bundle.roles ?? []
    for (const def of [
      ...bundle.packages,
      ...bundle.entities,
      ...bundle.forms,
      ...bundle.views,
      ...roles,
    ]) {
      expect(def).not.toHaveProperty('$schema')
    }
  })

  it('has no dangling references', () => {
    expect(validateReferences(bundle)).toEqual([])
  })

  it('has no two names that become one table, column, index or sequence in the database', () => {
    expect(checkPhysicalNames(bundle.entities)).toEqual([])
  })

  it('uses every id once within each kind', () => {
    for (const list of [
      bundle.packages,
      bundle.entities,
      bundle.forms,
      bundle.views,
      bundle.roles ?? [],
    ]) {
      const ids = list.map((d) => d.id)
      expect(new Set(ids).size).toBe(ids.length)
    }
  })

  it('points every reference and child table at an entity, and every child at its parent', () => {
    for (const entity of bundle.entities) {
      for (const field of entity.fields.filter(
        (f) => f.type === 'reference' || f.type === 'childTable',
      )) {
        const target = entities.get(field.entity!)
        expect(target, `${entity.id}.${field.name}`).toBeDefined()
        if (field.type === 'childTable') expect(target!.childOf).toBe(entity.id)
      }
      if (entity.childOf) {
        const parent = entities.get(entity.childOf)!
        expect(
          parent.fields.filter((f) => f.type === 'childTable' && f.entity === entity.id),
        ).toHaveLength(1)
      }
    }
  })

  it('indexes every reference field of a top-level entity so lists can filter by it', () => {
    for (const entity of bundle.entities.filter((e) => !e.childOf)) {
      for (const field of entity.fields.filter((f) => f.type === 'reference')) {
        expect(field.index, `${entity.id}.${field.name}`).toBe(true)
      }
    }
  })

  it('names only fields of the entity in title, search, owner, dedup and validation settings', () => {
    for (const entity of bundle.entities) {
      const names = fieldNames(entity.id)
      const used = [
        entity.titleField,
        entity.ownerField,
        ...(entity.searchFields ?? []),
        ...(entity.dedup ?? []).flatMap((d) => d.fields),
        ...(entity.validations ?? []).map((v) => v.field),
        ...(entity.indexes ?? []).flatMap((i) => i.fields),
      ].filter((n): n is string => n !== undefined)
      for (const name of used) expect(names.has(name), `${entity.id}: ${name}`).toBe(true)
      if (entity.ownerField)
        expect(entity.fields.find((f) => f.name === entity.ownerField)!.type).toBe('user')
    }
  })

  it('lets records follow the customer, order or ticket they belong to, two hops at most', () => {
    const parents = Object.fromEntries(
      bundle.entities
        .filter((e) => e.permissionParent)
        .map((e) => [e.id, `${e.permissionParent}→${fieldOf(e, e.permissionParent!)?.entity}`]),
    )
    expect(parents).toEqual(PERMISSION_PARENTS)
    for (const entity of bundle.entities.filter((e) => e.permissionParent)) {
      const field = fieldOf(entity, entity.permissionParent!)!
      expect(field.type, entity.id).toBe('reference')
      // At most two hops (shipment → order → customer): the runtime follows no further.
      const parent = entities.get(field.entity!)!
      const grandparent =
        parent.permissionParent && fieldOf(parent, parent.permissionParent)!.entity
      expect(grandparent && entities.get(grandparent)!.permissionParent, entity.id).toBeFalsy()
    }
  })

  it('has one form per entity, named after it, placing every field of the entity once', () => {
    for (const entity of bundle.entities) {
      const form = bundle.forms.find((f) => f.id === entity.id)
      expect(form?.entity, entity.id).toBe(entity.id)
      const placed = form!.tabs.flatMap((t) =>
        t.sections.flatMap((s) => s.fields.map((f) => f.field)),
      )
      expect([...placed].sort(), entity.id).toEqual([...fieldNames(entity.id)].sort())
    }
  })

  it('points related lists at a reference field to the form entity and at its fields', () => {
    for (const form of buildMetadataSet(bundle, 1).forms.values()) {
      for (const list of form.relatedLists ?? []) {
        const field = entities.get(list.entity)!.fields.find((f) => f.name === list.field)
        expect(
          field?.type === 'reference' && field.entity === form.entity,
          `${form.id}.${list.id}`,
        ).toBe(true)
        for (const column of list.columns ?? [])
          expect(fieldNames(list.entity).has(column), column).toBe(true)
      }
    }
    // The shipped form lists the customer package's own records; order and service add theirs.
    const shipped = bundle.forms.find((f) => f.id === 'customer')!
    expect(shipped.relatedLists!.map((r) => r.entity)).toEqual([
      'contact',
      'followUp',
      'opportunity',
    ])
    const customer = buildMetadataSet(bundle, 1).forms.get('customer')!
    expect(customer.relatedLists!.map((r) => r.entity)).toEqual([
      'contact',
      'followUp',
      'opportunity',
      'quote',
      'salesOrder',
      'payment',
      'ticket',
      'complaint',
    ])
    const order = bundle.forms.find((f) => f.id === 'salesOrder')!
    expect(order.relatedLists!.map((r) => r.entity)).toEqual(['invoice', 'payment'])
  })

  it('has a list view per entity whose columns, sort and settings name its fields', () => {
    for (const entity of bundle.entities) {
      expect(bundle.views.find((v) => v.id === `${entity.id}List`)?.type, entity.id).toBe('list')
    }
    for (const view of bundle.views) {
      const names = fieldNames(view.entity)
      for (const name of viewFields(view)) expect(names.has(name), `${view.id}: ${name}`).toBe(true)
      for (const key of (view.sort ?? '').split(',').filter(Boolean)) {
        const name = key.replace(/^-/, '')
        expect(names.has(name) || SYSTEM_KEYS.includes(name), `${view.id} sort ${name}`).toBe(true)
      }
    }
  })

  it('ships a pipeline board by stage and calendars for outings and the schedule', () => {
    const byId = new Map(bundle.views.map((v) => [v.id, v]))
    expect(byId.get('opportunityBoard')).toMatchObject({
      type: 'kanban',
      entity: 'opportunity',
      groupBy: 'stage',
    })
    expect(byId.get('outingCalendar')).toMatchObject({
      type: 'calendar',
      entity: 'outing',
      dateField: 'startAt',
    })
    expect(byId.get('scheduleCalendar')).toMatchObject({ type: 'calendar', entity: 'scheduleItem' })
  })

  it('compiles every saved filter to SQL', () => {
    const vars = { $user: { id: '00000000-0000-4000-8000-000000000001' } }
    for (const view of bundle.views) {
      for (const filter of view.filters ?? []) {
        expect(
          () => compileFilter(entities.get(view.entity)!, filter.filter, { vars }),
          `${view.id}.${filter.id}`,
        ).not.toThrow()
      }
    }
  })

  it('lists each module entity in its navigation, children excepted, and depends on what it references', () => {
    const moduleOf = new Map(
      packages.flatMap((p) => p.entities.map((e) => [e.id, p.manifest.id] as const)),
    )
    for (const { manifest, entities: own } of packages) {
      expect(manifest.navigation).toEqual(own.filter((e) => !e.childOf).map((e) => e.id))
      for (const entity of own) {
        expect(entity.module).toBe(manifest.id)
        for (const field of entity.fields.filter((f) => f.entity)) {
          const target = moduleOf.get(field.entity!)!
          if (target !== manifest.id)
            expect(
              Object.keys(manifest.dependencies ?? {}),
              `${entity.id}.${field.name}`,
            ).toContain(target)
        }
      }
    }
  })

  it('uses every field type at least once', () => {
    const used = new Set(bundle.entities.flatMap((e) => e.fields.map((f) => f.type)))
    expect(FIELD_TYPES.filter((t) => !used.has(t))).toEqual([])
  })

  it('declares the customer name as de-duplicated and blocking, the phone as a warning', () => {
    const customer = entities.get('customer') as Entity
    expect(customer.dedup).toEqual([
      expect.objectContaining({ fields: ['name'], match: 'normalized', action: 'block' }),
      expect.objectContaining({ fields: ['phone'], action: 'warn' }),
    ])
    expect(customer.searchFields).toEqual(['name', 'code', 'phone'])
  })

  it('points every dashboard widget at a shipped report, its measure and its parameters', () => {
    const reports = new Map((bundle.reports ?? []).map((r) => [r.id, r]))
    expect(bundle.dashboards?.length).toBeGreaterThan(0)
    for (const dashboard of bundle.dashboards ?? [])
      for (const widget of dashboard.widgets) {
        const at = `${dashboard.id}.${widget.id}`
        if (widget.kind !== 'report' && widget.kind !== 'kpi') continue
        const report = reports.get(widget.report ?? '')
        expect(report, at).toBeDefined()
        if (widget.kind === 'kpi')
          expect(
            report!.measures.map((m) => m.id),
            at,
          ).toContain(widget.measure)
        const declared = (report!.parameters ?? []).map((p) => p.id)
        for (const name of Object.keys(widget.parameters ?? {}))
          expect(declared, at).toContain(name)
      }
  })

  it('compares KPIs with the period before, or says in the report why its balance cannot be', () => {
    const reports = new Map((bundle.reports ?? []).map((r) => [r.id, r]))
    const uncompared: string[] = []
    for (const dashboard of bundle.dashboards ?? [])
      for (const widget of dashboard.widgets) {
        if (widget.kind !== 'kpi') continue
        const report = reports.get(widget.report!)!
        if (report.parameters?.some((p) => p.type === 'dateRange')) continue
        // No period to step back from (a balance as of today, the receivables): the report's
        // description, shown on its page, tells the reader why no change is shown.
        uncompared.push(`${dashboard.id}.${widget.id}`)
        expect(widget.compare, widget.id).toBeUndefined()
        for (const locale of LOCALES)
          expect(report.description?.[locale], `${report.id} ${locale}`).toMatch(
            /compared|比较|비교/,
          )
      }
    expect(uncompared).toContain('sales-director-home.outstanding')
  })

  it('shows every shipped report on the dashboard of a role that may read its source', () => {
    const roles = new Map((bundle.roles ?? []).map((r) => [r.id, r]))
    expect(bundle.reports?.length).toBe(11)
    for (const report of bundle.reports ?? []) {
      const readers = (bundle.dashboards ?? []).filter(
        (d) =>
          d.widgets.some((w) => w.kind === 'report' && w.report === report.id) &&
          (d.roles ?? []).some((id) =>
            roles.get(id)?.grants.some((g) => g.entity === report.entity && g.scopes.read),
          ),
      )
      expect(
        readers.map((d) => d.id),
        report.id,
      ).not.toEqual([])
    }
  })
})

/** Entity → `field→target` of its permission parent. */
const PERMISSION_PARENTS = {
  contact: 'customer→customer',
  followUp: 'customer→customer',
  opportunity: 'customer→customer',
  quote: 'customer→customer',
  salesOrder: 'customer→customer',
  payment: 'customer→customer',
  invoice: 'customer→customer',
  shipment: 'salesOrder→salesOrder',
  dispatch: 'ticket→ticket',
  complaint: 'ticket→ticket',
  returnVisit: 'ticket→ticket',
}

function fieldOf(entity: Entity, name: string) {
  return entity.fields.find((f) => f.name === name)
}

function viewFields(view: View): string[] {
  const filterless =
    view.type === 'list'
      ? view.columns.map((c) => c.field)
      : view.type === 'kanban'
        ? [view.groupBy, ...view.cardFields]
        : [view.dateField, view.endDateField, view.titleField]
  return filterless.filter((n): n is string => n !== undefined)
}
