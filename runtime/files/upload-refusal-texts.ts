import type { Locale } from '../../metadata/labels'
import type { Ctx } from '../context'
import { ForbiddenError } from '../errors'
import { entityWords } from '../records/entity-words'

/*
 * The 403 of an upload for an entity whose records the caller may neither create nor update, in
 * the caller's language, naming the entity by its label as the record refusals do.
 */

type Key = 'mayNotUpload'

/** The upload refusals in each language; {entity} is the entity's label. */
export const UPLOAD_REFUSAL_TEXTS: Record<Locale, Record<Key, string>> = {
  en: { mayNotUpload: 'You may not write {entity} records' },
  'zh-CN': { mayNotUpload: '您没有新建或修改{entity}记录的权限' },
  ko: { mayNotUpload: '{entity} 레코드를 생성하거나 수정할 권한이 없습니다' },
}

/**
 * The 403 for an upload to an entity the caller may not write.
 * @example mayNotUpload(ctx, 'customer').message // '您没有新建或修改客户记录的权限'
 */
export function mayNotUpload(ctx: Pick<Ctx, 'user' | 'meta'>, entityId: string): ForbiddenError {
  return new ForbiddenError(entityWords(UPLOAD_REFUSAL_TEXTS, ctx, entityId)('mayNotUpload'))
}
