import { fillText, toLocale, type Locale } from '../../metadata/labels'
import { NotFoundError } from '../errors'

/*
 * The 404 for an entity the metadata does not have, in the caller's language (the workspace's,
 * sent as x-trellis-locale, else the user's saved one), picked as the flow refusals pick it. An
 * unknown entity has no label: {id} is the name the caller sent, quoted as they sent it.
 */

type Key = 'unknownEntity' | 'unknownEntityField'

/** The texts of the unknown-entity 404 in each language Trellis speaks. */
export const UNKNOWN_ENTITY_TEXTS: Record<Locale, Record<Key, string>> = {
  en: {
    unknownEntity: "Unknown entity '{id}'",
    unknownEntityField: "no entity '{id}'",
  },
  'zh-CN': {
    unknownEntity: '没有“{id}”这种记录类型',
    unknownEntityField: '“{id}”不是已有的记录类型',
  },
  ko: {
    unknownEntity: '"{id}" 레코드 유형이 없습니다',
    unknownEntityField: '"{id}"은(는) 없는 레코드 유형입니다',
  },
}

/**
 * The 404 naming an unknown entity in `locale` (the caller's; English when not one Trellis speaks).
 * @example unknownEntity('offer', 'zh-CN').message // '没有“offer”这种记录类型'
 */
export function unknownEntity(id: string, locale: string | undefined): NotFoundError {
  const texts = UNKNOWN_ENTITY_TEXTS[toLocale(locale)]
  return new NotFoundError(fillText(texts.unknownEntity, { id }), [
    { path: 'entity', message: fillText(texts.unknownEntityField, { id }) },
  ])
}
