import { toLocale, type Locale } from '../../metadata/labels'
import { ForbiddenError, UnauthorizedError } from '../errors'

/*
 * The refusals at the door in the caller's language: a request without a session (401) and a
 * call only administrators may make (403). An anonymous request has no saved language, so the
 * server picks one from its headers.
 */

type Key = 'signInFirst' | 'administratorsOnly'

/** The door's refusals in each language. */
export const ACCESS_REFUSAL_TEXTS: Record<Locale, Record<Key, string>> = {
  en: {
    signInFirst: 'Sign in first',
    administratorsOnly: 'Administrators only',
  },
  'zh-CN': {
    signInFirst: '请先登录',
    administratorsOnly: '仅管理员可执行此操作',
  },
  ko: {
    signInFirst: '먼저 로그인하세요',
    administratorsOnly: '관리자만 할 수 있습니다',
  },
}

/**
 * 401 for a request without a caller, in `locale` (English for one Trellis does not speak).
 * @example throw signInFirst('ko') // '먼저 로그인하세요'
 */
export function signInFirst(locale: string | undefined): UnauthorizedError {
  return new UnauthorizedError(ACCESS_REFUSAL_TEXTS[toLocale(locale)].signInFirst)
}

/** 403 for a caller who is no administrator, in `locale` (English for one Trellis does not speak). */
export function administratorsOnly(locale: string | undefined): ForbiddenError {
  return new ForbiddenError(ACCESS_REFUSAL_TEXTS[toLocale(locale)].administratorsOnly)
}
