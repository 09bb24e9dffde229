import type { Entity } from '$metadata/entity'
import { toLabel, type Labels, type Locale } from '$metadata/labels'
// Relative, not $lib: the unit tests resolve only the metadata and runtime aliases.
import { formatValue } from '../../format'
import type { PickerOption } from './department-options'

/** A hit of GET /api/search as a reference picker reads it. */
export interface ReferenceHit {
  id: string
  title: string | null
  titleLabel?: Labels
  subtitle?: Record<string, string | null>
}

/**
 * The second line of a record: its `subtitleFields` formatted for people (a select's label, a
 * number per locale), joined by " · "; empty when the entity names none.
 * @example subtitleOf(product, { code: 'P10001', spec: 'TR-100 24V' }, 'en') // 'P10001 · TR-100 24V'
 */
export function subtitleOf(
  entity: Entity,
  values: Record<string, unknown>,
  locale: Locale,
): string {
  return (entity.subtitleFields ?? [])
    .map((name) => {
      const field = entity.fields.find((f) => f.name === name)
      return formatValue(field, values[name], locale)
    })
    .filter((text) => text !== '')
    .join(' · ')
}

/** A record of the list API as a picker option (title, second line). */
export function recordOption(
  entity: Entity,
  record: Record<string, unknown>,
  locale: Locale,
): PickerOption {
  const id = String(record.id)
  const raw = record[entity.titleField ?? 'name']
  const title = formatValue(
    entity.fields.find((f) => f.name === entity.titleField),
    raw,
    locale,
  )
  return { id, label: title || id, detail: subtitleOf(entity, record, locale) || undefined }
}

/** A search hit as a picker option; a select title shows its option label. */
export function hitOption(entity: Entity, hit: ReferenceHit, locale: Locale): PickerOption {
  const title = hit.titleLabel ? toLabel(hit.titleLabel, locale, hit.title ?? '') : hit.title
  return {
    id: hit.id,
    label: title || hit.id,
    detail: subtitleOf(entity, hit.subtitle ?? {}, locale) || undefined,
  }
}
