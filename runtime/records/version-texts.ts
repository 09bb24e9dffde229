import type { Locale } from '../../metadata/labels'
import type { Ctx } from '../context'
import { entityWords, type EntityWords } from './entity-words'

/*
 * The words of a write's version refusals (no version, a malformed one, a stale one, a record
 * gone before the write) in the caller's language (the workspace's, sent as x-trellis-locale,
 * else the user's saved one), naming the entity by its label as the flow refusals do. `version`
 * and If-Match stay as the client sends them: they are the names of what to send.
 */

type Key =
  | 'versionRequired'
  | 'versionRequiredField'
  | 'versionInvalid'
  | 'versionInvalidField'
  | 'stale'
  | 'staleField'
  | 'gone'
  | 'goneField'
  | 'ifMatchInvalid'
  | 'ifMatchInvalidField'
  | 'versionNotInteger'
  | 'versionNotIntegerField'
  | 'versionsDisagree'
  | 'versionsDisagreeField'

/**
 * The version refusals in each language; {entity} is the label, {version}, {body} and {header}
 * numbers (the ones a request sent in its body and its If-Match header).
 */
export const VERSION_TEXTS: Record<Locale, Record<Key, string>> = {
  en: {
    versionRequired: 'The version of the {entity} you read is required',
    versionRequiredField: 'is required to change or delete it (If-Match header or body version)',
    versionInvalid: 'The version sent for this {entity} is not valid',
    versionInvalidField: 'must be a positive integer',
    stale: 'This {entity} was changed by someone else: reload it and try again',
    staleField: 'the current version is {version}',
    gone: 'This {entity} no longer exists',
    goneField: 'no such record',
    ifMatchInvalid: 'If-Match must be a version of the {entity} such as "3"',
    ifMatchInvalidField: 'not an integer version',
    versionNotInteger: 'The version sent for this {entity} must be an integer',
    versionNotIntegerField: 'must be an integer',
    versionsDisagree: 'If-Match and the body version of this {entity} disagree',
    versionsDisagreeField: 'body says {body}, If-Match says {header}',
  },
  'zh-CN': {
    versionRequired: '需要提供您读取的{entity}的版本号',
    versionRequiredField: '修改或删除时必须提供（If-Match 请求头或请求体中的 version）',
    versionInvalid: '为此{entity}提供的版本号无效',
    versionInvalidField: '必须是正整数',
    stale: '此{entity}已被他人修改：请重新加载后再试',
    staleField: '当前版本为 {version}',
    gone: '此{entity}已不存在',
    goneField: '没有这条记录',
    ifMatchInvalid: 'If-Match 必须是此{entity}的版本号，例如 "3"',
    ifMatchInvalidField: '不是整数版本号',
    versionNotInteger: '为此{entity}提供的版本号必须是整数',
    versionNotIntegerField: '必须是整数',
    versionsDisagree: '此{entity}的 If-Match 与请求体中的 version 不一致',
    versionsDisagreeField: '请求体中为 {body}，If-Match 中为 {header}',
  },
  ko: {
    versionRequired: '읽어 온 {entity}의 버전이 필요합니다',
    versionRequiredField: '수정하거나 삭제하려면 필요합니다(If-Match 헤더 또는 본문의 version)',
    versionInvalid: '이 {entity}에 보낸 버전이 올바르지 않습니다',
    versionInvalidField: '양의 정수여야 합니다',
    stale: '다른 사용자가 이 {entity}을(를) 변경했습니다: 다시 불러온 뒤 다시 시도하세요',
    staleField: '현재 버전은 {version}입니다',
    gone: '이 {entity}은(는) 더 이상 없습니다',
    goneField: '없는 레코드입니다',
    ifMatchInvalid: 'If-Match는 "3"과 같은 {entity}의 버전이어야 합니다',
    ifMatchInvalidField: '정수 버전이 아닙니다',
    versionNotInteger: '이 {entity}에 보낸 버전은 정수여야 합니다',
    versionNotIntegerField: '정수여야 합니다',
    versionsDisagree: '이 {entity}의 If-Match와 본문의 version이 서로 다릅니다',
    versionsDisagreeField: '본문은 {body}, If-Match는 {header}입니다',
  },
}

/** The version refusals in a caller's language, with {entity} filled. */
export type VersionWords = EntityWords<Key>

/**
 * The version refusals of one entity in the caller's language, the entity named by its label
 * (its id when the metadata has none).
 * @example versionWords(ctx, 'quote')('stale') // '此报价单已被他人修改：请重新加载后再试'
 */
export function versionWords(ctx: Pick<Ctx, 'user' | 'meta'>, entityId: string): VersionWords {
  return entityWords(VERSION_TEXTS, ctx, entityId)
}
