import { fillText, toLocale, type Locale } from '../../metadata/labels'
import type { Ctx } from '../context'
import { flowLabels } from '../flows/core/flow-labels'

/** A text of one table filled in the caller's language, {entity} already the entity's label. */
export type EntityWords<K extends string> = (key: K, params?: Record<string, string>) => string

/**
 * The texts of `texts` in the caller's language (x-trellis-locale, else the user's saved one),
 * {entity} filled with the label of `entityId` (its id when the metadata has none), as the flow
 * refusals name it.
 * @example entityWords(VERSION_TEXTS, ctx, 'quote')('gone') // '此报价单已不存在'
 */
export function entityWords<K extends string>(
  texts: Record<Locale, Record<K, string>>,
  ctx: Pick<Ctx, 'user' | 'meta'>,
  entityId: string,
): EntityWords<K> {
  // Built only when a text is asked for: routes take the words before they know of a refusal.
  return (key, params) => {
    const labels = flowLabels(toLocale(ctx.user?.locale))
    const entity = ctx.meta.entities.get(entityId)
    const named = { entity: entity ? labels.entity(entity) : entityId }
    return fillText(texts[labels.locale][key], { ...named, ...params })
  }
}
