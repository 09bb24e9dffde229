import type { Locale } from '../../metadata/labels'
import type { Ctx } from '../context'
import { ForbiddenError } from '../errors'
import { entityWords, type EntityWords } from '../records/entity-words'

/*
 * The refusals of an upload (an entity whose records the caller may neither create nor update, a
 * type the field does not take, bytes that do not fit it, too many bytes, none) in the caller's
 * language, naming the entity by its label as the record refusals do. {type} is a media type.
 */

type Key =
  | 'mayNotUpload'
  | 'notAccepted'
  | 'typeNotAccepted'
  | 'contentNot'
  | 'tooLarge'
  | 'tooLargeField'
  | 'empty'
  | 'emptyField'

/** The upload refusals in each language; {entity} is the entity's label, {max} a byte count. */
export const UPLOAD_REFUSAL_TEXTS: Record<Locale, Record<Key, string>> = {
  en: {
    mayNotUpload: 'You may not write {entity} records',
    notAccepted: 'The field does not accept this file',
    typeNotAccepted: 'does not accept {type} files',
    contentNot: 'the content is not {type}',
    tooLarge: 'The file is too large',
    tooLargeField: 'is larger than {max} bytes',
    empty: 'The file is empty',
    emptyField: 'is empty',
  },
  'zh-CN': {
    mayNotUpload: '您没有新建或修改{entity}记录的权限',
    notAccepted: '该字段不接受此文件',
    typeNotAccepted: '不接受 {type} 类型的文件',
    contentNot: '文件内容不是 {type}',
    tooLarge: '文件过大',
    tooLargeField: '超过了 {max} 字节',
    empty: '文件是空的',
    emptyField: '内容为空',
  },
  ko: {
    mayNotUpload: '{entity} 레코드를 생성하거나 수정할 권한이 없습니다',
    notAccepted: '이 필드는 이 파일을 받을 수 없습니다',
    typeNotAccepted: '{type} 파일은 받을 수 없습니다',
    contentNot: '파일 내용이 {type} 형식이 아닙니다',
    tooLarge: '파일이 너무 큽니다',
    tooLargeField: '{max}바이트를 초과합니다',
    empty: '파일이 비어 있습니다',
    emptyField: '비어 있습니다',
  },
}

/** The upload refusals of one entity in the caller's language. */
export type UploadWords = EntityWords<Key>

/**
 * The upload refusals of `entityId` in the caller's language.
 * @example uploadWords(ctx, 'customer')('tooLarge') // '文件过大'
 */
export function uploadWords(ctx: Pick<Ctx, 'user' | 'meta'>, entityId: string): UploadWords {
  return entityWords(UPLOAD_REFUSAL_TEXTS, ctx, entityId)
}

/**
 * The 403 for an upload to an entity the caller may not write.
 * @example mayNotUpload(ctx, 'customer').message // '您没有新建或修改客户记录的权限'
 */
export function mayNotUpload(ctx: Pick<Ctx, 'user' | 'meta'>, entityId: string): ForbiddenError {
  return new ForbiddenError(uploadWords(ctx, entityId)('mayNotUpload'))
}
