import { fillText, toLocale, type Locale } from '../../metadata/labels'
import type { Ctx } from '../context'
import { ForbiddenError, NotFoundError, ServiceUnavailableError } from '../errors'
import { entityWords, type EntityWords } from '../records/entity-words'

/*
 * The refusals of an upload (an entity whose records the caller may neither create nor update, a
 * target that is no attachment field, a type the field does not take, bytes that do not fit it,
 * too many bytes, none, a server that keeps no files) and of a download of a file that is not
 * there (or not the caller's to read) in the caller's language, naming the entity by its label as
 * the record refusals do. {type} is a media type, {id} the file id the caller sent.
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
  | 'noAttachmentField'
  | 'notRecordEntity'
  | 'notAttachmentFieldOf'
  | 'noStore'
  | 'noStoreField'
  | 'noFile'
  | 'noFileField'

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
    noAttachmentField: 'The upload names no attachment field',
    notRecordEntity: 'is not an entity with records',
    notAttachmentFieldOf: 'is not an attachment field of {entity}',
    noStore: 'This server keeps no files',
    noStoreField: 'no file store is configured on this server',
    noFile: "No file with id '{id}'",
    noFileField: 'no such file',
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
    noAttachmentField: '上传的目标不是附件字段',
    notRecordEntity: '是子表，没有可单独上传文件的记录',
    notAttachmentFieldOf: '不是{entity}的附件字段',
    noStore: '此服务器不保存文件',
    noStoreField: '此服务器未配置文件存储',
    noFile: '没有编号为“{id}”的文件',
    noFileField: '文件不存在',
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
    noAttachmentField: '업로드 대상이 첨부 파일 필드가 아닙니다',
    notRecordEntity: '하위 테이블이므로 파일을 따로 올릴 레코드가 없습니다',
    notAttachmentFieldOf: '{entity}의 첨부 파일 필드가 아닙니다',
    noStore: '이 서버는 파일을 보관하지 않습니다',
    noStoreField: '이 서버에는 파일 저장소가 설정되어 있지 않습니다',
    noFile: "식별자가 '{id}'인 파일이 없습니다",
    noFileField: '없는 파일입니다',
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

/**
 * The 503 of a process that keeps no files (an app built without a file store), at `file`.
 * @example noFileStore(ctx).message // '此服务器不保存文件'
 */
export function noFileStore(ctx: Pick<Ctx, 'user'>): ServiceUnavailableError {
  const texts = UPLOAD_REFUSAL_TEXTS[toLocale(ctx.user?.locale)]
  return new ServiceUnavailableError(fillText(texts.noStore), [
    { path: 'file', message: fillText(texts.noStoreField) },
  ])
}

/**
 * The 404 of a file that is not there or not the caller's to read (at id), `id` as sent.
 * @example noSuchFile(ctx, 'x').message // '没有编号为“x”的文件'
 */
export function noSuchFile(ctx: Pick<Ctx, 'user'>, id: string): NotFoundError {
  const texts = UPLOAD_REFUSAL_TEXTS[toLocale(ctx.user?.locale)]
  return new NotFoundError(fillText(texts.noFile, { id }), [
    { path: 'id', message: fillText(texts.noFileField) },
  ])
}
