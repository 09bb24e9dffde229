import type { Locale } from '../../metadata/labels'
import type { Ctx } from '../context'
import { ForbiddenError } from '../errors'
import { entityWords } from '../records/entity-words'

/*
 * The 403 of an approver acting on a task about a record they may not read, in the caller's
 * language, naming the entity by its label as the record refusals do. The path stays `id`.
 */

type Key = 'mayNotReadTask' | 'mayNotReadTaskField'

/** The refusal in each language; {entity} is the entity's label. */
export const RECORD_REACH_TEXTS: Record<Locale, Record<Key, string>> = {
  en: {
    mayNotReadTask: 'You may not read the {entity} this task is about',
    mayNotReadTaskField: 'the record is outside your read scope',
  },
  'zh-CN': {
    mayNotReadTask: '您没有查看此任务所涉及的{entity}的权限',
    mayNotReadTaskField: '该记录超出您的查看权限范围',
  },
  ko: {
    mayNotReadTask: '이 작업과 관련된 {entity}을(를) 조회할 권한이 없습니다',
    mayNotReadTaskField: '레코드가 조회 권한 범위 밖에 있습니다',
  },
}

/**
 * The 403 for a task whose record of `entityId` the caller may not read (at id).
 * @example mayNotReadTaskRecord(ctx, 'quote').message // '您没有查看此任务所涉及的报价单的权限'
 */
export function mayNotReadTaskRecord(ctx: Pick<Ctx, 'user' | 'meta'>, entityId: string) {
  const w = entityWords(RECORD_REACH_TEXTS, ctx, entityId)
  return new ForbiddenError(w('mayNotReadTask'), [
    { path: 'id', message: w('mayNotReadTaskField') },
  ])
}
