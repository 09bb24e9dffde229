import type { Entity } from '../../metadata/entity'
import type { Labels } from '../../metadata/labels'
import type { Ctx } from '../../runtime/context'
import { buildMetadataSet } from '../../runtime/registry'

/** A caller and the metadata it reads: one entity with no fields, labelled as given. */
export type LabelledCaller = Pick<Ctx, 'user' | 'meta'>

/**
 * Callers over metadata holding the one entity `id` labelled `label`, by language (no language:
 * no user), for unit tests of texts that name an entity by its label.
 * @example labelledCaller('quote', { en: 'Quote', 'zh-CN': '报价单' })('zh-CN')
 */
export function labelledCaller(id: string, label: Labels): (locale?: string) => LabelledCaller {
  const entity = { id, label, fields: [] } as unknown as Entity
  const meta = buildMetadataSet({ packages: [], entities: [entity], forms: [], views: [] }, 1)
  return (locale) => ({ meta, user: locale ? { locale } : null }) as unknown as LabelledCaller
}
