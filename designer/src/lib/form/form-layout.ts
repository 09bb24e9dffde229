import type { Entity } from '$metadata/entity'
import type { Field } from '$metadata/field'
import type { Form } from '$metadata/form'
import { toLabel, type Locale } from '$metadata/labels'

/** Keys the server owns on every record; never sent back on save. */
export const SYSTEM_KEYS = ['id', 'version', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy']

/** Keys a child row carries besides its own fields. */
const CHILD_SYSTEM_KEYS = new Set([
  ...SYSTEM_KEYS.filter((k) => k !== 'id'),
  'parentId',
  'position',
])

/** The form to render: the published one, or every field in one two-column section. */
export function toRenderedForm(entity: Entity, form: Form | undefined): Form {
  if (form && form.tabs.length > 0) return form
  return {
    id: `${entity.id}-default`,
    entity: entity.id,
    label: entity.label,
    tabs: [
      {
        id: 'main',
        label: entity.label,
        sections: [
          { id: 'fields', columns: 2, fields: entity.fields.map((f) => ({ field: f.name })) },
        ],
      },
    ],
  }
}

type Section = Form['tabs'][number]['sections'][number]

/**
 * The sections of a tab that show at least one field: one whose fields are all hidden by their
 * rules (a ticket's resolution before it is resolved) or unknown shows no empty box.
 * @example toShownSections(tab.sections, { resolution: { visible: false } }, names) // []
 */
export function toShownSections(
  sections: readonly Section[],
  states: Readonly<Record<string, { visible: boolean } | undefined>>,
  known: ReadonlySet<string> | ReadonlyMap<string, unknown>,
): Section[] {
  return sections.filter((s) =>
    s.fields.some((ff) => states[ff.field]?.visible && known.has(ff.field)),
  )
}

/**
 * Whether a field's label only repeats its section's legend: a section holding just that field
 * (the quote's Lines section and its Lines grid) names it once.
 * @example isLabelRepeated({ label: { en: 'Lines' }, fields: [{ field: 'lines' }] }, lines, 'en') // true
 */
export function isLabelRepeated(
  section: Pick<Section, 'label' | 'fields'>,
  field: Pick<Field, 'label'>,
  locale: Locale,
): boolean {
  if (!section.label || section.fields.length !== 1) return false
  return toLabel(section.label, locale, '') === toLabel(field.label, locale, '')
}

/**
 * A new record: field defaults, then values given in the address (`?customer=<id>`). A dynamic
 * default is filled as the server would fill it: now, today (the reader's day), the reader.
 */
export function toNewRecord(
  entity: Entity,
  given: URLSearchParams,
  reader: { userId?: string | null; now?: Date } = {},
): Record<string, unknown> {
  const record: Record<string, unknown> = {}
  for (const field of entity.fields) {
    const fromUrl = given.get(field.name)
    if (fromUrl !== null) record[field.name] = fromUrl
    else if (isDynamic(field.default)) record[field.name] = dynamicValue(field.default, reader)
    else if (field.default !== undefined) record[field.name] = structuredClone(field.default)
    else if (field.type === 'childTable' || field.type === 'attachments') record[field.name] = []
    else record[field.name] = null
  }
  return record
}

function isDynamic(value: unknown): value is { dynamic: string } {
  return !!value && typeof value === 'object' && 'dynamic' in value
}

function dynamicValue(
  { dynamic }: { dynamic: string },
  { userId, now = new Date() }: { userId?: string | null; now?: Date },
): string | null {
  if (dynamic === 'now') return now.toISOString()
  if (dynamic === 'currentUser') return userId ?? null
  if (dynamic !== 'today') return null
  const day = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${day(now.getMonth() + 1)}-${day(now.getDate())}`
}

/** Whether a field's value is computed by the server and never written by the form. */
export function isComputed(field: Field): boolean {
  // latestFrom: the form shows what the save will fill (a leave's department), never sends it.
  return field.type === 'autoNumber' || field.type === 'formula' || field.latestFrom !== undefined
}

/** The values a save sends: entity fields only, computed ones left out, child rows cleaned. */
export function toPayload(
  entity: Entity,
  record: Record<string, unknown>,
): Record<string, unknown> {
  const payload: Record<string, unknown> = {}
  for (const field of entity.fields) {
    if (isComputed(field) || !(field.name in record)) continue
    const value = record[field.name]
    payload[field.name] =
      field.type === 'childTable' && Array.isArray(value) ? value.map(toChildRow) : value
  }
  return payload
}

function toChildRow(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([k]) => !CHILD_SYSTEM_KEYS.has(k)))
}

/** Only the keys whose values differ from the stored record (what a PATCH should carry). */
export function toChanges(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, unknown> {
  const changes: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(after)) {
    if (JSON.stringify(value ?? null) !== JSON.stringify(before[key] ?? null)) changes[key] = value
  }
  return changes
}

/** Whether a value counts as missing for a required field. */
export function isEmptyValue(field: Field, value: unknown): boolean {
  if (value === null || value === undefined) return true
  if (typeof value === 'string') return value.trim() === ''
  if (Array.isArray(value)) return value.length === 0
  if (field.type === 'money') return (value as { amount?: unknown }).amount == null
  return false
}
