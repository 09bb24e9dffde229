import type { Entity } from '$metadata/entity'
import type { InboxItem } from '$lib/api/inbox'
import { loadEntity } from '$lib/api/meta'
import { formatValue } from '$lib/format'
import { subtitleOf } from '$lib/form/pickers/reference-options'
import { i18n, t } from '$lib/i18n/locale.svelte'

/**
 * Titles of inbox items as the record page shows them, and their second line (subtitleFields):
 * the inbox answers a title as stored, so a select or date title field reads as its label once
 * the entity's definition has loaded.
 * Call in a component's setup (it starts an effect); `text` is reactive.
 * @example const titles = inboxTitles(() => items); titles.text(item) // 'Annual leave'
 */
export function inboxTitles(items: () => InboxItem[] | undefined) {
  const entities = $state<Record<string, Entity>>({})
  $effect(() => {
    for (const id of new Set((items() ?? []).map((i) => i.entity)))
      if (!entities[id])
        void loadEntity(id)
          .then((e) => (entities[id] = e))
          .catch(() => undefined)
  })
  return {
    text(item: InboxItem): string {
      const entity = entities[item.entity]
      const field = entity?.fields.find((f) => f.name === (entity.titleField ?? 'name'))
      const text = field ? formatValue(field, item.title, i18n.locale) : (item.title ?? '')
      return text || t('inbox.untitled')
    },
    /** The second line: the record's subtitle fields, formatted (dates, amounts), or ''. */
    subtitle(item: InboxItem): string {
      const entity = entities[item.entity]
      return entity && item.subtitle ? subtitleOf(entity, item.subtitle, i18n.locale) : ''
    },
  }
}
